"""OEE queries: machine and line OEE over a range, a production day or one shift; the current shift of
every machine; the state timeline; downtime and its Pareto by reason."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterable
from datetime import date, timedelta
from typing import Any

from mip.oee.calc import Segment, figures, total
from mip.oee.calendar import HOUR_NS, ShiftInstance, clip, floor_to, local_ns, shift_instances
from mip.oee.context import MachineCtx, load_assets, load_machines
from mip.oee.errors import InvalidOeeInput, LineNotFound, MachineNotFound, ShiftNotFound
from mip.oee.rollups import load_oee
from mip.oee.state import IDLE, PLANNED_STOP, Interval
from mip.platform.db import Conn
from mip.platform.timeutil import NS_PER_S, ns_to_rfc3339

MAX_RANGE_NS = 93 * 24 * HOUR_NS
CURRENT_LOOKBACK_NS = 8 * HOUR_NS  # how far back "since" of the current state is looked for
LOSSES = (IDLE, "down")
Keep = Callable[[Segment], bool]


def check_range(a: int, b: int) -> None:
    if b <= a:
        raise InvalidOeeInput("'from' must be before 'to'")
    if b - a > MAX_RANGE_NS:
        raise InvalidOeeInput("the range may span at most 93 days")


async def machine_ctx(conn: Conn, machine_id: uuid.UUID) -> MachineCtx:
    found = await load_machines(conn, [machine_id])
    if not found:
        raise MachineNotFound(f"machine {machine_id} not found")
    return found[0]


async def line_ctx(conn: Conn, line_id: uuid.UUID) -> tuple[dict[str, Any], list[MachineCtx]]:
    assets = await load_assets(conn)
    line = assets.get(line_id)
    if line is None or line["kind"] != "line":
        raise LineNotFound(f"line {line_id} not found")
    return line, [m for m in await load_machines(conn) if m.line_id == line_id]


def day_window(m: MachineCtx, day: date, shift_id: uuid.UUID | None) -> tuple[int, int, Keep]:
    """The span of a production day (the shifts starting on that local date), or of one shift of it."""
    if shift_id is not None and all(s.id != shift_id for s in m.shifts):
        raise ShiftNotFound(f"shift {shift_id} is not a shift of this machine's site")
    tz = m.tz
    instances = [
        i
        for i in shift_instances(m.shifts, tz, local_ns(day, 0, tz), local_ns(day + timedelta(days=1), 0, tz))
        if i.day == day and (shift_id is None or i.shift_id == shift_id)
    ]
    if not instances:
        raise InvalidOeeInput(f"no shift starts on {day.isoformat()}" + (" for that shift" if shift_id else ""))

    def keep(s: Segment) -> bool:
        return s.shift is not None and s.shift.day == day and (shift_id is None or s.shift.shift_id == shift_id)

    return min(i.start for i in instances), max(i.end for i in instances), keep


def _shift_key(s: Segment) -> tuple[uuid.UUID | None, int]:
    assert s.shift is not None
    return s.shift.shift_id, s.shift.start


def breakdown(segments: Iterable[Segment]) -> dict[str, Any]:
    """Totals, per shift instance and per production day, summing the components."""
    in_shift = [s for s in segments if s.shift is not None]
    shifts: dict[tuple[uuid.UUID | None, int], list[Segment]] = {}
    days: dict[date, list[Segment]] = {}
    for s in in_shift:
        assert s.shift is not None
        shifts.setdefault(_shift_key(s), []).append(s)
        days.setdefault(s.shift.day, []).append(s)
    by_shift = []
    for segs in sorted(shifts.values(), key=lambda g: _shift_key(g[0])[1]):
        inst = segs[0].shift
        assert inst is not None
        by_shift.append({**_instance_json(inst), **figures(total(segs))})
    return {
        "totals": figures(total(in_shift)),
        "by_shift": by_shift,
        "by_day": [{"day": d.isoformat(), **figures(total(days[d]))} for d in sorted(days)],
    }


def _instance_json(i: ShiftInstance) -> dict[str, Any]:
    return {
        "shift_id": i.shift_id,
        "name": i.name,
        "day": i.day.isoformat(),
        "start": ns_to_rfc3339(i.start),
        "end": ns_to_rfc3339(i.end),
    }


def _window(
    m: MachineCtx, a: int | None, b: int | None, day: date | None, shift: uuid.UUID | None
) -> tuple[int, int, Keep]:
    if day is not None:
        return day_window(m, day, shift)
    if shift is not None:
        raise InvalidOeeInput("'shift_id' needs a 'date'")
    if a is None or b is None:
        raise InvalidOeeInput("give 'from' and 'to', or a 'date'")
    check_range(a, b)
    return a, b, lambda s: True


async def machine_oee(
    conn: Conn, machine_id: uuid.UUID, now: int, *, a: int | None = None, b: int | None = None,
    day: date | None = None, shift_id: uuid.UUID | None = None,
) -> dict[str, Any]:  # fmt: skip
    m = await machine_ctx(conn, machine_id)
    lo, hi, keep = _window(m, a, b, day, shift_id)
    loaded = await load_oee(conn, [m], lo, hi, now, timeline=False)
    segments = [s for s in loaded.results[m.id].segments if keep(s)]
    return {
        "machine_id": m.id,
        "name": m.name,
        "path": m.path,
        "configured": m.configured,
        "timezone": m.timezone,
        "from": ns_to_rfc3339(lo),
        "to": ns_to_rfc3339(hi),
        **breakdown(segments),
        "rolled_up_s": loaded.rolled_up_ns / NS_PER_S,
        "live_s": loaded.live_ns / NS_PER_S,
    }


async def line_oee(
    conn: Conn, line_id: uuid.UUID, now: int, *, a: int | None = None, b: int | None = None,
    day: date | None = None, shift_id: uuid.UUID | None = None,
) -> dict[str, Any]:  # fmt: skip
    """A line's OEE from the summed components of its configured machines (all of them if none is)."""
    line, machines = await line_ctx(conn, line_id)
    if not machines:
        raise InvalidOeeInput(f"line {line['path']!r} has no machines")
    counted = [m for m in machines if m.configured] or machines
    lo, hi, keep = _window(counted[0], a, b, day, shift_id)
    loaded = await load_oee(conn, machines, lo, hi, now, timeline=False)
    per_machine = {m.id: [s for s in loaded.results[m.id].segments if keep(s) and s.shift] for m in machines}
    return {
        "line_id": line["id"],
        "name": line["name"],
        "path": line["path"],
        "timezone": counted[0].timezone,
        "from": ns_to_rfc3339(lo),
        "to": ns_to_rfc3339(hi),
        **breakdown(s for m in counted for s in per_machine[m.id]),
        "machines": [
            {
                "machine_id": m.id,
                "name": m.name,
                "path": m.path,
                "configured": m.configured,
                "counted": m in counted,
                **figures(total(per_machine[m.id])),
            }
            for m in machines
        ],
        "rolled_up_s": loaded.rolled_up_ns / NS_PER_S,
        "live_s": loaded.live_ns / NS_PER_S,
    }


def _current_instance(m: MachineCtx, now: int) -> ShiftInstance | None:
    return next((i for i in shift_instances(m.shifts, m.tz, now, now + 1) if i.start <= now < i.end), None)


async def current(conn: Conn, now: int) -> dict[str, Any]:
    """Every machine's current shift OEE so far, and its state with the time it entered it."""
    machines = await load_machines(conn)
    instances = {m.id: _current_instance(m, now) for m in machines}
    starts = [i.start for i in instances.values() if i is not None] + [now - CURRENT_LOOKBACK_NS]
    loaded = await load_oee(conn, machines, floor_to(min(starts), HOUR_NS), now + 1, now)
    out = []
    for m in machines:
        inst = instances[m.id]
        res = loaded.results[m.id]
        segs = [s for s in res.segments if inst and s.shift and s.shift.start == inst.start]
        last = res.timeline[-1] if res.timeline else None
        known = last is not None and (m.configured or last.source != "signal")
        fig = figures(total(segs))
        out.append(
            {
                "machine_id": m.id,
                "name": m.name,
                "path": m.path,
                "line_id": m.line_id,
                "configured": m.configured,
                "state": last.state if known and last else None,
                "since": ns_to_rfc3339(last.start) if known and last else None,
                "reason_code": last.reason_code if known and last else None,
                "shift": _instance_json(inst) if inst else None,
                **{k: fig[k] for k in ("availability", "performance", "quality", "oee", "performance_capped")},
                **{k: fig[k] for k in ("run_time_s", "planned_time_s", "total_count", "good_count")},
            }
        )
    return {"generated_at": ns_to_rfc3339(now), "machines": out}


async def _labels(conn: Conn, intervals: Iterable[Interval]) -> tuple[dict[str, dict[str, Any]], dict[uuid.UUID, str]]:
    cur = await conn.execute("select code, name, category from oee_reason_codes")
    reasons = {r["code"]: dict(r) for r in await cur.fetchall()}
    ids = list({iv.entry_id for iv in intervals if iv.entry_id is not None})
    cur = await conn.execute(
        "select id, note from oee_operator_states where id = any(%(ids)s) union all "
        "select id, name from oee_planned_stops where id = any(%(ids)s)",
        {"ids": ids},
    )
    return reasons, {r["id"]: r["note"] for r in await cur.fetchall()}


def _interval_json(iv: Interval, reasons: dict[str, dict[str, Any]], notes: dict[uuid.UUID, str]) -> dict[str, Any]:
    reason = reasons.get(iv.reason_code) if iv.reason_code else None
    return {
        "start": ns_to_rfc3339(iv.start),
        "end": ns_to_rfc3339(iv.end),
        "duration_s": (iv.end - iv.start) / NS_PER_S,
        "state": iv.state,
        "source": iv.source,
        "reason_code": iv.reason_code,
        "reason_name": reason["name"] if reason else None,
        "reason_category": reason["category"] if reason else None,
        "entry_id": iv.entry_id if iv.source == "operator" else None,
        "planned_stop_id": iv.entry_id if iv.source == "schedule" else None,
        "note": notes.get(iv.entry_id, "") if iv.entry_id else "",
    }


async def timeline(conn: Conn, machine_id: uuid.UUID, a: int, b: int, now: int) -> dict[str, Any]:
    check_range(a, b)
    m = await machine_ctx(conn, machine_id)
    loaded = await load_oee(conn, [m], a, b, now)
    ivs = loaded.results[m.id].timeline
    reasons, notes = await _labels(conn, ivs)
    return {
        "machine_id": m.id,
        "configured": m.configured,
        "from": ns_to_rfc3339(a),
        "to": ns_to_rfc3339(b),
        "intervals": [_interval_json(iv, reasons, notes) for iv in ivs],
    }


def _downtime(m: MachineCtx, ivs: list[Interval], a: int, b: int, include_planned: bool) -> list[Interval]:
    """Non-running intervals inside shift time (nothing is lost outside shifts)."""
    states = LOSSES + ((PLANNED_STOP,) if include_planned else ())
    shifts = [(i.start, i.end) for i in shift_instances(m.shifts, m.tz, a, b)]
    out: list[Interval] = []
    for iv in ivs:
        if iv.state in states:
            out += [
                Interval(s, e, iv.state, iv.source, iv.reason_code, iv.entry_id)
                for s, e in clip(shifts, iv.start, iv.end)
            ]
    return out


async def downtime(
    conn: Conn, machine_id: uuid.UUID, a: int, b: int, now: int, *, include_planned: bool = False
) -> dict[str, Any]:
    check_range(a, b)
    m = await machine_ctx(conn, machine_id)
    loaded = await load_oee(conn, [m], a, b, now)
    ivs = _downtime(m, loaded.results[m.id].timeline, a, b, include_planned)
    reasons, notes = await _labels(conn, ivs)
    return {
        "machine_id": m.id,
        "from": ns_to_rfc3339(a),
        "to": ns_to_rfc3339(b),
        "items": [_interval_json(iv, reasons, notes) for iv in ivs],
    }


async def pareto(
    conn: Conn, a: int, b: int, now: int, *, machine_id: uuid.UUID | None = None, line_id: uuid.UUID | None = None,
    include_planned: bool = False,
) -> dict[str, Any]:  # fmt: skip
    """Downtime by reason, longest first, with each reason's share and the cumulative share."""
    check_range(a, b)
    if machine_id is not None and line_id is not None:
        raise InvalidOeeInput("give 'machine_id' or 'line_id', not both")
    if machine_id is not None:
        machines = [await machine_ctx(conn, machine_id)]
    elif line_id is not None:
        machines = (await line_ctx(conn, line_id))[1]
    else:
        machines = await load_machines(conn, configured_only=True)
    loaded = await load_oee(conn, machines, a, b, now)
    totals: dict[str | None, list[float]] = {}
    for m in machines:
        for iv in _downtime(m, loaded.results[m.id].timeline, a, b, include_planned):
            acc = totals.setdefault(iv.reason_code, [0.0, 0.0])
            acc[0] += (iv.end - iv.start) / NS_PER_S
            acc[1] += 1
    reasons, _ = await _labels(conn, [])
    grand = sum(v[0] for v in totals.values())
    items, running = [], 0.0
    for code, (secs, n) in sorted(totals.items(), key=lambda kv: (-kv[1][0], kv[0] or "")):
        running += secs
        r = reasons.get(code) if code else None
        items.append(
            {
                "reason_code": code,
                "reason_name": r["name"] if r else ("unclassified" if code is None else code),
                "category": r["category"] if r else None,
                "duration_s": secs,
                "occurrences": int(n),
                "share": secs / grand if grand else 0.0,
                "cumulative_share": running / grand if grand else 0.0,
            }
        )
    return {"from": ns_to_rfc3339(a), "to": ns_to_rfc3339(b), "total_s": grand, "items": items}
