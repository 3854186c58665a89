"""The compression job: hot hours become chunks without changing any query result; it is idempotent and
crash-safe; late and retried readings are stored once and merged; retention drops whole partitions."""

from __future__ import annotations

import uuid
from typing import Any

import numpy as np
import psycopg
import pytest

from mip.platform.db import Database
from mip.platform.ids import uuid7
from mip.telemetry import compressor
from mip.telemetry.compressor import compress_ready
from mip.telemetry.partitions import apply_retention, ensure_partitions, list_partitions
from mip.telemetry.store import bucketed_readings, latest_for_machine, raw_readings, write_readings
from tests.conftest import MachineFactory
from tests.telemetry.ts_helpers import DAY, HOUR, MINUTE, S, batch, future_hour, new_tenant, series, write

Owner = psycopg.AsyncConnection[Any]


async def owner_scalar(owner: Owner, query: str, params: list[object]) -> Any:
    cur = await owner.execute(query, params)
    row = await cur.fetchone()
    assert row is not None
    return row[0]


async def hot_count(owner: Owner, tenant: uuid.UUID, lo: int, hi: int) -> int:
    q = "select count(*) from readings where tenant_id = %s and ts >= %s and ts < %s"
    return int(await owner_scalar(owner, q, [tenant, lo, hi]))


async def chunk_rows(owner: Owner, tenant: uuid.UUID) -> list[tuple[Any, ...]]:
    cur = await owner.execute(
        "select sensor_id, start_ts, n, ts_data, val_data, q_data from reading_chunks where tenant_id = %s "
        "order by sensor_id, start_ts",
        [tenant],
    )
    return list(await cur.fetchall())


async def snapshot(db: Database, tenant: uuid.UUID, sensors: list[uuid.UUID], lo: int, hi: int) -> dict[str, Any]:
    """Every query shape over the range: raw (whole, limited, across an hour boundary) and buckets routed
    to rollup_1h, rollup_1m + chunks, and raw rows + chunks."""
    out: dict[str, Any] = {}
    async with db.tenant_tx(tenant) as conn:
        for i, s in enumerate(sensors):
            out[f"raw{i}"] = await raw_readings(conn, s, lo, hi, 100_000)
            out[f"raw_limited{i}"] = await raw_readings(conn, s, lo + 17 * S, hi, 123)
            out[f"raw_boundary{i}"] = await raw_readings(conn, s, lo + HOUR - 90 * S, lo + HOUR + 90 * S, 1000)
            for width, start in ((HOUR, lo), (2 * HOUR, lo), (MINUTE, lo), (5 * MINUTE, lo + MINUTE), (90 * S, lo)):
                out[f"b{i}_{width}_{start}"] = await bucketed_readings(conn, s, start, hi, width)
            out[f"unaligned{i}"] = await bucketed_readings(conn, s, lo + S, hi - 7 * S, 10 * MINUTE)
    return out


async def three_hours(db: Database, owner: Owner) -> tuple[uuid.UUID, list[uuid.UUID], int, int]:
    """Two sensors over three hot hours: 1 Hz and 0.1 Hz, dyadic values (sums are exact in any order)."""
    tenant = await new_tenant(db)
    sensors = [uuid7(), uuid7()]
    base = future_hour()
    await ensure_partitions(owner, base, base + 3 * HOUR)
    rng = np.random.default_rng(7)
    n = 3 * 3600
    ts = base + np.arange(n, dtype=np.int64) * S
    values = rng.integers(-4000, 4000, n) / 4.0
    quality = np.where(rng.random(n) < 0.01, 192, 0)
    for a in range(0, n, 1500):
        part = slice(a, a + 1500)
        await write(db, batch(tenant, sensors, np.zeros(ts[part].size, int), ts[part], values[part], quality[part]))
    await write(db, series(tenant, sensors[1], base + 3 * S, 1080, 10 * S, np.arange(1080) / 8.0))
    return tenant, sensors, base, base + 3 * HOUR


async def test_given_hot_hours_when_compressed_then_every_query_returns_identical_results(
    db: Database, owner: Owner
) -> None:
    tenant, sensors, lo, hi = await three_hours(db, owner)
    before = await snapshot(db, tenant, sensors, lo, hi)

    # only hours that ended at least the grace period ago are compressed
    first = await compress_ready(owner, grace_s=600, now_ns=lo + 2 * HOUR + 5 * MINUTE, from_ns=lo)
    assert (first.partitions, first.chunks, first.readings, first.dropped) == (1, 2, 3600 + 360, 1)
    assert await hot_count(owner, tenant, lo, lo + HOUR) == 0
    assert await hot_count(owner, tenant, lo + HOUR, hi) == 2 * (3600 + 360)
    assert await snapshot(db, tenant, sensors, lo, hi) == before

    rest = await compress_ready(owner, grace_s=600, now_ns=hi + 10 * MINUTE, from_ns=lo)
    assert (rest.partitions, rest.chunks, rest.readings, rest.duplicates) == (2, 4, 2 * (3600 + 360), 0)
    assert await hot_count(owner, tenant, lo, hi) == 0
    chunks = await chunk_rows(owner, tenant)
    assert [(r[1] - lo) // HOUR for r in chunks] == [0, 1, 2, 0, 1, 2]
    assert sum(r[2] for r in chunks) == 3 * 3600 + 1080
    assert [p for p in await list_partitions(owner, "readings") if lo <= p.lo < hi] == []
    assert [p for p in await list_partitions(owner, "rollup_1m") if lo <= p.lo < hi] == []
    assert await snapshot(db, tenant, sensors, lo, hi) == before


async def test_given_partitions_larger_than_a_page_when_compressed_then_paging_loses_and_splits_nothing(
    db: Database, owner: Owner, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(compressor, "BLOCK_ROWS", 997)  # pages end mid-group and mid-hour
    tenant, sensors, lo, hi = await three_hours(db, owner)
    before = await snapshot(db, tenant, sensors, lo, hi)

    stats = await compress_ready(owner, grace_s=0, now_ns=hi, from_ns=lo)

    assert (stats.partitions, stats.chunks, stats.readings) == (3, 6, 3 * 3600 + 1080)
    assert sorted(r[2] for r in await chunk_rows(owner, tenant)) == [360, 360, 360, 3600, 3600, 3600]
    assert await snapshot(db, tenant, sensors, lo, hi) == before


async def test_given_compressed_hours_when_compressing_again_then_nothing_changes(db: Database, owner: Owner) -> None:
    tenant, sensors, lo, hi = await three_hours(db, owner)
    await compress_ready(owner, grace_s=0, now_ns=hi, from_ns=lo)
    chunks = await chunk_rows(owner, tenant)
    before = await snapshot(db, tenant, sensors, lo, hi)

    again = await compress_ready(owner, grace_s=0, now_ns=hi + DAY, from_ns=lo)

    assert (again.partitions, again.chunks, again.readings, again.default_rows) == (0, 0, 0, 0)
    assert await chunk_rows(owner, tenant) == chunks
    assert await snapshot(db, tenant, sensors, lo, hi) == before


async def test_given_a_crash_mid_compression_then_nothing_is_lost_or_duplicated_and_a_rerun_completes(
    db: Database, owner: Owner, monkeypatch: pytest.MonkeyPatch
) -> None:
    tenant, sensors, lo, hi = await three_hours(db, owner)
    before = await snapshot(db, tenant, sensors, lo, hi)
    write_chunks = compressor._write_chunks

    async def crash_after_writing(conn: Owner, encoded: list[Any]) -> None:
        await write_chunks(conn, encoded)
        raise RuntimeError("killed after the chunks were written, before commit")

    monkeypatch.setattr(compressor, "_write_chunks", crash_after_writing)
    with pytest.raises(RuntimeError):
        await compress_ready(owner, grace_s=0, now_ns=hi, from_ns=lo)
    assert await hot_count(owner, tenant, lo, hi) == 3 * 3600 + 1080
    assert await chunk_rows(owner, tenant) == []
    assert await snapshot(db, tenant, sensors, lo, hi) == before

    # killed after the compression committed but before the emptied partitions were dropped
    monkeypatch.setattr(compressor, "_write_chunks", write_chunks)
    monkeypatch.setattr(compressor, "drop_empty_hot", _no_drop)
    done = await compress_ready(owner, grace_s=0, now_ns=hi, from_ns=lo)
    assert (done.partitions, done.readings) == (3, 3 * 3600 + 1080)
    assert len([p for p in await list_partitions(owner, "readings") if lo <= p.lo < hi]) == 3
    assert await hot_count(owner, tenant, lo, hi) == 0
    assert await snapshot(db, tenant, sensors, lo, hi) == before

    monkeypatch.undo()
    rerun = await compress_ready(owner, grace_s=0, now_ns=hi, from_ns=lo)
    assert (rerun.readings, rerun.chunks, rerun.dropped) == (0, 0, 3)
    assert [p for p in await list_partitions(owner, "readings") if lo <= p.lo < hi] == []
    assert sum(r[2] for r in await chunk_rows(owner, tenant)) == 3 * 3600 + 1080
    assert await snapshot(db, tenant, sensors, lo, hi) == before


async def _no_drop(conn: Owner, hours: list[Any]) -> int:
    return 0


async def test_given_late_and_retried_readings_after_compression_then_each_is_stored_once_and_merged(
    db: Database, owner: Owner
) -> None:
    tenant, sensors, lo, hi = await three_hours(db, owner)
    await compress_ready(owner, grace_s=0, now_ns=lo + HOUR, from_ns=lo)  # the first hour only
    s = sensors[0]
    retried = [lo + i * S for i in (0, 1, 2, 1800, 3599)]  # already in the chunk
    late = [lo + 500 * S + 1, lo + 501 * S + 1, lo + 3599 * S + 5]  # new readings of the compressed hour
    hot = [lo + HOUR + 5 * S + 1, lo + 2 * HOUR + 1]  # new readings of hot hours
    ts = retried + late + hot
    values = [99.0] * len(retried) + [1.25, -2.5, 1000.0] + [7.0, 8.0]

    assert await write(db, batch(tenant, [s], np.zeros(len(ts), int), ts, values)) == len(late) + len(hot)
    assert await write(db, batch(tenant, [s], np.zeros(len(ts), int), ts, values)) == 0  # and once more

    in_default = "select count(*) from readings_default where tenant_id = %s and ts >= %s and ts < %s"
    assert await owner_scalar(owner, in_default, [tenant, lo, lo + HOUR]) == 3
    async with db.tenant_tx(tenant) as conn:
        first_hour = await raw_readings(conn, s, lo, lo + HOUR, 100_000)
        hourly = await bucketed_readings(conn, s, lo, hi, HOUR)
    assert len(first_hour) == 3600 + 3
    assert [r["value"] for r in first_hour if r["ts"] in retried] != [99.0] * 5  # the stored readings won
    assert [r["count"] for r in hourly] == [3603, 3601, 3601]
    assert hourly[0]["max"] == 1000.0
    before = await snapshot(db, tenant, sensors, lo, hi)

    merged = await compress_ready(owner, grace_s=0, now_ns=lo + HOUR, from_ns=lo)

    assert (merged.default_rows, merged.merged, merged.duplicates, merged.readings) == (3, 1, 0, 3)
    assert await owner_scalar(owner, in_default, [tenant, lo, lo + HOUR]) == 0
    n = await owner_scalar(owner, "select n from reading_chunks where sensor_id = %s and start_ts = %s", [s, lo])
    assert n == 3603
    assert await snapshot(db, tenant, sensors, lo, hi) == before
    assert await write(db, batch(tenant, [s], np.zeros(len(ts), int), ts, values)) == 0


async def test_given_rows_outside_every_partition_then_the_default_partition_is_swept_into_chunks(
    db: Database, owner: Owner
) -> None:
    tenant = await new_tenant(db)
    s = uuid7()
    lo = future_hour()  # no partitions for these hours: rows go to readings_default
    assert await write(db, series(tenant, s, lo + 10 * S, 5000, S, np.arange(5000) * 0.5)) == 5000
    where = "where tenant_id = %s and ts >= %s and ts < %s"
    assert (
        await owner_scalar(owner, f"select count(*) from readings_default {where}", [tenant, lo, lo + 2 * HOUR]) == 5000
    )
    assert await owner_scalar(owner, "select count(*) from rollup_1m_default where tenant_id = %s", [tenant]) == 84
    before = await snapshot(db, tenant, [s], lo, lo + 2 * HOUR)

    stats = await compress_ready(owner, grace_s=0, now_ns=lo + 2 * HOUR, from_ns=lo)

    assert (stats.default_rows, stats.chunks, stats.partitions) == (5000, 2, 0)
    assert await owner_scalar(owner, f"select count(*) from readings_default {where}", [tenant, lo, lo + 2 * HOUR]) == 0
    assert await owner_scalar(owner, "select count(*) from rollup_1m_default where tenant_id = %s", [tenant]) == 0
    assert await snapshot(db, tenant, [s], lo, lo + 2 * HOUR) == before


async def test_given_old_partitions_when_retention_applies_then_whole_partitions_are_dropped(
    db: Database, owner: Owner
) -> None:
    tenant = await new_tenant(db)
    s = uuid7()
    lo = future_hour()
    await ensure_partitions(owner, lo, lo + HOUR)
    await write(db, series(tenant, s, lo, 3600, S, np.ones(3600)))
    await compress_ready(owner, grace_s=0, now_ns=lo + HOUR, from_ns=lo)
    week_before = lo - 7 * DAY

    dropped = await apply_retention(
        owner, now_ns=lo + 100 * DAY, raw_retention_days=30, rollup_retention_days=365, from_ns=week_before
    )

    assert any(name.startswith("reading_chunks_p") for name in dropped)
    assert not any(name.startswith("rollup_1h_p") for name in dropped)
    async with db.tenant_tx(tenant) as conn:
        assert await raw_readings(conn, s, lo, lo + HOUR, 10) == []
        hourly = await bucketed_readings(conn, s, lo, lo + HOUR, HOUR)  # served by rollup_1h, still kept
    assert [(r["count"], r["avg"]) for r in hourly] == [(3600, 1.0)]

    dropped = await apply_retention(
        owner, now_ns=lo + 100 * DAY, raw_retention_days=30, rollup_retention_days=30, from_ns=week_before
    )
    assert any(name.startswith("rollup_1h_p") for name in dropped)
    async with db.tenant_tx(tenant) as conn:
        assert await bucketed_readings(conn, s, lo, lo + HOUR, HOUR) == []


async def test_given_the_latest_reading_is_compressed_then_latest_for_machine_reads_it_from_the_chunk(
    db: Database, owner: Owner, make_machine: MachineFactory
) -> None:
    tenant = await new_tenant(db)
    m = await make_machine(tenant, sensors={"a": (None, None), "b": (None, None)})
    a = m.sensors["a"]
    lo = future_hour()
    await ensure_partitions(owner, lo, lo + 2 * HOUR)
    q = np.zeros(100, int)
    q[-1] = 7
    await write(db, batch(tenant, [a], np.zeros(100, int), lo + np.arange(100) * S, np.arange(100) / 2, q))
    await compress_ready(owner, grace_s=0, now_ns=lo + HOUR, from_ns=lo)

    async with db.tenant_tx(tenant) as conn:
        latest = {r["name"]: r for r in await latest_for_machine(conn, m.machine_id)}
    assert (latest["a"]["ts"], latest["a"]["value"], latest["a"]["quality"]) == (lo + 99 * S, 49.5, 7)
    assert latest["b"]["ts"] is None

    await write(db, batch(tenant, [a], [0], [lo + HOUR + 1], [3.0]))  # a newer, hot reading wins
    async with db.tenant_tx(tenant) as conn:
        latest = {r["name"]: r for r in await latest_for_machine(conn, m.machine_id)}
    assert (latest["a"]["ts"], latest["a"]["value"], latest["a"]["quality"]) == (lo + HOUR + 1, 3.0, 0)


async def test_given_two_writes_in_one_transaction_with_a_compressed_hour_then_each_reading_is_stored_once(
    db: Database, owner: Owner
) -> None:
    tenant = await new_tenant(db)
    s = uuid7()
    lo = future_hour()
    await ensure_partitions(owner, lo, lo + 2 * HOUR)
    await write(db, series(tenant, s, lo, 10, S, np.arange(10.0)))
    await compress_ready(owner, grace_s=0, now_ns=lo + HOUR, from_ns=lo)

    async with db.tenant_tx(tenant) as conn:
        retry = batch(tenant, [s], [0, 0, 0], [lo, lo + S, lo + 2 * S], [0.0, 1.0, 2.0])
        assert await write_readings(conn, retry) == 0
        fresh = batch(tenant, [s], [0, 0], [lo + HOUR, lo + HOUR + S], [5.0, 6.0])
        assert await write_readings(conn, fresh) == 2

    assert await hot_count(owner, tenant, lo, lo + HOUR) == 0
    async with db.tenant_tx(tenant) as conn:
        hourly = await bucketed_readings(conn, s, lo, lo + 2 * HOUR, HOUR)
    assert [(r["count"], r["max"]) for r in hourly] == [(10, 9.0), (2, 6.0)]
