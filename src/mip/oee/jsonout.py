"""Rows as API JSON: epoch-ns columns ``x_ns`` become RFC 3339 ``x``, timestamps ISO 8601, times HH:MM."""

from __future__ import annotations

from datetime import date, datetime, time
from typing import Any

from mip.platform.timeutil import ns_to_rfc3339


def row_json(row: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for k, v in row.items():
        if k.endswith("_ns"):
            out[k[:-3]] = ns_to_rfc3339(v) if v is not None else None
        elif isinstance(v, datetime):
            out[k] = v.isoformat()
        elif isinstance(v, time):
            out[k] = v.strftime("%H:%M")
        elif isinstance(v, date):
            out[k] = v.isoformat()
        else:
            out[k] = v
    return out
