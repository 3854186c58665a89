"""Greedy baseline, schedule validator and the CP-SAT model on benchmark and hand-built problems."""

from __future__ import annotations

from dataclasses import replace

import pytest

from mip.scheduling.bench import load_instance
from mip.scheduling.evaluate import check_schedule, metrics
from mip.scheduling.generate import generate_plant
from mip.scheduling.greedy import greedy_schedule
from mip.scheduling.model import Assignment, BadInstance, Schedule
from mip.scheduling.solver import SolveOptions, solve
from tests.scheduling.helpers import bom_problem


@pytest.mark.parametrize("name", ["ft06", "la01", "mk01"])
def test_greedy_is_feasible(name: str) -> None:
    p = load_instance(name)
    s = greedy_schedule(p)
    assert check_schedule(p, s) == []


def test_validator_catches_violations() -> None:
    p = bom_problem()
    s = greedy_schedule(p)
    assert check_schedule(p, s) == []
    by = s.by_op()
    bad = dict(by)
    a = by["A/10"]
    bad["A/10"] = replace(a, start=by["S/20"].end, end=by["S/20"].end + 20)  # ignores the 5-minute lag
    errors = check_schedule(p, Schedule(tuple(bad.values())))
    assert any("A/10" in e and "lag 5" in e for e in errors)
    # overlap with the closed window of M1 and a wrong machine
    bad = dict(by)
    bad["B/20"] = Assignment("B/20", "M1", 15, 25)
    bad["S/10"] = Assignment("S/10", "M3", by["S/10"].start, by["S/10"].end)
    errors = check_schedule(p, Schedule(tuple(bad.values())))
    assert any("unavailability [20,40)" in e for e in errors)
    assert any("S/10: machine M3 is not eligible" in e for e in errors)
    # overlap of two operations, a missing one and a release violation
    bad = dict(by)
    bad["B/10"] = Assignment("B/10", "M2", by["S/10"].start, by["S/10"].start + 6)
    del bad["A/10"]
    bad["S/10"] = Assignment("S/10", "M2", 0, 12)
    errors = check_schedule(p, Schedule(tuple(bad.values())))
    assert any("overlaps" in e and "M2" in e for e in errors)
    assert any("unassigned" in e for e in errors)
    assert any("before the release 2" in e for e in errors)


def test_ft06_optimal() -> None:
    r = solve(load_instance("ft06"), SolveOptions(time_limit_s=20))
    assert r.status == "OPTIMAL"
    assert r.metrics.makespan == 55
    assert r.lower_bound == 55
    assert r.greedy.makespan > 55
    assert r.improvement()["makespan"] == r.greedy.makespan - 55
    assert check_schedule(load_instance("ft06"), r.schedule) == []


def test_la01_optimal() -> None:
    p = load_instance("la01")
    r = solve(p, SolveOptions(time_limit_s=20))
    assert r.status == "OPTIMAL"
    assert r.metrics.makespan == 666
    assert check_schedule(p, r.schedule) == []


def test_mk01_flexible() -> None:
    p = load_instance("mk01")
    r = solve(p, SolveOptions(time_limit_s=5))
    assert r.metrics.makespan <= 42
    assert check_schedule(p, r.schedule) == []
    assert r.lower_bound is not None
    assert r.lower_bound <= 40


def test_bom_precedence_and_calendar() -> None:
    p = bom_problem()
    for objective in ("makespan", "weighted_tardiness", "mix"):
        r = solve(p, SolveOptions(objective=objective, time_limit_s=5))
        assert r.status == "OPTIMAL"
        s = r.schedule.by_op()
        assert check_schedule(p, r.schedule) == []
        assert s["A/10"].start >= s["S/20"].end + 5  # sub-assembly before parent, with the transfer lag
        assert s["S/10"].start >= 2  # release of the sub-assembly job
        for a in r.schedule.assignments:  # nothing on M1 inside its closed window
            if a.machine == "M1":
                assert a.end <= 20 or a.start >= 40
        assert r.metrics.makespan == a.end or r.metrics.makespan >= max(x.end for x in r.schedule.assignments)
    r = solve(p, SolveOptions(objective="weighted_tardiness", time_limit_s=5))
    assert r.metrics.tardiness["B"] == 0  # the heavy order is on time
    assert r.metrics.weighted_tardiness <= r.greedy.weighted_tardiness


def test_setup_time_occupies_machine() -> None:
    p = bom_problem()
    r = solve(p, SolveOptions(time_limit_s=5))
    a = r.schedule.by_op()["A/10"]
    assert a.end - a.start == 20  # 5 setup + 15 processing


def test_options_checked() -> None:
    with pytest.raises(BadInstance, match="time limit"):
        solve(bom_problem(), SolveOptions(time_limit_s=0))
    with pytest.raises(BadInstance, match="objective"):
        solve(bom_problem(), SolveOptions(objective="fastest"))


def test_plant_generator_deterministic_and_solvable() -> None:
    p = generate_plant(seed=3, orders=25)
    assert p == generate_plant(seed=3, orders=25)
    assert p != generate_plant(seed=4, orders=25)
    assert any(w.reason == "breakdown" for m in p.machines for w in m.unavailable)
    assert any(len(o.modes) > 1 and o.modes[0].setup for o in p.operations) or any(
        len(o.modes) > 1 for o in p.operations
    )
    r = solve(p, SolveOptions(objective="mix", time_limit_s=3))
    assert r.status in ("OPTIMAL", "FEASIBLE")
    assert check_schedule(p, r.schedule) == []
    g = metrics(p, greedy_schedule(p))
    assert r.metrics.weighted_tardiness + r.metrics.makespan <= g.weighted_tardiness + g.makespan
