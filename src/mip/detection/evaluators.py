"""Evaluators: one per rule, holding per-slot state (a slot is one sensor, or one machine for ``combined``) in
numpy arrays, evaluating all of a batch's slots at once. This module has the base class and the point-wise
conditions (threshold, EWMA); windowed ones are in ``windowed.py``, missing data and combined in ``special.py``.
"""

from __future__ import annotations

import math
import uuid
from dataclasses import dataclass
from typing import Any, ClassVar, Literal

import numpy as np

from mip.detection.results import Activity, Transition
from mip.detection.segments import F64, IP, NO_TS, NS, Seg, Signals, activity, seg_recurrence, state_machine
from mip.detection.spec import Ewma, Op, RuleSpec, Threshold

OPS = {">": np.greater, ">=": np.greater_equal, "<": np.less, "<=": np.less_equal}
RESET: dict[str, Op] = {">": "<=", ">=": "<", "<": ">=", "<=": ">"}  # the way back over a deadband


def compare(op: Op, x: F64, limit: float) -> np.ndarray[Any, np.dtype[np.bool_]]:
    with np.errstate(invalid="ignore"):
        return np.asarray(OPS[op](x, limit))


def upward(op: Op) -> bool:
    return op in (">", ">=")


def fmt(v: float) -> str:
    return f"{v:.6g}"


@dataclass(frozen=True, slots=True)
class Slot:
    """What an alarm is about: a sensor, or a machine (combined rules)."""

    key: str
    machine_id: uuid.UUID
    sensor_id: uuid.UUID | None
    label: str
    sample_rate_hz: float = 1.0


def _num(v: float) -> float | None:
    return float(v) if math.isfinite(v) else None


def _opt(v: Any, default: float = math.nan) -> float:
    return default if v is None else float(v)


class Evaluator:
    """Base: per-slot alarm state (active, start of the breach run) and the shared raise/clear logic.

    Subclasses implement ``signals`` (per-row breach/clear/value/score, vectorised over all segments) and the
    per-slot state they carry (``dump_slot`` / ``load_slot``)."""

    min_dur_ns: int = 0
    has_tick: ClassVar[bool] = False

    def __init__(self, rule: RuleSpec, slots: list[Slot], inputs: list[uuid.UUID]) -> None:
        self.rule = rule
        self.key = f"{rule.id}:{rule.version}"
        self.slots = slots
        self.inputs = inputs  # sensor ids read; for sensor rules input i is slot i
        n = len(slots)
        self.active = np.zeros(n, dtype=np.bool_)
        self.run = np.full(n, NO_TS, dtype=np.int64)

    # -- description ---------------------------------------------------------------------------------------
    def describe(self) -> str:
        return self.rule.condition.type

    def message(self, slot: Slot) -> str:
        return self.rule.message or f"{slot.label}: {self.describe()}"

    def static_details(self) -> dict[str, float | str]:
        return {}

    # -- evaluation ----------------------------------------------------------------------------------------
    def signals(self, seg: Seg) -> Signals:
        raise NotImplementedError

    def process(self, seg: Seg) -> tuple[list[Transition], list[Activity]]:
        sig = self.signals(seg)
        slots = seg.seg_input
        if not sig.breach.any() and not self.active[slots].any():  # the common case: nothing to do
            self.run[slots] = NO_TS
            return [], []
        m = state_machine(seg, sig.breach, sig.clear, self.active[slots], self.run[slots], self.min_dur_ns)
        self.active[slots] = m.active_out
        self.run[slots] = m.run_out
        out: list[Transition] = []
        if m.raises.shape[0] or m.clears.shape[0]:
            pairs: tuple[tuple[Literal["raise", "clear"], IP], ...] = (("raise", m.raises), ("clear", m.clears))
            for kind, rows in pairs:
                for r in rows.tolist():
                    slot = self.slots[int(slots[seg.seg_of_row[r]])]
                    details = dict(self.static_details())
                    for name, arr in sig.metrics.items():
                        v = float(arr[r])
                        if math.isfinite(v):
                            details[name] = v
                    out.append(self.transition(kind, slot, int(seg.ts[r]), float(sig.value[r]), details))
        acts: list[Activity] = []
        act = activity(seg, m.state & sig.breach, sig.score, m.raises)
        if act is not None:
            entries = zip(act.seg.tolist(), act.count.tolist(), act.first_row, act.last_row, act.peak_row, strict=True)
            for s, c, fr, lr, pr in entries:
                slot = self.slots[int(slots[s])]
                acts.append(
                    Activity(
                        rule_id=self.rule.id,
                        machine_id=slot.machine_id,
                        sensor_id=slot.sensor_id,
                        count=c,
                        last_ts=int(seg.ts[lr]),
                        last_value=float(sig.value[lr]),
                        peak_value=float(sig.value[pr]),
                        peak_score=float(sig.score[pr]),
                        first_ts=int(seg.ts[fr]),
                    )
                )
        return out, acts

    def transition(
        self,
        kind: Literal["raise", "clear"],
        slot: Slot,
        ts: int,
        value: float | None,
        details: dict[str, float | str] | None = None,
    ) -> Transition:
        return Transition(
            kind=kind,
            rule_id=self.rule.id,
            rule_version=self.rule.version,
            rule_name=self.rule.name,
            machine_id=slot.machine_id,
            sensor_id=slot.sensor_id,
            ts=ts,
            value=value,
            severity=self.rule.severity,
            safety=self.rule.safety,
            message=self.message(slot),
            details=details or {},
        )

    def tick(self, now_ns: int) -> list[Transition]:
        return []

    # -- state ---------------------------------------------------------------------------------------------
    def dump_slot(self, i: int) -> dict[str, Any]:
        run = int(self.run[i])
        return {"active": bool(self.active[i]), "run": None if run == NO_TS else run}

    def load_slot(self, i: int, d: dict[str, Any]) -> None:
        self.active[i] = bool(d["active"])
        self.run[i] = NO_TS if d.get("run") is None else int(d["run"])

    def state(self) -> dict[str, Any]:
        return {s.key: self.dump_slot(i) for i, s in enumerate(self.slots)}

    def restore(self, snap: dict[str, Any]) -> None:
        for i, s in enumerate(self.slots):
            d = snap.get(s.key)
            if d is not None:
                self.load_slot(i, d)


class ThresholdEval(Evaluator):
    def __init__(self, rule: RuleSpec, slots: list[Slot], inputs: list[uuid.UUID]) -> None:
        super().__init__(rule, slots, inputs)
        c = rule.condition
        assert isinstance(c, Threshold)
        self.c = c
        self.min_dur_ns = round(c.min_duration_s * NS)

    def describe(self) -> str:
        c = self.c
        text = f"value {c.op} {fmt(c.value)}"
        if c.deadband:
            text += f" (deadband {fmt(c.deadband)})"
        if c.min_duration_s:
            text += f" for {fmt(c.min_duration_s)} s"
        return text

    def static_details(self) -> dict[str, float | str]:
        return {"limit": self.c.value}

    def signals(self, seg: Seg) -> Signals:
        c, x = self.c, seg.x
        breach = compare(c.op, x, c.value)
        if c.deadband == 0.0:
            clear = ~breach
        else:
            edge = c.value - c.deadband if upward(c.op) else c.value + c.deadband
            clear = compare(RESET[c.op], x, edge)
        return Signals(breach, clear, x, x if upward(c.op) else -x)


class EwmaEval(Evaluator):
    """EWMA chart with limits learned from the signal: the statistic z = EWMA(x, alpha) is compared with a
    baseline mean/variance learned with beta = alpha/10 (cumulative averaging while fewer than 1/beta readings
    have been seen, so the first ``warmup`` readings give an unbiased start). Breach when |z − μ| exceeds
    sigmas · σ · sqrt(alpha / (2 − alpha)), μ and σ taken before the current reading."""

    BASELINE_FACTOR = 0.1

    def __init__(self, rule: RuleSpec, slots: list[Slot], inputs: list[uuid.UUID]) -> None:
        super().__init__(rule, slots, inputs)
        c = rule.condition
        assert isinstance(c, Ewma)
        self.c = c
        self.beta = c.alpha * self.BASELINE_FACTOR
        self.n_cum = math.ceil(1.0 / self.beta) - 1  # readings averaged cumulatively before beta takes over
        self.k_sigma = c.sigmas * math.sqrt(c.alpha / (2.0 - c.alpha))
        n = len(slots)
        self.count = np.zeros(n, dtype=np.int64)
        self.mu = np.full(n, np.nan)
        self.var = np.full(n, np.nan)
        self.z = np.full(n, np.nan)

    def describe(self) -> str:
        c = self.c
        return f"EWMA(alpha={fmt(c.alpha)}) outside learned mean ± {fmt(c.sigmas)}σ"

    def _warm(self, seg: Seg, mu_prev: F64, var_prev: F64, z: F64) -> IP:
        """Scalar path for each slot's first ``n_cum`` readings (once per slot); returns rows done per segment."""
        done = np.zeros(seg.n_seg, dtype=np.intp)
        alpha, beta = self.c.alpha, self.beta
        for k in np.flatnonzero(self.count[seg.seg_input] < self.n_cum).tolist():
            s = int(seg.seg_input[k])
            a = int(seg.seg_start[k])
            take = min(int(seg.seg_len[k]), self.n_cum - int(self.count[s]))
            cnt, mu, var, zz = int(self.count[s]), float(self.mu[s]), float(self.var[s]), float(self.z[s])
            for r in range(a, a + take):
                xv = float(seg.x[r])
                if cnt == 0:
                    mu, var, zz = xv, 0.0, xv
                    mu_prev[r] = var_prev[r] = math.nan
                else:
                    mu_prev[r], var_prev[r] = mu, var
                    b = max(beta, 1.0 / (cnt + 1))
                    d = xv - mu
                    mu += b * d
                    var = (1.0 - b) * (var + b * d * d)
                    zz = alpha * xv + (1.0 - alpha) * zz
                z[r] = zz
                cnt += 1
            self.count[s], self.mu[s], self.var[s], self.z[s] = cnt, mu, var, zz
            done[k] = take
        return done

    def signals(self, seg: Seg) -> Signals:
        n = seg.ts.shape[0]
        x = seg.x
        slots = seg.seg_input
        count0 = self.count[slots].copy()
        mu_prev = np.empty(n)
        var_prev = np.empty(n)
        z = np.empty(n)
        done = self._warm(seg, mu_prev, var_prev, z) if (count0 < self.n_cum).any() else None
        if done is None:
            sub, rows = seg, None
        else:
            rest = seg.seg_len - done
            keep = rest > 0
            rows = np.flatnonzero((np.arange(n) - seg.seg_start[seg.seg_of_row]) >= done[seg.seg_of_row])
            sub = Seg.build(seg.ts[rows], x[rows], rest[keep], slots[keep])
        if sub.ts.shape[0]:
            ss = sub.seg_input
            mu0, var0, z0 = self.mu[ss], self.var[ss], self.z[ss]
            b, a = self.beta, self.c.alpha
            mu = seg_recurrence(1.0 - b, b * sub.x, sub, mu0)
            mp = np.empty_like(mu)
            mp[1:] = mu[:-1]
            mp[sub.seg_start] = mu0
            d = sub.x - mp
            var = seg_recurrence(1.0 - b, (1.0 - b) * b * d * d, sub, var0)
            vp = np.empty_like(var)
            vp[1:] = var[:-1]
            vp[sub.seg_start] = var0
            zz = seg_recurrence(1.0 - a, a * sub.x, sub, z0)
            last = sub.seg_last
            self.mu[ss], self.var[ss], self.z[ss] = mu[last], var[last], zz[last]
            self.count[ss] += sub.seg_len
            if rows is None:
                mu_prev, var_prev, z = mp, vp, zz
            else:
                mu_prev[rows], var_prev[rows], z[rows] = mp, vp, zz
        seen = count0[seg.seg_of_row] + (np.arange(n) - seg.seg_start[seg.seg_of_row])
        ready = seen >= self.c.warmup
        sd = np.sqrt(np.maximum(var_prev, 0.0)) * self.k_sigma
        sd = np.maximum(sd, 1e-12 * (1.0 + np.abs(mu_prev)))
        with np.errstate(invalid="ignore"):
            score = np.abs(z - mu_prev) / sd
            breach = ready & (score > 1.0)
        score = np.where(ready, score * self.c.sigmas, 0.0)
        return Signals(breach, ready & ~breach, x, score, {"ewma": z, "mean": mu_prev, "limit_dev": sd})

    def dump_slot(self, i: int) -> dict[str, Any]:
        d = super().dump_slot(i)
        d.update(n=int(self.count[i]), mu=_num(self.mu[i]), var=_num(self.var[i]), z=_num(self.z[i]))
        return d

    def load_slot(self, i: int, d: dict[str, Any]) -> None:
        super().load_slot(i, d)
        self.count[i] = int(d["n"])
        self.mu[i], self.var[i], self.z[i] = _opt(d["mu"]), _opt(d["var"]), _opt(d["z"])
