"""Pieces of the large-neighbourhood search (``mip.scheduling.lns``): the exact objective of a complete schedule,
left-shift compaction, and the CP-SAT sub-model over a set of freed operations with everything else fixed.

The sub-model keeps the rest of the schedule as constants: a freed operation starts after its fixed predecessors
(plus lags) and ends before its fixed successors (minus lags); on each machine it may use, the fixed operations and
the unavailability windows (merged) are fixed intervals of the ``NoOverlap``. Its objective is the part of the
global objective the freed operations can change (the makespan if a freed operation is a sink, the tardiness of
orders whose last operations are freed, the stability of freed operations), so any improvement of the sub-model is
an improvement of the whole schedule by the same amount.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ortools.sat.python import cp_model

from mip.scheduling.evaluate import merged_windows, metrics
from mip.scheduling.greedy import _Timeline
from mip.scheduling.model import Assignment, Problem, Schedule


@dataclass(frozen=True)
class Weights:
    """The objective: ``makespan × makespan + tardiness × weighted tardiness + stability × (minutes moved +
    machine_change × machine changes)`` against ``Problem.existing`` (frozen operations excluded)."""

    makespan: int = 1
    tardiness: int = 0
    stability: int = 0
    machine_change: int = 60


def stability_cost(problem: Problem, schedule: Schedule, frozen: set[str], machine_change: int) -> int:
    if problem.existing is None:
        return 0
    by_op = schedule.by_op()
    cost = 0
    for a in problem.existing.assignments:
        b = by_op.get(a.op)
        if b is None or a.op in frozen:
            continue
        cost += abs(b.start - a.start) + (machine_change if b.machine != a.machine else 0)
    return cost


def objective_value(problem: Problem, w: Weights, schedule: Schedule, frozen: set[str] | None = None) -> int:
    """The value CP-SAT's objective would give this complete schedule."""
    m = metrics(problem, schedule)
    value = w.makespan * m.makespan + w.tardiness * m.weighted_tardiness
    if w.stability:
        fz = set(problem.frozen()) if frozen is None else frozen
        value += w.stability * stability_cost(problem, schedule, fz, w.machine_change)
    return value


def left_shift(
    problem: Problem, by_op: dict[str, Assignment], frozen: set[str], rank: dict[str, int]
) -> dict[str, Assignment]:
    """Every operation, in the order of its current start, moved to the earliest feasible time on its machine.

    No operation ends later than before (the current slot of each operation stays free for it, since everything
    placed before it started no later and ends no later), so makespan and tardiness never get worse."""
    lines = {m.id: _Timeline([(w.start, w.end) for w in m.unavailable]) for m in problem.machines}
    out: dict[str, Assignment] = {}
    for oid in frozen:
        a = by_op[oid]
        out[oid] = a
        lines[a.machine].add(a.start, a.end)
    not_before = problem.frozen_until or 0
    for a in sorted((a for k, a in by_op.items() if k not in frozen), key=lambda a: (a.start, rank[a.op])):
        op = problem.op(a.op)
        est = max(problem.job(op.job).release, not_before)
        for p in op.predecessors:
            est = max(est, out[p.op].end + p.min_lag)
        length = a.end - a.start
        s = min(lines[a.machine].earliest(est, length), a.start)
        out[a.op] = Assignment(a.op, a.machine, s, s + length)
        lines[a.machine].add(s, s + length)
    return out


def machine_groups(problem: Problem) -> list[list[str]]:
    """Machines linked by operations that may run on either (interchangeable machines); singletons too."""
    parent: dict[str, str] = {m.id: m.id for m in problem.machines}

    def find(x: str) -> str:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for o in problem.operations:
        for md in o.modes[1:]:
            parent[find(md.machine)] = find(o.modes[0].machine)
    groups: dict[str, list[str]] = {}
    for m in problem.machines:
        groups.setdefault(find(m.id), []).append(m.id)
    return sorted(groups.values())


@dataclass
class SubResult:
    status: str
    changes: dict[str, Assignment] | None  # new assignments of the freed operations (None: no solution)
    improved: bool  # the sub-objective is lower than the current schedule's
    wall: float
    deterministic_time: float


class Structure:
    """Look-ups the sub-models need, computed once per problem."""

    def __init__(self, problem: Problem) -> None:
        self.problem = problem
        self.frozen = problem.frozen()
        self.frozen_ids = set(self.frozen)
        self.not_before = problem.frozen_until or 0
        self.rank = {o.id: i for i, o in enumerate(problem.topological_order())}
        self.succ = {o.id: problem.successors(o.id) for o in problem.operations}
        self.windows = {m.id: merged_windows([(w.start, w.end) for w in m.unavailable]) for m in problem.machines}
        self.job_sinks: dict[str, list[str]] = {}
        for o in problem.operations:
            if all(problem.op(s).job != o.job for s, _ in self.succ[o.id]):
                self.job_sinks.setdefault(o.job, []).append(o.id)
        self.prev = problem.existing.by_op() if problem.existing else {}
        self.groups = machine_groups(problem)
        self.group_of = {m: i for i, g in enumerate(self.groups) for m in g}
        self.earliest_end = earliest_ends(problem)
        self.earliest_completion: dict[str, int] = {}
        for o in problem.operations:
            c = self.earliest_completion.get(o.job, 0)
            self.earliest_completion[o.job] = max(c, self.earliest_end[o.id])
        self.earliest_makespan = max(self.earliest_end.values(), default=0)


def solve_neighbourhood(
    st: Structure,
    w: Weights,
    by_op: dict[str, Assignment],
    free: set[str],
    *,
    time_limit_s: float,
    workers: int,
    seed: int,
    deterministic: bool,
) -> SubResult:
    """Re-optimise the freed operations with every other operation fixed where it is (see module docstring)."""
    problem = st.problem
    model = cp_model.CpModel()
    max_occ = {oid: max(md.occupancy for md in problem.op(oid).modes) for oid in free}
    horizon = max(a.end for a in by_op.values()) + sum(max_occ.values())
    # freed operations may move later than now by at most the neighbourhood's current span (keeps the model local)
    first, last = min(by_op[k].start for k in free), max(by_op[k].end for k in free)
    cap = min(horizon, last + (last - first) + max(max_occ.values()))
    starts: dict[str, cp_model.IntVar] = {}
    ends: dict[str, cp_model.IntVar] = {}
    lits: dict[str, list[tuple[str, Any]]] = {}
    per_machine: dict[str, list[Any]] = {}
    reach: dict[str, list[int]] = {}  # machine -> [lowest start, highest end] of the freed ops that may use it
    shortest: dict[str, int] = {}  # machine -> shortest positive occupancy of a freed operation on it
    ordered = sorted(free, key=st.rank.__getitem__)  # never iterate the set: models must not depend on hashing
    for oid in ordered:
        o = problem.op(oid)
        lo = max(problem.job(o.job).release, st.not_before)
        for p in o.predecessors:
            if p.op not in free:
                lo = max(lo, by_op[p.op].end + p.min_lag)
        hi = cap
        for s, lag in st.succ[oid]:
            if s not in free:
                hi = min(hi, by_op[s].start - lag)
        cur = by_op[oid]
        lo, hi = min(lo, cur.start), max(hi, cur.end)  # the current position is always allowed
        occs = [md.occupancy for md in o.modes]
        s_var = model.new_int_var(lo, hi - min(occs), f"s_{oid}")
        e_var = model.new_int_var(lo + min(occs), hi, f"e_{oid}")
        starts[oid], ends[oid] = s_var, e_var
        model.add_hint(s_var, cur.start)
        model.add_hint(e_var, cur.end)
        if len(o.modes) == 1:
            md = o.modes[0]
            model.add(e_var == s_var + md.occupancy)
            lits[oid] = [(md.machine, True)]
            if md.occupancy > 0:
                per_machine.setdefault(md.machine, []).append(
                    model.new_fixed_size_interval_var(s_var, md.occupancy, f"i_{oid}")
                )
        else:
            choice = []
            for md in o.modes:
                lit = model.new_bool_var(f"p_{oid}_{md.machine}")
                model.add_hint(lit, md.machine == cur.machine and md.occupancy == cur.end - cur.start)
                choice.append((md.machine, lit))
                if md.occupancy > 0:
                    per_machine.setdefault(md.machine, []).append(
                        model.new_optional_fixed_size_interval_var(s_var, md.occupancy, lit, f"o_{oid}_{md.machine}")
                    )
            model.add_exactly_one([lit for _, lit in choice])
            model.add(e_var == s_var + sum(md.occupancy * lit for md, (_, lit) in zip(o.modes, choice, strict=True)))
            lits[oid] = choice
        for md in o.modes:
            r = reach.setdefault(md.machine, [lo, hi])
            r[0], r[1] = min(r[0], lo), max(r[1], hi)
            if md.occupancy:
                shortest[md.machine] = min(shortest.get(md.machine, md.occupancy), md.occupancy)
        for p in o.predecessors:
            if p.op in free:
                model.add(s_var >= ends[p.op] + p.min_lag)
    # machines: the freed ops, the fixed ops and the closed windows in the reachable range
    fixed_on: dict[str, list[tuple[int, int]]] = {m: [] for m in per_machine}
    for oid, a in by_op.items():
        if oid not in free and a.machine in fixed_on and a.end > a.start:
            lo, hi = reach[a.machine]
            if a.end > lo and a.start < hi:
                fixed_on[a.machine].append((a.start, a.end))
    for mid, ivs in per_machine.items():
        lo, hi = reach[mid]
        busy = merged_windows(fixed_on[mid] + [(ws, we) for ws, we in st.windows[mid] if we > lo and ws < hi])
        # a gap shorter than every freed operation that may use this machine is busy too
        blocks: list[list[int]] = []
        for bs, be in busy:
            if blocks and bs - blocks[-1][1] < shortest[mid]:
                blocks[-1][1] = be
            else:
                blocks.append([bs, be])
        for n, (bs, be) in enumerate(blocks):
            ivs.append(model.new_fixed_size_interval_var(bs, be - bs, f"f_{mid}_{n}"))
        if len(ivs) > 1:
            model.add_no_overlap(ivs)
    # objective: the part the freed operations can change
    terms: list[Any] = []
    current = 0  # the sub-objective of the current schedule (the hint)
    if w.makespan:
        sinks = [oid for oid in ordered if not st.succ[oid]]
        if sinks:
            fixed_mk = max((a.end for k, a in by_op.items() if k not in free), default=0)
            mk = model.new_int_var(fixed_mk, horizon, "makespan")
            for oid in sinks:
                model.add(mk >= ends[oid])
            model.add_hint(mk, max([fixed_mk] + [by_op[k].end for k in sinks]))
            terms.append(w.makespan * mk)
            current += w.makespan * max([fixed_mk] + [by_op[k].end for k in sinks])
    if w.tardiness:
        for job in sorted({problem.op(oid).job for oid in ordered}):
            j = problem.job(job)
            job_sinks = st.job_sinks.get(job, [])
            if j.due is None or j.weight <= 0 or not any(f in free for f in job_sinks):
                continue
            fixed_t = max([0] + [by_op[f].end - j.due for f in job_sinks if f not in free])
            t = model.new_int_var(fixed_t, max(fixed_t, horizon), f"t_{job}")
            for f in job_sinks:
                if f in free:
                    model.add(t >= ends[f] - j.due)
            model.add_hint(t, max([0] + [by_op[f].end - j.due for f in job_sinks]))
            terms.append(w.tardiness * j.weight * t)
            current += w.tardiness * j.weight * max([0] + [by_op[f].end - j.due for f in job_sinks])
    if w.stability:
        for oid in ordered:
            old = st.prev.get(oid)
            if old is None:
                continue
            dev = model.new_int_var(0, horizon, f"dev_{oid}")
            model.add_abs_equality(dev, starts[oid] - old.start)
            model.add_hint(dev, abs(by_op[oid].start - old.start))
            terms.append(w.stability * dev)
            moved = abs(by_op[oid].start - old.start) + (w.machine_change if by_op[oid].machine != old.machine else 0)
            current += w.stability * moved
            same: Any = next((lt for m, lt in lits[oid] if m == old.machine), None)
            if same is None:
                terms.append(w.stability * w.machine_change)
            elif same is not True:
                terms.append(w.stability * w.machine_change * (1 - same))
    model.minimize(sum(terms))

    solver = cp_model.CpSolver()
    prm = solver.parameters
    prm.random_seed = seed
    prm.cp_model_probing_level = 0
    if deterministic:
        prm.num_workers = 1
        prm.max_deterministic_time = time_limit_s
    else:
        prm.num_workers = workers
        prm.max_time_in_seconds = time_limit_s
    code = solver.solve(model)
    status = solver.status_name(code)
    changes: dict[str, Assignment] | None = None
    if code in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        changes = {}
        for oid in ordered:
            machine = next(m for m, lt in lits[oid] if lt is True or solver.boolean_value(lt))
            changes[oid] = Assignment(oid, machine, solver.value(starts[oid]), solver.value(ends[oid]))
    improved = changes is not None and solver.objective_value < current
    return SubResult(status, changes, improved, solver.wall_time, solver.response_proto.deterministic_time)


def earliest_ends(problem: Problem) -> dict[str, int]:
    """Each operation's earliest end given releases, precedence lags and its machine's calendar, with machine
    capacity ignored (frozen operations where they are): a relaxation, so no schedule ends an operation earlier."""
    lines = {m.id: _Timeline([(w.start, w.end) for w in m.unavailable]) for m in problem.machines}
    frozen = problem.frozen()
    not_before = problem.frozen_until or 0
    end: dict[str, int] = {}
    for o in problem.topological_order():
        if o.id in frozen:
            end[o.id] = frozen[o.id].end
            continue
        est = max(problem.job(o.job).release, not_before)
        for p in o.predecessors:
            est = max(est, end[p.op] + p.min_lag)
        end[o.id] = min(lines[md.machine].earliest(est, md.occupancy) + md.occupancy for md in o.modes)
    return end


def relaxation_bound(problem: Problem, w: Weights, ends: dict[str, int] | None = None) -> int:
    """A lower bound on the objective from ``earliest_ends``: valid for makespan and weighted tardiness (no order
    completes earlier); the stability term is bounded by 0."""
    end = earliest_ends(problem) if ends is None else ends
    completion: dict[str, int] = {}
    for o in problem.operations:
        completion[o.job] = max(completion.get(o.job, 0), end[o.id])
    dated = [j for j in problem.jobs if j.due is not None and j.id in completion]
    wt = sum(j.weight * max(0, completion[j.id] - (j.due or 0)) for j in dated)
    return w.makespan * max(end.values(), default=0) + w.tardiness * wt
