"""OEE arithmetic. Everything is kept as additive components (times in ns, counts) per segment - an hour,
split where a shift starts or ends - and ratios are formed only at the end, so a line, a shift or a day is
the sum of its segments' components (never an average of percentages):

* planned production time = shift time - planned stops = running + idle + down time inside the shift
* availability = run time / planned production time
* performance = ideal run time (ideal cycle time x total count) / run time, capped at 1 (flagged when over)
* quality = good count / total count
* OEE = availability x performance x quality (0 when nothing ran or nothing was made in planned time)

Parts are counted inside shift time (planned stops included); outside any shift nothing is planned and
nothing counts. Without any count source (no counter sensor, no operator counts) performance, quality and
OEE are unknown (null), not zero.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import numpy.typing as npt

from mip.oee.calendar import HOUR_NS, NS_PER_S, ShiftInstance, ceil_to, overlap
from mip.oee.state import IDLE, PLANNED_STOP, RUNNING, Interval


@dataclass(slots=True)
class Components:
    shift_ns: int = 0
    planned_stop_ns: int = 0
    run_ns: int = 0
    idle_ns: int = 0
    down_ns: int = 0
    total_count: float = 0.0
    good_count: float = 0.0
    reject_count: float = 0.0
    ideal_run_ns: float | None = 0.0  # None: parts were made but the ideal cycle time is unknown
    counted: bool = False  # a count source exists (a counter sensor, or operator counts for this time)

    @property
    def planned_ns(self) -> int:
        return self.run_ns + self.idle_ns + self.down_ns

    def add(self, o: Components) -> Components:
        self.shift_ns += o.shift_ns
        self.planned_stop_ns += o.planned_stop_ns
        self.run_ns += o.run_ns
        self.idle_ns += o.idle_ns
        self.down_ns += o.down_ns
        self.total_count += o.total_count
        self.good_count += o.good_count
        self.reject_count += o.reject_count
        self.ideal_run_ns = (
            None if self.ideal_run_ns is None or o.ideal_run_ns is None else self.ideal_run_ns + o.ideal_run_ns
        )
        self.counted = self.counted or o.counted
        return self


@dataclass(slots=True)
class Segment:
    machine_id: uuid.UUID
    start: int
    end: int
    shift: ShiftInstance | None
    c: Components = field(default_factory=Components)


@dataclass(frozen=True, slots=True)
class CountEntry:
    """Operator-entered counts for [start, end), spread over it in proportion to time."""

    start: int
    end: int
    good: float
    reject: float


def total(segments: Iterable[Segment]) -> Components:
    out = Components()
    for s in segments:
        out.add(s.c)
    return out


def figures(c: Components) -> dict[str, Any]:
    planned = c.planned_ns
    availability = c.run_ns / planned if planned > 0 else None
    raw = c.ideal_run_ns / c.run_ns if c.run_ns > 0 and c.ideal_run_ns is not None and c.counted else None
    performance = min(1.0, raw) if raw is not None else None
    good = min(max(c.good_count, 0.0), c.total_count)
    quality = good / c.total_count if c.total_count > 0 else None
    if availability == 0 or performance == 0:
        oee: float | None = 0.0
    elif availability is not None and performance is not None and quality is not None:
        oee = availability * performance * quality
    else:
        oee = None
    return {
        "availability": availability,
        "performance": performance,
        "quality": quality,
        "oee": oee,
        "performance_raw": raw,
        "performance_capped": raw is not None and raw > 1.0,
        "shift_time_s": c.shift_ns / NS_PER_S,
        "planned_stop_time_s": c.planned_stop_ns / NS_PER_S,
        "planned_time_s": planned / NS_PER_S,
        "run_time_s": c.run_ns / NS_PER_S,
        "idle_time_s": c.idle_ns / NS_PER_S,
        "down_time_s": c.down_ns / NS_PER_S,
        "total_count": c.total_count,
        "good_count": good,
        "reject_count": c.total_count - good,
        "ideal_run_time_s": c.ideal_run_ns / NS_PER_S if c.ideal_run_ns is not None else None,
    }


def _boundaries(a: int, end: int, instances: Sequence[ShiftInstance]) -> list[int]:
    cuts = {a, end}
    cuts.update(range(ceil_to(a + 1, HOUR_NS), end, HOUR_NS))
    for i in instances:
        cuts.update(t for t in (i.start, i.end) if a < t < end)
    return sorted(cuts)


def build_segments(
    machine_id: uuid.UUID,
    a: int,
    end: int,
    instances: Sequence[ShiftInstance],
    timeline: Sequence[Interval],
    *,
    count_minutes: npt.NDArray[np.int64] | None = None,
    count_values: npt.NDArray[np.float64] | None = None,
    entries: Sequence[CountEntry] = (),
    ideal_cycle_ns: float | None = None,
) -> list[Segment]:
    """Segments of [a, end): every hour, cut where a shift starts or ends; components from the timeline
    (sorted, contiguous), the counter's per-minute increments (``count_minutes`` None: no counter sensor,
    totals come from the operator's good + reject) and the operator's count entries."""
    cuts = _boundaries(a, end, instances)
    out: list[Segment] = []
    j = 0
    cum = np.r_[0.0, np.cumsum(count_values)] if count_values is not None else None
    for s, e in zip(cuts[:-1], cuts[1:], strict=True):
        shift = next((i for i in instances if i.start <= s < i.end), None)
        seg = Segment(machine_id, s, e, shift)
        out.append(seg)
        if shift is None:
            continue
        c = seg.c
        c.shift_ns = e - s
        while j < len(timeline) and timeline[j].end <= s:
            j += 1
        k = j
        while k < len(timeline) and timeline[k].start < e:
            iv = timeline[k]
            d = overlap(iv.start, iv.end, s, e)
            if iv.state == RUNNING:
                c.run_ns += d
            elif iv.state == IDLE:
                c.idle_ns += d
            elif iv.state == PLANNED_STOP:
                c.planned_stop_ns += d
            else:
                c.down_ns += d
            k += 1
        c.down_ns += c.shift_ns - c.planned_stop_ns - c.planned_ns  # any gap in the timeline: unknown = down
        good = reject = 0.0
        for en in entries:
            share = overlap(en.start, en.end, s, e) / (en.end - en.start)
            good += en.good * share
            reject += en.reject * share
            c.counted = c.counted or share > 0
        if count_minutes is not None and cum is not None:
            c.counted = True
            lo, hi = np.searchsorted(count_minutes, [s, e], side="left")
            c.total_count = float(cum[hi] - cum[lo])
            c.reject_count = reject
            c.good_count = c.total_count - reject
        else:
            c.total_count, c.good_count, c.reject_count = good + reject, good, reject
        if c.total_count == 0:
            c.ideal_run_ns = 0.0
        else:
            c.ideal_run_ns = c.total_count * ideal_cycle_ns if ideal_cycle_ns is not None else None
    return out
