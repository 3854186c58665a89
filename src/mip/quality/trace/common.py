"""Shared helpers: the ITAR marking, canonical content hashing, row shaping."""

from __future__ import annotations

import hashlib
import uuid
from datetime import date, datetime
from decimal import Decimal
from typing import Any

import orjson
import psycopg

from mip.identity.itar import MARKING as ITAR_MARKING
from mip.quality.trace.errors import ItarNotAuthorized

MARKING = ITAR_MARKING
EPS = 1e-9


def _default(obj: Any) -> Any:
    if isinstance(obj, uuid.UUID):
        return str(obj)
    if isinstance(obj, datetime | date):
        return obj.isoformat()
    if isinstance(obj, Decimal):
        return str(obj)
    if isinstance(obj, bytes | memoryview):
        return hashlib.sha256(bytes(obj)).hexdigest()
    raise TypeError(f"not serialisable: {type(obj).__name__}")


def canonical_json(content: Any) -> bytes:
    """Sorted keys, no whitespace, UUIDs and times as strings: the same content always gives the same bytes."""
    return orjson.dumps(content, default=_default, option=orjson.OPT_SORT_KEYS | orjson.OPT_NON_STR_KEYS)


def content_sha256(content: Any) -> str:
    return hashlib.sha256(canonical_json(content)).hexdigest()


def marked(row: dict[str, Any]) -> dict[str, Any]:
    """An API record with its export-control marking (``marking`` is None for uncontrolled records)."""
    out = dict(row)
    out["marking"] = MARKING if out.get("itar") else None
    return out


def remaining(lot: dict[str, Any]) -> float:
    return max(0.0, float(lot["quantity"]) - float(lot["consumed_qty"]) - float(lot["shipped_qty"]))


def itar_violation(exc: psycopg.errors.InsufficientPrivilege) -> ItarNotAuthorized:
    """A write refused by the ITAR policy (the tenant policy cannot fail here: the tenant comes from the tx)."""
    return ItarNotAuthorized(f"not authorised to create or change ITAR-controlled records ({exc.diag.message_primary})")
