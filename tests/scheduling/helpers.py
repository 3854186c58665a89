"""Small hand-built problems for the scheduling tests."""

from __future__ import annotations

from mip.scheduling.model import Job, Machine, Mode, Operation, Predecessor, Problem, Window


def op(oid: str, job: str, *modes: tuple[str, int, int], preds: tuple[tuple[str, int], ...] = ()) -> Operation:
    return Operation(
        oid, job, tuple(Mode(m, d, s) for m, d, s in modes), tuple(Predecessor(p, lag) for p, lag in preds)
    )


def bom_problem() -> Problem:
    """Order A (due 100) is assembled on M1 from sub-assembly S (job 'A.1', two ops on M2 then M1 or M3)
    with a 5-minute transfer; order B (due 30, weight 3) competes for M1. M1 is closed over [20, 40)."""
    machines = (Machine("M1", unavailable=(Window(20, 40, "break"),)), Machine("M2"), Machine("M3"))
    jobs = (Job("A", release=0, due=100, weight=1), Job("A.1", release=2), Job("B", due=30, weight=3, priority=1))
    ops = (
        op("S/10", "A.1", ("M2", 10, 2)),
        op("S/20", "A.1", ("M1", 8, 0), ("M3", 12, 0), preds=(("S/10", 0),)),
        op("A/10", "A", ("M1", 15, 5), preds=(("S/20", 5),)),
        op("B/10", "B", ("M2", 6, 0)),
        op("B/20", "B", ("M1", 10, 0), preds=(("B/10", 0),)),
    )
    return Problem(machines, jobs, ops, name="bom").validate()
