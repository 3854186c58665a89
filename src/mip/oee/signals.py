"""Per-minute statistics of many sensors at once, from both storage tiers in one statement.

Hot hours come from ``rollup_1m`` (min/sum/count/last per sensor-minute); compressed hours have no minute
rollups, so their chunks are decoded and aggregated per minute with numpy. One statement sees an hour
either before or after its compression (see telemetry/tsquery.py), so every reading counts once.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

from mip.oee.calendar import HOUR_NS, MINUTE_NS, ceil_to, floor_to
from mip.platform.db import Conn
from mip.telemetry.codec import decode_chunk

I64 = npt.NDArray[np.int64]
F64 = npt.NDArray[np.float64]

_SQL = """
select 0 as src, sensor_id, bucket, min, sum, count, last_ts, last_value, null::bytea as ts_data,
       null::bytea as val_data
from rollup_1m where sensor_id = any(%(s)s) and bucket >= %(a)s and bucket < %(b)s
union all
select 1, sensor_id, null, null, null, null, null, null, ts_data, val_data
from reading_chunks
where sensor_id = any(%(s)s) and start_ts >= %(a_hour)s and start_ts < %(b)s and last_ts >= %(a)s
"""


@dataclass(frozen=True, slots=True)
class MinuteSeries:
    """Non-empty minutes of one sensor, in time order."""

    minute: I64
    mean: F64
    minimum: F64
    total: F64
    last: F64

    @classmethod
    def empty(cls) -> MinuteSeries:
        z = np.zeros(0, np.float64)
        return cls(np.zeros(0, np.int64), z, z, z, z)


def _combine(parts: list[tuple[I64, F64, F64, I64, I64, F64]]) -> MinuteSeries:
    """Merge partial (minute, min, sum, count, last_ts, last_value) aggregates into one row per minute."""
    minute, mn, sm, n, lts, lv = (np.concatenate([p[i] for p in parts]) for i in range(6))
    order = np.lexsort((lts, minute))
    minute, mn, sm, n, lts, lv = minute[order], mn[order], sm[order], n[order], lts[order], lv[order]
    first = np.flatnonzero(np.r_[True, minute[1:] != minute[:-1]])
    last = np.r_[first[1:], minute.shape[0]] - 1
    total = np.add.reduceat(sm, first)
    count = np.add.reduceat(n, first)
    return MinuteSeries(minute[first], total / count, np.minimum.reduceat(mn, first), total, lv[last])


def _chunk_part(rows: list[dict[str, Any]], a: int, b: int) -> tuple[I64, F64, F64, I64, I64, F64] | None:
    decoded = [decode_chunk(r["ts_data"], r["val_data"], None) for r in rows]
    ts = np.concatenate([d[0] for d in decoded])
    value = np.concatenate([d[1] for d in decoded])
    inside = (ts >= a) & (ts < b)
    ts, value = ts[inside], value[inside]
    if ts.size == 0:
        return None
    order = np.argsort(ts, kind="stable")
    ts, value = ts[order], value[order]
    minute = ts - ts % MINUTE_NS
    first = np.flatnonzero(np.r_[True, minute[1:] != minute[:-1]])
    last = np.r_[first[1:], ts.shape[0]] - 1
    return (
        minute[first],
        np.minimum.reduceat(value, first),
        np.add.reduceat(value, first),
        (last - first + 1).astype(np.int64),
        ts[last],
        value[last],
    )


async def minute_stats(conn: Conn, sensor_ids: Sequence[uuid.UUID], a: int, b: int) -> dict[uuid.UUID, MinuteSeries]:
    """Per sensor: the minutes of [floor_min(a), ceil_min(b)) that have readings."""
    if not sensor_ids or b <= a:
        return {}
    a, b = floor_to(a, MINUTE_NS), ceil_to(b, MINUTE_NS)
    cur = await conn.execute(_SQL, {"s": list(set(sensor_ids)), "a": a, "b": b, "a_hour": floor_to(a, HOUR_NS)})
    hot: dict[uuid.UUID, list[dict[str, Any]]] = {}
    chunks: dict[uuid.UUID, list[dict[str, Any]]] = {}
    for r in await cur.fetchall():
        (hot if r["src"] == 0 else chunks).setdefault(r["sensor_id"], []).append(r)
    out: dict[uuid.UUID, MinuteSeries] = {}
    for sensor in set(hot) | set(chunks):
        parts: list[tuple[I64, F64, F64, I64, I64, F64]] = []
        rows = hot.get(sensor, [])
        if rows:
            parts.append(
                (
                    np.array([r["bucket"] for r in rows], np.int64),
                    np.array([r["min"] for r in rows], np.float64),
                    np.array([r["sum"] for r in rows], np.float64),
                    np.array([r["count"] for r in rows], np.int64),
                    np.array([r["last_ts"] for r in rows], np.int64),
                    np.array([r["last_value"] for r in rows], np.float64),
                )
            )
        if sensor in chunks:
            part = _chunk_part(chunks[sensor], a, b)
            if part is not None:
                parts.append(part)
        if parts:
            out[sensor] = _combine(parts)
    return out


def counter_increments(series: MinuteSeries, mode: str, a: int) -> tuple[I64, F64]:
    """Parts counted per minute (minutes >= a) from a counter sensor.

    ``delta``: each reading is a number of parts, so a minute counts its sum. ``cumulative``: a running
    total, so a minute counts its last value minus the previous minute's last value; a drop is a reset to
    zero (the minute counts its last value), and a minute with no earlier minute in the series counts its
    last value minus its minimum.
    """
    if series.minute.size == 0:
        return np.zeros(0, np.int64), np.zeros(0, np.float64)
    if mode == "delta":
        inc = series.total.copy()
    else:
        prev = np.r_[np.nan, series.last[:-1]]
        inc = series.last - prev
        inc = np.where(np.isnan(prev), series.last - series.minimum, np.where(inc < 0, series.last, inc))
    keep = series.minute >= a
    return series.minute[keep], inc[keep]
