"""Live computation: the effective state timeline and the OEE segments of machines over a span, straight
from the readings (both storage tiers), the calendar and the operator's input. The rollup job stores
exactly this; reads use the rollups where they exist and this for the rest."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt

from mip.oee.calc import CountEntry, Segment, build_segments
from mip.oee.calendar import HOUR_NS, shift_instances
from mip.oee.context import MachineCtx
from mip.oee.signals import MinuteSeries, counter_increments, minute_stats
from mip.oee.state import PLANNED_STOP, Interval, effective_timeline, merge, signal_intervals
from mip.platform.db import Conn

WINDOW_NS = 4 * HOUR_NS  # bounds the readings decoded at once


@dataclass(slots=True)
class MachineResult:
    segments: list[Segment] = field(default_factory=list)
    timeline: list[Interval] = field(default_factory=list)


async def _operator_layers(
    conn: Conn, ids: list[uuid.UUID], a: int, end: int, now: int
) -> tuple[dict[uuid.UUID, list[Interval]], dict[uuid.UUID, list[CountEntry]]]:
    cur = await conn.execute(
        "select id, machine_id, start_ns, coalesce(end_ns, greatest(%(now)s, start_ns + 1)) as end_ns, state, "
        "reason_code from oee_operator_states where machine_id = any(%(ids)s) and start_ns < %(end)s "
        "and coalesce(end_ns, greatest(%(now)s, start_ns + 1)) > %(a)s order by created_at, id",
        {"ids": ids, "a": a, "end": end, "now": now},
    )
    states: dict[uuid.UUID, list[Interval]] = {}
    for r in await cur.fetchall():
        iv = Interval(r["start_ns"], r["end_ns"], r["state"], "operator", r["reason_code"], r["id"])
        states.setdefault(r["machine_id"], []).append(iv)
    cur = await conn.execute(
        "select machine_id, start_ns, end_ns, good, reject from oee_counts "
        "where machine_id = any(%s) and start_ns < %s and end_ns > %s",
        [ids, end, a],
    )
    counts: dict[uuid.UUID, list[CountEntry]] = {}
    for r in await cur.fetchall():
        counts.setdefault(r["machine_id"], []).append(CountEntry(r["start_ns"], r["end_ns"], r["good"], r["reject"]))
    return states, counts


def schedule_layer(m: MachineCtx, a: int, end: int) -> list[Interval]:
    tz = m.tz
    out = [
        Interval(s, e, PLANNED_STOP, "schedule", stop.reason_code, stop.id)
        for stop in m.stops
        for s, e in stop.spans(tz, a, end)
    ]
    out.sort(key=lambda iv: iv.start)
    return out


async def _window(
    conn: Conn, machines: Sequence[MachineCtx], a: int, end: int, now: int
) -> dict[uuid.UUID, MachineResult]:
    ids = [m.id for m in machines]
    signal_ids = [s for m in machines for s in (m.run_sensor_id, m.idle_sensor_id) if s is not None]
    delta = [m.counter_sensor_id for m in machines if m.counter_sensor_id and m.config["counter_mode"] == "delta"]
    cumulative = [m.counter_sensor_id for m in machines if m.counter_sensor_id and m.config["counter_mode"] != "delta"]
    series = await minute_stats(conn, signal_ids + delta, a, end)
    # a running total needs the minute before the window to count the window's first minute
    series.update(await minute_stats(conn, cumulative, a - HOUR_NS, end))
    states, counts = await _operator_layers(conn, ids, a, end, now)
    out: dict[uuid.UUID, MachineResult] = {}
    empty = MinuteSeries.empty()
    for m in machines:
        run = series.get(m.run_sensor_id, empty) if m.run_sensor_id else None
        idle = series.get(m.idle_sensor_id, empty) if m.idle_sensor_id else None
        signal = signal_intervals(
            a, end, now, run, float(m.config["run_threshold"]), idle, float(m.config["idle_threshold"])
        )
        timeline = effective_timeline(signal, schedule_layer(m, a, end), states.get(m.id, []))
        minutes: npt.NDArray[np.int64] | None = None
        values: npt.NDArray[np.float64] | None = None
        if m.counter_sensor_id is not None:
            minutes, values = counter_increments(series.get(m.counter_sensor_id, empty), m.config["counter_mode"], a)
        segments = build_segments(
            m.id,
            a,
            end,
            shift_instances(m.shifts, m.tz, a, end),
            timeline,
            count_minutes=minutes,
            count_values=values,
            entries=counts.get(m.id, []),
            ideal_cycle_ns=m.ideal_cycle_ns,
        )
        out[m.id] = MachineResult(segments, timeline)
    return out


async def compute_live(
    conn: Conn, machines: Sequence[MachineCtx], a: int, b: int, now: int
) -> dict[uuid.UUID, MachineResult]:
    """Segments and timeline of [a, min(b, now)) per machine (nothing after ``now``)."""
    end = min(b, now)
    out = {m.id: MachineResult() for m in machines}
    if end <= a or not machines:
        return out
    cursor = a
    while cursor < end:
        stop = min(end, cursor - cursor % WINDOW_NS + WINDOW_NS)
        for mid, res in (await _window(conn, machines, cursor, stop, now)).items():
            out[mid].segments += res.segments
            out[mid].timeline += res.timeline
        cursor = stop
    for res in out.values():
        res.timeline = merge(res.timeline)
    return out
