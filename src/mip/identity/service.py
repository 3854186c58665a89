"""Identity actions: users, login and refresh, device API keys, and resolving a request's principal."""

from __future__ import annotations

import re
import time
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import psycopg

from mip.identity import secrets as sec
from mip.identity.errors import EmailTaken, InvalidCredentials, TokenInvalid
from mip.identity.permissions import Role
from mip.platform.db import Conn, Database
from mip.platform.errors import NotFound, ValidationFailed
from mip.platform.ids import uuid7

EMAIL_RE = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
USER_COLUMNS = "id, tenant_id, email, full_name, role, active, itar_authorized, created_at, updated_at"
KEY_COLUMNS = "id, tenant_id, name, prefix, site_id, created_by, created_at, revoked_at"


@dataclass(frozen=True)
class Principal:
    """Who is calling: a person (user_id) or a device (api_key_id), always within one tenant."""

    tenant_id: uuid.UUID
    role: Role
    user_id: uuid.UUID | None = None
    api_key_id: uuid.UUID | None = None
    site_id: uuid.UUID | None = None
    itar_authorized: bool = False  # may see ITAR-controlled records (a person flagged by a tenant admin)

    @property
    def actor(self) -> str:
        """How the audit log names this caller."""
        if self.user_id is not None:
            return f"user:{self.user_id}"
        return f"apikey:{self.api_key_id}" if self.api_key_id is not None else "system"


def _check_password(password: str) -> None:
    if len(password) < 10:
        raise ValidationFailed("password must be at least 10 characters")


async def create_user(
    conn: Conn,
    tenant_id: uuid.UUID,
    *,
    email: str,
    password: str,
    role: Role | str,
    full_name: str = "",
    itar_authorized: bool = False,
) -> dict[str, Any]:
    email = email.strip().lower()
    if not EMAIL_RE.match(email):
        raise ValidationFailed(f"invalid email address {email!r}")
    try:
        role = Role(role)
    except ValueError:
        raise ValidationFailed(f"unknown role {role!r}", allowed=[r.value for r in Role if r != Role.DEVICE]) from None
    if role is Role.DEVICE:
        raise ValidationFailed("the device role is for API keys only")
    _check_password(password)
    try:
        async with conn.transaction():
            cur = await conn.execute(
                f"insert into users (id, tenant_id, email, full_name, password_hash, role, itar_authorized) "
                f"values (%s, %s, %s, %s, %s, %s, %s) returning {USER_COLUMNS}",
                [uuid7(), tenant_id, email, full_name, sec.hash_password(password), role.value, itar_authorized],
            )
            row = await cur.fetchone()
    except psycopg.errors.UniqueViolation:
        raise EmailTaken(f"a user with email {email!r} already exists") from None
    assert row is not None
    return dict(row)


async def list_users(conn: Conn) -> list[dict[str, Any]]:
    cur = await conn.execute(f"select {USER_COLUMNS} from users order by email")
    return [dict(r) for r in await cur.fetchall()]


async def get_user(conn: Conn, user_id: uuid.UUID) -> dict[str, Any]:
    cur = await conn.execute(f"select {USER_COLUMNS} from users where id = %s", [user_id])
    row = await cur.fetchone()
    if row is None:
        raise NotFound(f"user {user_id} not found")
    return dict(row)


async def update_user(
    conn: Conn,
    user_id: uuid.UUID,
    *,
    role: str | None = None,
    active: bool | None = None,
    full_name: str | None = None,
    password: str | None = None,
    itar_authorized: bool | None = None,
) -> dict[str, Any]:
    before = await get_user(conn, user_id)
    sets: list[str] = []
    args: list[Any] = []
    if role is not None:
        try:
            if Role(role) is Role.DEVICE:
                raise ValueError
        except ValueError:
            raise ValidationFailed(f"unknown role {role!r}") from None
        sets.append("role = %s")
        args.append(role)
    if active is not None:
        sets.append("active = %s")
        args.append(active)
    if full_name is not None:
        sets.append("full_name = %s")
        args.append(full_name)
    if password is not None:
        _check_password(password)
        sets.append("password_hash = %s")
        args.append(sec.hash_password(password))
    if itar_authorized is not None:
        sets.append("itar_authorized = %s")
        args.append(itar_authorized)
    # withdrawing ITAR authorisation ends the sessions (access tokens carry the flag until they expire)
    itar_withdrawn = itar_authorized is False and before["itar_authorized"]
    if sets:
        await conn.execute(f"update users set {', '.join(sets)}, updated_at = now() where id = %s", [*args, user_id])
        if active is False or password is not None or itar_withdrawn:
            await conn.execute(
                "update refresh_tokens set revoked_at = now() where user_id = %s and revoked_at is null",
                [user_id],
            )
    return await get_user(conn, user_id)


async def verify_user_password(conn: Conn, user_id: uuid.UUID, password: str) -> dict[str, Any] | None:
    """Re-authenticate a signed-in user inside a tenant transaction (electronic signatures): the user's row if
    the password is right and the account active, else None. Same argon2id check as login."""
    cur = await conn.execute(f"select {USER_COLUMNS}, password_hash from users where id = %s", [user_id])
    row = await cur.fetchone()
    ok = sec.verify_password(row["password_hash"] if row else None, password)
    if row is None or not ok or not row["active"]:
        return None
    user = dict(row)
    user.pop("password_hash", None)
    return user


@dataclass(frozen=True)
class TokenPair:
    access_token: str
    refresh_token: str
    expires_in: int
    user: dict[str, Any]


async def _issue(conn: Conn, user: dict[str, Any], key: str, access_ttl: int, refresh_ttl: int) -> TokenPair:
    refresh = sec.new_refresh_token()
    await conn.execute(
        "insert into refresh_tokens (id, tenant_id, user_id, token_hash, expires_at) values (%s, %s, %s, %s, %s)",
        [
            uuid7(),
            user["tenant_id"],
            user["id"],
            sec.sha256_hex(refresh),
            datetime.now(UTC) + timedelta(seconds=refresh_ttl),
        ],
    )
    access = sec.issue_access_token(
        key,
        user_id=user["id"],
        tenant_id=user["tenant_id"],
        role=Role(user["role"]),
        ttl_s=access_ttl,
        itar=bool(user.get("itar_authorized")),
    )
    return TokenPair(access, refresh, access_ttl, user)


async def login(db: Database, *, email: str, password: str, key: str, access_ttl: int, refresh_ttl: int) -> TokenPair:
    async with db.system_tx() as conn:
        cur = await conn.execute("select * from mip_auth_user(%s)", [email.strip().lower()])
        found = await cur.fetchone()
    ok = sec.verify_password(found["password_hash"] if found else None, password)
    if not found or not ok or not found["active"]:
        raise InvalidCredentials("email or password is wrong, or the account is disabled")
    async with db.tenant_tx(found["tenant_id"]) as conn:
        user = await get_user(conn, found["id"])
        return await _issue(conn, user, key, access_ttl, refresh_ttl)


async def refresh(db: Database, *, refresh_token: str, key: str, access_ttl: int, refresh_ttl: int) -> TokenPair:
    """Rotate: the presented refresh token is revoked and a new pair issued."""
    async with db.system_tx() as conn:
        cur = await conn.execute("select * from mip_auth_refresh(%s)", [sec.sha256_hex(refresh_token)])
        found = await cur.fetchone()
    if not found or found["revoked"] or found["expires_at"] < datetime.now(UTC):
        raise TokenInvalid("refresh token invalid, expired or already used")
    async with db.tenant_tx(found["tenant_id"]) as conn:
        cur = await conn.execute(
            "update refresh_tokens set revoked_at = now() where id = %s and revoked_at is null returning id",
            [found["id"]],
        )
        if await cur.fetchone() is None:
            raise TokenInvalid("refresh token already used")
        user = await get_user(conn, found["user_id"])
        if not user["active"]:
            raise InvalidCredentials("account disabled")
        return await _issue(conn, user, key, access_ttl, refresh_ttl)


async def logout(db: Database, *, refresh_token: str) -> None:
    async with db.system_tx() as conn:
        cur = await conn.execute("select * from mip_auth_refresh(%s)", [sec.sha256_hex(refresh_token)])
        found = await cur.fetchone()
    if found:
        async with db.tenant_tx(found["tenant_id"]) as conn:
            await conn.execute("update refresh_tokens set revoked_at = now() where id = %s", [found["id"]])


# --- device API keys ------------------------------------------------------------------------------------


async def create_api_key(
    conn: Conn,
    tenant_id: uuid.UUID,
    *,
    name: str,
    site_id: uuid.UUID | None = None,
    created_by: uuid.UUID | None = None,
) -> tuple[str, dict[str, Any]]:
    """Returns (the full key, shown exactly once; the stored record without any secret)."""
    if not name.strip():
        raise ValidationFailed("API key name must not be empty")
    if site_id is not None:
        cur = await conn.execute("select 1 from assets where id = %s and kind = 'site'", [site_id])
        if await cur.fetchone() is None:
            raise NotFound(f"site {site_id} not found")
    full, prefix, secret_hash = sec.new_api_key()
    cur = await conn.execute(
        f"insert into api_keys (id, tenant_id, name, prefix, secret_hash, site_id, created_by) "
        f"values (%s, %s, %s, %s, %s, %s, %s) returning {KEY_COLUMNS}",
        [uuid7(), tenant_id, name.strip(), prefix, secret_hash, site_id, created_by],
    )
    row = await cur.fetchone()
    assert row is not None
    return full, dict(row)


async def list_api_keys(conn: Conn) -> list[dict[str, Any]]:
    cur = await conn.execute(f"select {KEY_COLUMNS} from api_keys order by created_at")
    return [dict(r) for r in await cur.fetchall()]


async def revoke_api_key(conn: Conn, key_id: uuid.UUID) -> dict[str, Any]:
    cur = await conn.execute(
        f"update api_keys set revoked_at = coalesce(revoked_at, now()) where id = %s returning {KEY_COLUMNS}",
        [key_id],
    )
    row = await cur.fetchone()
    if row is None:
        raise NotFound(f"API key {key_id} not found")
    return dict(row)


class ApiKeyVerifier:
    """Resolves a device key to its principal; caches hits briefly (revocation in this process is immediate)."""

    def __init__(self, db: Database, ttl_s: float) -> None:
        self.db = db
        self.ttl_s = ttl_s
        self._cache: dict[str, tuple[float, Principal]] = {}

    def forget(self, key_id: uuid.UUID) -> None:
        for k, (_, p) in list(self._cache.items()):
            if p.api_key_id == key_id:
                self._cache.pop(k, None)

    async def verify(self, key: str) -> Principal:
        hit = self._cache.get(key)
        if hit and hit[0] > time.monotonic():
            return hit[1]
        parts = sec.split_api_key(key)
        if parts is None:
            raise InvalidCredentials("malformed API key")
        prefix, secret = parts
        async with self.db.system_tx() as conn:
            cur = await conn.execute("select * from mip_auth_api_key(%s)", [prefix])
            row = await cur.fetchone()
        if row is None or row["revoked"] or not sec.api_key_matches(secret, row["secret_hash"]):
            self._cache.pop(key, None)
            raise InvalidCredentials("API key unknown or revoked")
        principal = Principal(
            tenant_id=row["tenant_id"], role=Role.DEVICE, api_key_id=row["id"], site_id=row["site_id"]
        )
        self._cache[key] = (time.monotonic() + self.ttl_s, principal)
        return principal
