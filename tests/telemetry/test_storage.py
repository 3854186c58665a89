"""Bytes per reading: storage_stats over the tiers, and the row-per-reading baseline for comparison."""

from __future__ import annotations

from typing import Any

import numpy as np
import psycopg

from mip.platform.db import Database
from mip.platform.ids import uuid7
from mip.telemetry.compressor import compress_ready
from mip.telemetry.partitions import ensure_partitions
from mip.telemetry.storage import copy_baseline, storage_stats
from tests.telemetry.ts_helpers import HOUR, S, future_hour, new_tenant, series, write

Owner = psycopg.AsyncConnection[Any]


async def test_given_compressed_readings_then_stats_count_them_and_they_are_far_smaller_than_rows(
    db: Database, owner: Owner
) -> None:
    tenant = await new_tenant(db)
    lo = future_hour()
    await ensure_partitions(owner, lo, lo + HOUR)
    rng = np.random.default_rng(5)
    batches = [series(tenant, uuid7(), lo, 3600, S, np.round(20 + rng.normal(0, 0.2, 3600), 2)) for _ in range(8)]
    for b in batches:
        await write(db, b)
    hot = await storage_stats(owner)
    await compress_ready(owner, grace_s=0, now_ns=lo + HOUR, from_ns=lo)

    after = await storage_stats(owner)
    baseline = await copy_baseline(owner, batches)

    assert after["readings"]["compressed"] - hot["readings"]["compressed"] == 8 * 3600
    assert hot["readings"]["hot"] - after["readings"]["hot"] == 8 * 3600
    assert after["chunks"] - hot["chunks"] == 8
    assert set(after["tables"]) == {"readings", "rollup_1m", "rollup_1h", "reading_chunks"}
    assert baseline["readings"] == 8 * 3600
    assert baseline["bytes"] > 0
    per = after["bytes_per_reading"]  # of the whole database (other tests' data too)
    assert 0 < per["codec_payload"] <= per["chunks_only"] <= per["compressed"]
    assert hot["bytes_per_reading"]["hot"] > per["compressed"]
    # what this test's readings added to the chunks (a new daily partition included) vs rows
    added = after["tables"]["reading_chunks"]["bytes"] - hot["tables"]["reading_chunks"]["bytes"]
    assert 0 < added / (8 * 3600) * 10 < baseline["bytes_per_reading"]
    cur = await owner.execute("select to_regclass('pg_temp.readings_baseline')")
    assert await cur.fetchone() == (None,)  # the baseline table is gone again
