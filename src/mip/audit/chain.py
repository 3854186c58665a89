"""The chain's definition in Python, independent of the SQL sealer (``mip_audit_canonical``/``mip_audit_seal``).

An entry's canonical bytes: ``mip-audit/v1`` then each field length-prefixed (``<utf-8 length>:<text>``, ``~`` for
NULL): tenant id, entry id, xid, time in epoch microseconds, actor, action, table, object id, before and after as
PostgreSQL's jsonb text, request id, itar (``true``/``false``). ``hash(n) = sha256(hash(n-1) || int8(n) ||
canonical(entry n))`` with 32 zero bytes before the first entry. Verification recomputes this here, so a
changed sealer function cannot vouch for itself.
"""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime
from typing import Any

GENESIS = bytes(32)
EPOCH = datetime(1970, 1, 1, tzinfo=UTC)

# the columns verification reads: before/after as PostgreSQL renders the stored jsonb
ENTRY_SQL_COLUMNS = (
    "l.tenant_id, l.id, l.xid, l.at, l.actor, l.action, l.table_name, l.object_id, l.before::text as before_text, "
    "l.after::text as after_text, l.request_id, l.itar"
)


def _field(value: str | None) -> bytes:
    if value is None:
        return b"~"
    raw = value.encode()
    return str(len(raw)).encode() + b":" + raw


def epoch_us(at: datetime) -> int:
    delta = at - EPOCH
    return (delta.days * 86_400 + delta.seconds) * 1_000_000 + delta.microseconds


def canonical(entry: dict[str, Any]) -> bytes:
    """``entry`` as selected with ``ENTRY_SQL_COLUMNS``."""
    fields = (
        str(entry["tenant_id"]),
        str(entry["id"]),
        str(entry["xid"]),
        str(epoch_us(entry["at"])),
        entry["actor"],
        entry["action"],
        entry["table_name"],
        entry["object_id"],
        entry["before_text"],
        entry["after_text"],
        entry["request_id"],
        "true" if entry["itar"] else "false",
    )
    return b"mip-audit/v1" + b"".join(_field(f) for f in fields)


def link(prev: bytes, seq: int, entry: dict[str, Any]) -> bytes:
    return hashlib.sha256(prev + seq.to_bytes(8, "big", signed=True) + canonical(entry)).digest()
