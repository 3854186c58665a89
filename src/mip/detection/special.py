"""Missing data (time-driven: ``tick`` and gaps between readings) and combined conditions (several signals
of one machine)."""

from __future__ import annotations

import math
import uuid
from typing import Any, Literal

import numpy as np

from mip.detection.evaluators import Evaluator, Slot, compare, fmt, upward
from mip.detection.results import Activity, Transition
from mip.detection.segments import NO_TS, NS, Seg, Signals, activity, state_machine
from mip.detection.spec import Combined, MissingData, RuleSpec


class MissingEval(Evaluator):
    """No reading for ``intervals`` × 1/sample_rate_hz. ``tick(now)`` raises at ``now`` once the silence is
    longer than that (a sensor never seen is watched from the first tick); the next reading clears it. A
    reading arriving after such a gap that no tick saw raises (at last + limit) and clears (at the reading)."""

    has_tick = True

    def __init__(self, rule: RuleSpec, slots: list[Slot], inputs: list[uuid.UUID]) -> None:
        super().__init__(rule, slots, inputs)
        c = rule.condition
        assert isinstance(c, MissingData)
        self.c = c
        self.limit = np.array([round(c.intervals * NS / max(s.sample_rate_hz, 1e-9)) for s in slots], dtype=np.int64)
        self.last = np.full(len(slots), NO_TS, dtype=np.int64)

    def describe(self) -> str:
        return f"no reading for {fmt(self.c.intervals)} expected intervals"

    def _details(self, i: int, gap_ns: int) -> dict[str, float | str]:
        return {"gap_s": gap_ns / NS, "limit_s": int(self.limit[i]) / NS}

    def process(self, seg: Seg) -> tuple[list[Transition], list[Activity]]:
        slots = seg.seg_input
        prev = np.empty_like(seg.ts)
        prev[1:] = seg.ts[:-1]
        prev[seg.seg_start] = self.last[slots]
        limit = self.limit[slots][seg.seg_of_row]
        gap = (prev != NO_TS) & (seg.ts - prev > limit)
        first_active = self.active[slots]
        out: list[Transition] = []
        for k in np.flatnonzero(first_active).tolist():
            i, r = int(slots[k]), int(seg.seg_start[k])
            g = int(seg.ts[r] - prev[r]) if prev[r] != NO_TS else 0
            out.append(self.transition("clear", self.slots[i], int(seg.ts[r]), None, self._details(i, g)))
            gap[r] = False
        for r in np.flatnonzero(gap).tolist():
            i = int(slots[seg.seg_of_row[r]])
            p, t = int(prev[r]), int(seg.ts[r])
            d = self._details(i, t - p)
            out.append(self.transition("raise", self.slots[i], p + int(self.limit[i]), None, d))
            out.append(self.transition("clear", self.slots[i], t, None, d))
        self.last[slots] = seg.ts[seg.seg_last]
        self.active[slots] = False
        return out, []

    def signals(self, seg: Seg) -> Signals:  # pragma: no cover - process is overridden
        raise NotImplementedError

    def tick(self, now_ns: int) -> list[Transition]:
        unseen = self.last == NO_TS
        self.last[unseen] = now_ns
        due = ~self.active & (now_ns - self.last > self.limit)
        out = []
        for i in np.flatnonzero(due).tolist():
            out.append(
                self.transition("raise", self.slots[i], now_ns, None, self._details(i, now_ns - int(self.last[i])))
            )
        self.active[due] = True
        return out

    def dump_slot(self, i: int) -> dict[str, Any]:
        last = int(self.last[i])
        return {**super().dump_slot(i), "last": None if last == NO_TS else last}

    def load_slot(self, i: int, d: dict[str, Any]) -> None:
        super().load_slot(i, d)
        self.last[i] = NO_TS if d["last"] is None else int(d["last"])


class CombinedEval(Evaluator):
    """Every term true at once, each on the latest value of its sensor, none older than ``window_s``;
    evaluated at each instant a reading of one of the signals arrives. Slots are machines; input i is the
    sensor of term ``input_term[i]`` of machine ``input_slot[i]``. The reported value is the first term's."""

    def __init__(
        self, rule: RuleSpec, slots: list[Slot], inputs: list[uuid.UUID], input_slot: list[int], input_term: list[int]
    ) -> None:
        super().__init__(rule, slots, inputs)
        c = rule.condition
        assert isinstance(c, Combined)
        self.c = c
        self.window_ns = round(c.window_s * NS)
        self.input_slot = np.asarray(input_slot, dtype=np.intp)
        self.input_term = np.asarray(input_term, dtype=np.intp)
        k = len(c.all_of)
        self.latest_ts = np.full((len(slots), k), NO_TS, dtype=np.int64)
        self.latest_x = np.full((len(slots), k), np.nan)

    def describe(self) -> str:
        terms = " and ".join(f"{t.sensor_name} {t.op} {fmt(t.value)}" for t in self.c.all_of)
        return f"{terms} within {fmt(self.c.window_s)} s"

    def process(self, seg: Seg) -> tuple[list[Transition], list[Activity]]:
        machines = self.input_slot[seg.seg_input]
        out: list[Transition] = []
        acts: list[Activity] = []
        for m in np.unique(machines).tolist():
            ks = np.flatnonzero(machines == m)
            parts = [np.arange(seg.seg_start[k], seg.seg_start[k] + seg.seg_len[k]) for k in ks.tolist()]
            rows = np.concatenate(parts)
            term = np.repeat(self.input_term[seg.seg_input[ks]], seg.seg_len[ks])
            order = np.argsort(seg.ts[rows], kind="stable")
            rows, term = rows[order], term[order]
            t, x = seg.ts[rows], seg.x[rows]
            self._machine(m, t, x, term, out, acts)
        return out, acts

    def _machine(self, m: int, t: Any, x: Any, term: Any, out: list[Transition], acts: list[Activity]) -> None:
        n = t.shape[0]
        idx = np.arange(n)
        ok = np.ones(n, dtype=np.bool_)
        lvs = []
        for k, tm in enumerate(self.c.all_of):
            last = np.maximum.accumulate(np.where(term == k, idx, -1))
            seen = last >= 0
            lt = np.where(seen, t[np.maximum(last, 0)], self.latest_ts[m, k])
            lv = np.where(seen, x[np.maximum(last, 0)], self.latest_x[m, k])
            ok &= (lt != NO_TS) & (t - lt <= self.window_ns) & compare(tm.op, lv, tm.value)
            lvs.append(lv)
            if seen[-1]:
                self.latest_ts[m, k], self.latest_x[m, k] = t[last[-1]], x[last[-1]]
        if not ok.any() and not self.active[m]:  # the common case: nothing holds, nothing to clear
            return
        at = np.ones(n, dtype=np.bool_)  # evaluate once per instant: at the last reading of equal timestamps
        at[:-1] = t[1:] != t[:-1]
        r = np.flatnonzero(at)
        seg = Seg.build(t[r], lvs[0][r], np.array([r.shape[0]], dtype=np.intp), np.array([m], dtype=np.intp))
        cond = ok[r]
        sl = np.array([m], dtype=np.intp)
        sm = state_machine(seg, cond, ~cond, self.active[sl], self.run[sl], 0)
        self.active[sl], self.run[sl] = sm.active_out, sm.run_out
        slot = self.slots[m]
        pairs: tuple[tuple[Literal["raise", "clear"], Any], ...] = (("raise", sm.raises), ("clear", sm.clears))
        for kind, rws in pairs:
            for i in rws.tolist():
                rr = int(r[i])
                details: dict[str, float | str] = {}
                for tm, lv in zip(self.c.all_of, lvs, strict=True):
                    if math.isfinite(float(lv[rr])):
                        details[tm.sensor_name] = float(lv[rr])
                out.append(self.transition(kind, slot, int(t[rr]), float(lvs[0][rr]), details))
        score = seg.x if upward(self.c.all_of[0].op) else -seg.x
        act = activity(seg, sm.state & cond, score, sm.raises)
        if act is not None:
            for k in range(act.count.shape[0]):
                acts.append(
                    Activity(
                        rule_id=self.rule.id,
                        machine_id=slot.machine_id,
                        sensor_id=None,
                        count=int(act.count[k]),
                        last_ts=int(seg.ts[act.last_row[k]]),
                        last_value=float(seg.x[act.last_row[k]]),
                        peak_value=float(seg.x[act.peak_row[k]]),
                        peak_score=float(score[act.peak_row[k]]),
                        first_ts=int(seg.ts[act.first_row[k]]),
                    )
                )

    def signals(self, seg: Seg) -> Signals:  # pragma: no cover - process is overridden
        raise NotImplementedError

    def dump_slot(self, i: int) -> dict[str, Any]:
        lt = [None if v == NO_TS else int(v) for v in self.latest_ts[i].tolist()]
        lx = [float(v) if math.isfinite(v) else None for v in self.latest_x[i].tolist()]
        return {**super().dump_slot(i), "latest_ts": lt, "latest_x": lx}

    def load_slot(self, i: int, d: dict[str, Any]) -> None:
        super().load_slot(i, d)
        k = len(self.c.all_of)
        lt, lx = d["latest_ts"], d["latest_x"]
        if len(lt) != k or len(lx) != k:
            raise ValueError("combined rule state has the wrong number of terms")
        self.latest_ts[i] = [NO_TS if v is None else int(v) for v in lt]
        self.latest_x[i] = [math.nan if v is None else float(v) for v in lx]
