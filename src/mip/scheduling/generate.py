"""A deterministic, plant-sized synthetic scheduling problem (for benchmarks, demos and tests).

Plant: ``work_centers`` work centres of ``machines_per_center`` interchangeable machines each (speeds differ by up
to ±25 %, so alternatives have different durations), two-shift calendars (06:00–22:00 Monday–Friday; one
machine in three runs three shifts), a few breakdown windows per machine. Orders: a 4-level BOM per order
(product ← sub-assemblies ← components ← parts, 1–2 children per level), one job per BOM item; every item has
1–3 routing operations with setup times; the last operation of a child item precedes the first operation of its
parent, with a transfer lag; leaf items wait for material (release); top-level orders carry due dates, weights
and priorities. Same seed, same problem.
"""

from __future__ import annotations

import random
from datetime import UTC, datetime

from mip.scheduling.model import Job, Machine, Mode, Operation, Predecessor, Problem, Window

DAY = 1440
WEEK = 7 * DAY


def _calendar(weeks: int, three_shift: bool) -> list[Window]:
    """Closed time: nights (22:00–06:00) unless three-shift, and weekends, from a Monday 06:00 horizon start."""
    out: list[Window] = []
    for w in range(weeks):
        base = w * WEEK
        if not three_shift:
            for d in range(5):
                out.append(Window(base + d * DAY + 16 * 60, base + (d + 1) * DAY, "night"))
            out[-1] = Window(out[-1].start, base + 7 * DAY, "weekend")  # Friday 22:00 → Monday 06:00
        else:
            out.append(Window(base + 4 * DAY + 16 * 60, base + 7 * DAY, "weekend"))
    return out


def generate_plant(
    seed: int = 1,
    orders: int = 200,
    work_centers: int = 10,
    machines_per_center: int = 3,
    levels: int = 4,
    weeks: int = 6,
) -> Problem:
    rnd = random.Random(seed)  # noqa: S311 - deterministic synthetic data, not security
    machines: list[Machine] = []
    centers: list[list[tuple[str, float]]] = []
    for c in range(work_centers):
        members = []
        for k in range(machines_per_center):
            mid = f"WC{c + 1:02d}-M{k + 1}"
            wins = _calendar(weeks, three_shift=(k == 0 and c % 3 == 0))
            for _ in range(rnd.randint(0, 2)):
                s = rnd.randrange(0, weeks * WEEK - 300)
                wins.append(Window(s, s + rnd.randint(60, 300), "breakdown"))
            machines.append(Machine(mid, f"Machine {k + 1} of WC{c + 1:02d}", f"WC{c + 1:02d}", tuple(wins)))
            members.append((mid, rnd.uniform(0.8, 1.25)))
        centers.append(members)

    jobs: list[Job] = []
    ops: list[Operation] = []

    def build_item(order: int, path: str, level: int, release_base: int) -> tuple[str, str, int]:
        """Create the item's job (and its children, recursively); returns (first op, last op, work)."""
        job_id = f"O{order:03d}{path}"
        children = []
        if level < levels:
            for ch in range(rnd.randint(1, 2)):
                children.append(build_item(order, f"{path}.{ch + 1}", level + 1, release_base))
        n_ops = rnd.randint(1, 3)
        first = last = ""
        work = 0
        for k in range(n_ops):
            center = centers[rnd.randrange(work_centers)]
            base = rnd.randint(20, 120)
            setup = rnd.choice((0, 10, 15, 30, 45))
            modes = tuple(Mode(mid, max(1, round(base * speed)), setup) for mid, speed in center)
            oid = f"{job_id}/{(k + 1) * 10}"
            preds: list[Predecessor] = []
            if k == 0:
                preds += [Predecessor(c_last, rnd.choice((0, 0, 30, 60))) for _, c_last, _ in children]
            else:
                preds.append(Predecessor(last))
            ops.append(Operation(oid, job_id, modes, tuple(preds), f"op {(k + 1) * 10}"))
            work += base + setup
            first = first or oid
            last = oid
        release = release_base + (rnd.randint(0, 3 * DAY) if not children else 0)
        work += max((w for _, _, w in children), default=0)
        if level == 1:
            jobs.append(Job(job_id, release, None, 1, 0, f"order {order}"))
        else:
            jobs.append(Job(job_id, release, None, 0, 0, f"item {path} of order {order}"))
        return first, last, work

    for o in range(orders):
        release = rnd.randint(0, 2 * WEEK)
        _, _, work = build_item(o, "", 1, release)
        top = jobs[-1]
        due = release + 3 * work + rnd.randint(3, 12) * DAY
        jobs[-1] = Job(top.id, top.release, due, rnd.choice((1, 1, 2, 3, 5)), rnd.choice((0, 0, 0, 1, 2)), top.name)
    start = datetime(2025, 1, 6, 6, 0, tzinfo=UTC)  # a Monday
    return Problem(tuple(machines), tuple(jobs), tuple(ops), start, f"plant-seed{seed}").validate()
