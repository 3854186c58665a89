"""Rescheduling after a disruption (machine down window, rush order) with a stability term."""

from __future__ import annotations

from dataclasses import replace

from mip.scheduling.greedy import repair_schedule
from mip.scheduling.model import BadInstance, MachineDown, Problem, RushOrder, Schedule, Window
from mip.scheduling.solver import SolveOptions, SolveResult, solve


def apply_disruption(
    problem: Problem,
    previous: Schedule,
    *,
    now: int = 0,
    machine_down: tuple[MachineDown, ...] = (),
    rush_orders: tuple[RushOrder, ...] = (),
) -> Problem:
    """The problem after the disruption: extra unavailability windows, extra orders, ``previous`` as the
    reference schedule and everything that started before ``now`` frozen (unless a breakdown interrupts it)."""
    if now < 0:
        raise BadInstance("'now' must be >= 0")
    machine_ids = {m.id for m in problem.machines}
    extra: dict[str, list[Window]] = {}
    for d in machine_down:
        if d.machine not in machine_ids:
            raise BadInstance(f"machine_down: unknown machine {d.machine!r}")
        if d.end <= d.start:
            raise BadInstance(f"machine_down on {d.machine!r}: end must be after start")
        extra.setdefault(d.machine, []).append(Window(d.start, d.end, "breakdown"))
    machines = tuple(replace(m, unavailable=m.unavailable + tuple(extra.get(m.id, ()))) for m in problem.machines)
    jobs, ops = problem.jobs, problem.operations
    known_ops = {o.id for o in ops}
    for r in rush_orders:
        if any(o.id in known_ops for o in r.operations):
            raise BadInstance(f"rush order {r.job.id!r}: operation ids clash with existing operations")
        if any(o.job != r.job.id for o in r.operations):
            raise BadInstance(f"rush order {r.job.id!r}: every operation must belong to it")
        jobs += (r.job,)
        ops += r.operations
        known_ops |= {o.id for o in r.operations}
    out = Problem(machines, jobs, ops, problem.horizon_start, problem.name, previous, now if now > 0 else None)
    return out.validate()


def reschedule(
    problem: Problem,
    previous: Schedule,
    *,
    now: int = 0,
    machine_down: tuple[MachineDown, ...] = (),
    rush_orders: tuple[RushOrder, ...] = (),
    options: SolveOptions | None = None,
) -> tuple[Problem, SolveResult]:
    """Apply the disruption and re-solve, penalising moves away from ``previous`` (stability weight defaults
    to 1 per minute moved; ``machine_change_penalty`` minutes per machine change). The right-shift repair of the
    previous schedule is the hint, so the result is never less stable than simply pushing work back."""
    new = apply_disruption(problem, previous, now=now, machine_down=machine_down, rush_orders=rush_orders)
    opts = options or SolveOptions(objective="mix", stability_weight=1)
    if opts.stability_weight == 0:
        opts = replace(opts, stability_weight=1)
    opts = replace(opts, hint=opts.hint or repair_schedule(new, previous))
    return new, solve(new, opts)
