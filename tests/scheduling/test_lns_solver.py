"""Large-neighbourhood search around CP-SAT: feasibility, monotonicity, determinism, improvement, integration."""

from __future__ import annotations

from dataclasses import replace

from mip.scheduling.evaluate import check_schedule, metrics
from mip.scheduling.generate import generate_plant
from mip.scheduling.greedy import dispatch_orders, greedy_schedule, repair_schedule
from mip.scheduling.lns import improve
from mip.scheduling.lns_model import Structure, Weights, left_shift, objective_value, relaxation_bound
from mip.scheduling.model import MachineDown, Schedule
from mip.scheduling.reschedule import apply_disruption
from mip.scheduling.solver import LNS_MIN_OPERATIONS, SolveOptions, solve
from tests.scheduling.helpers import bom_problem

MIX = Weights(makespan=1, tardiness=1)


def test_lns_keeps_feasibility_and_never_gets_worse() -> None:
    p = generate_plant(seed=5, orders=15, work_centers=4, machines_per_center=2)
    start = greedy_schedule(p)
    r = improve(p, start, MIX, time_limit_s=1.5, seed=1, sub_limit_s=0.2)
    assert check_schedule(p, r.schedule) == []
    assert r.iterations > 0
    assert r.rejected_infeasible == 0
    assert r.score <= r.start_score == objective_value(p, MIX, start)
    assert r.score == objective_value(p, MIX, r.schedule)
    assert [s for _, s in r.trace] == sorted((s for _, s in r.trace), reverse=True)  # strictly improving steps
    assert r.score >= relaxation_bound(p, MIX)


def test_lns_is_deterministic_with_a_fixed_iteration_count() -> None:
    p = generate_plant(seed=2, orders=40, work_centers=5, machines_per_center=2)
    start = greedy_schedule(p, dispatch_orders(p)["most_work"])
    a = improve(p, start, MIX, iterations=8, seed=7, sub_limit_s=0.1)
    b = improve(p, start, MIX, iterations=8, seed=7, sub_limit_s=0.1)
    assert a.iterations == b.iterations == 8
    assert a.improvements > 0
    assert a.schedule == b.schedule
    assert (a.score, a.improvements, a.kinds, a.final_size) == (b.score, b.improvements, b.kinds, b.final_size)


def test_lns_repairs_a_deliberately_bad_start() -> None:
    p = generate_plant(seed=2, orders=40, work_centers=5, machines_per_center=2)  # ~650 operations, loaded
    latest_due_first = [j.id for j in sorted(p.jobs, key=lambda j: (-(j.due or 0), j.id))]
    bad = greedy_schedule(p, latest_due_first)  # deliberately bad: the most urgent orders are planned last
    good = greedy_schedule(p, dispatch_orders(p)["edd"])
    r = improve(p, bad, MIX, iterations=12, seed=0, sub_limit_s=0.1)
    assert check_schedule(p, r.schedule) == []
    assert r.improvements >= 5
    assert r.score <= 0.8 * r.start_score  # at least 20 % better than the start
    assert metrics(p, r.schedule).weighted_tardiness < metrics(p, bad).weighted_tardiness
    assert objective_value(p, MIX, good) < r.start_score  # (sanity: the start really was bad)


def test_left_shift_only_moves_operations_earlier() -> None:
    g = generate_plant(seed=3, orders=10)
    p = replace(g, machines=tuple(replace(m, unavailable=()) for m in g.machines), _index={})  # no calendars
    s = greedy_schedule(p)
    delayed = Schedule(tuple(replace(a, start=a.start + 1000, end=a.end + 1000) for a in s.assignments))
    assert check_schedule(p, delayed) == []
    shifted = left_shift(p, delayed.by_op(), set(), Structure(p).rank)
    sched = Schedule(tuple(shifted[o.id] for o in p.operations))
    assert check_schedule(p, sched) == []
    assert all(shifted[a.op].end <= a.end and shifted[a.op].machine == a.machine for a in delayed.assignments)
    assert sched.makespan <= s.makespan < delayed.makespan


def test_relaxation_bound_is_below_the_optimum() -> None:
    p = bom_problem()
    r = solve(p, SolveOptions(objective="mix", time_limit_s=5))
    assert r.status == "OPTIMAL"
    assert relaxation_bound(p, MIX) <= r.objective
    assert relaxation_bound(p, Weights(1, 0)) <= r.metrics.makespan


def test_lns_respects_the_frozen_zone_and_stability() -> None:
    p = generate_plant(seed=4, orders=15)
    prev = greedy_schedule(p)
    busy = max(prev.assignments, key=lambda a: a.end - a.start)
    new = apply_disruption(p, prev, now=busy.start, machine_down=(MachineDown(busy.machine, busy.start, busy.end),))
    w = Weights(1, 1, stability=1)
    start = repair_schedule(new, prev)
    r = improve(new, start, w, iterations=8, seed=2, sub_limit_s=0.2)
    assert r.iterations == 8
    assert check_schedule(new, r.schedule) == []
    assert r.score <= objective_value(new, w, start)
    by = r.schedule.by_op()
    for oid, a in new.frozen().items():
        assert by[oid] == a
    assert all(a.start >= busy.start for oid, a in by.items() if oid not in new.frozen())


def test_solve_uses_lns_on_large_problems() -> None:
    p = generate_plant(seed=1, orders=70)
    assert len(p.operations) > LNS_MIN_OPERATIONS
    r = solve(p, SolveOptions(objective="mix", time_limit_s=3))
    assert r.source == "cp-sat-lns"
    assert r.status in ("FEASIBLE", "OPTIMAL")
    assert r.seconds <= 3.5
    assert check_schedule(p, r.schedule) == []
    start = r.stats["start"]
    assert r.objective is not None
    assert r.lower_bound is not None
    assert r.lower_bound <= r.objective <= start["makespan"] + start["weighted_tardiness"]
    assert r.objective <= r.greedy.makespan + r.greedy.weighted_tardiness
    assert r.stats["lns_iterations"] >= 1
    assert r.stats["lns_rejected_infeasible"] == 0
    assert r.stats["first_solution_seconds"] < 3
    # a fixed iteration count makes the whole solve reproducible
    opts = SolveOptions(objective="mix", time_limit_s=60, lns_iterations=5, seed=3)
    assert solve(p, opts).schedule == solve(p, opts).schedule
