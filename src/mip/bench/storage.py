"""``mip bench storage``: bytes per reading and write throughput of the time-series storage.

Simulator readings (``mip.sim``: the default 30-sensor plant, one reading per sensor per period) go
through the stream stage's real write path (``write_readings`` in a tenant transaction: staging COPY,
insert, 1 min / 1 h rollups) into hourly partitions of a fresh embedded PostgreSQL (or DATABASE_URL:
use an empty database, the sizes cover the whole database). Then the compression job turns every hour
into chunks, and the same readings are COPYed into a plain row-per-reading table for the baseline.
"""

from __future__ import annotations

import os
import shutil
import tempfile
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import psycopg

from mip.bench.pipeline import machine_info
from mip.platform.database_setup import open_database
from mip.platform.db import Database
from mip.platform.ids import uuid7
from mip.platform.settings import Settings
from mip.sim.plant import Plant, build_plant
from mip.sim.signals import PlantSignals
from mip.telemetry.batch import ReadingBatch
from mip.telemetry.compressor import compress_ready
from mip.telemetry.partitions import HOUR_NS, ensure_partitions, floor_hour
from mip.telemetry.storage import copy_baseline, storage_stats
from mip.telemetry.store import write_readings
from mip.tenancy.service import create_tenant

NS_PER_MS = 1_000_000
RESOLUTIONS = ("sim", "full", "instrument")
# decimals per sensor kind for --resolution instrument (0.01 degC, 0.001 mm/s, 0.01 bar, 1 rpm, 0.01 kW)
INSTRUMENT_DECIMALS = {"temperature": 2, "vibration": 3, "pressure": 2, "speed": 0, "power": 2}


@dataclass(frozen=True)
class StorageBenchConfig:
    readings: int = 1_000_000
    seed: int = 7
    period_ms: int = 1000  # every sensor reads once per period
    resolution: str = "sim"  # sim: 4 decimals as `mip simulate` posts; full: raw float64; instrument
    batch_rows: int = 1500  # readings per write_readings call (one machine's sensors x timestamps)
    database_url: str | None = None
    keep_data: bool = False


def _round(values: np.ndarray[Any, np.dtype[np.float64]], plant: Plant, resolution: str) -> Any:
    if resolution == "full":
        return values
    if resolution == "sim":
        return np.round(values, 4)
    kinds = [s.kind for m in plant.machines() for s in m.sensors]
    out = values.copy()
    for col, kind in enumerate(kinds):
        out[:, col] = np.round(values[:, col], INSTRUMENT_DECIMALS.get(kind, 4))
    return out


def _batches(
    cfg: StorageBenchConfig, plant: Plant, start_ns: int, count: int, tenant: uuid.UUID, sensors: list[uuid.UUID]
) -> Iterator[ReadingBatch]:
    """Deterministic for the config: the same readings on every call, one machine per batch."""
    signals = PlantSignals(plant, start_ns=start_ns, seed=cfg.seed)
    machines = plant.machines()
    per_machine = len(machines[0].sensors)
    step = max(1, cfg.batch_rows // per_machine)
    period = cfg.period_ms * NS_PER_MS
    for first in range(0, count, step):
        k = min(step, count - first)
        sig = signals.generate(start_ns + (first + np.arange(k, dtype=np.int64)) * period)
        values = _round(sig.values, plant, cfg.resolution)
        for i in range(len(machines)):
            cols = slice(i * per_machine, (i + 1) * per_machine)
            yield ReadingBatch(
                tenant_id=tenant,
                machine_id=uuid.UUID(int=i),
                batch_id=uuid7(),
                received_ns=0,
                sensors=tuple(sensors[cols]),
                sensor_idx=np.tile(np.arange(per_machine, dtype=np.uint16), k),
                ts=np.repeat(sig.ts, per_machine),
                value=np.ascontiguousarray(values[:, cols]).ravel(),
                quality=np.zeros(k * per_machine, np.int16),
            )


async def run_storage_bench(cfg: StorageBenchConfig) -> dict[str, Any]:
    if cfg.resolution not in RESOLUTIONS:
        raise ValueError(f"resolution must be one of {RESOLUTIONS}")
    data_dir = Path(tempfile.mkdtemp(prefix="mip-bench-storage-"))
    # embedded PostgreSQL keeps its lock files under XDG_RUNTIME_DIR for the whole process: not in data_dir
    runtime = Path(tempfile.gettempdir()) / f"mip-runtime-{os.getuid()}"
    runtime.mkdir(mode=0o700, exist_ok=True)
    os.environ.setdefault("XDG_RUNTIME_DIR", str(runtime))
    settings = Settings(data_dir=data_dir, database_url=cfg.database_url, log_json=False)
    handle = open_database(settings, migrate=True)
    try:
        return await _run(cfg, handle.app_url, handle.owner_url, data_dir if cfg.keep_data else None)
    finally:
        handle.stop()
        if not cfg.keep_data:
            shutil.rmtree(data_dir, ignore_errors=True)


async def _run(cfg: StorageBenchConfig, app_url: str, owner_url: str, kept: Path | None) -> dict[str, Any]:
    plant = build_plant(cfg.seed)
    n_sensors = plant.sensor_count()
    count = -(-cfg.readings // n_sensors)  # timestamps
    period = cfg.period_ms * NS_PER_MS
    end = floor_hour(time.time_ns()) - 2 * HOUR_NS  # whole past hours, clear of the live hot partitions
    start = floor_hour(end - count * period)
    data_end = start + count * period
    sensors = [uuid7() for _ in range(n_sensors)]
    db = Database(app_url, min_size=1, max_size=2)
    await db.open()
    async with await psycopg.AsyncConnection.connect(owner_url, autocommit=True) as owner:
        try:
            tenant = (await create_tenant(db, slug="bench-" + uuid7().hex[-10:], name="storage bench"))["id"]
            await ensure_partitions(owner, start, data_end)
            written, batches, write_s = 0, 0, 0.0
            for batch in _batches(cfg, plant, start, count, tenant, sensors):
                t0 = time.perf_counter()  # the write path only, not the simulator
                async with db.tenant_tx(tenant) as conn:
                    written += await write_readings(conn, batch)
                write_s += time.perf_counter() - t0
                batches += 1
            hot = await storage_stats(owner)
            t0 = time.perf_counter()
            stats = await compress_ready(owner, grace_s=0, now_ns=floor_hour(data_end) + HOUR_NS, from_ns=start)
            compress_s = time.perf_counter() - t0
            after = await storage_stats(owner)
            baseline = await copy_baseline(owner, _batches(cfg, plant, start, count, tenant, sensors))
        finally:
            await db.close()
    per = after["bytes_per_reading"]
    return {
        "benchmark": "storage",
        "readings": written,
        "sensors": n_sensors,
        "period_ms": cfg.period_ms,
        "resolution": cfg.resolution,
        "hours": round(count * period / HOUR_NS, 2),
        "seed": cfg.seed,
        "write": {
            "batches": batches,
            "batch_rows": written // max(batches, 1),
            "seconds": round(write_s, 2),
            "readings_per_s": round(written / write_s),
            "ms_per_batch": round(write_s / max(batches, 1) * 1000, 2),
        },
        "compress": {
            "seconds": round(compress_s, 2),
            "readings_per_s": round(stats.readings / compress_s) if compress_s else None,
            "partitions": stats.partitions,
            "chunks": stats.chunks,
        },
        "bytes_per_reading": {
            "row_per_reading_baseline": baseline["bytes_per_reading"],
            "hot": hot["bytes_per_reading"]["hot"],
            "compressed": per["compressed"],
            "chunks_only": per["chunks_only"],
            "codec_payload": per["codec_payload"],
        },
        "baseline_over_compressed": round(baseline["bytes"] / max(after["bytes_total"], 1), 1),
        "verified": after["readings"]["compressed"] == written and after["readings"]["hot"] == 0,
        "storage_hot": hot,
        "storage_compressed": after,
        "baseline": baseline,
        "machine": machine_info(),
        "data_dir": str(kept) if kept else None,
    }


def render_text(r: dict[str, Any]) -> str:
    b = r["bytes_per_reading"]
    w, c = r["write"], r["compress"]
    return "\n".join(
        [
            f"storage benchmark  {r['readings']} readings = {r['sensors']} sensors x {r['hours']} h "
            f"every {r['period_ms']} ms  values: {r['resolution']}",
            f"  write path      {w['readings_per_s']} readings/s "
            f"({w['ms_per_batch']} ms per {w['batch_rows']}-reading batch)",
            f"  compression     {c['readings_per_s']} readings/s, {c['partitions']} hours -> {c['chunks']} chunks",
            f"  bytes/reading   baseline row-per-reading {b['row_per_reading_baseline']}  hot {b['hot']}",
            f"                  compressed (chunks + 1 h rollups) {b['compressed']}  chunks {b['chunks_only']}"
            f"  codec payload {b['codec_payload']}",
            f"  baseline/total  {r['baseline_over_compressed']}x  verified {r['verified']}",
        ]
    )
