"""The plant overview in four set-based queries (assets, sensors, latest values from the hourly rollup,
unresolved alarms), whatever the size of the plant."""

from __future__ import annotations

import uuid
from typing import Any

from mip.platform.db import Conn
from mip.platform.timeutil import NS_PER_S, now_ns, ns_to_rfc3339
from mip.telemetry.partitions import HOUR_NS

STALE_AFTER_NS = 60 * NS_PER_S
LOOKBACK_NS = 7 * 24 * HOUR_NS
SEVERITY_RANK = {"critical": 4, "major": 3, "minor": 2, "warning": 1}

# rollup_1h keeps each hour's last reading and is maintained in the readings' own transaction, so it is
# exact and current; reading it avoids probing every hourly partition of the hot table per sensor.
_LATEST = """
select distinct on (sensor_id) sensor_id, last_ts, last_value from rollup_1h
where bucket >= %s order by sensor_id, bucket desc
"""

_ALARMS = """
select machine_id, count(*) as open_alerts,
       count(*) filter (where state = 'open') as unacknowledged,
       count(*) filter (where safety) as safety_alerts,
       max(case severity when 'critical' then 4 when 'major' then 3 when 'minor' then 2 else 1 end) as worst,
       bool_or(safety or severity in ('critical', 'major')) as alarming
from alerts where state <> 'resolved' group by machine_id
"""


async def plant_overview(conn: Conn) -> dict[str, Any]:
    now = now_ns()
    cur = await conn.execute("select timezone from tenants")
    tenant = await cur.fetchone()
    cur = await conn.execute("select id, kind, parent_id, name, path, timezone from assets order by path")
    assets = {r["id"]: dict(r) for r in await cur.fetchall()}
    cur = await conn.execute(
        "select id, machine_id, name, kind, nullif(unit, '') as unit, low_limit, high_limit, safety "
        "from sensors order by path"
    )
    sensors = [dict(r) for r in await cur.fetchall()]
    cur = await conn.execute(_LATEST, [now - LOOKBACK_NS - now % HOUR_NS])
    latest = {r["sensor_id"]: (r["last_ts"], r["last_value"]) for r in await cur.fetchall()}
    cur = await conn.execute(_ALARMS)
    alarms = {r["machine_id"]: dict(r) for r in await cur.fetchall()}

    by_machine: dict[uuid.UUID, list[dict[str, Any]]] = {}
    for s in sensors:
        ts, value = latest.get(s["id"], (None, None))
        s["ts"] = ns_to_rfc3339(ts) if ts is not None else None
        s["value"] = value
        s["_ts"] = ts
        by_machine.setdefault(s.pop("machine_id"), []).append(s)

    machines = []
    for a in assets.values():
        if a["kind"] != "machine":
            continue
        site, line = _ancestors(assets, a)
        own = by_machine.get(a["id"], [])
        seen = max((s.pop("_ts") for s in own if s["_ts"] is not None), default=None)
        for s in own:
            s.pop("_ts", None)
        alarm = alarms.get(a["id"], {})
        if alarm.get("alarming"):
            status = "alarm"
        elif seen is None:
            status = "no_data"
        elif now - seen > STALE_AFTER_NS:
            status = "stale"
        else:
            status = "running"
        worst = alarm.get("worst")
        machines.append(
            {
                "id": a["id"],
                "name": a["name"],
                "path": a["path"],
                "site": {"id": site["id"], "name": site["name"], "timezone": site["timezone"]} if site else None,
                "line": {"id": line["id"], "name": line["name"]} if line else None,
                "status": status,
                "last_seen": ns_to_rfc3339(seen) if seen is not None else None,
                "open_alerts": alarm.get("open_alerts", 0),
                "unacknowledged_alerts": alarm.get("unacknowledged", 0),
                "safety_alerts": alarm.get("safety_alerts", 0),
                "worst_severity": _severity_name(worst),
                "sensors": own,
            }
        )
    return {
        "generated_at": ns_to_rfc3339(now),
        "timezone": (tenant or {}).get("timezone") or "UTC",
        "machines": machines,
    }


def _severity_name(rank: int | None) -> str | None:
    if rank is None:
        return None
    return next(name for name, r in SEVERITY_RANK.items() if r == rank)


def _ancestors(
    assets: dict[uuid.UUID, dict[str, Any]], machine: dict[str, Any]
) -> tuple[dict[str, Any] | None, dict[str, Any] | None]:
    site = line = None
    parent = assets.get(machine["parent_id"]) if machine["parent_id"] else None
    while parent is not None:
        if parent["kind"] == "line" and line is None:
            line = parent
        if parent["kind"] == "site":
            site = parent
        parent = assets.get(parent["parent_id"]) if parent["parent_id"] else None
    return site, line
