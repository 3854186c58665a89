"""The 1 min and 1 h rollups the stream stage maintains are exact (a retried reading is never counted
twice), and bucket queries served from them equal the aggregation of the raw readings."""

from __future__ import annotations

import uuid
from typing import Any

import numpy as np
import psycopg
import pytest

from mip.platform.db import Database
from mip.platform.ids import uuid7
from mip.telemetry.partitions import ensure_partitions
from mip.telemetry.store import bucketed_readings
from tests.telemetry.ts_helpers import HOUR, MINUTE, S, batch, future_hour, new_tenant, write

Owner = psycopg.AsyncConnection[Any]


async def rollup(db: Database, tenant: uuid.UUID, table: str, sensor: uuid.UUID) -> dict[int, tuple[Any, ...]]:
    async with db.tenant_tx(tenant) as conn:
        cur = await conn.execute(
            f"select bucket, min, max, sum, count, last_ts, last_value from {table} where sensor_id = %s",
            [sensor],
        )
        return {r["bucket"]: tuple(r.values())[1:] for r in await cur.fetchall()}


def expected(ts: np.ndarray, values: np.ndarray, width: int) -> dict[int, tuple[Any, ...]]:
    """(min, max, sum, count, last_ts, last_value) per bucket of the distinct readings."""
    out = {}
    keys = ts - ts % width
    for k in np.unique(keys).tolist():
        sel = keys == k
        t, v = ts[sel], values[sel]
        last = int(np.argmax(t))
        out[k] = (float(v.min()), float(v.max()), float(v.sum()), int(sel.sum()), int(t[last]), float(v[last]))
    return out


def assert_rollups_equal(got: dict[int, tuple[Any, ...]], want: dict[int, tuple[Any, ...]]) -> None:
    assert got.keys() == want.keys()
    for k, row in want.items():
        assert got[k][:2] == row[:2]
        assert got[k][2] == pytest.approx(row[2], rel=1e-12)
        assert got[k][3:] == row[3:]


async def test_given_the_same_readings_written_again_then_rollups_count_each_once(db: Database, owner: Owner) -> None:
    tenant = await new_tenant(db)
    s1, s2 = uuid7(), uuid7()
    lo = future_hour()
    await ensure_partitions(owner, lo, lo + 2 * HOUR)
    rng = np.random.default_rng(3)
    n = 2000
    ts = lo + np.sort(rng.choice(2 * 3600, n, replace=False)).astype(np.int64) * S
    values = np.round(rng.normal(20, 3, n), 3)
    idx = np.arange(n) % 2
    b = batch(tenant, [s1, s2], idx, ts, values)

    assert await write(db, b) == n
    assert await write(db, b) == 0  # a client retry: a new batch id, the same readings
    overlap = slice(n // 2, n)  # half old, plus 10 new readings
    more_ts = np.r_[ts[overlap], lo + 2 * HOUR - np.arange(1, 11) * S - 1]
    more_v = np.r_[values[overlap] + 1000, np.arange(10.0)]  # the old ones with other values: ignored
    more_idx = np.r_[idx[overlap], np.zeros(10, int)]
    assert await write(db, batch(tenant, [s1, s2], more_idx, more_ts, more_v)) == 10

    all_ts = np.r_[ts, more_ts[-10:]]
    all_v = np.r_[values, more_v[-10:]]
    all_idx = np.r_[idx, np.zeros(10, int)]
    for i, s in enumerate((s1, s2)):
        sel = all_idx == i
        assert_rollups_equal(await rollup(db, tenant, "rollup_1m", s), expected(all_ts[sel], all_v[sel], MINUTE))
        assert_rollups_equal(await rollup(db, tenant, "rollup_1h", s), expected(all_ts[sel], all_v[sel], HOUR))


async def test_given_a_batch_repeating_a_reading_then_the_first_copy_is_stored_and_counted_once(
    db: Database, owner: Owner
) -> None:
    tenant = await new_tenant(db)
    s = uuid7()
    lo = future_hour()
    await ensure_partitions(owner, lo, lo + HOUR)
    ts = [lo + S, lo + 2 * S, lo + S, lo + 3 * S]
    assert await write(db, batch(tenant, [s], [0, 0, 0, 0], ts, [1.0, 2.0, 50.0, 3.0])) == 3
    (row,) = (await rollup(db, tenant, "rollup_1m", s)).values()
    assert row == (1.0, 3.0, 6.0, 3, lo + 3 * S, 3.0)


async def test_given_batches_out_of_order_then_last_value_is_the_latest_reading(db: Database, owner: Owner) -> None:
    tenant = await new_tenant(db)
    s = uuid7()
    lo = future_hour()
    await ensure_partitions(owner, lo, lo + HOUR)
    await write(db, batch(tenant, [s], [0, 0], [lo + 50 * S, lo + 40 * S], [5.0, 4.0]))
    await write(db, batch(tenant, [s], [0, 0], [lo + 10 * S, lo + 20 * S], [1.0, 2.0]))  # older, arrives later
    for table in ("rollup_1m", "rollup_1h"):
        (row,) = (await rollup(db, tenant, table, s)).values()
        assert row == (1.0, 5.0, 12.0, 4, lo + 50 * S, 5.0)


def raw_buckets(ts: np.ndarray, values: np.ndarray, start: int, end: int, width: int) -> list[dict[str, Any]]:
    sel = (ts >= start) & (ts < end)
    t, v = ts[sel], values[sel]
    keys = (t - start) // width * width + start
    out = []
    for k in np.unique(keys).tolist():
        vk = v[keys == k]
        out.append({"ts": k, "min": float(vk.min()), "max": float(vk.max()), "avg": float(vk.mean()), "count": vk.size})
    return out


def assert_buckets_equal(got: list[dict[str, Any]], want: list[dict[str, Any]]) -> None:
    assert [(r["ts"], r["min"], r["max"], r["count"]) for r in got] == [
        (r["ts"], r["min"], r["max"], r["count"]) for r in want
    ]
    assert [r["avg"] for r in got] == pytest.approx([r["avg"] for r in want], rel=1e-12)


@pytest.mark.parametrize(
    ("width", "start_offset", "end_offset"),
    [
        (MINUTE, 0, 0),  # rollup_1m
        (15 * MINUTE, 0, -7 * S),  # rollup_1m + raw tail
        (HOUR, 0, 0),  # rollup_1h
        (2 * HOUR, 0, -61 * S),  # rollup_1h + rollup_1m + raw tail
        (HOUR, MINUTE, 0),  # start on a minute only: rollup_1m
        (90 * S, 0, 0),  # not a whole minute: raw
        (MINUTE, S, 0),  # start not on a minute: raw
    ],
)
async def test_given_readings_when_bucketed_then_results_equal_raw_aggregation(
    db: Database, owner: Owner, width: int, start_offset: int, end_offset: int
) -> None:
    tenant = await new_tenant(db)
    s = uuid7()
    lo = future_hour()
    await ensure_partitions(owner, lo, lo + 3 * HOUR)
    rng = np.random.default_rng(width % 1000 + start_offset % 7)
    ts = lo + np.sort(rng.choice(3 * 3600 * 4, 6000, replace=False)).astype(np.int64) * (S // 4)
    values = np.round(rng.normal(0, 10, ts.size), 2)
    for a in range(0, ts.size, 1000):
        await write(
            db, batch(tenant, [s], np.zeros(ts[a : a + 1000].size, int), ts[a : a + 1000], values[a : a + 1000])
        )
    start, end = lo + start_offset, lo + 3 * HOUR + end_offset
    async with db.tenant_tx(tenant) as conn:
        got = await bucketed_readings(conn, s, start, end, width)
    assert_buckets_equal(got, raw_buckets(ts, values, start, end, width))


async def test_given_minute_and_hour_aligned_buckets_then_they_are_served_from_the_rollups(
    db: Database, owner: Owner
) -> None:
    tenant = await new_tenant(db)
    s = uuid7()
    lo = future_hour()
    await ensure_partitions(owner, lo, lo + 2 * HOUR)
    await write(db, batch(tenant, [s], np.zeros(7200, int), lo + np.arange(7200) * S, np.ones(7200)))
    # mark the rollups (as the owner): a query that reads them shows the marks, one that reads rows does not
    await owner.execute("update rollup_1m set max = 111 where sensor_id = %s and bucket = %s", [s, lo])
    await owner.execute("update rollup_1h set max = 222 where sensor_id = %s and bucket = %s", [s, lo])
    async with db.tenant_tx(tenant) as conn:
        minutes = await bucketed_readings(conn, s, lo, lo + 2 * HOUR, 30 * MINUTE)
        hours = await bucketed_readings(conn, s, lo, lo + 2 * HOUR, HOUR)
        raw = await bucketed_readings(conn, s, lo + S, lo + 2 * HOUR, HOUR)
    assert [r["max"] for r in minutes] == [111.0, 1.0, 1.0, 1.0]
    assert [r["max"] for r in hours] == [222.0, 1.0]
    assert [r["max"] for r in raw] == [1.0, 1.0]
    assert [r["count"] for r in hours] == [3600, 3600]
