"""Alert events on the bus (published after commit) and their JSON form."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

import orjson

from mip.platform.bus import TOPIC_ALERTS, Bus
from mip.platform.timeutil import ns_to_rfc3339


def alert_json(row: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for k, v in row.items():
        if k == "opened":
            continue
        if k in ("first_ts", "last_ts"):
            out[k] = ns_to_rfc3339(v)
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
