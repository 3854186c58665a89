"""Checking and measuring schedules, independent of how they were produced."""

from __future__ import annotations

from dataclasses import dataclass

from mip.scheduling.model import Problem, Schedule


@dataclass(frozen=True)
class Metrics:
    makespan: int
    weighted_tardiness: int
    total_tardiness: int
    late_jobs: int
    completion: dict[str, int]
    tardiness: dict[str, int]


def merged_windows(windows: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Sort and merge overlapping or touching half-open intervals."""
    out: list[tuple[int, int]] = []
    for s, e in sorted(windows):
        if out and s <= out[-1][1]:
            if e > out[-1][1]:
                out[-1] = (out[-1][0], e)
        else:
            out.append((s, e))
    return out


def check_schedule(problem: Problem, schedule: Schedule) -> list[str]:
    """Every violation of the problem's constraints by ``schedule`` (empty list: feasible).

    Checks: one assignment per operation and none unknown; machine is one of the op's modes and the length
    equals that mode's setup + duration; release dates; precedence with lags; no two operations overlap on a
    machine; no operation overlaps its machine's unavailability windows.
    """
    errors: list[str] = []
    seen: dict[str, int] = {}
    for asg in schedule.assignments:
        seen[asg.op] = seen.get(asg.op, 0) + 1
    ops = {o.id for o in problem.operations}
    for op_id, n in seen.items():
        if op_id not in ops:
            errors.append(f"unknown operation {op_id}")
        elif n > 1:
            errors.append(f"operation {op_id} assigned {n} times")
    missing = ops - seen.keys()
    if missing:
        errors.append(f"{len(missing)} operations unassigned, e.g. {sorted(missing)[:3]}")
    by_op = schedule.by_op()
    per_machine: dict[str, list[tuple[int, int, str]]] = {}
    for op in problem.operations:
        a = by_op.get(op.id)
        if a is None:
            continue
        modes = [m for m in op.modes if m.machine == a.machine]
        if not modes:
            errors.append(f"{op.id}: machine {a.machine} is not eligible")
        elif a.end - a.start not in {m.occupancy for m in modes}:
            errors.append(f"{op.id}: length {a.end - a.start} on {a.machine} != setup + duration {modes[0].occupancy}")
        if a.start < problem.job(op.job).release:
            errors.append(f"{op.id}: starts at {a.start} before the release {problem.job(op.job).release}")
        if a.start < 0:
            errors.append(f"{op.id}: negative start")
        for p in op.predecessors:
            pa = by_op.get(p.op)
            if pa is not None and a.start < pa.end + p.min_lag:
                errors.append(f"{op.id}: starts at {a.start} before {p.op} ends at {pa.end} + lag {p.min_lag}")
        if a.end > a.start:
            per_machine.setdefault(a.machine, []).append((a.start, a.end, op.id))
    for mid, items in per_machine.items():
        items.sort()
        for (s1, e1, o1), (s2, _e2, o2) in zip(items, items[1:], strict=False):
            if s2 < e1:
                errors.append(f"{mid}: {o1} [{s1},{e1}) overlaps {o2} starting at {s2}")
        windows = merged_windows([(w.start, w.end) for w in problem.machine(mid).unavailable])
        for s, e, o in items:
            for ws, we in windows:
                if s < we and ws < e:
                    errors.append(f"{mid}: {o} [{s},{e}) overlaps unavailability [{ws},{we})")
                    break
    return errors


def metrics(problem: Problem, schedule: Schedule) -> Metrics:
    by_op = schedule.by_op()
    completion: dict[str, int] = {}
    for op in problem.operations:
        a = by_op.get(op.id)
        if a is not None:
            completion[op.job] = max(completion.get(op.job, 0), a.end)
    tard: dict[str, int] = {}
    wt = tt = late = 0
    for j in problem.jobs:
        if j.due is None or j.id not in completion:
            continue
        t = max(0, completion[j.id] - j.due)
        tard[j.id] = t
        wt += j.weight * t
        tt += t
        late += t > 0
    return Metrics(schedule.makespan, wt, tt, late, completion, tard)
