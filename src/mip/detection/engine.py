"""The rule engine the stream workers run (and backtests replay): stateful, vectorised per batch.

Contract (implemented by the detection work; the stream worker and `mip detect backtest` use only this):

* ``Engine(rules, sensors)`` compiles the rules against the tenant's sensors (scope resolution: a rule with
  a machine/class/tenant-wide scope becomes one evaluator per matching sensor, or per machine for
  ``combined``).
* ``process(batch)`` consumes one machine's readings (time-ordered per sensor within the batch; batches of
  one machine arrive in order) and returns the alarm transitions they cause, in time order, plus the
  activity (breaching readings) of alarms that are active, so alarm counts and last-seen can be updated.
* ``tick(now_ns)`` drives time-based rules (missing data) without readings.
* ``update_rules(rules, sensors)`` swaps the rule set; evaluators of unchanged (id, version) rules keep
  their state, removed rules drop theirs, and an active alarm of a removed/changed rule is cleared.
* ``state()`` / ``restore(snapshot)``: a JSON-serialisable snapshot of every evaluator's state.

Implementation notes: one evaluator per rule holds the state of all its slots (sensors, or machines for
``combined``) in arrays and evaluates a batch's slots together (see ``segments.py``), so the cost per batch is
a fixed number of numpy calls per rule. ``process`` accepts any tenant batch, also one merged from several
machines (``merge_batches``): only the per-sensor time order matters. Readings not newer than the last one
seen for their sensor (redeliveries, duplicates) and non-finite values are ignored.
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Iterable, Sequence
from typing import Any

import numpy as np

from mip.detection.evaluators import Evaluator
from mip.detection.results import Activity, EngineResult, SensorInfo, Transition
from mip.detection.scope import build_evaluator
from mip.detection.segments import NO_TS, Seg
from mip.detection.spec import RuleSpec
from mip.telemetry.batch import ReadingBatch

__all__ = ["Activity", "Engine", "EngineResult", "SensorInfo", "Transition"]

SNAPSHOT_FORMAT = 1


class _Plan:
    """Routing of one batch layout (its ``sensors`` tuple): which evaluators read which of its sensors."""

    __slots__ = ("any_routed", "gidx", "routed", "routes", "works")

    def __init__(self, gidx: Any, routed: Any, routes: list[list[tuple[Evaluator, int]]]) -> None:
        self.gidx, self.routed, self.routes = gidx, routed, routes
        self.any_routed = bool(routed.any())
        self.works: dict[tuple[int, ...], list[tuple[Evaluator, list[int], Any]]] = {}

    def work(self, present: tuple[int, ...]) -> list[tuple[Evaluator, list[int], Any]]:
        """Per evaluator: the batch sensor positions it reads (ascending) and its input index for each."""
        w = self.works.get(present)
        if w is None:
            if len(self.works) > 64:
                self.works.clear()
            acc: dict[str, tuple[Evaluator, list[int], list[int]]] = {}
            for p in present:
                for ev, i in self.routes[p]:
                    e = acc.setdefault(ev.key, (ev, [], []))
                    e[1].append(p)
                    e[2].append(i)
            w = self.works[present] = [(ev, pos, np.asarray(inp, dtype=np.intp)) for ev, pos, inp in acc.values()]
        return w


class Engine:
    def __init__(self, rules: Sequence[RuleSpec], sensors: Iterable[SensorInfo]) -> None:
        self._clock = NO_TS  # newest reading or tick seen
        self._build(rules, list(sensors))

    def _build(self, rules: Sequence[RuleSpec], sensors: list[SensorInfo]) -> None:
        self._rules = list(rules)
        self._sensors = sensors
        self._evaluators: dict[str, Evaluator] = {}
        self._routes: dict[uuid.UUID, list[tuple[Evaluator, int]]] = {}
        for rule in rules:
            ev = build_evaluator(rule, sensors)
            if ev is None:
                continue
            self._evaluators[ev.key] = ev
            for i, sid in enumerate(ev.inputs):
                self._routes.setdefault(sid, []).append((ev, i))
        self._tickers = [ev for ev in self._evaluators.values() if ev.has_tick]
        self._plans: dict[tuple[uuid.UUID, ...], _Plan] = {}
        # newest reading seen per routed sensor (index = position in self._routed; the extra last slot is a
        # sink for sensors nothing watches)
        old = getattr(self, "_last_arr", None)
        old_ids = getattr(self, "_routed", [])
        self._routed = list(self._routes)
        self._rindex = {sid: i for i, sid in enumerate(self._routed)}
        self._last_arr = np.full(len(self._routed) + 1, NO_TS, dtype=np.int64)
        if old is not None:
            for i, sid in enumerate(old_ids):
                j = self._rindex.get(sid)
                if j is not None:
                    self._last_arr[j] = old[i]

    @property
    def evaluators(self) -> dict[str, Evaluator]:
        return self._evaluators

    def _plan(self, bs: tuple[uuid.UUID, ...]) -> _Plan:
        plan = self._plans.get(bs)
        if plan is None:
            if len(self._plans) > 10_000:
                self._plans.clear()
            gidx = np.array([self._rindex.get(sid, len(self._routed)) for sid in bs], dtype=np.intp)
            plan = self._plans[bs] = _Plan(gidx, gidx < len(self._routed), [self._routes.get(sid) or [] for sid in bs])
        return plan

    def process(self, batch: ReadingBatch) -> EngineResult:
        n = len(batch)
        if n == 0 or not self._routes:
            return EngineResult()
        plan = self._plan(batch.sensors)
        if not plan.any_routed:
            return EngineResult()
        sidx = batch.sensor_idx.astype(np.intp)
        order = np.argsort(sidx, kind="stable")
        s, ts = sidx[order], batch.ts[order]
        same = s[1:] == s[:-1]
        if n > 1 and bool((same & (ts[1:] < ts[:-1])).any()):
            order = np.lexsort((batch.ts, sidx))
            s, ts = sidx[order], batch.ts[order]
        x = batch.value[order]
        prev = np.full(n, NO_TS, dtype=np.int64)
        prev[1:] = np.where(same, ts[:-1], NO_TS)
        keep = plan.routed[s] & np.isfinite(x) & (ts > np.maximum(prev, self._last_arr[plan.gidx[s]]))
        if not keep.all():
            s, ts, x = s[keep], ts[keep], x[keep]
            if s.shape[0] == 0:
                return EngineResult()
        counts = np.bincount(s, minlength=len(batch.sensors))
        present_arr = np.flatnonzero(counts)
        newest = ts[np.cumsum(counts)[present_arr] - 1]
        self._last_arr[plan.gidx[present_arr]] = newest
        self._clock = max(self._clock, int(newest.max()))
        result = EngineResult()
        for ev, positions, inputs in plan.work(tuple(present_arr.tolist())):
            if len(positions) == present_arr.shape[0]:
                g_ts, g_x = ts, x
            else:
                pick = np.zeros(len(batch.sensors), dtype=np.bool_)
                pick[positions] = True
                sel = pick[s]
                g_ts, g_x = ts[sel], x[sel]
            tr, act = ev.process(Seg.build(g_ts, g_x, counts[positions], inputs))
            if tr:
                result.transitions += tr
            if act:
                result.activity += act
        if len(result.transitions) > 1:
            result.transitions.sort(key=lambda t: t.ts)
        return result

    def tick(self, now_ns: int) -> list[Transition]:
        self._clock = max(self._clock, now_ns)
        out: list[Transition] = []
        for ev in self._tickers:
            out += ev.tick(now_ns)
        out.sort(key=lambda t: t.ts)
        return out

    def update_rules(self, rules: Sequence[RuleSpec], sensors: Iterable[SensorInfo]) -> list[Transition]:
        old = self._evaluators
        snap = {k: ev.state() for k, ev in old.items()}
        self._build(rules, list(sensors))
        for k, ev in self._evaluators.items():
            if k in snap:
                ev.restore(snap[k])
        now = self._clock if self._clock != NO_TS else time.time_ns()
        out: list[Transition] = []
        for k, ev in old.items():
            new = self._evaluators.get(k)
            kept = {s.key for s in new.slots} if new is not None else set()
            reason = "rule changed or removed" if new is None else "no longer in the rule's scope"
            for i in np.flatnonzero(ev.active).tolist():
                slot = ev.slots[i]
                if slot.key not in kept:
                    out.append(ev.transition("clear", slot, now, None, {"reason": reason}))
        return out

    def state(self) -> dict[str, Any]:
        return {
            "format": SNAPSHOT_FORMAT,
            "clock": None if self._clock == NO_TS else self._clock,
            "last_ts": {
                str(sid): int(t) for sid, t in zip(self._routed, self._last_arr.tolist(), strict=False) if t != NO_TS
            },
            "rules": {k: ev.state() for k, ev in self._evaluators.items()},
        }

    def restore(self, snapshot: dict[str, Any]) -> None:
        """Load a ``state()`` snapshot (of this or another engine with the same rules). Rules or slots missing
        from it start fresh; a malformed snapshot raises ValueError and leaves the engine fresh."""
        try:
            if snapshot.get("format") != SNAPSHOT_FORMAT:
                raise ValueError(f"unsupported engine snapshot format {snapshot.get('format')!r}")
            clock = snapshot.get("clock")
            self._clock = NO_TS if clock is None else int(clock)
            self._last_arr[:] = NO_TS
            for k, v in snapshot["last_ts"].items():
                j = self._rindex.get(uuid.UUID(k))
                if j is not None:
                    self._last_arr[j] = int(v)
            rules = snapshot["rules"]
            for k, ev in self._evaluators.items():
                if k in rules:
                    ev.restore(rules[k])
        except (KeyError, TypeError, ValueError, AttributeError, IndexError) as exc:
            self._clock = NO_TS
            self._last_arr[:] = NO_TS
            self._build(self._rules, self._sensors)
            raise ValueError(f"bad engine snapshot: {exc}") from None
