"""Feature tables of plant machines from the time-series store.

One row per machine and rollup bucket (``rollup_1h``, or ``rollup_1m`` for the recent hot hours), one column
per sensor name (the bucket mean, sum/count); a sensor without a reading in a bucket carries its last
value forward. Time is in hours. Sensors are matched across the machines of a class by name.

Training labels come from work orders that record a failure (``failed_at``): a machine's history is cut
into lives ending at its failures, and the RUL of a row is the time to the end of its life. Rows after the
last failure are censored: kept only where at least ``cap`` hours of data follow them (their capped RUL
is then known to be the cap).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any, Literal

import numpy as np

from mip.maintenance.features import F64, I64, SeriesTable
from mip.platform.db import Conn

NS_PER_HOUR = 3_600_000_000_000
Resolution = Literal["1h", "1m"]
_TABLES: dict[str, str] = {"1h": "rollup_1h", "1m": "rollup_1m"}


@dataclass
class MachineSeries:
    machine_id: uuid.UUID
    columns: list[str]
    buckets: I64  # epoch ns, increasing
    values: F64  # (n, len(columns)), forward-filled; NaN before a sensor's first reading


async def machine_class_members(conn: Conn, machine_class: str) -> list[uuid.UUID]:
    """Machines whose ``attributes.machine_class`` is ``machine_class`` (``default`` when unset)."""
    cur = await conn.execute(
        "select id from assets where kind = 'machine'"
        " and coalesce(nullif(attributes->>'machine_class', ''), 'default') = %s order by id",
        [machine_class],
    )
    return [r["id"] for r in await cur.fetchall()]


async def load_series(
    conn: Conn, machine_ids: list[uuid.UUID], start_ns: int, end_ns: int, resolution: Resolution = "1h"
) -> dict[uuid.UUID, MachineSeries]:
    """Bucket means per machine and sensor name over [start, end), pivoted to one row per bucket."""
    if not machine_ids:
        return {}
    table = _TABLES[resolution]
    cur = await conn.execute(
        f"select s.machine_id, s.name, r.bucket, r.sum / nullif(r.count, 0) as mean from {table} r"
        " join sensors s on s.id = r.sensor_id and s.tenant_id = r.tenant_id"
        " where s.machine_id = any(%s) and r.bucket >= %s and r.bucket < %s and r.count > 0"
        " order by s.machine_id, r.bucket",
        [machine_ids, start_ns, end_ns],
    )
    rows = await cur.fetchall()
    by_machine: dict[uuid.UUID, list[dict[str, Any]]] = {}
    for r in rows:
        by_machine.setdefault(r["machine_id"], []).append(r)
    return {m: _pivot(m, rs) for m, rs in by_machine.items()}


def _pivot(machine_id: uuid.UUID, rows: list[dict[str, Any]]) -> MachineSeries:
    columns = sorted({r["name"] for r in rows})
    col = {c: j for j, c in enumerate(columns)}
    buckets = np.unique(np.array([r["bucket"] for r in rows], np.int64))
    values = np.full((buckets.size, len(columns)), np.nan)
    idx = np.searchsorted(buckets, np.array([r["bucket"] for r in rows], np.int64))
    values[idx, [col[r["name"]] for r in rows]] = [float(r["mean"]) for r in rows]
    for j in range(values.shape[1]):  # carry the last value forward
        v = values[:, j]
        ok = ~np.isnan(v)
        last = np.where(ok, np.arange(v.size), -1)
        np.maximum.accumulate(last, out=last)
        values[:, j] = np.where(last >= 0, v[np.maximum(last, 0)], np.nan)
    return MachineSeries(machine_id, columns, buckets, values)


async def failure_times(conn: Conn, machine_ids: list[uuid.UUID]) -> dict[uuid.UUID, list[int]]:
    """Recorded failures (``work_orders.failed_at``) per machine, epoch ns, ascending."""
    cur = await conn.execute(
        "select machine_id, (extract(epoch from failed_at) * 1e9)::bigint as ts from work_orders"
        " where machine_id = any(%s) and failed_at is not null and status <> 'cancelled' order by failed_at",
        [machine_ids],
    )
    out: dict[uuid.UUID, list[int]] = {}
    for r in await cur.fetchall():
        out.setdefault(r["machine_id"], []).append(int(r["ts"]))
    return out


def common_columns(series: list[MachineSeries]) -> list[str]:
    if not series:
        return []
    common = set(series[0].columns)
    for s in series[1:]:
        common &= set(s.columns)
    return sorted(common)


@dataclass
class LabelledLives:
    table: SeriesTable
    lives: list[dict[str, Any]]  # unit code -> machine, start, end, failed


def label_lives(
    series: list[MachineSeries], failures: dict[uuid.UUID, list[int]], columns: list[str], cap_hours: float
) -> LabelledLives:
    """Cut each machine's rows into lives at its failures; RUL in hours to the end of the life."""
    parts_units, parts_time, parts_values, parts_target = [], [], [], []
    lives: list[dict[str, Any]] = []
    for s in series:
        if s.buckets.size == 0:
            continue
        vals = s.values[:, [s.columns.index(c) for c in columns]]
        complete = ~np.isnan(vals).any(axis=1)
        hours = s.buckets / NS_PER_HOUR
        cuts = [f for f in failures.get(s.machine_id, []) if f > s.buckets[0]]
        start = int(s.buckets[0]) - 1
        for end in [*cuts, None]:  # None: the running life after the last failure (censored)
            in_life = complete & (s.buckets > start) & ((s.buckets <= end) if end is not None else True)
            if end is not None:
                start = end
            if not in_life.any():
                continue
            t = hours[in_life]
            # the running life: only rows followed by at least ``cap`` hours of data have a known (capped) RUL
            rul = end / NS_PER_HOUR - t if end is not None else np.where(t[-1] - t >= cap_hours, cap_hours, np.nan)
            keep = ~np.isnan(rul)
            if keep.sum() < 2:
                continue
            code = len(lives)
            n = int(keep.sum())
            lives.append({"unit": code, "machine_id": str(s.machine_id), "rows": n, "failed": end is not None})
            parts_units.append(np.full(n, code, np.int64))
            parts_time.append(t[keep])
            parts_values.append(vals[in_life][keep])
            parts_target.append(rul[keep])
    if not lives:
        empty = SeriesTable(np.zeros(0, np.int64), np.zeros(0), np.zeros((0, len(columns))), list(columns))
        return LabelledLives(empty, [])
    table = SeriesTable(
        units=np.concatenate(parts_units),
        time=np.concatenate(parts_time),
        values=np.concatenate(parts_values),
        columns=list(columns),
        target=np.concatenate(parts_target),
    )
    return LabelledLives(table, lives)


def current_life(s: MachineSeries, columns: list[str], since_ns: int | None) -> SeriesTable | None:
    """The machine's rows since its last failure (or all loaded rows) as a one-unit table; None if empty."""
    if any(c not in s.columns for c in columns):
        return None
    vals = s.values[:, [s.columns.index(c) for c in columns]]
    rows = ~np.isnan(vals).any(axis=1)
    if since_ns is not None:
        rows &= s.buckets > since_ns
    if not rows.any():
        return None
    return SeriesTable(
        units=np.zeros(int(rows.sum()), np.int64),
        time=s.buckets[rows] / NS_PER_HOUR,
        values=vals[rows],
        columns=list(columns),
    )
