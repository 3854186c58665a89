"""CP-SAT model of the flexible job shop with calendars, precedence lags, setups, releases and due dates.

Modelling (general, no per-instance tuning):

* one master interval per operation (start, variable size, end) plus, for operations with several modes, one
  optional interval per mode with ``exactly one`` presence literal; single-mode operations use the master;
* ``NoOverlap`` per machine over its (optional) intervals, its merged unavailability windows as fixed
  intervals and, for the makespan objective, the interval ``[makespan, horizon)`` (the makespan as an
  interval, as in OR-Tools' jobshop_sat, which strengthens propagation);
* a redundant ``Cumulative`` over every group of interchangeable machines (operations whose modes all lie in
  the group, capacity = group size) for flexible instances;
* start domains tightened by heads (release + longest predecessor path) and, for the makespan objective,
  tails; the horizon is the greedy makespan for the makespan objective (greedy is feasible, so optimal
  ≤ greedy) and greedy makespan + total work otherwise;
* the greedy (or previous) schedule as a complete solution hint;
* rescheduling: operations of ``Problem.existing`` starting before ``frozen_until`` are fixed, everything else
  starts at or after it, and each previously scheduled operation pays ``stability_weight`` per minute it
  moves plus ``stability_weight × machine_change_penalty`` if it changes machine.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Any

from ortools.sat.python import cp_model

from mip.scheduling.evaluate import Metrics, check_schedule, merged_windows, metrics
from mip.scheduling.greedy import dispatch_orders, greedy_schedule
from mip.scheduling.lns_model import Weights, machine_groups, objective_value
from mip.scheduling.model import Assignment, BadInstance, Problem, Schedule

OBJECTIVES = ("makespan", "weighted_tardiness", "mix")
MAX_TIME_LIMIT_S = 3600.0
LNS_MIN_OPERATIONS = 1000  # larger problems are improved by large-neighbourhood search (mip.scheduling.lns)


@dataclass(frozen=True)
class SolveOptions:
    objective: str = "makespan"
    time_limit_s: float = 10.0
    workers: int = 2
    makespan_weight: int = 1  # mix: objective = makespan_weight × makespan + tardiness_weight × weighted tardiness
    tardiness_weight: int = 1
    stability_weight: int = 0  # cost per minute an operation of Problem.existing moves
    machine_change_penalty: int = 60  # minutes-equivalent cost of moving an operation to another machine
    hint: Schedule | None = None
    seed: int = 0
    log: bool = False
    lns_iterations: int | None = None  # large problems: stop the LNS after this many sub-solves (deterministic)

    def check(self) -> SolveOptions:
        if self.objective not in OBJECTIVES:
            raise BadInstance(f"unknown objective {self.objective!r} (expected one of {', '.join(OBJECTIVES)})")
        if not 0 < self.time_limit_s <= MAX_TIME_LIMIT_S:
            raise BadInstance(f"time limit must be in (0, {MAX_TIME_LIMIT_S:g}] seconds")
        if not 1 <= self.workers <= 64:
            raise BadInstance("workers must be in 1..64")
        if min(self.makespan_weight, self.tardiness_weight, self.stability_weight, self.machine_change_penalty) < 0:
            raise BadInstance("weights must be >= 0")
        if self.lns_iterations is not None and not 1 <= self.lns_iterations <= 100_000:
            raise BadInstance("lns_iterations must be in 1..100000")
        return self


@dataclass(frozen=True)
class SolveResult:
    schedule: Schedule
    source: str  # "cp-sat", "cp-sat-lns" (large problems); "hint" or "greedy" when CP-SAT found no solution in time
    status: str  # OPTIMAL, FEASIBLE, INFEASIBLE, UNKNOWN, MODEL_INVALID
    objective: float | None
    lower_bound: float | None
    seconds: float
    metrics: Metrics
    greedy: Metrics
    horizon: int
    stats: dict[str, Any] = field(default_factory=dict)

    def improvement(self) -> dict[str, Any]:
        """MIP (CP-SAT) against the greedy baseline: absolute and % reductions."""

        def pct(base: int, new: int) -> float | None:
            return round(100.0 * (base - new) / base, 2) if base else None

        g, m = self.greedy, self.metrics
        return {
            "makespan": g.makespan - m.makespan,
            "makespan_pct": pct(g.makespan, m.makespan),
            "weighted_tardiness": g.weighted_tardiness - m.weighted_tardiness,
            "weighted_tardiness_pct": pct(g.weighted_tardiness, m.weighted_tardiness),
        }


def _heads_tails(problem: Problem) -> tuple[dict[str, int], dict[str, int]]:
    topo = problem.topological_order()
    minocc = {o.id: min(m.occupancy for m in o.modes) for o in problem.operations}
    head: dict[str, int] = {}
    for o in topo:
        h = problem.job(o.job).release
        for p in o.predecessors:
            h = max(h, head[p.op] + minocc[p.op] + p.min_lag)
        head[o.id] = h
    tail: dict[str, int] = {}
    for o in reversed(topo):
        t = 0
        for s, lag in problem.successors(o.id):
            t = max(t, lag + minocc[s] + tail[s])
        tail[o.id] = t
    return head, tail


class _FirstSolution(cp_model.CpSolverSolutionCallback):
    def __init__(self, t0: float) -> None:
        super().__init__()
        self.t0 = t0
        self.first: float | None = None
        self.count = 0

    def on_solution_callback(self) -> None:
        self.count += 1
        if self.first is None:
            self.first = round(time.perf_counter() - self.t0, 3)


def _chosen(solver: cp_model.CpSolver, lit: Any) -> bool:
    if lit is None:
        return False
    if lit is True:
        return True
    return bool(solver.boolean_value(lit))


def weights(opts: SolveOptions) -> Weights:
    """The objective of ``opts`` as weights (shared by the exact model's start selection and the LNS)."""
    mw, tw = {"makespan": (1, 0), "weighted_tardiness": (0, 1)}.get(
        opts.objective, (opts.makespan_weight, opts.tardiness_weight)
    )
    return Weights(mw, tw, opts.stability_weight, opts.machine_change_penalty)


def best_start(problem: Problem, opts: SolveOptions, greedy: Schedule) -> tuple[Schedule, str]:
    """The best of several dispatching rules (the ERP baseline among them) and of a feasible given hint, by the
    full objective (stability included): CP-SAT's or the LNS's starting solution."""
    w = weights(opts)
    best, rule, score = greedy, "baseline", objective_value(problem, w, greedy)
    for name, order in dispatch_orders(problem).items():
        if name == "baseline":
            continue
        s = greedy_schedule(problem, order)
        sc = objective_value(problem, w, s)
        if sc < score:
            best, rule, score = s, name, sc
    hint = opts.hint
    if hint is not None and not check_schedule(problem, hint) and objective_value(problem, w, hint) <= score:
        best, rule = hint, "given"
    return best, rule


def _add_hint(
    model: cp_model.CpModel,
    problem: Problem,
    hint: Schedule,
    starts: dict[str, cp_model.IntVar],
    ends: dict[str, cp_model.IntVar],
    sizes: dict[str, cp_model.IntVar],
    presence: dict[tuple[str, str], Any],
    makespan: cp_model.IntVar,
    tard_vars: list[tuple[cp_model.IntVar, int, list[str]]],
    dev_vars: dict[str, cp_model.IntVar],
    prev: dict[str, Assignment],
) -> None:
    """A complete hint (every variable), so CP-SAT starts from a feasible solution without repairing it."""
    by_op = hint.by_op()
    if any(o.id not in by_op for o in problem.operations):
        for a in hint.assignments:
            if a.op in starts:
                model.add_hint(starts[a.op], a.start)
        return
    for o in problem.operations:
        a = by_op[o.id]
        model.add_hint(starts[o.id], a.start)
        model.add_hint(ends[o.id], a.end)
        if o.id in sizes:
            model.add_hint(sizes[o.id], a.end - a.start)
        for md in o.modes:
            lit = presence.get((o.id, md.machine))
            if lit is not None and lit is not True:
                model.add_hint(lit, md.machine == a.machine)
    sinks = [o.id for o in problem.operations if not problem.successors(o.id)]
    model.add_hint(makespan, max(by_op[k].end for k in sinks))
    for t, due, job_sinks in tard_vars:
        model.add_hint(t, max([0] + [by_op[k].end - due for k in job_sinks]))
    for oid, dev in dev_vars.items():
        model.add_hint(dev, abs(by_op[oid].start - prev[oid].start))


def solve(problem: Problem, options: SolveOptions | None = None) -> SolveResult:
    """Solve with CP-SAT; always also computes the greedy baseline for comparison (and as the hint). Problems of
    more than ``LNS_MIN_OPERATIONS`` operations are solved by large-neighbourhood search around CP-SAT from the
    best dispatching start, within the same time limit (``mip.scheduling.large``)."""
    opts = (options or SolveOptions()).check()
    t0 = time.perf_counter()
    if len(problem.operations) > LNS_MIN_OPERATIONS:
        from mip.scheduling.large import solve_large  # noqa: PLC0415 - large imports this module

        return solve_large(problem, opts, t0)
    greedy = greedy_schedule(problem)
    g_metrics = metrics(problem, greedy)
    total_work = sum(min(m.occupancy for m in o.modes) for o in problem.operations)
    makespan_only = opts.objective == "makespan" and opts.stability_weight == 0
    horizon = greedy.makespan if makespan_only else greedy.makespan + total_work
    horizon = max(horizon, 1)
    head, tail = _heads_tails(problem)
    prev: dict[str, Assignment] = problem.existing.by_op() if problem.existing else {}
    frozen = problem.frozen()
    not_before = problem.frozen_until or 0

    model = cp_model.CpModel()
    starts: dict[str, cp_model.IntVar] = {}
    ends: dict[str, cp_model.IntVar] = {}
    presence: dict[tuple[str, str], Any] = {}
    per_machine: dict[str, list[cp_model.IntervalVar]] = {m.id: [] for m in problem.machines}
    masters: dict[str, cp_model.IntervalVar] = {}
    sizes: dict[str, cp_model.IntVar] = {}
    tard_vars: list[tuple[cp_model.IntVar, int, list[str]]] = []
    dev_vars: dict[str, cp_model.IntVar] = {}
    for o in problem.operations:
        occs = [m.occupancy for m in o.modes]
        lo = head[o.id] if o.id in frozen else max(head[o.id], not_before)
        hi = horizon - min(occs) - (tail[o.id] if makespan_only else 0)
        if o.id in frozen:
            lo = hi = frozen[o.id].start
        if hi < lo:
            hi = lo  # infeasible only if the horizon is too short; CP-SAT will report it
        s = model.new_int_var(lo, hi, f"s_{o.id}")
        e = model.new_int_var(lo + min(occs), hi + max(occs), f"e_{o.id}")
        starts[o.id], ends[o.id] = s, e
        modes = list(o.modes)
        if o.id in frozen:
            modes = [m for m in o.modes if m.machine == frozen[o.id].machine] or modes[:1]
        if len(modes) == 1:
            md = modes[0]
            iv = model.new_interval_var(s, md.occupancy, e, f"i_{o.id}")
            masters[o.id] = iv
            presence[(o.id, md.machine)] = True
            if md.occupancy > 0:
                per_machine[md.machine].append(iv)
            continue
        size = model.new_int_var(min(occs), max(occs), f"d_{o.id}")
        sizes[o.id] = size
        masters[o.id] = model.new_interval_var(s, size, e, f"i_{o.id}")
        lits = []
        for md in modes:
            lit = model.new_bool_var(f"p_{o.id}_{md.machine}")
            lits.append(lit)
            presence[(o.id, md.machine)] = lit
            model.add(size == md.occupancy).only_enforce_if(lit)
            if md.occupancy > 0:
                per_machine[md.machine].append(
                    model.new_optional_fixed_size_interval_var(s, md.occupancy, lit, f"o_{o.id}_{md.machine}")
                )
        model.add_exactly_one(lits)
    for o in problem.operations:
        for p in o.predecessors:
            model.add(starts[o.id] >= ends[p.op] + p.min_lag)

    sinks = [o.id for o in problem.operations if not problem.successors(o.id)]
    makespan = model.new_int_var(max(head[k] for k in sinks), horizon, "makespan")
    model.add_max_equality(makespan, [ends[k] for k in sinks])
    mk_interval = (
        model.new_interval_var(makespan, horizon - makespan, horizon, "makespan_interval") if (makespan_only) else None
    )
    for m in problem.machines:
        ivs = list(per_machine[m.id])
        for wi, (ws, we) in enumerate(merged_windows([(w.start, w.end) for w in m.unavailable])):
            ws, we = max(ws, 0), min(we, horizon + 1)
            if we > ws:
                ivs.append(model.new_fixed_size_interval_var(ws, we - ws, f"u_{m.id}_{wi}"))
        if mk_interval is not None:
            ivs.append(mk_interval)
        if len(ivs) > 1:
            model.add_no_overlap(ivs)
    for group in (set(g) for g in machine_groups(problem) if len(g) > 1):
        inside = [o for o in problem.operations if all(md.machine in group for md in o.modes)]
        if len(inside) > 1:
            model.add_cumulative([masters[o.id] for o in inside], [1] * len(inside), len(group))

    # objective
    terms: list[Any] = []
    wt_expr: Any = 0
    tard_jobs = [j for j in problem.jobs if j.due is not None and j.weight > 0 and problem.ops_of(j.id)]
    if opts.objective in ("weighted_tardiness", "mix") and tard_jobs:
        job_sinks: dict[str, list[str]] = {}
        for o in problem.operations:
            if all(problem.op(s).job != o.job for s, _ in problem.successors(o.id)):
                job_sinks.setdefault(o.job, []).append(o.id)
        wt_terms = []
        for j in tard_jobs:
            t = model.new_int_var(0, horizon, f"t_{j.id}")
            tard_vars.append((t, j.due or 0, job_sinks.get(j.id, [])))
            for sink in job_sinks.get(j.id, []):
                model.add(t >= ends[sink] - (j.due or 0))
            wt_terms.append(j.weight * t)
        wt_expr = sum(wt_terms)
    if opts.objective == "makespan":
        terms.append(makespan)
    elif opts.objective == "weighted_tardiness":
        terms.append(wt_expr)
    else:
        terms += [opts.makespan_weight * makespan, opts.tardiness_weight * wt_expr]
    if opts.stability_weight and prev:
        dev_terms: list[Any] = []
        for oid, a in prev.items():
            if oid not in starts or oid in frozen:
                continue
            dev = model.new_int_var(0, horizon, f"dev_{oid}")
            dev_vars[oid] = dev
            model.add_abs_equality(dev, starts[oid] - a.start)
            dev_terms.append(dev)
            plit = presence.get((oid, a.machine))
            if plit is not None and not isinstance(plit, int):
                dev_terms.append(opts.machine_change_penalty * (1 - plit))
            elif plit is None:
                dev_terms.append(opts.machine_change_penalty)
        terms.append(opts.stability_weight * sum(dev_terms))
    model.minimize(sum(terms))

    hint, hint_rule = opts.hint, "given"
    if hint is None:
        hint, hint_rule = best_start(problem, opts, greedy)
    start_metrics = metrics(problem, hint)
    _add_hint(model, problem, hint, starts, ends, sizes, presence, makespan, tard_vars, dev_vars, prev)

    solver = cp_model.CpSolver()
    prm = solver.parameters
    prm.max_time_in_seconds = max(0.1, opts.time_limit_s - (time.perf_counter() - t0))
    prm.num_workers = opts.workers
    prm.random_seed = opts.seed
    prm.log_search_progress = opts.log
    if len(problem.operations) <= 1000:
        # the LP-heavy full-search worker proves optimality much faster than default_lp with 2 workers
        prm.subsolvers.append("max_lp")
    if len(problem.operations) > 1000 or any(m.unavailable for m in problem.machines):
        # presolve probing costs seconds of wall time on large or calendar-constrained models for little gain
        prm.cp_model_probing_level = 0
    cb = _FirstSolution(t0)
    code = solver.solve(model, cb)
    status = solver.status_name(code)
    seconds = time.perf_counter() - t0
    if code in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        out = []
        for o in problem.operations:
            machine = next(md.machine for md in o.modes if _chosen(solver, presence.get((o.id, md.machine))))
            out.append(Assignment(o.id, machine, solver.value(starts[o.id]), solver.value(ends[o.id])))
        schedule, source = Schedule(tuple(out)), "cp-sat"
        objective: float | None = solver.objective_value
        bound: float | None = solver.best_objective_bound
    elif opts.hint is not None and not check_schedule(problem, opts.hint):
        schedule, source, objective, bound = opts.hint, "hint", None, None
    else:
        schedule, source, objective, bound = greedy, "greedy", None, None
    return SolveResult(
        schedule=schedule,
        source=source,
        status=status,
        objective=objective,
        lower_bound=bound,
        seconds=round(seconds, 3),
        metrics=metrics(problem, schedule),
        greedy=g_metrics,
        horizon=horizon,
        stats={
            "hint": hint_rule,
            "start": {
                "makespan": start_metrics.makespan,
                "weighted_tardiness": start_metrics.weighted_tardiness,
                "late_orders": start_metrics.late_jobs,
            },
            "lower_bound_source": "cp-sat" if bound is not None else None,
            "first_solution_seconds": cb.first,
            "solutions": cb.count,
            "conflicts": solver.num_conflicts,
            "branches": solver.num_branches,
            "wall_time": solver.wall_time,
        },
    )
