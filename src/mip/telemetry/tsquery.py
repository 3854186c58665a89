"""Reading queries over both tiers: hot rows (``readings``) and compressed chunks, plus the rollups.

Every query that combines the hot table with chunks is **one SQL statement** (one snapshot): the
compression job moves an hour from one to the other in a single transaction, so a statement sees a
reading exactly once. A reading found in both (only possible in a narrow late-retry race, healed by the
next compression) is returned once.

Bucketed queries (buckets anchored at ``start``) pick the cheapest exact source per part of the range:

* width a multiple of 1 h and ``start`` on an hour: ``rollup_1h`` for the whole hours;
* width a multiple of 1 min and the remaining start on a minute: ``rollup_1m`` (hot hours) plus the
  chunks of compressed hours (decoded and aggregated with numpy) for the whole minutes;
* the rest (and every other width): hot rows aggregated in SQL plus decoded chunks.
"""

from __future__ import annotations

import asyncio
import uuid
from typing import Any

import numpy as np
import numpy.typing as npt

from mip.platform.db import Conn
from mip.telemetry.codec import decode_chunk
from mip.telemetry.partitions import HOUR_NS, MINUTE_NS

_THREAD_CHUNKS = 24  # decode in a worker thread beyond this many chunks

I64 = npt.NDArray[np.int64]
F64 = npt.NDArray[np.float64]

# chunks of one sensor overlapping [a, b); for raw reads only as many as can hold the first ``limit``
# readings (only the first chunk can start before ``a``)
_CHUNKS = """
select 1 as src, first_ts as ts, null::float8 as value, null::int2 as quality, ts_data, val_data, q_data
from (
  select first_ts, ts_data, val_data, q_data,
         coalesce(sum(n) over w_prev, 0) - first_value(n) over w as before, row_number() over w as rn
  from reading_chunks
  where sensor_id = %(sensor)s and start_ts >= %(a_hour)s and start_ts < %(b)s and last_ts >= %(a)s
  window w as (order by start_ts), w_prev as (w rows between unbounded preceding and 1 preceding)
) c
where rn = 1 or before < %(limit)s
"""

_RAW = f"""
select 0 as src, ts, value, quality, null::bytea as ts_data, null::bytea as val_data, null::bytea as q_data
from (select ts, value, quality from readings where sensor_id = %(sensor)s and ts >= %(a)s and ts < %(b)s
      order by ts limit %(limit)s) h
union all
{_CHUNKS}
"""

_KEY = "((({col}) - %(anchor)s) / %(width)s) * %(width)s + %(anchor)s"

_AGG_HOT = f"""
select 0 as src, {_KEY.format(col="ts")} as key, min(value) as mn, max(value) as mx, sum(value) as sm,
       count(*) as n, null::bytea as ts_data, null::bytea as val_data
from readings where sensor_id = %(sensor)s and ts >= %(a)s and ts < %(b)s group by 2
"""

_AGG_1M = f"""
select 0 as src, {_KEY.format(col="bucket")} as key, min(min) as mn, max(max) as mx, sum(sum) as sm,
       sum(count)::bigint as n, null::bytea as ts_data, null::bytea as val_data
from rollup_1m where sensor_id = %(sensor)s and bucket >= %(a)s and bucket < %(b)s group by 2
"""

_AGG_CHUNKS = """
select 1 as src, null::bigint as key, null::float8 as mn, null::float8 as mx, null::float8 as sm,
       null::bigint as n, ts_data, val_data
from reading_chunks
where sensor_id = %(sensor)s and start_ts >= %(a_hour)s and start_ts < %(b)s and last_ts >= %(a)s
"""

_AGG_1H = f"""
select {_KEY.format(col="bucket")} as key, min(min) as mn, max(max) as mx, sum(sum) as sm, sum(count)::bigint as n
from rollup_1h where sensor_id = %(sensor)s and bucket >= %(a)s and bucket < %(b)s group by 1
"""

_LATEST = """
select s.id as sensor_id, s.path, s.name, s.unit, r.ts, r.value, r.quality from sensors s
left join lateral (
  select ts, value, quality from (
    (select ts, value, quality from readings h where h.tenant_id = s.tenant_id and h.sensor_id = s.id
     order by ts desc limit 1)
    union all
    (select last_ts, last_value, last_quality from reading_chunks c where c.tenant_id = s.tenant_id
     and c.sensor_id = s.id order by start_ts desc limit 1)
  ) x order by ts desc limit 1
) r on true
where s.machine_id = %s order by s.path
"""


async def _decode_all(blobs: list[tuple[bytes, bytes, bytes | None]]) -> tuple[I64, F64, npt.NDArray[np.int16]]:
    def work() -> tuple[I64, F64, npt.NDArray[np.int16]]:
        parts = [decode_chunk(t, v, q) for t, v, q in blobs]
        if not parts:
            return np.zeros(0, np.int64), np.zeros(0, np.float64), np.zeros(0, np.int16)
        return (
            np.concatenate([p[0] for p in parts]),
            np.concatenate([p[1] for p in parts]),
            np.concatenate([p[2] for p in parts]),
        )

    return await asyncio.to_thread(work) if len(blobs) > _THREAD_CHUNKS else work()


async def raw_readings(
    conn: Conn, sensor_id: uuid.UUID, start_ns: int, end_ns: int, limit: int
) -> list[dict[str, Any]]:
    """The first ``limit`` readings in [start, end) by time, from hot rows and chunks."""
    params = {"sensor": sensor_id, "a": start_ns, "a_hour": start_ns - start_ns % HOUR_NS, "b": end_ns}
    cur = await conn.execute(_RAW, {**params, "limit": limit})
    rows = await cur.fetchall()
    hot = [r for r in rows if r["src"] == 0]
    c_ts, c_val, c_q = await _decode_all([(r["ts_data"], r["val_data"], r["q_data"]) for r in rows if r["src"] == 1])
    inside = (c_ts >= start_ns) & (c_ts < end_ns)
    ts = np.concatenate([c_ts[inside], np.array([r["ts"] for r in hot], np.int64)])
    value = np.concatenate([c_val[inside], np.array([r["value"] for r in hot], np.float64)])
    quality = np.concatenate([c_q[inside], np.array([r["quality"] for r in hot], np.int16)])
    order = np.argsort(ts, kind="stable")  # chunk copies first: a duplicate keeps the chunk's reading
    ts, value, quality = ts[order], value[order], quality[order]
    first = np.r_[True, ts[1:] != ts[:-1]] if ts.size else np.zeros(0, bool)
    ts, value, quality = ts[first][:limit], value[first][:limit], quality[first][:limit]
    return [
        {"ts": t, "value": v, "quality": q}
        for t, v, q in zip(ts.tolist(), value.tolist(), quality.tolist(), strict=True)
    ]


class _Buckets:
    """Partial aggregates (min, max, sum, count) per bucket key, combined exactly."""

    def __init__(self) -> None:
        self.parts: list[tuple[I64, F64, F64, F64, I64]] = []

    def add_rows(self, rows: list[dict[str, Any]]) -> None:
        if rows:
            self.parts.append(
                (
                    np.array([r["key"] for r in rows], np.int64),
                    np.array([r["mn"] for r in rows], np.float64),
                    np.array([r["mx"] for r in rows], np.float64),
                    np.array([r["sm"] for r in rows], np.float64),
                    np.array([r["n"] for r in rows], np.int64),
                )
            )

    def add_readings(self, ts: I64, value: F64, *, a: int, b: int, anchor: int, width: int) -> None:
        inside = (ts >= a) & (ts < b)
        ts, value = ts[inside], value[inside]
        if ts.size == 0:
            return
        keys = (ts - anchor) // width * width + anchor
        uniq, inv = np.unique(keys, return_inverse=True)
        self.parts.append(_reduce(uniq, inv, value, value, value, np.ones(ts.size, np.int64)))

    def rows(self) -> list[dict[str, Any]]:
        if not self.parts:
            return []
        keys, mn, mx, sm, n = (np.concatenate([p[i] for p in self.parts]) for i in range(5))
        uniq, inv = np.unique(keys, return_inverse=True)
        k, mn, mx, sm, n = _reduce(uniq, inv, mn, mx, sm, n)
        return [
            {"ts": key, "min": lo, "max": hi, "avg": s / c, "count": c}
            for key, lo, hi, s, c in zip(k.tolist(), mn.tolist(), mx.tolist(), sm.tolist(), n.tolist(), strict=True)
        ]


def _reduce(uniq: I64, inv: npt.NDArray[np.intp], mn: F64, mx: F64, sm: F64, n: I64) -> tuple[I64, F64, F64, F64, I64]:
    size = uniq.shape[0]
    out_mn = np.full(size, np.inf)
    out_mx = np.full(size, -np.inf)
    np.minimum.at(out_mn, inv, mn)
    np.maximum.at(out_mx, inv, mx)
    out_sm = np.zeros(size)
    np.add.at(out_sm, inv, sm)
    out_n = np.zeros(size, np.int64)
    np.add.at(out_n, inv, n)
    return uniq, out_mn, out_mx, out_sm, out_n


async def _hot_and_chunks(conn: Conn, hot_sql: str, out: _Buckets, params: dict[str, Any]) -> None:
    """Hot rows (or rollup_1m rows) aggregated in SQL + the chunks of the same range, in one statement."""
    cur = await conn.execute(hot_sql + " union all " + _AGG_CHUNKS, params)
    rows = await cur.fetchall()
    out.add_rows([r for r in rows if r["src"] == 0])
    ts, value, _ = await _decode_all([(r["ts_data"], r["val_data"], None) for r in rows if r["src"] == 1])
    out.add_readings(ts, value, a=params["a"], b=params["b"], anchor=params["anchor"], width=params["width"])


async def bucketed_readings(
    conn: Conn, sensor_id: uuid.UUID, start_ns: int, end_ns: int, bucket_ns: int
) -> list[dict[str, Any]]:
    """min/max/avg/count per bucket ``start + k * width`` (non-empty buckets, in time order)."""
    out = _Buckets()
    base = {"sensor": sensor_id, "anchor": start_ns, "width": bucket_ns}
    cursor = start_ns
    if bucket_ns % HOUR_NS == 0 and start_ns % HOUR_NS == 0:
        core_end = start_ns + (end_ns - start_ns) // HOUR_NS * HOUR_NS
        if core_end > start_ns:
            cur = await conn.execute(_AGG_1H, {**base, "a": start_ns, "b": core_end})
            out.add_rows([dict(r) for r in await cur.fetchall()])
            cursor = core_end
    if bucket_ns % MINUTE_NS == 0 and cursor % MINUTE_NS == 0:
        core_end = cursor + (end_ns - cursor) // MINUTE_NS * MINUTE_NS
        if core_end > cursor:
            params = {**base, "a": cursor, "a_hour": cursor - cursor % HOUR_NS, "b": core_end}
            await _hot_and_chunks(conn, _AGG_1M, out, params)
            cursor = core_end
    if cursor < end_ns:
        params = {**base, "a": cursor, "a_hour": cursor - cursor % HOUR_NS, "b": end_ns}
        await _hot_and_chunks(conn, _AGG_HOT, out, params)
    return out.rows()


async def latest_for_machine(conn: Conn, machine_id: uuid.UUID) -> list[dict[str, Any]]:
    """Each sensor of a machine with its latest reading (hot, or the last reading of its newest chunk)."""
    cur = await conn.execute(_LATEST, [machine_id])
    return [dict(r) for r in await cur.fetchall()]
