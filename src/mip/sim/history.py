"""Recent history for a demo tenant: the simulated plant's readings over the last hours, written straight into
the time-series store (not through the stream: no alarms are raised for the past), so charts, OEE, the data
lake and analytics have something to show from the first minute."""

from __future__ import annotations

import time
import uuid

import numpy as np

from mip.platform.db import Conn
from mip.platform.ids import uuid7
from mip.sim.plant import Plant
from mip.sim.signals import PlantSignals
from mip.telemetry.batch import ReadingBatch
from mip.telemetry.store import write_readings

NS_PER_S = 1_000_000_000


async def seed_history(
    conn: Conn, tenant_id: uuid.UUID, plant: Plant, *, hours: float = 6.0, period_s: float = 10.0
) -> int:
    """Write ``hours`` of readings every ``period_s`` ending now, unless the tenant has any readings at all (the
    hourly rollup is kept for years: a restarted demo keeps its own history). Returns the readings written."""
    now = time.time_ns()
    start = now - int(hours * 3600 * NS_PER_S)
    cur = await conn.execute("select 1 from rollup_1h limit 1")
    if await cur.fetchone() is not None:
        return 0
    cur = await conn.execute("select id, path, machine_id from sensors")
    by_path = {r["path"]: (r["id"], r["machine_id"]) for r in await cur.fetchall()}
    count = int(hours * 3600 / period_s)
    signals = PlantSignals(plant, start_ns=start).sample(count, int(period_s * NS_PER_S))
    values = np.round(signals.values, 4)
    written = 0
    col = 0
    for machine in plant.machines():
        paths = machine.sensor_paths()
        cols = list(range(col, col + len(paths)))
        col += len(paths)
        known = [(c, by_path[p]) for c, p in zip(cols, paths, strict=True) if p in by_path]
        if not known:
            continue
        n = signals.ts.shape[0]
        batch = ReadingBatch(
            tenant_id=tenant_id,
            machine_id=known[0][1][1],
            batch_id=uuid7(),
            received_ns=now,
            sensors=tuple(sid for _, (sid, _) in known),
            sensor_idx=np.repeat(np.arange(len(known), dtype=np.uint16), n),
            ts=np.tile(signals.ts, len(known)),
            value=np.concatenate([values[:, c] for c, _ in known]),
            quality=np.zeros(n * len(known), np.int16),
        )
        written += await write_readings(conn, batch)
    return written
