"""Greedy dispatching baseline, the way ERP schedulers (ERPNext, Odoo) plan work orders.

Orders are taken one at a time by priority (higher first), then due date (earliest first, none last), then
id. Each operation of the order (after any not-yet-planned predecessor of another order, e.g. a sub-assembly)
goes into the earliest gap of the machine where it *finishes* earliest, at or after its release and its
predecessors' ends plus lags, never overlapping the machine's unavailability windows or earlier work. Operations
of an existing schedule that start before ``frozen_until`` stay where they are; nothing else starts before it.
"""

from __future__ import annotations

import bisect

from mip.scheduling.evaluate import merged_windows
from mip.scheduling.model import Assignment, Operation, Problem, Schedule


class _Timeline:
    """Busy intervals of one machine, sorted and merged, with earliest-gap search."""

    def __init__(self, windows: list[tuple[int, int]]) -> None:
        merged = merged_windows(windows)
        self.starts = [s for s, _ in merged]
        self.ends = [e for _, e in merged]

    def earliest(self, est: int, length: int) -> int:
        if length <= 0:
            return est
        t = est
        # first busy interval that ends after t
        i = bisect.bisect_right(self.ends, t)
        while i < len(self.starts):
            if t + length <= self.starts[i]:
                return t
            t = max(t, self.ends[i])
            i += 1
        return t

    def add(self, s: int, e: int) -> None:
        if e <= s:
            return
        i = bisect.bisect_left(self.starts, s)
        # merge with neighbours that touch
        if i > 0 and self.ends[i - 1] >= s:
            i -= 1
            s = self.starts[i]
            e = max(e, self.ends[i])
            del self.starts[i], self.ends[i]
        while i < len(self.starts) and self.starts[i] <= e:
            e = max(e, self.ends[i])
            del self.starts[i], self.ends[i]
        self.starts.insert(i, s)
        self.ends.insert(i, e)


def job_order(problem: Problem) -> list[str]:
    """Dispatch order: priority desc, due asc (None last), id."""
    big = 1 << 62
    jobs = sorted(problem.jobs, key=lambda j: (-j.priority, j.due if j.due is not None else big, j.id))
    return [j.id for j in jobs]


def dispatch_orders(problem: Problem) -> dict[str, list[str]]:
    """Alternative order sequences for the dispatcher (used to pick a better starting point for CP-SAT):
    the ERP baseline, earliest due date, weighted due date (due / weight), and longest-work-first."""
    big = float(1 << 62)
    work: dict[str, int] = {}
    for o in problem.operations:
        work[o.job] = work.get(o.job, 0) + min(m.occupancy for m in o.modes)
    jobs = list(problem.jobs)
    return {
        "baseline": job_order(problem),
        "edd": [j.id for j in sorted(jobs, key=lambda j: (j.due if j.due is not None else big, j.id))],
        "weighted_due": [
            j.id for j in sorted(jobs, key=lambda j: (j.due / max(j.weight, 1) if j.due is not None else big, j.id))
        ],
        "most_work": [j.id for j in sorted(jobs, key=lambda j: (-work.get(j.id, 0), j.id))],
    }


def greedy_schedule(problem: Problem, order: list[str] | None = None) -> Schedule:
    """A feasible schedule by priority dispatching (see module docstring)."""
    topo = problem.topological_order()
    rank = {o.id: i for i, o in enumerate(topo)}
    lines = {m.id: _Timeline([(w.start, w.end) for w in m.unavailable]) for m in problem.machines}
    placed: dict[str, Assignment] = {}
    for fid, fa in problem.frozen().items():
        placed[fid] = fa
        lines[fa.machine].add(fa.start, fa.end)

    not_before = problem.frozen_until or 0

    def place(op: Operation) -> None:
        est = max(problem.job(op.job).release, not_before)
        for p in op.predecessors:
            est = max(est, placed[p.op].end + p.min_lag)
        best: tuple[int, int, int] | None = None
        best_mode = op.modes[0]
        for k, mode in enumerate(op.modes):
            s = lines[mode.machine].earliest(est, mode.occupancy)
            key = (s + mode.occupancy, s, k)
            if best is None or key < best:
                best, best_mode = key, mode
        assert best is not None
        start = best[1]
        placed[op.id] = Assignment(op.id, best_mode.machine, start, start + best_mode.occupancy)
        lines[best_mode.machine].add(start, start + best_mode.occupancy)

    for job_id in order if order is not None else job_order(problem):
        # this order's operations and every unplanned ancestor (other orders' sub-assemblies), in topological order
        todo: set[str] = set()
        stack = [o.id for o in problem.ops_of(job_id) if o.id not in placed]
        while stack:
            oid = stack.pop()
            if oid in todo or oid in placed:
                continue
            todo.add(oid)
            stack.extend(p.op for p in problem.op(oid).predecessors if p.op not in placed)
        for oid in sorted(todo, key=rank.__getitem__):
            place(problem.op(oid))
    return Schedule(tuple(placed[o.id] for o in problem.operations))


def repair_schedule(problem: Problem, previous: Schedule) -> Schedule:
    """Right-shift repair after a disruption: operations are re-placed in their previous start order on their
    previous machine, each at the earliest feasible time not before its previous start (so operations the
    disruption does not reach keep their start); operations new to the problem (a rush order) are dispatched
    greedily after them. Frozen operations (before ``frozen_until``) stay."""
    rank = {o.id: i for i, o in enumerate(problem.topological_order())}
    prev = {k: a for k, a in previous.by_op().items() if k in rank}
    lines = {m.id: _Timeline([(w.start, w.end) for w in m.unavailable]) for m in problem.machines}
    placed: dict[str, Assignment] = {}
    for fid, fa in problem.frozen().items():
        placed[fid] = fa
        lines[fa.machine].add(fa.start, fa.end)
    not_before = problem.frozen_until or 0
    todo = sorted(
        (o for o in problem.operations if o.id not in placed),
        key=lambda o: (0, prev[o.id].start, rank[o.id]) if o.id in prev else (1, 0, rank[o.id]),
    )
    # a previous start order can contradict precedence only for new ops; place by readiness
    pending = list(todo)
    while pending:
        progressed = False
        rest = []
        for op in pending:
            if any(p.op not in placed for p in op.predecessors):
                rest.append(op)
                continue
            progressed = True
            est = max(problem.job(op.job).release, not_before)
            for p in op.predecessors:
                est = max(est, placed[p.op].end + p.min_lag)
            old = prev.get(op.id)
            modes = [m for m in op.modes if old is not None and m.machine == old.machine] or list(op.modes)
            if old is not None:
                est = max(est, old.start)
            best: tuple[int, int, int] | None = None
            for k, mode in enumerate(modes):
                st = lines[mode.machine].earliest(est, mode.occupancy)
                key = (st + mode.occupancy, st, k)
                if best is None or key < best:
                    best = key
            assert best is not None
            mode = modes[best[2]]
            placed[op.id] = Assignment(op.id, mode.machine, best[1], best[1] + mode.occupancy)
            lines[mode.machine].add(best[1], best[1] + mode.occupancy)
        if not progressed:  # pragma: no cover - impossible on an acyclic problem
            raise RuntimeError("repair made no progress")
        pending = rest
    return Schedule(tuple(placed[o.id] for o in problem.operations))
