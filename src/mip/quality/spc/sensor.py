"""Sensor-fed charts: subgroups formed from the readings that arrived since the chart's watermark, either n
consecutive readings (``subgroup_size``) or one subgroup per time window (``window_s``, aligned to the epoch;
a window is taken once it has ended). A partial subgroup stays behind the watermark until it is complete.
Readings that arrive later than the watermark already passed are not charted (the stream is charted in order).

``evaluate_sensor_charts`` runs in the caller's tenant transaction; ``run_spc_sensor_pass`` visits every tenant
with sensor charts (SECURITY DEFINER ``mip_spc_sensor_tenants()``) and publishes alarm events after commit."""

from __future__ import annotations

import asyncio
import logging
import time
import uuid
from typing import Any

import numpy as np

from mip.alerts.events import publish_alert_event
from mip.alerts.lifecycle import Event
from mip.platform.bus import Bus
from mip.platform.db import Conn, Database
from mip.platform.periodic import run_periodic
from mip.quality.spc.store import COLUMNS, add_subgroups
from mip.telemetry.tsquery import raw_readings

log = logging.getLogger(__name__)
MAX_READINGS = 100_000  # per chart and pass; the rest is taken next pass


def _form(
    chart: dict[str, Any], ts: np.ndarray, val: np.ndarray, now_ns: int
) -> tuple[list[dict[str, Any]], int | None]:
    """(subgroups, new watermark) from readings sorted by time."""
    if chart["window_s"]:
        width = int(chart["window_s"] * 1e9)
        key = ts // width
        done = (key + 1) * width <= now_ns
        ts, val, key = ts[done], val[done], key[done]
        if ts.size == 0:
            return [], None
        uniq, starts = np.unique(key, return_index=True)
        groups = np.split(val, starts[1:])
        minimum = 2 if chart["chart_type"] in ("r", "s") else 1
        items = [
            {"values": g.tolist(), "ts": int((k + 1) * width - 1)}
            for k, g in zip(uniq.tolist(), groups, strict=True)
            if g.size >= minimum
        ]
        return items, int((uniq[-1] + 1) * width - 1)
    n = int(chart["subgroup_size"])
    m = ts.size // n
    if m == 0:
        return [], None
    v = val[: m * n].reshape(m, n)
    t = ts[: m * n].reshape(m, n)[:, -1]
    return [{"values": row.tolist(), "ts": int(tt)} for row, tt in zip(v, t.tolist(), strict=True)], int(t[-1])


async def evaluate_sensor_charts(
    conn: Conn, tenant_id: uuid.UUID, *, events: list[Event] | None = None, now_ns: int | None = None
) -> int:
    """Chart the tenant's new sensor readings; returns the number of subgroups added. Alarm events are appended
    to ``events`` (publish them after commit)."""
    now = time.time_ns() if now_ns is None else now_ns
    sink: list[Event] = events if events is not None else []
    cur = await conn.execute(
        f"select {COLUMNS} from spc_charts c where c.source = 'sensor' order by c.id for update of c"
    )
    added = 0
    for chart in [dict(r) for r in await cur.fetchall()]:
        start = (chart["watermark_ts"] or 0) + 1
        rows = await raw_readings(conn, chart["sensor_id"], start, now + 1, MAX_READINGS)
        if not rows:
            continue
        ts = np.array([r["ts"] for r in rows], np.int64)
        val = np.array([r["value"] for r in rows], np.float64)
        ok = np.isfinite(val)
        items, watermark = _form(chart, ts[ok], val[ok], now)
        if watermark is None:
            continue
        if items:
            await add_subgroups(conn, tenant_id, chart, items, None, sink)
            added += len(items)
        await conn.execute(
            "update spc_charts set watermark_ts = %s, updated_at = now() where id = %s", [watermark, chart["id"]]
        )
    return added


async def run_spc_sensor_pass(db: Database, bus: Bus) -> int:
    """One round for every tenant with sensor charts (a failing tenant does not stop the rest)."""
    async with db.system_tx() as conn:
        cur = await conn.execute("select tenant_id from mip_spc_sensor_tenants()")
        tenants = [r["tenant_id"] for r in await cur.fetchall()]
    total = 0
    for tenant_id in tenants:
        events: list[Event] = []
        try:
            async with db.tenant_tx(tenant_id) as conn:
                total += await evaluate_sensor_charts(conn, tenant_id, events=events)
        except Exception:
            log.exception("SPC sensor charts failed for a tenant", extra={"tenant_id": str(tenant_id)})
            continue
        for kind, row in events:
            await publish_alert_event(bus, kind, row)
    return total


async def run_spc_job(db: Database, bus: Bus, interval_s: float, stop: asyncio.Event) -> None:
    await run_periodic("SPC sensor charts pass", lambda: run_spc_sensor_pass(db, bus), interval_s, stop)
