"""Storage figures for ``mip bench pipeline``, in the same run: bytes per reading once the run's hours
are compressed (chunks + rollups), and a plain binary COPY of the same readings into a row-per-reading
table on the same server, as a ratio."""

from __future__ import annotations

import time
import uuid
from pathlib import Path
from typing import Any

import numpy as np
import psycopg

from mip.platform.embedded import EmbeddedPostgres
from mip.telemetry.batch import ReadingBatch
from mip.telemetry.compressor import compress_ready
from mip.telemetry.partitions import HOUR_NS, floor_hour
from mip.telemetry.storage import copy_baseline, storage_stats

PAGE = 200_000


async def _hot_batches(conn: psycopg.AsyncConnection[Any]) -> list[ReadingBatch]:
    """The hot readings as bus batches (one per page), for the baseline COPY."""
    out: list[ReadingBatch] = []
    cur = conn.cursor()
    await cur.execute("select tenant_id, sensor_id, ts, value, quality from readings order by tenant_id")
    while rows := await cur.fetchmany(PAGE):
        tenant = rows[0][0]
        sensors: dict[uuid.UUID, int] = {}
        idx = np.array([sensors.setdefault(r[1], len(sensors)) for r in rows], dtype=np.uint16)
        out.append(
            ReadingBatch(
                tenant_id=tenant,
                machine_id=tenant,
                batch_id=uuid.uuid4(),
                received_ns=0,
                sensors=tuple(sensors),
                sensor_idx=idx,
                ts=np.array([r[2] for r in rows], dtype=np.int64),
                value=np.array([r[3] for r in rows], dtype=np.float64),
                quality=np.array([r[4] for r in rows], dtype=np.int16),
            )
        )
    return out


async def measure_storage(data_dir: Path) -> dict[str, Any]:
    """Attach to the stack's embedded PostgreSQL as the owner; compress the run's hours; compare."""
    pg = EmbeddedPostgres(data_dir)
    owner_url = pg.start()
    try:
        async with await psycopg.AsyncConnection.connect(owner_url, autocommit=True) as owner:
            batches = await _hot_batches(owner)
            t0 = time.perf_counter()
            await compress_ready(owner, grace_s=0, now_ns=floor_hour(time.time_ns()) + HOUR_NS)
            compress_s = time.perf_counter() - t0
            after = await storage_stats(owner)
            baseline = await copy_baseline(owner, batches)
    finally:
        pg.stop()
    per = after["bytes_per_reading"]
    return {
        "readings_compressed": after["readings"]["compressed"],
        "compress_s": round(compress_s, 2),
        "bytes_per_reading": per["compressed"],
        "codec_payload_bytes_per_reading": per["codec_payload"],
        "baseline_bytes_per_reading": baseline["bytes_per_reading"],
        "baseline_over_mip": round(baseline["bytes"] / max(after["bytes_total"], 1), 1),
    }
