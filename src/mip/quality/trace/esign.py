"""Electronic signatures (21 CFR Part 11 style): the signer re-enters the password, the signature names the
signer (printed name), its meaning and time, and holds the SHA-256 of the record's content at signing. A
signature is valid while the record's current content still hashes the same.

For other domains (NCR, MRB, FAI): register how to load a record's signed content with
:func:`register_record_type`, then call :func:`sign` in your tenant transaction, wrapped in
:func:`recording_failures` so a wrong password is recorded even though the transaction rolls back::

    async with recording_failures(ctx.rt.db, ctx.principal):
        async with ctx.tx() as conn:
            await sign(conn, ctx.principal, "ncr", ncr_id, "approved", password, content)
"""

from __future__ import annotations

import contextlib
import re
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any

from mip.identity.service import Principal, verify_user_password
from mip.platform.db import Conn, Database
from mip.platform.ids import uuid7
from mip.quality.trace.common import content_sha256
from mip.quality.trace.errors import SignatureForbidden, SignatureRejected, TraceInvalid

RecordLoader = Callable[[Conn, uuid.UUID], Awaitable[dict[str, Any]]]
MEANING_RE = re.compile(r"^[a-z][a-z_ -]{1,39}$")
LOCK_AFTER_FAILURES = 5
LOCK_WINDOW = "15 minutes"
SIG_COLUMNS = (
    "id, record_type, record_id, signer_id, printed_name, signer_email, meaning, comment, content_sha256, signed_at"
)

_LOADERS: dict[str, RecordLoader] = {}


def register_record_type(record_type: str, loader: RecordLoader) -> None:
    """``loader(conn, record_id)`` returns the content a signature covers (raise NotFound if absent/invisible)."""
    _LOADERS[record_type] = loader


def record_types() -> list[str]:
    return sorted(_LOADERS)


async def record_content(conn: Conn, record_type: str, record_id: uuid.UUID) -> dict[str, Any]:
    loader = _LOADERS.get(record_type)
    if loader is None:
        raise TraceInvalid(f"unknown record type {record_type!r}", allowed=record_types())
    return await loader(conn, record_id)


async def sign(
    conn: Conn,
    principal: Principal,
    record_type: str,
    record_id: uuid.UUID,
    meaning: str,
    password: str,
    content: dict[str, Any],
    *,
    comment: str = "",
) -> dict[str, Any]:
    """Re-authenticate the signer and store the signature over ``content``. Raises SignatureRejected (401) on a
    wrong password (see :func:`recording_failures`), SignatureForbidden (403) for devices or a locked signer."""
    if principal.user_id is None:
        raise SignatureForbidden("only a person can sign; API keys cannot")
    meaning = meaning.strip().lower()
    if not MEANING_RE.match(meaning):
        raise TraceInvalid(f"meaning {meaning!r}: 2-40 lowercase letters, e.g. approved, reviewed, released")
    cur = await conn.execute(
        f"select count(*) as n from esign_failures where user_id = %s and at > now() - interval '{LOCK_WINDOW}'",
        [principal.user_id],
    )
    if int((await cur.fetchone() or {"n": 0})["n"]) >= LOCK_AFTER_FAILURES:
        raise SignatureForbidden(
            f"signing is locked for this user after {LOCK_AFTER_FAILURES} wrong passwords within {LOCK_WINDOW}"
        )
    user = await verify_user_password(conn, principal.user_id, password)
    if user is None:
        raise SignatureRejected(
            "password verification failed: the signature was not applied",
            record_type=record_type,
            record_id=str(record_id),
            meaning=meaning,
        )
    cur = await conn.execute(
        f"insert into esign_signatures (id, tenant_id, record_type, record_id, signer_id, printed_name, signer_email,"
        f" meaning, comment, content_sha256) values (%s,%s,%s,%s,%s,%s,%s,%s,%s,%s) returning {SIG_COLUMNS}",
        [
            uuid7(), principal.tenant_id, record_type, record_id, user["id"], user["full_name"] or user["email"],
            user["email"], meaning, comment, content_sha256(content),
        ],
    )  # fmt: skip
    row = dict(await cur.fetchone() or {})
    row["valid"] = True
    return row


async def record_failure(db: Database, principal: Principal, exc: SignatureRejected) -> None:
    """Persist a failed signing attempt in its own transaction (the caller's has been rolled back)."""
    record_id = exc.extra.get("record_id")
    async with db.tenant_tx(principal.tenant_id, actor=principal.actor, itar=principal.itar_authorized) as conn:
        await conn.execute(
            "insert into esign_failures (id, tenant_id, user_id, record_type, record_id, meaning, reason) "
            "values (%s,%s,%s,%s,%s,%s,%s)",
            [
                uuid7(), principal.tenant_id, principal.user_id, exc.extra.get("record_type", ""),
                uuid.UUID(record_id) if record_id else None, exc.extra.get("meaning", ""), "wrong password",
            ],
        )  # fmt: skip


@contextlib.asynccontextmanager
async def recording_failures(db: Database, principal: Principal) -> AsyncIterator[None]:
    try:
        yield
    except SignatureRejected as exc:
        await record_failure(db, principal, exc)
        raise


async def signatures(conn: Conn, record_type: str, record_id: uuid.UUID) -> list[dict[str, Any]]:
    """The record's signatures, each ``valid`` if the record's current content hashes as it did at signing."""
    current = content_sha256(await record_content(conn, record_type, record_id))
    cur = await conn.execute(
        f"select {SIG_COLUMNS} from esign_signatures where record_type = %s and record_id = %s order by signed_at, id",
        [record_type, record_id],
    )
    return [{**dict(r), "valid": r["content_sha256"] == current} for r in await cur.fetchall()]


async def failures(conn: Conn, *, user_id: uuid.UUID | None, limit: int) -> list[dict[str, Any]]:
    where, args = (" where user_id = %s", [user_id]) if user_id else ("", [])
    cur = await conn.execute(
        f"select id, user_id, record_type, record_id, meaning, reason, at from esign_failures{where} "
        f"order by at desc limit %s",
        [*args, limit],
    )
    return [dict(r) for r in await cur.fetchall()]
