"""Test data in a real lake (L1's write_batch: encrypted Parquet, committed manifests)."""

from __future__ import annotations

import datetime as dt
import uuid

import numpy as np
import pyarrow as pa

from mip.lake.keys import KeyProvider
from mip.lake.reader import write_batch
from mip.lake.store import LakeStore

TS = pa.timestamp("ns", tz="UTC")


def hour_floor(t: dt.datetime) -> dt.datetime:
    return t.replace(minute=0, second=0, microsecond=0)


def minutes(end: dt.datetime, hours: int) -> np.ndarray:
    start = np.datetime64(end.replace(tzinfo=None) - dt.timedelta(hours=hours), "m")
    return np.arange(start, start + hours * 60).astype("datetime64[ns]")


def write_readings(
    store: LakeStore,
    keys: KeyProvider,
    tenant: uuid.UUID,
    sensors: list[str],
    value: float,
    end: dt.datetime,
    hours: int,
) -> int:
    """One reading per minute and sensor over ``hours`` hours before ``end``, all equal to ``value``."""
    m = minutes(end, hours)
    n = len(m) * len(sensors)
    table = pa.table(
        {
            "sensor_id": pa.array(np.repeat(sensors, len(m))).dictionary_encode(),
            "ts": pa.array(np.tile(m, len(sensors)), TS),
            "value": np.full(n, value),
            "quality": pa.array(np.zeros(n, np.uint8)),
        }
    )
    write_batch(store, keys, tenant, "readings", table)
    return n


def write_rollups(
    store: LakeStore, keys: KeyProvider, tenant: uuid.UUID, sensors: list[str], end: dt.datetime, hours: int
) -> int:
    m = minutes(end, hours)
    n = len(m) * len(sensors)
    rng = np.random.default_rng(7)
    mean = rng.normal(50.0, 5.0, n)
    table = pa.table(
        {
            "sensor_id": pa.array(np.repeat(sensors, len(m))).dictionary_encode(),
            "bucket": pa.array(np.tile(m, len(sensors)), TS),
            "min": mean - 1,
            "max": mean + 1,
            "sum": mean * 60,
            "count": np.full(n, 60, np.int64),
            "last_value": mean,
        }
    )
    write_batch(store, keys, tenant, "readings_1m", table)
    return n


def app_lake() -> tuple[LakeStore, KeyProvider]:
    """The lake the in-process test server's analytics engine reads (after any analytics API call)."""
    from mip.analytics.service import _engines
    from mip.lake.api import lake_for

    assert _engines, "call an analytics route first"
    settings, _ = next(iter(_engines.values()))
    return lake_for(settings)
