"""Vectorised building blocks of the rule engine: segmented arrays (one segment per evaluator input, time-ordered),
the raise/clear state machine, segmented first-order recurrences and range-max queries.

A *segment* is the run of one input's readings inside one ``process`` call. Everything here works on all
segments at once with numpy, carrying per-segment state in and out, so an evaluator costs a fixed number of
numpy calls per batch whatever the number of readings.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt
from scipy.signal import lfilter

I64 = npt.NDArray[np.int64]
F64 = npt.NDArray[np.float64]
B = npt.NDArray[np.bool_]
IP = npt.NDArray[np.intp]

NO_TS = int(np.iinfo(np.int64).min)  # "no timestamp" in int64 state arrays
NS = 1_000_000_000


@dataclass(slots=True)
class Seg:
    """One evaluator's readings of one batch, grouped by input (``seg_input``), time-ordered in each group."""

    ts: I64
    x: F64
    seg_start: IP
    seg_len: IP
    seg_input: IP
    seg_of_row: IP

    @property
    def n_seg(self) -> int:
        return int(self.seg_start.shape[0])

    @property
    def seg_last(self) -> IP:
        return self.seg_start + self.seg_len - 1

    @classmethod
    def build(cls, ts: I64, x: F64, seg_len: IP, seg_input: IP) -> Seg:
        seg_start = np.cumsum(seg_len) - seg_len
        seg_of_row = np.repeat(np.arange(seg_len.shape[0], dtype=np.intp), seg_len)
        return cls(ts, x, seg_start.astype(np.intp), seg_len, seg_input, seg_of_row)


@dataclass(slots=True)
class Signals:
    """Per-row output of a condition: ``breach`` (the condition holds), ``clear`` (the alarm may clear; False
    while undefined, e.g. warming up, or inside a deadband), the reported ``value`` and a ``score`` (higher =
    more extreme, picks the peak), plus per-row metrics for the transition details."""

    breach: B
    clear: B
    value: F64
    score: F64
    metrics: dict[str, F64] = field(default_factory=dict)


@dataclass(slots=True)
class Machine:
    """Result of the state machine over all segments."""

    state: B  # alarm active after each row
    raises: IP  # rows that raised
    clears: IP  # rows that cleared
    active_out: B  # per segment, after its last row
    run_out: I64  # per segment: start of the breach run in progress at its end (NO_TS if none)


def state_machine(seg: Seg, breach: B, clear: B, active0: B, run0: I64, min_dur_ns: int) -> Machine:
    """Raise once the breach has held continuously for ``min_dur_ns`` (run start carried across batches in
    ``run0``), clear at the first ``clear`` row; never two raises without a clear between them."""
    n = seg.ts.shape[0]
    idx = np.arange(n, dtype=np.intp)
    starts = seg.seg_start
    row_seg = seg.seg_of_row
    clear = clear & ~breach
    # First row of the breach run each breaching row belongs to (segment boundaries stop the scan).
    m = np.where(breach, -1, idx)
    m[starts] = np.where(breach[starts], starts - 1, starts)
    first = np.maximum.accumulate(m) + 1
    np.minimum(first, n - 1, out=first)
    run_ts = seg.ts[first]
    carried = (first == starts[row_seg]) & (run0[row_seg] != NO_TS)
    run_ts = np.where(carried, run0[row_seg], run_ts)
    raise_ok = breach & (seg.ts - run_ts >= min_dur_ns) if min_dur_ns > 0 else breach
    # Alarm state: forward-fill the last event (raise_ok -> on, clear -> off), seeded per segment.
    event = raise_ok | clear
    seed = np.zeros(n, dtype=np.bool_)
    seed[starts] = True
    last_ev = np.maximum.accumulate(np.where(event | seed, idx, -1))
    val = np.where(event, raise_ok, active0[row_seg])
    state = val[last_ev]
    prev = np.empty(n, dtype=np.bool_)
    prev[1:] = state[:-1]
    prev[starts] = active0
    last = seg.seg_last
    return Machine(
        state=state,
        raises=np.flatnonzero(state & ~prev),
        clears=np.flatnonzero(~state & prev),
        active_out=state[last],
        run_out=np.where(breach[last], run_ts[last], NO_TS),
    )


@dataclass(slots=True)
class SegActivity:
    seg: IP
    count: IP
    first_row: IP
    last_row: IP
    peak_row: IP


def activity(seg: Seg, mask: B, score: F64, raises: IP | None = None) -> SegActivity | None:
    """Per alarm episode (a segment, split at each raise row) with any ``mask`` row: count, first and last
    masked row, masked row of highest score."""
    rows = np.flatnonzero(mask)
    if rows.shape[0] == 0:
        return None
    if raises is not None and raises.shape[0]:
        cut = np.zeros(seg.ts.shape[0], dtype=np.intp)
        cut[seg.seg_start] = 1
        cut[raises] = 1
        groups = np.cumsum(cut)[rows]
    else:
        groups = seg.seg_of_row[rows]
    bounds = np.flatnonzero(np.diff(groups)) + 1
    firsts = np.concatenate(([0], bounds))
    lasts = np.concatenate((bounds, [rows.shape[0]])) - 1
    order = np.lexsort((score[rows], groups))  # by group, then score: the last of each group is its peak
    return SegActivity(
        seg=seg.seg_of_row[rows[firsts]],
        count=(lasts - firsts + 1).astype(np.intp),
        first_row=rows[firsts],
        last_row=rows[lasts],
        peak_row=rows[order[lasts]],
    )


def seg_recurrence(a: float, u: F64, seg: Seg, y0: F64) -> F64:
    """y[k] = a·y[k-1] + u[k] within each segment, y before a segment's first row = ``y0`` (per segment).

    One ``lfilter`` over all rows; the leak of the previous segment's tail into a segment decays as a^k and is
    subtracted exactly."""
    starts = seg.seg_start
    u2 = u.copy()
    u2[starts] += a * y0
    y = np.asarray(lfilter([1.0], [1.0, -a], u2), dtype=np.float64)
    if starts.shape[0] > 1 and a != 0.0:
        prev_tail = np.zeros(starts.shape[0], dtype=np.float64)
        prev_tail[1:] = y[starts[1:] - 1]
        k = np.arange(y.shape[0], dtype=np.float64) - starts[seg.seg_of_row] + 1.0
        with np.errstate(under="ignore"):
            y -= np.power(a, k) * prev_tail[seg.seg_of_row]
    return y


class RangeMax:
    """Sparse table over ``z``: max of z[l..r] for vectors l ≤ r in O(1) numpy calls per query batch."""

    def __init__(self, z: F64) -> None:
        n = z.shape[0]
        levels = max(1, int(n).bit_length())
        table = np.full((levels, n), -np.inf, dtype=np.float64)
        table[0] = z
        h = 1
        for k in range(1, levels):
            if 2 * h > n:
                break
            table[k, : n - 2 * h + 1] = np.maximum(table[k - 1, : n - 2 * h + 1], table[k - 1, h : n - h + 1])
            h *= 2
        self.table = table

    def query(self, lo: IP, hi: IP) -> F64:
        length = hi - lo + 1
        k = (np.frexp(length.astype(np.float64))[1] - 1).astype(np.intp)
        right = hi - (np.left_shift(1, k)) + 1
        return np.maximum(self.table[k, lo], self.table[k, right])
