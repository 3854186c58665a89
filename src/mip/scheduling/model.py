"""The solver-independent scheduling problem and its result: the seam between planning and scheduling.

Everything here is a frozen dataclass of plain values, so a problem can be built by any producer (the
benchmark parsers, the synthetic generator, ``mip.planning.schedule_input.build_problem``), compared, hashed,
serialised (``problem_to_dict`` / ``problem_from_dict`` in ``mip.scheduling.codec``) and solved by the greedy
dispatcher or by CP-SAT.

Conventions (read these before building a problem):

* **Time** is integer minutes from ``Problem.horizon_start`` (a timezone-aware datetime; ``None`` for
  abstract benchmark instances, whose unit is whatever the instance uses). Intervals are half-open
  ``[start, end)``.
* **Machines** are the resources that process one operation at a time. ``Machine.unavailable`` lists the
  windows when it cannot work: closed calendar time (nights, weekends, holidays, planned stops) and
  breakdowns. An operation never overlaps such a window (operations are not pre-emptive: an operation that
  does not fit before a window starts after it). ``work_center`` is informational (Gantt grouping).
* **Jobs** are orders (a production order, or a sub-assembly order). ``release`` is the earliest start of any of
  its operations (material availability), ``due`` the due date (``None``: no due date, never late),
  ``weight`` the tardiness weight (cost per minute late, ≥ 1) and ``priority`` the dispatch priority of the
  greedy baseline (higher first). A job is complete when its last operation ends.
* **Operations** belong to one job and run in exactly one of their ``modes``; a mode is an eligible machine
  with its processing ``duration`` and a sequence-independent ``setup`` time. The machine is occupied for
  ``setup + duration`` from the assignment's ``start`` (setup first, then processing). An alternative
  machine is another mode (possibly with a different duration). Operations with all modes of duration 0 and
  setup 0 are allowed (milestones) but still need a mode.
* **Precedence**: ``Operation.predecessors`` lists operations (of the same job or of any other job) that must
  end before this one starts, plus ``min_lag`` minutes (transfer, queue, drying or inspection time):
  ``start(op) >= end(pred) + min_lag``. Routing order inside a job is expressed the same way (each
  operation has the previous one as predecessor); nothing is implied by the order of ``operations``.
  BOM precedence: the last operation of a sub-assembly job is a predecessor of the first operation of the
  parent that consumes it. Cycles are refused.
* **Existing schedule** (``Problem.existing``): a previous schedule, used as a warm start and, when
  rescheduling, as the reference for stability (operations that keep their machine and start cost nothing;
  deviations are penalised by the stability weight). ``frozen_until``: operations of the existing schedule
  that start before this time are fixed (already started / in the frozen zone) and are not moved.

``Problem.validate()`` checks referential integrity and raises ``BadInstance`` (HTTP 422, code
``bad_instance``) naming the problem.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from mip.platform.errors import MIPError


class BadInstance(MIPError):
    """A scheduling instance (file, JSON problem) that cannot be read or is inconsistent."""

    code = "bad_instance"
    status = 422
    title = "Bad scheduling instance"


@dataclass(frozen=True)
class Window:
    """A half-open time interval ``[start, end)`` in minutes from the horizon start."""

    start: int
    end: int
    reason: str = ""


@dataclass(frozen=True)
class Machine:
    """A unary resource. ``unavailable``: calendar closures and breakdowns (any order, may overlap)."""

    id: str
    name: str = ""
    work_center: str = ""
    unavailable: tuple[Window, ...] = ()


@dataclass(frozen=True)
class Mode:
    """One way to run an operation: on ``machine`` for ``setup + duration`` minutes."""

    machine: str
    duration: int
    setup: int = 0

    @property
    def occupancy(self) -> int:
        return self.setup + self.duration


@dataclass(frozen=True)
class Predecessor:
    """``start(this op) >= end(op) + min_lag``."""

    op: str
    min_lag: int = 0


@dataclass(frozen=True)
class Job:
    """An order: release (material available), due date, tardiness weight and dispatch priority."""

    id: str
    release: int = 0
    due: int | None = None
    weight: int = 1
    priority: int = 0
    name: str = ""


@dataclass(frozen=True)
class Operation:
    """One operation of a job, run in exactly one mode, after all its predecessors (plus lags)."""

    id: str
    job: str
    modes: tuple[Mode, ...]
    predecessors: tuple[Predecessor, ...] = ()
    name: str = ""


@dataclass(frozen=True)
class Assignment:
    """Where and when one operation runs: the machine is occupied over ``[start, end)`` (setup included)."""

    op: str
    machine: str
    start: int
    end: int


@dataclass(frozen=True)
class Schedule:
    """A complete or partial schedule: one assignment per operation."""

    assignments: tuple[Assignment, ...]

    def by_op(self) -> dict[str, Assignment]:
        return {a.op: a for a in self.assignments}

    @property
    def makespan(self) -> int:
        return max((a.end for a in self.assignments), default=0)


@dataclass(frozen=True)
class Problem:
    """A complete scheduling problem. See the module docstring for the conventions."""

    machines: tuple[Machine, ...]
    jobs: tuple[Job, ...]
    operations: tuple[Operation, ...]
    horizon_start: datetime | None = None
    name: str = ""
    existing: Schedule | None = None
    frozen_until: int | None = None
    _index: dict[str, Any] = field(default_factory=dict, compare=False, hash=False, repr=False)

    # --- look-ups (cached on first use; the dataclass itself stays immutable) ---------------------------
    def _idx(self) -> dict[str, Any]:
        if not self._index:
            self._index["ops"] = {o.id: o for o in self.operations}
            self._index["jobs"] = {j.id: j for j in self.jobs}
            self._index["machines"] = {m.id: m for m in self.machines}
            by_job: dict[str, list[Operation]] = {}
            succ: dict[str, list[tuple[str, int]]] = {}
            for o in self.operations:
                by_job.setdefault(o.job, []).append(o)
                for p in o.predecessors:
                    succ.setdefault(p.op, []).append((o.id, p.min_lag))
            self._index["by_job"] = by_job
            self._index["succ"] = succ
        return self._index

    def op(self, op_id: str) -> Operation:
        return self._idx()["ops"][op_id]  # type: ignore[no-any-return]

    def job(self, job_id: str) -> Job:
        return self._idx()["jobs"][job_id]  # type: ignore[no-any-return]

    def machine(self, machine_id: str) -> Machine:
        return self._idx()["machines"][machine_id]  # type: ignore[no-any-return]

    def ops_of(self, job_id: str) -> list[Operation]:
        return list(self._idx()["by_job"].get(job_id, []))

    def successors(self, op_id: str) -> list[tuple[str, int]]:
        """(successor op id, min lag) pairs."""
        return list(self._idx()["succ"].get(op_id, []))

    def topological_order(self) -> list[Operation]:
        """Operations in an order where every predecessor comes first (raises BadInstance on a cycle)."""
        indeg = {o.id: len(o.predecessors) for o in self.operations}
        ready = [o.id for o in self.operations if indeg[o.id] == 0]
        out: list[Operation] = []
        while ready:
            oid = ready.pop()
            out.append(self.op(oid))
            for s, _ in self.successors(oid):
                indeg[s] -= 1
                if indeg[s] == 0:
                    ready.append(s)
        if len(out) != len(self.operations):
            stuck = sorted(k for k, v in indeg.items() if v > 0)[:5]
            raise BadInstance(f"precedence cycle among operations {stuck}")
        return out

    def frozen(self) -> dict[str, Assignment]:
        """Assignments of ``existing`` that start before ``frozen_until`` and stay fixed (an operation whose
        machine is now unavailable during it, e.g. interrupted by a breakdown, is not frozen: it is redone)."""
        if self.existing is None or self.frozen_until is None:
            return {}
        ops = self._idx()["ops"]
        out = {}
        for a in self.existing.assignments:
            if a.op not in ops or a.start >= self.frozen_until:
                continue
            m = self._idx()["machines"].get(a.machine)
            if m is None or any(w.start < a.end and a.start < w.end for w in m.unavailable):
                continue
            out[a.op] = a
        return out

    def validate(self) -> Problem:
        """Check ids, references, modes, windows and acyclicity; returns self."""
        if not self.operations:
            raise BadInstance("the problem has no operations")
        for kind, items in (("machine", self.machines), ("job", self.jobs), ("operation", self.operations)):
            seen: set[str] = set()
            for it in items:
                if it.id in seen:
                    raise BadInstance(f"duplicate {kind} id {it.id!r}")
                seen.add(it.id)
        machines, jobs, ops = self._idx()["machines"], self._idx()["jobs"], self._idx()["ops"]
        for m in self.machines:
            for w in m.unavailable:
                if w.end <= w.start:
                    raise BadInstance(f"machine {m.id!r}: unavailability window [{w.start}, {w.end}) is empty")
        for j in self.jobs:
            if j.weight < 0 or j.release < 0:
                raise BadInstance(f"job {j.id!r}: weight and release must be >= 0")
        for o in self.operations:
            if o.job not in jobs:
                raise BadInstance(f"operation {o.id!r}: unknown job {o.job!r}")
            if not o.modes:
                raise BadInstance(f"operation {o.id!r} has no mode (no eligible machine)")
            for md in o.modes:
                if md.machine not in machines:
                    raise BadInstance(f"operation {o.id!r}: unknown machine {md.machine!r}")
                if md.duration < 0 or md.setup < 0:
                    raise BadInstance(f"operation {o.id!r}: negative duration or setup")
            for p in o.predecessors:
                if p.op not in ops:
                    raise BadInstance(f"operation {o.id!r}: unknown predecessor {p.op!r}")
                if p.min_lag < 0:
                    raise BadInstance(f"operation {o.id!r}: negative lag after {p.op!r}")
        self.topological_order()
        return self


@dataclass(frozen=True)
class MachineDown:
    """Disruption: ``machine`` is unavailable over ``[start, end)`` (a breakdown, an unplanned stop)."""

    machine: str
    start: int
    end: int


@dataclass(frozen=True)
class RushOrder:
    """Disruption: a new order (job and its operations) to insert into an existing schedule."""

    job: Job
    operations: tuple[Operation, ...]
