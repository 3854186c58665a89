"""Test data for the lake tests."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pyarrow as pa

HOUR_NS = 3_600_000_000_000
BASE = int(dt.datetime(2025, 3, 1, tzinfo=dt.UTC).timestamp()) * 1_000_000_000


def readings(sensors: int = 3, seconds: int = 7200, start: int = BASE, seed: int = 1) -> pa.Table:
    rng = np.random.default_rng(seed)
    ids, ts, vals = [], [], []
    for s in range(sensors):
        ids += [f"00000000-0000-0000-0000-{s:012d}"] * seconds
        ts.append(start + np.arange(seconds, dtype=np.int64) * 1_000_000_000)
        vals.append(np.round(20 + np.cumsum(rng.normal(0, 0.05, seconds)), 4))
    return pa.table(
        {
            "sensor_id": pa.array(ids).dictionary_encode(),
            "ts": pa.array(np.concatenate(ts)).cast(pa.timestamp("ns", tz="UTC")),
            "value": np.concatenate(vals),
            "quality": np.zeros(sensors * seconds, np.uint8),
        }
    )
