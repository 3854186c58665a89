"""Readings storage: vectorised binary COPY into a staging table, then one idempotent statement that
inserts the new readings and folds exactly those into the 1 min and 1 h rollups.

Dedup is on (tenant, sensor, ts): a redelivered batch or a retried request never stores a reading twice,
and never counts it twice in a rollup - also when its hour has already been compressed into a chunk.
"""

from __future__ import annotations

import dataclasses
import uuid
from typing import Any

import numpy as np

from mip.platform.db import Conn
from mip.telemetry.batch import ReadingBatch
from mip.telemetry.codec import decode_ts
from mip.telemetry.partitions import HOUR_NS, MINUTE_NS
from mip.telemetry.tsquery import bucketed_readings, latest_for_machine, raw_readings

__all__ = [
    "bucketed_readings",
    "COPY_ROW",
    "copy_payload",
    "latest_for_machine",
    "mark_batch",
    "prune_processed_batches",
    "raw_readings",
    "write_readings",
]

_COPY_HEADER = b"PGCOPY\n\xff\r\n\x00" + (0).to_bytes(4, "big") + (0).to_bytes(4, "big")
_COPY_TRAILER = (-1).to_bytes(2, "big", signed=True)
COPY_ROW = np.dtype(
    [
        ("nf", ">i2"),
        ("l_tenant", ">i4"),
        ("tenant", "V16"),
        ("l_sensor", ">i4"),
        ("sensor", "V16"),
        ("l_ts", ">i4"),
        ("ts", ">i8"),
        ("l_value", ">i4"),
        ("value", ">f8"),
        ("l_quality", ">i4"),
        ("quality", ">i2"),
    ]
)


def copy_payload(batch: ReadingBatch) -> bytes:
    """PostgreSQL binary COPY rows for a batch, built with numpy (no Python object per reading)."""
    n = len(batch)
    rows = np.empty(n, dtype=COPY_ROW)
    rows["nf"] = 5
    rows["l_tenant"] = 16
    rows["tenant"] = np.frombuffer(batch.tenant_id.bytes, dtype="V16")[0]
    rows["l_sensor"] = 16
    sensor_bytes = np.frombuffer(b"".join(s.bytes for s in batch.sensors), dtype="V16")
    rows["sensor"] = sensor_bytes[batch.sensor_idx]
    rows["l_ts"] = 8
    rows["ts"] = batch.ts
    rows["l_value"] = 8
    rows["value"] = batch.value
    rows["l_quality"] = 2
    rows["quality"] = batch.quality
    return _COPY_HEADER + rows.tobytes() + _COPY_TRAILER


_STAGE = (
    "create temp table if not exists readings_stage "
    "(tenant_id uuid, sensor_id uuid, ts bigint, value float8, quality int2) on commit delete rows"
)

_ROLLUP_UPSERT = (
    "on conflict (tenant_id, sensor_id, bucket) do update set min = least(r.min, excluded.min), "
    "max = greatest(r.max, excluded.max), sum = r.sum + excluded.sum, count = r.count + excluded.count, "
    "last_value = case when excluded.last_ts > r.last_ts then excluded.last_value else r.last_value end, "
    "last_ts = greatest(r.last_ts, excluded.last_ts)"
)
_ROLLUP_COLS = "tenant_id, sensor_id, bucket, min, max, sum, count, last_ts, last_value"


_GIVEN_COLS = ("sensor_id", "bucket", "mn", "mx", "sm", "n", "lts", "lv")
_GIVEN_TYPES = ("uuid", "bigint", "float8", "float8", "float8", "bigint", "bigint", "float8")


def _given(prefix: str) -> str:
    """Rollup rows computed by numpy from the batch, passed as arrays (used only when every row was new)."""
    arrays = ", ".join(f"%({prefix}_{c})s::{t}[]" for c, t in zip(_GIVEN_COLS, _GIVEN_TYPES, strict=True))
    return f"select * from unnest({arrays}) as u({', '.join(_GIVEN_COLS)}) where (select fast from ok)"


# One statement, one snapshot. ``done``: (sensor, hour) pairs of this batch already compressed into a
# chunk; their rows are set aside for write_readings' late path. ``ins``: the new readings (RETURNING
# skips conflicts). Fast path (``ok.fast``): every staged row was new, so the rollup rows numpy computed
# from the batch are exact. Otherwise the rollups are aggregated from ``ins`` - never from a duplicate.
_WRITE = f"""
with done as (
  select c.sensor_id, c.start_ts from reading_chunks c
  where c.tenant_id = %(tenant)s and c.sensor_id = any(%(sensors)s) and c.start_ts = any(%(hours)s::bigint[])
), ins as (
  insert into readings (tenant_id, sensor_id, ts, value, quality)
  select s.tenant_id, s.sensor_id, s.ts, s.value, s.quality from readings_stage s
  where (select not exists (select 1 from done))
     or not exists (select 1 from done d where d.sensor_id = s.sensor_id and d.start_ts = s.ts - mod(s.ts, {HOUR_NS}))
  on conflict do nothing
  returning sensor_id, ts, value
), ok as materialized (
  select (select count(*) from ins) = %(total)s and not exists (select 1 from done) as fast
), agg as materialized (
  select sensor_id, ts - mod(ts, {MINUTE_NS}) as bucket, min(value) as mn, max(value) as mx, sum(value) as sm,
         count(*) as n, max(ts) as lts, (array_agg(value order by ts desc))[1] as lv
  from ins where not (select fast from ok) group by 1, 2
), m as (
  insert into rollup_1m as r ({_ROLLUP_COLS})
  select %(tenant)s, sensor_id, bucket, mn, mx, sm, n, lts, lv
  from ({_given("m")} union all select * from agg) x order by 2, 3
  {_ROLLUP_UPSERT}
), h as (
  insert into rollup_1h as r ({_ROLLUP_COLS})
  select %(tenant)s, sensor_id, bucket, mn, mx, sm, n, lts, lv from (
    {_given("h")}
    union all
    select sensor_id, bucket - mod(bucket, {HOUR_NS}), min(mn), max(mx), sum(sm), sum(n), max(lts),
           (array_agg(lv order by lts desc))[1]
    from agg group by 1, 2
  ) x order by 2, 3
  {_ROLLUP_UPSERT}
)
select (select count(*) from ins) as inserted, (select count(*) from done) as late
"""


def _rollup_rows(batch: ReadingBatch, width: int, prefix: str) -> dict[str, Any] | None:
    """Per (sensor, bucket): min, max, sum, count, last ts, last value - or None if the batch repeats a
    (sensor, ts) pair (then only PostgreSQL knows which copy it kept)."""
    bucket = batch.ts - batch.ts % width
    order = np.lexsort((batch.ts, batch.sensor_idx))
    s, t, v, b = batch.sensor_idx[order], batch.ts[order], batch.value[order], bucket[order]
    if bool(np.any((s[1:] == s[:-1]) & (t[1:] == t[:-1]))):
        return None
    first = np.flatnonzero(np.r_[True, (s[1:] != s[:-1]) | (b[1:] != b[:-1])])
    last = np.r_[first[1:], s.shape[0]] - 1
    return {
        f"{prefix}_sensor_id": [batch.sensors[i] for i in s[first].tolist()],
        f"{prefix}_bucket": b[first].tolist(),
        f"{prefix}_mn": np.minimum.reduceat(v, first).tolist(),
        f"{prefix}_mx": np.maximum.reduceat(v, first).tolist(),
        f"{prefix}_sm": np.add.reduceat(v, first).tolist(),
        f"{prefix}_n": (last - first + 1).tolist(),
        f"{prefix}_lts": t[last].tolist(),
        f"{prefix}_lv": v[last].tolist(),
    }


async def _stage_and_insert(conn: Conn, batch: ReadingBatch, *, check_chunks: bool) -> tuple[int, int]:
    async with conn.cursor().copy(
        "copy readings_stage (tenant_id, sensor_id, ts, value, quality) from stdin (format binary)"
    ) as copy:
        await copy.write(copy_payload(batch))
    minute = _rollup_rows(batch, MINUTE_NS, "m")
    hour = _rollup_rows(batch, HOUR_NS, "h")
    params: dict[str, Any] = {
        "tenant": batch.tenant_id,
        "sensors": list(batch.sensors) if check_chunks else [],
        "hours": np.unique(batch.ts - batch.ts % HOUR_NS).tolist() if check_chunks else [],
        "total": len(batch) if minute is not None else -1,
    }
    for prefix, rows in (("m", minute), ("h", hour)):
        params.update(rows if rows is not None else {f"{prefix}_{c}": [] for c in _GIVEN_COLS})
    cur = await conn.execute(_WRITE, params)
    row = await cur.fetchone()
    assert row is not None
    return int(row["inserted"]), int(row["late"])


async def write_readings(conn: Conn, batch: ReadingBatch) -> int:
    """Store a batch and update the rollups; returns how many readings were new.

    Readings of an hour that is already compressed (a late reading, or a retry after compression) are
    checked against that hour's chunk first: a reading is stored once, in the hot table or in a chunk.
    """
    if len(batch) == 0:
        return 0
    await conn.execute(_STAGE)
    inserted, late = await _stage_and_insert(conn, batch, check_chunks=True)
    if late:
        inserted += await _write_late(conn, batch)
    return inserted


async def _write_late(conn: Conn, batch: ReadingBatch) -> int:
    """Rows of compressed (sensor, hour) pairs: drop those already in the chunk, insert the rest."""
    hour_of = batch.ts - batch.ts % HOUR_NS
    cur = await conn.execute(
        "select sensor_id, start_ts, ts_data from reading_chunks "
        "where tenant_id = %s and sensor_id = any(%s) and start_ts = any(%s::bigint[])",
        [batch.tenant_id, list(batch.sensors), np.unique(hour_of).tolist()],
    )
    index = {s: i for i, s in enumerate(batch.sensors)}
    keep = np.zeros(len(batch), dtype=bool)
    for r in await cur.fetchall():
        rows = (batch.sensor_idx == index[r["sensor_id"]]) & (hour_of == r["start_ts"])
        keep |= rows & ~np.isin(batch.ts, decode_ts(r["ts_data"]))
    # the stage then holds only rows that are in ``readings``: another call in this transaction stays exact
    await conn.execute("delete from readings_stage")
    if not keep.any():
        return 0
    subset = dataclasses.replace(
        batch,
        sensor_idx=batch.sensor_idx[keep],
        ts=batch.ts[keep],
        value=batch.value[keep],
        quality=batch.quality[keep],
    )
    inserted, _ = await _stage_and_insert(conn, subset, check_chunks=False)
    return inserted


async def mark_batch(conn: Conn, tenant_id: uuid.UUID, batch_id: uuid.UUID) -> bool:
    """Record a processed bus batch; False when it was processed before (a redelivery)."""
    cur = await conn.execute(
        "insert into processed_batches (tenant_id, batch_id) values (%s, %s) on conflict do nothing",
        [tenant_id, batch_id],
    )
    return cur.rowcount == 1


async def prune_processed_batches(conn: Conn, older_than_s: int) -> int:
    cur = await conn.execute(
        "delete from processed_batches where processed_at < now() - make_interval(secs => %s)", [older_than_s]
    )
    return cur.rowcount
