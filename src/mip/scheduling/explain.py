"""Why is an order late? Its critical chain of operations and resources.

From the order's last-finishing operation, walk back through the *binding* predecessor: the precedence
predecessor (including lag) or the previous operation on the same machine that ends exactly when the current
one starts (precedence wins a tie, it is the stronger explanation). The walk stops at an operation held by the
order's release date, by a machine's unavailability window (calendar / breakdown), by the frozen zone of a
reschedule, at time zero, or at idle time (nothing binding: the solver left slack there).
"""

from __future__ import annotations

import bisect
from collections import Counter
from dataclasses import dataclass

from mip.scheduling.evaluate import merged_windows, metrics
from mip.scheduling.model import Problem, Schedule


@dataclass(frozen=True)
class ChainLink:
    op: str
    job: str
    machine: str
    start: int
    end: int
    waits_for: str  # what holds this op's start: precedence, machine, release, calendar, frozen, time_zero, idle


@dataclass(frozen=True)
class LateExplanation:
    job: str
    due: int
    completion: int
    tardiness: int
    weight: int
    chain: tuple[ChainLink, ...]  # from the earliest binding operation to the order's last operation
    bottlenecks: tuple[tuple[str, int], ...]  # machines on the chain with the minutes they contribute
    summary: str


def explain_late(problem: Problem, schedule: Schedule, limit: int | None = None) -> list[LateExplanation]:
    """One explanation per late order, most weighted tardiness first."""
    by_op = schedule.by_op()
    m = metrics(problem, schedule)
    on_machine: dict[str, list[tuple[int, int, str]]] = {}
    for a in schedule.assignments:
        on_machine.setdefault(a.machine, []).append((a.end, a.start, a.op))
    for v in on_machine.values():
        v.sort()
    end_keys = {k: [e for e, _, _ in v] for k, v in on_machine.items()}
    window_ends = {
        mc.id: {e for _, e in merged_windows([(w.start, w.end) for w in mc.unavailable])} for mc in problem.machines
    }

    def machine_pred(machine: str, start: int, op: str) -> str | None:
        ends = end_keys.get(machine, [])
        i = bisect.bisect_right(ends, start)
        while i > 0:
            e, s, other = on_machine[machine][i - 1]
            if e < start:
                return None
            if other != op and e > s:
                return other
            i -= 1
        return None

    late = sorted(
        (j for j in problem.jobs if m.tardiness.get(j.id, 0) > 0),
        key=lambda j: (-j.weight * m.tardiness[j.id], j.id),
    )
    out = []
    for job in late[:limit] if limit else late:
        ops = [by_op[o.id] for o in problem.ops_of(job.id) if o.id in by_op]
        cur = max(ops, key=lambda a: (a.end, a.op))
        links: list[ChainLink] = []
        seen: set[str] = set()
        while cur.op not in seen:
            seen.add(cur.op)
            op = problem.op(cur.op)
            nxt: str | None = None
            reason = "idle"
            for p in op.predecessors:
                pa = by_op.get(p.op)
                if pa is not None and pa.end + p.min_lag == cur.start:
                    nxt, reason = p.op, "precedence"
                    break
            if nxt is None:
                mp = machine_pred(cur.machine, cur.start, cur.op)
                if mp is not None:
                    nxt, reason = mp, "machine"
                elif problem.frozen_until is not None and cur.start == problem.frozen_until:
                    reason = "frozen"
                elif cur.start == problem.job(op.job).release:
                    reason = "release"
                elif cur.start in window_ends.get(cur.machine, set()):
                    reason = "calendar"
                elif cur.start == 0:
                    reason = "time_zero"
            links.append(ChainLink(cur.op, op.job, cur.machine, cur.start, cur.end, reason))
            if nxt is None:
                break
            cur = by_op[nxt]
        links.reverse()
        use: Counter[str] = Counter()
        for lk in links:
            use[lk.machine] += lk.end - lk.start
        bottlenecks = tuple(use.most_common(3))
        tard = m.tardiness[job.id]
        first = links[0]
        summary = (
            f"Order {job.id} completes at {m.completion[job.id]}, due {job.due}: {tard} min late. "
            f"Critical chain of {len(links)} operations from {first.op} (held by {first.waits_for}); "
            f"busiest resources on it: " + ", ".join(f"{k} ({v} min)" for k, v in bottlenecks) + "."
        )
        out.append(
            LateExplanation(
                job.id, job.due or 0, m.completion[job.id], tard, job.weight, tuple(links), bottlenecks, summary
            )
        )
    return out
