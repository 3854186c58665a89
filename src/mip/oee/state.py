"""Machine state: per-minute classification of the running signal, then planned stops and operator input
painted over it (later layers win), merged into intervals.

A minute is ``running`` when the running signal's average is above its threshold; otherwise ``idle`` when
it has data (and, if an idle signal is configured, that signal's average is above its threshold - e.g.
power on but the spindle stopped), else ``down`` (no data: off or unknown). Minutes that just started and
have no data yet (ingest lag) keep the previous minute's state.
"""

from __future__ import annotations

import dataclasses
import uuid
from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np

from mip.oee.calendar import MINUTE_NS, NS_PER_S, ceil_to, floor_to
from mip.oee.signals import MinuteSeries

RUNNING, IDLE, DOWN, PLANNED_STOP = "running", "idle", "down", "planned_stop"
STATES = (RUNNING, IDLE, DOWN, PLANNED_STOP)
PENDING_NS = 90 * NS_PER_S
_CODES = (RUNNING, IDLE, DOWN)


@dataclass(frozen=True, slots=True)
class Interval:
    start: int
    end: int
    state: str
    source: str = "signal"  # signal | schedule | operator
    reason_code: str | None = None
    entry_id: uuid.UUID | None = None

    def joins(self, other: Interval) -> bool:
        return (
            self.end == other.start
            and self.state == other.state
            and self.source == other.source
            and self.reason_code == other.reason_code
            and self.entry_id == other.entry_id
        )


def _present(series: MinuteSeries, m0: int, n: int) -> tuple[np.ndarray, np.ndarray]:
    idx = (series.minute - m0) // MINUTE_NS
    ok = (idx >= 0) & (idx < n)
    has = np.zeros(n, dtype=bool)
    mean = np.zeros(n, dtype=np.float64)
    has[idx[ok]] = True
    mean[idx[ok]] = series.mean[ok]
    return has, mean


def signal_intervals(
    a: int,
    end: int,
    now: int,
    run: MinuteSeries | None,
    run_threshold: float,
    idle: MinuteSeries | None = None,
    idle_threshold: float = 0.0,
) -> list[Interval]:
    """The signal-derived timeline of [a, end). ``run`` None: no running signal configured (all down)."""
    if end <= a:
        return []
    m0 = floor_to(a, MINUTE_NS)
    n = (ceil_to(end, MINUTE_NS) - m0) // MINUTE_NS
    codes = np.full(n, 2, dtype=np.int8)
    if run is not None:
        has, mean = _present(run, m0, n)
        running = has & (mean > run_threshold)
        if idle is not None:
            has_i, mean_i = _present(idle, m0, n)
            powered = has & has_i & (mean_i > idle_threshold)
        else:
            powered = has
        codes[powered & ~running] = 1
        codes[running] = 0
        minutes = m0 + np.arange(n, dtype=np.int64) * MINUTE_NS
        for i in np.flatnonzero(~has & (minutes >= now - PENDING_NS)).tolist():
            if i > 0:
                codes[i] = codes[i - 1]
    change = np.flatnonzero(np.r_[True, codes[1:] != codes[:-1]])
    out: list[Interval] = []
    for k, i in enumerate(change.tolist()):
        j = int(change[k + 1]) if k + 1 < change.shape[0] else n
        s = max(a, m0 + i * MINUTE_NS)
        e = min(end, m0 + j * MINUTE_NS)
        if e > s:
            out.append(Interval(s, e, _CODES[int(codes[i])]))
    return out


def paint(base: list[Interval], over: Interval) -> list[Interval]:
    """``over`` replaces whatever ``base`` (a contiguous timeline) says during its span."""
    if not base or over.end <= base[0].start or over.start >= base[-1].end:
        return base
    out: list[Interval] = []
    for iv in base:
        if iv.end <= over.start or iv.start >= over.end:
            out.append(iv)
            continue
        if iv.start < over.start:
            out.append(dataclasses.replace(iv, end=over.start))
        if iv.end > over.end:
            out.append(dataclasses.replace(iv, start=over.end))
    out.append(dataclasses.replace(over, start=max(over.start, base[0].start), end=min(over.end, base[-1].end)))
    out.sort(key=lambda iv: iv.start)
    return out


def merge(intervals: Iterable[Interval]) -> list[Interval]:
    out: list[Interval] = []
    for iv in intervals:
        if out and out[-1].joins(iv):
            out[-1] = dataclasses.replace(out[-1], end=iv.end)
        else:
            out.append(iv)
    return out


def effective_timeline(signal: list[Interval], *layers: Iterable[Interval]) -> list[Interval]:
    """Paint each layer over the signal timeline in order (planned stops, then operator entries)."""
    timeline = signal
    for layer in layers:
        for over in layer:
            timeline = paint(timeline, over)
    return merge(timeline)
