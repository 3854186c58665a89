"""Large-neighbourhood search (LNS) around CP-SAT for plant-sized problems.

A full CP-SAT model of a plant (thousands of operations, calendars) finds no improvement of a good dispatching
start within seconds. The LNS instead repeatedly frees a *neighbourhood* of operations, fixes every other
operation where it is, re-optimises the small sub-model with CP-SAT (``mip.scheduling.lns_model``) and keeps the
result when the whole schedule gets better; after each improvement a left-shift compaction lets the gain
propagate to the fixed operations downstream. Neighbourhoods:

* ``window``: the operations starting around a random time across all machines, or (makespan objectives, a
  quarter of the time) the last operations of the schedule;
* ``machines``: the operations around a time on one group of interchangeable machines (a work centre);
* ``critical``: a late order or one of the last orders with all its upstream operations (its BOM tree) and its
  critical chain (the binding predecessor, else the previous operation on the machine), plus the operations
  nearest in time on the machines they may use.

Targets (late orders for the tardiness, the three last orders for the makespan) are weighted by their distance to
the calendar-aware relaxation (``lns_model.earliest_ends``), so orders that cannot finish earlier are left alone;
anchors of ``window`` and ``machines`` fall on a target's operation half of the time. Each kind is drawn in
proportion to its success rate so far. The size (number of freed operations, per kind) adapts: it grows when
sub-solves are proven optimal in less than half their limit and shrinks when they are not proven optimal. The
search stops early when the relaxation bound is reached (proven optimal). Every accepted schedule passes
``check_schedule``, so the incumbent is feasible at all times.

Determinism: with ``iterations`` set, each sub-solve uses one worker and a deterministic time limit, so the result
depends only on the problem, the start and the seed. Time-limited runs (the default in ``solve``) use wall-clock
limits and ``workers`` threads, so they may differ from run to run and with machine load.
"""

from __future__ import annotations

import random
import time
from bisect import bisect_left
from dataclasses import dataclass, field
from typing import Any

from mip.scheduling.evaluate import check_schedule, metrics
from mip.scheduling.lns_model import (
    Structure,
    Weights,
    left_shift,
    objective_value,
    relaxation_bound,
    solve_neighbourhood,
)
from mip.scheduling.model import Assignment, Problem, Schedule

KINDS = ("window", "machines", "critical")
MIN_SIZE = 8
START_SIZE = 60
MAX_SIZE = 1200


@dataclass(frozen=True)
class LnsResult:
    schedule: Schedule
    score: int
    start_score: int
    bound: int  # relaxation lower bound (lns_model.relaxation_bound); score == bound proves optimality
    iterations: int
    improvements: int
    optimal_subsolves: int
    rejected_infeasible: int  # improvements refused by check_schedule (expected 0)
    final_size: dict[str, int]
    seconds: float
    kinds: dict[str, dict[str, int]] = field(default_factory=dict)  # kind -> tries / improvements
    trace: tuple[tuple[float, int], ...] = ()  # (seconds, score) after each improvement

    def stats(self) -> dict[str, Any]:
        return {
            "lns_iterations": self.iterations,
            "lns_improvements": self.improvements,
            "lns_optimal_subsolves": self.optimal_subsolves,
            "lns_rejected_infeasible": self.rejected_infeasible,
            "lns_final_sizes": self.final_size,
            "lns_seconds": round(self.seconds, 3),
            "lns_start_objective": self.start_score,
            "lns_kinds": self.kinds,
        }


class _Neighbourhoods:
    def __init__(self, st: Structure, w: Weights) -> None:
        self.st, self.w, self.problem = st, w, st.problem
        self.movable = [o.id for o in st.problem.operations if o.id not in st.frozen_ids]
        used = {md.machine for o in st.problem.operations for md in o.modes}
        self.groups = [g for g in st.groups if used.intersection(g)]
        self.group_of = {m: g for g in self.groups for m in g}
        self.targets: list[list[tuple[str, int]]] = []
        self.refresh({})

    def refresh(self, by_op: dict[str, Assignment]) -> None:
        """Re-index the incumbent: operations by start, globally and per machine; late and last orders."""
        self.by_op = by_op
        if not by_op:
            return
        key = lambda k: (by_op[k].start, self.st.rank[k])  # noqa: E731
        self.order = sorted(self.movable, key=key)
        self.on_machine: dict[str, list[str]] = {}
        for k in self.order:
            self.on_machine.setdefault(by_op[k].machine, []).append(k)
        self.starts_on = {m: [by_op[k].start for k in seq] for m, seq in self.on_machine.items()}
        # targets: late orders (tardiness) and the last orders (makespan), each weighted by how far it is from its
        # relaxation bound; the two groups are drawn equally often
        m = metrics(self.problem, Schedule(tuple(by_op.values())))
        st, w = self.st, self.w
        late: list[tuple[str, int]] = []
        if w.tardiness:
            for j, t in sorted(m.tardiness.items()):
                job = self.problem.job(j)
                gap = t - max(0, st.earliest_completion.get(j, 0) - (job.due or 0))
                if t > 0 and gap > 0:
                    late.append((j, job.weight * gap))
        last: list[tuple[str, int]] = []
        if w.makespan:
            movable_jobs = {self.problem.op(k).job for k in self.movable}
            ends = sorted((c, j) for j, c in m.completion.items() if j in movable_jobs)[-3:]
            last = [(j, c - st.earliest_makespan) for c, j in ends if c > st.earliest_makespan]
        self.targets = [g for g in (late, last) if g]
        if not self.targets and self.movable:
            self.targets = [[(self.problem.op(max(self.movable, key=lambda k: (by_op[k].end, k))).job, 1)]]

    def _pick_target(self, rnd: random.Random) -> str | None:
        if not self.targets:
            return None
        group = self.targets[rnd.randrange(len(self.targets))]
        return rnd.choices([j for j, _ in group], weights=[v for _, v in group])[0]

    def _anchor(self, rnd: random.Random, ops: list[str]) -> int:
        """An index into ``ops`` (sorted by start): half the time near a target order's operation."""
        job = self._pick_target(rnd) if rnd.random() < 0.5 else None
        if job is not None:
            mine = [o.id for o in self.problem.ops_of(job) if o.id not in self.st.frozen_ids]
            if mine:
                t = self.by_op[rnd.choice(sorted(mine))].start
                starts = [self.by_op[k].start for k in ops]
                return min(bisect_left(starts, t), len(ops) - 1)
        return rnd.randrange(len(ops))

    def window(self, rnd: random.Random, size: int) -> set[str]:
        if self.w.makespan and rnd.random() < 0.25:  # the end of the schedule (what the makespan depends on)
            return set(self.order[-size:])
        i = self._anchor(rnd, self.order)
        lo = max(0, min(i - size // 2, len(self.order) - size))
        return set(self.order[lo : lo + size])

    def machines(self, rnd: random.Random, size: int) -> set[str]:
        """Half the time the group running a target order's operation, around it; else a random group and time."""
        job = self._pick_target(rnd) if rnd.random() < 0.5 else None
        mine = sorted(o.id for o in self.problem.ops_of(job) if o.id not in self.st.frozen_ids) if job else []
        anchor = rnd.choice(mine) if mine else None
        group = self.group_of[self.by_op[anchor].machine] if anchor else rnd.choice(self.groups)
        ops = sorted((k for m in group for k in self.on_machine.get(m, [])), key=lambda k: self.by_op[k].start)
        if not ops:
            return set()
        if anchor is None:
            i = rnd.randrange(len(ops))
        else:
            i = min(bisect_left([self.by_op[k].start for k in ops], self.by_op[anchor].start), len(ops) - 1)
        lo = max(0, min(i - size // 2, len(ops) - size))
        return set(ops[lo : lo + size])

    def _chain(self, sink: str, limit: int) -> list[str]:
        """Upstream operations of ``sink``: its precedence ancestors, then the machine predecessor chain."""
        out: list[str] = []
        seen: set[str] = set()
        stack = [sink]
        while stack and len(out) < limit:
            k = stack.pop()
            if k in seen or k in self.st.frozen_ids:
                continue
            seen.add(k)
            out.append(k)
            stack.extend(p.op for p in self.problem.op(k).predecessors)
        cur = sink  # the critical chain: the binding predecessor, else the previous operation on the machine
        while len(out) < limit:
            a = self.by_op[cur]
            nxt = next(
                (p.op for p in self.problem.op(cur).predecessors if self.by_op[p.op].end + p.min_lag == a.start), None
            )
            if nxt is None:
                seq = self.on_machine.get(a.machine, [])
                i = seq.index(cur) if cur in seq else 0
                nxt = seq[i - 1] if i > 0 else None
            if nxt is None or nxt in self.st.frozen_ids:
                break
            if nxt not in seen:
                seen.add(nxt)
                out.append(nxt)
            cur = nxt
        return out

    def critical(self, rnd: random.Random, size: int) -> set[str]:
        free: set[str] = set()
        for _ in range(3):
            job = self._pick_target(rnd)
            if job is None:
                break
            sinks = [k for k in self.st.job_sinks.get(job, []) if k not in self.st.frozen_ids]
            for s in sinks:
                free.update(self._chain(s, max(1, size // 2 - len(free))))
            if len(free) >= size // 3:
                break
        if not free:
            return set()
        # fill with the operations nearest in time on the machines the core operations may use
        near: list[tuple[int, str]] = []
        reach = size // len(free) + 2  # operations looked at on each side of a core operation, per machine
        for c in sorted(free):
            t = self.by_op[c].start
            for md in self.problem.op(c).modes:
                seq, starts = self.on_machine.get(md.machine, []), self.starts_on.get(md.machine, [])
                i = bisect_left(starts, t)
                for k in seq[max(0, i - reach) : i + reach]:
                    if k not in free:
                        near.append((abs(self.by_op[k].start - t), k))
        near.sort()
        for _, k in near:
            if len(free) >= size:
                break
            free.add(k)
        return free


def improve(
    problem: Problem,
    start: Schedule,
    w: Weights,
    *,
    time_limit_s: float = 10.0,
    iterations: int | None = None,
    workers: int = 2,
    seed: int = 0,
    sub_limit_s: float = 0.5,
) -> LnsResult:
    """LNS from the feasible schedule ``start``; stops after ``iterations`` (deterministic, see module docstring)
    or when ``time_limit_s`` is used up. The result is feasible and never worse than ``start``."""
    t0 = time.perf_counter()
    if check_schedule(problem, start):
        raise ValueError("the LNS start schedule is not feasible")
    st = Structure(problem)
    rnd = random.Random(seed)  # noqa: S311 - reproducible search, not security
    by_op = start.by_op()
    score = start_score = objective_value(problem, w, start, st.frozen_ids)
    hood = _Neighbourhoods(st, w)
    hood.refresh(by_op)
    size = dict.fromkeys(KINDS, float(max(min(START_SIZE, len(hood.movable)), 1)))
    max_size = max(min(MAX_SIZE, len(hood.movable)), 1)
    empty = dict.fromkeys(KINDS, 0)  # neighbourhoods that came out empty (e.g. no target)
    kinds = {k: {"tries": 0, "improvements": 0} for k in KINDS}
    it = improvements = optimal = rejected = 0
    trace: list[tuple[float, int]] = []
    deterministic = iterations is not None
    bound = relaxation_bound(problem, w, st.earliest_end)
    while hood.movable and score > bound:
        if deterministic:
            if it >= (iterations or 0):
                break
            limit = sub_limit_s
        else:
            remaining = time_limit_s - (time.perf_counter() - t0)
            if remaining < 0.25:  # a sub-solve and an accepted step (compaction, check) need about this much
                break
            limit = min(sub_limit_s, remaining - 0.15)
        it += 1
        # each kind in proportion to its success rate so far (Laplace estimate: untried kinds get 1/2)
        rate = [(kinds[k]["improvements"] + 1) / (kinds[k]["tries"] + empty[k] + 2) for k in KINDS]
        kind = rnd.choices(KINDS, weights=rate)[0]
        free = getattr(hood, kind)(rnd, int(size[kind]))
        if not free:
            empty[kind] += 1
            continue
        kinds[kind]["tries"] += 1
        res = solve_neighbourhood(
            st, w, by_op, free, time_limit_s=limit, workers=workers, seed=seed + it, deterministic=deterministic
        )
        spent = res.deterministic_time if deterministic else res.wall
        if res.status == "OPTIMAL":
            optimal += 1
            if spent < 0.5 * limit:
                size[kind] = min(max_size, size[kind] * 1.15)
        else:
            size[kind] = max(MIN_SIZE, size[kind] * 0.8)
        if res.changes and res.improved:
            cand = dict(by_op)
            cand.update(res.changes)
            cand_score = objective_value(problem, w, Schedule(tuple(cand.values())), st.frozen_ids)
            if cand_score < score:
                shifted = left_shift(problem, cand, st.frozen_ids, st.rank)
                shifted_score = objective_value(problem, w, Schedule(tuple(shifted.values())), st.frozen_ids)
                if shifted_score <= cand_score:
                    cand, cand_score = shifted, shifted_score
                sched = Schedule(tuple(cand[o.id] for o in problem.operations))
                if check_schedule(problem, sched):  # pragma: no cover - the sub-model forbids it; never accept
                    rejected += 1
                else:
                    by_op, score = cand, cand_score
                    improvements += 1
                    kinds[kind]["improvements"] += 1
                    trace.append((round(time.perf_counter() - t0, 3), score))
                    hood.refresh(by_op)
    schedule = Schedule(tuple(by_op[o.id] for o in problem.operations))
    return LnsResult(
        schedule=schedule,
        score=score,
        start_score=start_score,
        bound=bound,
        iterations=it,
        improvements=improvements,
        optimal_subsolves=optimal,
        rejected_infeasible=rejected,
        final_size={k: int(v) for k, v in size.items()},
        seconds=time.perf_counter() - t0,
        kinds=kinds,
        trace=tuple(trace),
    )
