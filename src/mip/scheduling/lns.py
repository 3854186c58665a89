"""Large-neighbourhood search (LNS) around CP-SAT for plant-sized problems.

A full CP-SAT model of a plant (thousands of operations, calendars) finds no improvement of a good dispatching
start within seconds. The LNS instead repeatedly frees a *neighbourhood* of operations, fixes every other
operation where it is, re-optimises the small sub-model with CP-SAT (``mip.scheduling.lns_model``) and keeps the
result when the whole schedule gets better; after each improvement a left-shift compaction lets the gain
propagate to the fixed operations downstream. Neighbourhoods (chosen at random, each kind weighted by its recent
success):

* ``window``: the operations starting around a random time, across all machines;
* ``machines``: the operations around a random time on one group of interchangeable machines (a work centre);
* ``critical``: a late order (drawn by weighted tardiness) or the order finishing last (makespan) with all its
  upstream operations (its BOM tree) and its critical chain (the machine predecessor holding each start),
  plus the operations nearest in time on the machines they may use.

Anchors of ``window`` and ``machines`` fall on a late or last order's operation half of the time. The size
(number of freed operations) adapts: it grows when sub-solves are proven optimal quickly and shrinks when they
time out. Every accepted schedule passes ``check_schedule``, so the incumbent is feasible at all times.

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
from mip.scheduling.lns_model import Structure, Weights, left_shift, objective_value, solve_neighbourhood
from mip.scheduling.model import Assignment, Problem, Schedule

KINDS = ("window", "machines", "critical")
MIN_SIZE = 8
START_SIZE = 60
MAX_SIZE = 600


@dataclass(frozen=True)
class LnsResult:
    schedule: Schedule
    score: int
    start_score: int
    iterations: int
    improvements: int
    optimal_subsolves: int
    final_size: dict[str, int]
    seconds: float
    kinds: dict[str, dict[str, int]] = field(default_factory=dict)  # kind -> tries / improvements
    trace: tuple[tuple[float, int], ...] = ()  # (seconds, score) after each improvement

    def stats(self) -> dict[str, Any]:
        return {
            "lns_iterations": self.iterations,
            "lns_improvements": self.improvements,
            "lns_optimal_subsolves": self.optimal_subsolves,
            "lns_final_sizes": self.final_size,
            "lns_seconds": round(self.seconds, 3),
            "lns_start_objective": self.start_score,
            "lns_kinds": self.kinds,
        }


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


class _Neighbourhoods:
    def __init__(self, st: Structure, w: Weights) -> None:
        self.st, self.w, self.problem = st, w, st.problem
        self.movable = [o.id for o in st.problem.operations if o.id not in st.frozen_ids]
        used = {md.machine for o in st.problem.operations for md in o.modes}
        self.groups = [g for g in machine_groups(st.problem) if used.intersection(g)]
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
        m = metrics(self.problem, Schedule(tuple(by_op.values())))
        self.targets: list[tuple[str, int]] = []
        if self.w.tardiness:
            self.targets += [(j, self.problem.job(j).weight * t) for j, t in sorted(m.tardiness.items()) if t > 0]
        if self.w.makespan or not self.targets:
            last = max(self.movable, key=lambda k: (by_op[k].end, k), default=None)
            if last is not None:
                share = max(1, sum(v for _, v in self.targets) // max(1, len(self.targets)))
                self.targets.append((self.problem.op(last).job, share))

    def _pick_target(self, rnd: random.Random) -> str | None:
        if not self.targets:
            return None
        return rnd.choices([j for j, _ in self.targets], weights=[v for _, v in self.targets])[0]

    def _anchor(self, rnd: random.Random, ops: list[str]) -> int:
        """An index into ``ops`` (sorted by start): half the time near a target order's operation."""
        job = self._pick_target(rnd) if rnd.random() < 0.5 else None
        if job is not None:
            mine = [k for k in self.problem.ops_of(job) if k in self.by_op and k not in self.st.frozen_ids]
            if mine:
                t = self.by_op[rnd.choice(sorted(mine))].start
                starts = [self.by_op[k].start for k in ops]
                return min(bisect_left(starts, t), len(ops) - 1)
        return rnd.randrange(len(ops))

    def window(self, rnd: random.Random, size: int) -> set[str]:
        i = self._anchor(rnd, self.order)
        lo = max(0, min(i - size // 2, len(self.order) - size))
        return set(self.order[lo : lo + size])

    def machines(self, rnd: random.Random, size: int) -> set[str]:
        group = rnd.choice(self.groups)
        ops = sorted((k for m in group for k in self.on_machine.get(m, [])), key=lambda k: self.by_op[k].start)
        if not ops:
            return set()
        i = self._anchor(rnd, ops)
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
    rnd = random.Random(seed)
    by_op = start.by_op()
    score = start_score = objective_value(problem, w, start, st.frozen_ids)
    hood = _Neighbourhoods(st, w)
    hood.refresh(by_op)
    size = dict.fromkeys(KINDS, float(max(min(START_SIZE, len(hood.movable)), 1)))
    max_size = max(min(MAX_SIZE, len(hood.movable)), 1)
    kind_weight = dict.fromkeys(KINDS, 1.0)
    kinds = {k: {"tries": 0, "improvements": 0} for k in KINDS}
    it = improvements = optimal = 0
    trace: list[tuple[float, int]] = []
    deterministic = iterations is not None
    while hood.movable:
        if deterministic:
            if it >= (iterations or 0):
                break
            limit = sub_limit_s
        else:
            remaining = time_limit_s - (time.perf_counter() - t0)
            if remaining < 0.1:
                break
            limit = min(sub_limit_s, remaining - 0.05)
        it += 1
        kind = rnd.choices(KINDS, weights=[kind_weight[k] for k in KINDS])[0]
        free = getattr(hood, kind)(rnd, int(size[kind]))
        if not free:
            kind_weight[kind] = max(0.1, kind_weight[kind] * 0.5)
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
        gained = False
        if res.changes:
            cand = dict(by_op)
            cand.update(res.changes)
            cand_score = objective_value(problem, w, Schedule(tuple(cand.values())), st.frozen_ids)
            if cand_score < score:
                shifted = left_shift(problem, cand, st.frozen_ids, st.rank)
                shifted_score = objective_value(problem, w, Schedule(tuple(shifted.values())), st.frozen_ids)
                if shifted_score <= cand_score:
                    cand, cand_score = shifted, shifted_score
                sched = Schedule(tuple(cand[o.id] for o in problem.operations))
                if not check_schedule(problem, sched):
                    by_op, score, gained = cand, cand_score, True
                    improvements += 1
                    kinds[kind]["improvements"] += 1
                    trace.append((round(time.perf_counter() - t0, 3), score))
                    hood.refresh(by_op)
        kind_weight[kind] = min(5.0, kind_weight[kind] * 1.2) if gained else max(0.2, kind_weight[kind] * 0.95)
    schedule = Schedule(tuple(by_op[o.id] for o in problem.operations))
    return LnsResult(
        schedule=schedule,
        score=score,
        start_score=start_score,
        iterations=it,
        improvements=improvements,
        optimal_subsolves=optimal,
        final_size={k: int(v) for k, v in size.items()},
        seconds=time.perf_counter() - t0,
        kinds=kinds,
        trace=tuple(trace),
    )
