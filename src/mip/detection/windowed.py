"""Time-window conditions: rate of change, rolling z-score, windowed avg/max/min, flatline.

Per slot the carried state is bounded by the window: a ``Tail`` (the readings still inside the window plus
the one before it) for sums and rates, or a staircase (the suffix maxima of the window: a vectorised
monotonic deque, usually a handful of readings) for max/min. A batch joins the touched slots' carried
readings with the new ones into one array with a composite (segment, time) key, so every window query of the
batch is one ``searchsorted`` and one cumulative sum or sparse-table lookup, whatever the number of slots.
"""

from __future__ import annotations

import uuid
from typing import Any

import numpy as np

from mip.detection.evaluators import Evaluator, Slot, compare, fmt, upward
from mip.detection.segments import F64, I64, IP, NO_TS, NS, RangeMax, Seg, Signals
from mip.detection.spec import Flatline, RateOfChange, RuleSpec, WindowAggregate, ZScore


class Tail:
    """A slot's readings still needed by its window (plus the one just before it), time-ordered."""

    __slots__ = ("ts", "x")

    def __init__(self, ts: I64 | None = None, x: F64 | None = None) -> None:
        self.ts = np.empty(0, dtype=np.int64) if ts is None else ts
        self.x = np.empty(0, dtype=np.float64) if x is None else x

    def dump(self) -> dict[str, Any]:
        """Timestamps as the first one and the deltas after it (a third of the JSON)."""
        t0 = int(self.ts[0]) if self.ts.shape[0] else 0
        return {"t0": t0, "dt": np.diff(self.ts).tolist(), "x": self.x.tolist()}

    @classmethod
    def load(cls, d: dict[str, Any]) -> Tail:
        x = np.asarray(d["x"], dtype=np.float64)
        dt = np.asarray(d["dt"], dtype=np.int64)
        if x.shape[0] != (dt.shape[0] + 1 if x.shape[0] else 0):
            raise ValueError("tail timestamps and values differ in length")
        ts = int(d["t0"]) + np.concatenate(([0], np.cumsum(dt))).astype(np.int64) if x.shape[0] else dt
        return cls(ts, x)


Stair = Tail  # same storage; a stair holds the suffix-maximum staircase (strictly decreasing x) of the window


class Joined:
    """The touched slots' carried readings followed by the batch's new ones, per segment, in one array, with
    a composite key (segment, time) so that window searches for all rows are one ``searchsorted``."""

    def __init__(self, carried: list[Tail], seg: Seg, vals: F64, span_ns: int) -> None:
        n_seg = seg.n_seg
        ts_parts: list[Any] = []
        x_parts: list[Any] = []
        tl = np.empty(n_seg, dtype=np.intp)
        starts = seg.seg_start.tolist()
        ends = (seg.seg_start + seg.seg_len).tolist()
        for k in range(n_seg):
            t = carried[k]
            ts_parts += (t.ts, seg.ts[starts[k] : ends[k]])
            x_parts += (t.x, vals[starts[k] : ends[k]])
            tl[k] = t.ts.shape[0]
        self.ts: I64 = np.concatenate(ts_parts)
        self.x: F64 = np.concatenate(x_parts)
        self.size = tl + seg.seg_len
        self.off = np.cumsum(self.size) - self.size
        self.tail_len = tl
        self.seg_id = np.repeat(np.arange(n_seg), self.size)
        n = seg.ts.shape[0]
        self.pos: IP = (self.off + tl - seg.seg_start)[seg.seg_of_row] + np.arange(n)
        t0 = int(self.ts.min())
        span = int(self.ts.max()) - t0 + span_ns + 1
        if span * (n_seg + 1) < 2**62:
            self.key: I64 | None = (self.ts - t0) + self.seg_id.astype(np.int64) * span
        else:  # pragma: no cover - windows of months over many slots: search segment by segment
            self.key = None

    def search(self, rows_pos: IP, lo_ts: I64) -> IP:
        """Index of the first element of each row's segment with ts ≥ lo_ts (rows_pos: positions in self)."""
        if self.key is not None:
            target = self.key[rows_pos] - (self.ts[rows_pos] - lo_ts)
            return np.searchsorted(self.key, target, side="left")
        out = np.empty(rows_pos.shape[0], dtype=np.intp)
        for i, (p, lo) in enumerate(zip(rows_pos.tolist(), lo_ts.tolist(), strict=True)):
            k = int(self.seg_id[p])
            o = int(self.off[k])
            out[i] = o + int(np.searchsorted(self.ts[o : o + int(self.size[k])], lo, side="left"))
        return out

    def split(self, keep: Any) -> list[Tail]:
        """Per segment, the elements where ``keep`` (one gather for all; each slot gets a view of it)."""
        idx = np.flatnonzero(keep)
        ts, x = self.ts[idx], self.x[idx]
        bounds = np.searchsorted(idx, self.off).tolist()
        bounds.append(idx.shape[0])
        return [Tail(ts[a:b], x[a:b]) for a, b in zip(bounds[:-1], bounds[1:], strict=True)]

    def from_index(self, first: IP) -> Any:
        """Mask of the elements at or after ``first[k]`` in each segment k."""
        return np.arange(self.ts.shape[0]) >= first[self.seg_id]

    def trim_points(self, keep_ns: int) -> IP:
        """Per segment: index of the last element older than (newest − keep_ns), so it stays as the anchor."""
        last = self.off + self.size - 1
        first_kept = self.search(last, self.ts[last] - keep_ns)
        return np.asarray(np.maximum(first_kept - 1, self.off), dtype=np.intp)


def window_sums(j: Joined, lo: IP, hi: IP) -> tuple[F64, F64, F64]:
    """Σ and Σ² of (x − segment reference) over [lo, hi] per query (hi < lo: empty), and the reference."""
    ref = j.x[j.off][j.seg_id]
    d = j.x - ref
    c1 = np.concatenate(([0.0], np.cumsum(d)))
    c2 = np.concatenate(([0.0], np.cumsum(d * d)))
    return c1[hi + 1] - c1[lo], c2[hi + 1] - c2[lo], ref


def stair_max(stairs: list[Stair], seg: Seg, vals: F64, lo_ts: I64, keep_ns: int, include_prev: bool) -> F64:
    """Per row: max of ``vals`` over the slot's readings with ts ≥ lo_ts up to and including the row (and the
    reading just before the row if ``include_prev``). Updates the stairs (keeping ``keep_ns`` of history)."""
    slots = seg.seg_input.tolist()
    j = Joined([stairs[s] for s in slots], seg, vals, keep_ns)
    pos = j.pos
    lo = np.minimum(j.search(pos, lo_ts), pos)
    if include_prev:
        lo = np.where(pos - 1 >= j.off[seg.seg_of_row], np.minimum(lo, pos - 1), lo)
    rm = RangeMax(j.x)
    out = rm.query(lo, pos)
    # New stairs: elements greater than everything after them in their segment, within the kept history.
    end = (j.off + j.size - 1)[j.seg_id]
    is_last = np.arange(j.x.shape[0]) == end
    suf = np.full(j.x.shape[0], -np.inf)
    inner = np.flatnonzero(~is_last)
    suf[inner] = rm.query(inner + 1, end[inner])
    cutoff = (j.ts[j.off + j.size - 1] - keep_ns)[j.seg_id]
    keep = ((j.x > suf) & (j.ts >= cutoff)) | is_last
    for s, t in zip(slots, j.split(keep), strict=True):
        stairs[s] = t
    return np.asarray(out, dtype=np.float64)


class _TailEval(Evaluator):
    window_ns: int = 0

    def __init__(self, rule: RuleSpec, slots: list[Slot], inputs: list[uuid.UUID]) -> None:
        super().__init__(rule, slots, inputs)
        self.tails = [Tail() for _ in slots]

    def join(self, seg: Seg) -> Joined:
        return Joined([self.tails[s] for s in seg.seg_input.tolist()], seg, seg.x, self.window_ns)

    def keep(self, seg: Seg, j: Joined) -> None:
        for s, t in zip(seg.seg_input.tolist(), j.split(j.from_index(j.trim_points(self.window_ns))), strict=True):
            self.tails[s] = t

    def dump_slot(self, i: int) -> dict[str, Any]:
        return {**super().dump_slot(i), "tail": self.tails[i].dump()}

    def load_slot(self, i: int, d: dict[str, Any]) -> None:
        super().load_slot(i, d)
        self.tails[i] = Tail.load(d["tail"])


class RateEval(_TailEval):
    """rate at a reading = (x − x_j) / (t − t_j), j the oldest reading within ``window_s`` before it (or the
    previous reading if none is)."""

    def __init__(self, rule: RuleSpec, slots: list[Slot], inputs: list[uuid.UUID]) -> None:
        super().__init__(rule, slots, inputs)
        c = rule.condition
        assert isinstance(c, RateOfChange)
        self.c = c
        self.window_ns = round(c.window_s * NS)

    def describe(self) -> str:
        c = self.c
        sign = {"up": "rising", "down": "falling", "both": "changing"}[c.direction]
        return f"{sign} faster than {fmt(c.max_per_s)}/s over {fmt(c.window_s)} s"

    def static_details(self) -> dict[str, float | str]:
        return {"max_per_s": self.c.max_per_s}

    def signals(self, seg: Seg) -> Signals:
        j = self.join(seg)
        p = j.pos
        first = np.minimum(j.search(p, seg.ts - self.window_ns), p - 1)
        ok = first >= j.off[seg.seg_of_row]
        jj = np.where(ok, first, p)
        with np.errstate(invalid="ignore", divide="ignore"):
            rate = np.where(ok, (seg.x - j.x[jj]) / ((seg.ts - j.ts[jj]) / NS), np.nan)
        self.keep(seg, j)
        defined = np.isfinite(rate)
        with np.errstate(invalid="ignore"):
            if self.c.direction == "up":
                breach = rate > self.c.max_per_s
            elif self.c.direction == "down":
                breach = rate < -self.c.max_per_s
            else:
                breach = np.abs(rate) > self.c.max_per_s
        return Signals(breach, defined & ~breach, seg.x, np.where(defined, np.abs(rate), 0.0), {"rate_per_s": rate})


class ZScoreEval(_TailEval):
    """z = (x − mean) / std of the readings in the ``window_s`` before this one (sample std)."""

    def __init__(self, rule: RuleSpec, slots: list[Slot], inputs: list[uuid.UUID]) -> None:
        super().__init__(rule, slots, inputs)
        c = rule.condition
        assert isinstance(c, ZScore)
        self.c = c
        self.window_ns = round(c.window_s * NS)

    def describe(self) -> str:
        return f"|z| > {fmt(self.c.z)} against the previous {fmt(self.c.window_s)} s"

    def signals(self, seg: Seg) -> Signals:
        j = self.join(seg)
        p = j.pos
        lo = j.search(p, seg.ts - self.window_ns)
        cnt = (p - lo).astype(np.float64)  # readings in [t − w, t), the current one excluded
        s1, s2, ref = window_sums(j, lo, p - 1)
        self.keep(seg, j)
        ok = cnt >= self.c.min_samples
        c = np.maximum(cnt, 2.0)
        m = s1 / c
        std = np.sqrt(np.maximum(s2 / c - m * m, 0.0) * c / (c - 1.0))
        mean = np.where(ok, m + ref[p], np.nan)
        sd = np.maximum(std, 1e-12 * (1.0 + np.abs(mean)))
        with np.errstate(invalid="ignore"):
            z = (seg.x - mean) / sd
            breach = np.abs(z) > self.c.z
        return Signals(breach, ok & ~breach, seg.x, np.where(ok, np.abs(z), 0.0), {"z": z, "mean": mean})


class WindowEval(Evaluator):
    """avg/max/min of the readings in [t − window_s, t] compared with the limit; the value reported is the
    aggregate."""

    def __init__(self, rule: RuleSpec, slots: list[Slot], inputs: list[uuid.UUID]) -> None:
        super().__init__(rule, slots, inputs)
        c = rule.condition
        assert isinstance(c, WindowAggregate)
        self.c = c
        self.window_ns = round(c.window_s * NS)
        self.tails = [Tail() for _ in slots]  # readings (avg) or staircase (max / min)

    def describe(self) -> str:
        c = self.c
        return f"{c.agg} over {fmt(c.window_s)} s {c.op} {fmt(c.value)}"

    def static_details(self) -> dict[str, float | str]:
        return {"limit": self.c.value}

    def _avg(self, seg: Seg) -> F64:
        j = Joined([self.tails[s] for s in seg.seg_input.tolist()], seg, seg.x, self.window_ns)
        p = j.pos
        lo = j.search(p, seg.ts - self.window_ns)
        s1, _, ref = window_sums(j, lo, p)
        for s, t in zip(seg.seg_input.tolist(), j.split(j.from_index(j.trim_points(self.window_ns))), strict=True):
            self.tails[s] = t
        return np.asarray(s1 / (p - lo + 1) + ref[p], dtype=np.float64)

    def signals(self, seg: Seg) -> Signals:
        c = self.c
        lo = seg.ts - self.window_ns
        if c.agg == "avg":
            agg = self._avg(seg)
        elif c.agg == "max":
            agg = stair_max(self.tails, seg, seg.x, lo, self.window_ns, include_prev=False)
        else:
            agg = -stair_max(self.tails, seg, -seg.x, lo, self.window_ns, include_prev=False)
        breach = compare(c.op, agg, c.value)
        return Signals(breach, ~breach, agg, agg if upward(c.op) else -agg)

    def dump_slot(self, i: int) -> dict[str, Any]:
        return {**super().dump_slot(i), "tail": self.tails[i].dump()}

    def load_slot(self, i: int, d: dict[str, Any]) -> None:
        super().load_slot(i, d)
        self.tails[i] = Tail.load(d["tail"])


class FlatlineEval(Evaluator):
    """Stuck: max − min ≤ tolerance over the readings in [t − window_s, t] and the one before (so one sparse
    reading compares with its predecessor), once the sensor has been seen for ``window_s``."""

    def __init__(self, rule: RuleSpec, slots: list[Slot], inputs: list[uuid.UUID]) -> None:
        super().__init__(rule, slots, inputs)
        c = rule.condition
        assert isinstance(c, Flatline)
        self.c = c
        self.window_ns = round(c.window_s * NS)
        self.hi = [Stair() for _ in slots]
        self.lo = [Stair() for _ in slots]
        self.first = np.full(len(slots), NO_TS, dtype=np.int64)

    def describe(self) -> str:
        return f"flat within {fmt(self.c.tolerance)} for {fmt(self.c.window_s)} s"

    def signals(self, seg: Seg) -> Signals:
        w = self.window_ns
        slots = seg.seg_input
        unseen = self.first[slots] == NO_TS
        self.first[slots[unseen]] = seg.ts[seg.seg_start[unseen]]
        lo_ts = seg.ts - w
        hi = stair_max(self.hi, seg, seg.x, lo_ts, w, include_prev=True)
        lo = -stair_max(self.lo, seg, -seg.x, lo_ts, w, include_prev=True)
        span = hi - lo
        defined = self.first[slots][seg.seg_of_row] <= lo_ts
        breach = defined & (span <= self.c.tolerance)
        return Signals(breach, defined & ~breach, seg.x, np.zeros_like(span), {"range": span})

    def dump_slot(self, i: int) -> dict[str, Any]:
        first = int(self.first[i])
        return {
            **super().dump_slot(i),
            "first": None if first == NO_TS else first,
            "hi": self.hi[i].dump(),
            "lo": self.lo[i].dump(),
        }

    def load_slot(self, i: int, d: dict[str, Any]) -> None:
        super().load_slot(i, d)
        self.first[i] = NO_TS if d["first"] is None else int(d["first"])
        self.hi[i] = Stair.load(d["hi"])
        self.lo[i] = Stair.load(d["lo"])
