"""Password hashing (argon2id), JWT access tokens, opaque refresh tokens and device API keys."""

from __future__ import annotations

import hashlib
import hmac
import secrets
import time
import uuid
from dataclasses import dataclass

import jwt
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from mip.identity.errors import TokenInvalid
from mip.identity.permissions import Role

_hasher = PasswordHasher()
_DUMMY_HASH = _hasher.hash("not-a-real-password")
API_KEY_PREFIX = "mip"


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(stored_hash: str | None, password: str) -> bool:
    """Constant work whether or not the user exists."""
    try:
        return _hasher.verify(stored_hash or _DUMMY_HASH, password) and stored_hash is not None
    except (VerificationError, InvalidHashError):
        return False


def sha256_hex(value: str) -> str:
    return hashlib.sha256(value.encode()).hexdigest()


@dataclass(frozen=True)
class AccessClaims:
    user_id: uuid.UUID
    tenant_id: uuid.UUID
    role: Role
    expires_at: int
    itar: bool = False  # the user is authorised for ITAR-controlled records


def issue_access_token(
    key: str, *, user_id: uuid.UUID, tenant_id: uuid.UUID, role: Role, ttl_s: int, itar: bool = False
) -> str:
    now = int(time.time())
    payload = {
        "sub": str(user_id),
        "tid": str(tenant_id),
        "role": role.value,
        "itar": bool(itar),
        "iat": now,
        "exp": now + ttl_s,
        "typ": "access",
    }
    return jwt.encode(payload, key, algorithm="HS256")


def decode_access_token(key: str, token: str) -> AccessClaims:
    try:
        data = jwt.decode(token, key, algorithms=["HS256"], options={"require": ["exp", "sub", "tid"]})
        if data.get("typ") != "access":
            raise TokenInvalid("not an access token")
        return AccessClaims(
            uuid.UUID(data["sub"]),
            uuid.UUID(data["tid"]),
            Role(data["role"]),
            int(data["exp"]),
            itar=data.get("itar") is True,
        )
    except jwt.ExpiredSignatureError:
        raise TokenInvalid("access token expired") from None
    except (jwt.PyJWTError, ValueError, KeyError):
        raise TokenInvalid("access token invalid") from None


def new_refresh_token() -> str:
    return secrets.token_urlsafe(32)


def new_api_key() -> tuple[str, str, str]:
    """(full key shown once, public prefix, sha256 of the secret part)."""
    prefix = secrets.token_hex(6)
    secret = secrets.token_urlsafe(32)
    return f"{API_KEY_PREFIX}_{prefix}_{secret}", prefix, sha256_hex(secret)


def split_api_key(key: str) -> tuple[str, str] | None:
    parts = key.split("_", 2)
    if len(parts) != 3 or parts[0] != API_KEY_PREFIX or not parts[1] or not parts[2]:
        return None
    return parts[1], parts[2]


def api_key_matches(secret: str, stored_hash: str) -> bool:
    return hmac.compare_digest(sha256_hex(secret), stored_hash)
