"""Alert events on the bus (published after commit) and their JSON form."""

from __future__ import annotations

import math
import uuid
from datetime import datetime
from typing import Any

import orjson

from mip.platform.bus import TOPIC_ALERTS, Bus
from mip.platform.timeutil import ns_to_rfc3339


def alarm_status(row: dict[str, Any]) -> str:
    """ThingsBoard-style status: active/cleared x unacknowledged/acknowledged (resolved = cleared by a person)."""
    cleared = row.get("cleared_at") is not None or row.get("state") == "resolved"
    acked = row.get("acknowledged_at") is not None
    return f"{'cleared' if cleared else 'active'}_{'ack' if acked else 'unack'}"


def alert_json(row: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    if "state" in row and "cleared_at" in row:
        out["status"] = alarm_status(row)
    for k, v in row.items():
        if k == "opened":
            continue
        if k in ("first_ts", "last_ts", "cleared_ts"):
            out[k] = ns_to_rfc3339(v) if v is not None else None
        elif isinstance(v, float) and math.isnan(v):
            out[k] = None
        elif isinstance(v, uuid.UUID):
            out[k] = str(v)
        elif isinstance(v, datetime):
            out[k] = v.isoformat()
        else:
            out[k] = v
    return out


async def publish_alert_event(bus: Bus, kind: str, row: dict[str, Any], *, received_ns: int | None = None) -> None:
    event: dict[str, object] = {"type": kind, "tenant_id": str(row["tenant_id"]), "alert": alert_json(row)}
    if received_ns is not None:
        event["ingest_received_ns"] = received_ns
    await bus.publish(TOPIC_ALERTS, str(row["tenant_id"]).encode(), orjson.dumps(event))
