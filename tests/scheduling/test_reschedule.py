"""Rescheduling with stability, rush orders, and late-order explanations."""

from __future__ import annotations

from mip.scheduling.bench import load_instance
from mip.scheduling.evaluate import check_schedule
from mip.scheduling.explain import explain_late
from mip.scheduling.greedy import greedy_schedule
from mip.scheduling.model import Job, Machine, MachineDown, Problem, RushOrder, Window
from mip.scheduling.reschedule import apply_disruption, reschedule
from mip.scheduling.solver import SolveOptions, solve
from tests.scheduling.helpers import op


def test_machine_down_keeps_unaffected_operations() -> None:
    p = load_instance("ft06")
    prev = solve(p, SolveOptions(time_limit_s=10)).schedule
    last = max(prev.assignments, key=lambda a: a.end)
    down = MachineDown(last.machine, last.start, last.start + 10)
    new, r = reschedule(
        p, prev, machine_down=(down,), options=SolveOptions(objective="mix", stability_weight=10, time_limit_s=5)
    )
    assert check_schedule(new, r.schedule) == []
    after = r.schedule.by_op()
    for a in r.schedule.assignments:
        if a.machine == down.machine:
            assert a.end <= down.start or a.start >= down.end
    early = [a for a in prev.assignments if a.end <= 20]
    assert early
    for a in early:  # far from the breakdown: same machine, same start
        assert (after[a.op].start, after[a.op].machine) == (a.start, a.machine)
    assert after[last.op].start >= down.end or after[last.op].end <= down.start


def test_frozen_zone_and_rush_order() -> None:
    p = load_instance("ft06")
    prev = greedy_schedule(p)
    rush = RushOrder(
        Job("R", release=10, due=40, weight=50),
        (op("R-0", "R", ("M0", 5, 0)), op("R-1", "R", ("M1", 5, 0), preds=(("R-0", 2),))),
    )
    new, r = reschedule(p, prev, now=10, rush_orders=(rush,), options=SolveOptions(stability_weight=1, time_limit_s=5))
    assert check_schedule(new, r.schedule) == []
    after = r.schedule.by_op()
    for a in prev.assignments:
        if a.start < 10:  # already started: frozen
            assert after[a.op] == a
        else:
            assert after[a.op].start >= 10
    assert after["R-1"].start >= after["R-0"].end + 2
    assert r.metrics.tardiness["R"] == 0  # the heavy rush order is on time


def test_breakdown_interrupting_a_running_operation_redoes_it() -> None:
    p = load_instance("ft06")
    prev = greedy_schedule(p)
    a = next(x for x in prev.assignments if x.start < 5 < x.end)
    new = apply_disruption(p, prev, now=5, machine_down=(MachineDown(a.machine, 5, 15),))
    assert a.op not in new.frozen()
    r = solve(new, SolveOptions(objective="mix", stability_weight=1, time_limit_s=5))
    assert check_schedule(new, r.schedule) == []
    assert r.schedule.by_op()[a.op].start >= 15 or r.schedule.by_op()[a.op].machine != a.machine


def _two_orders() -> Problem:
    machines = (Machine("M1", unavailable=(Window(0, 5, "night"),)), Machine("M2"))
    jobs = (Job("A", due=40, weight=2, priority=1), Job("B", due=50, weight=1))
    ops = (
        op("A/10", "A", ("M1", 30, 0)),
        op("B/10", "B", ("M2", 10, 0)),
        op("B/20", "B", ("M1", 20, 0), preds=(("B/10", 0),)),
        op("B/30", "B", ("M2", 10, 0), preds=(("B/20", 3),)),
    )
    return Problem(machines, jobs, ops).validate()


def test_late_explanation_walks_the_critical_chain() -> None:
    p = _two_orders()
    s = greedy_schedule(p)  # A first (priority): M1 5-35, then B/20 35-55, B/30 58-68
    [e] = explain_late(p, s)
    assert (e.job, e.completion, e.tardiness) == ("B", 68, 18)
    assert [(lk.op, lk.waits_for) for lk in e.chain] == [
        ("A/10", "calendar"),
        ("B/20", "machine"),
        ("B/30", "precedence"),
    ]
    assert e.bottlenecks[0] == ("M1", 50)
    assert "18 min late" in e.summary
    assert "M1" in e.summary
