"""A deliberately naive, per-reading model of the rule semantics: the vectorised engine must agree with it.

Each sensor condition is a function of (history before the reading, the reading) → (breach, clear, defined);
the raise/clear state machine is the same small loop for all of them.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from mip.detection.spec import (
    Combined,
    Ewma,
    Flatline,
    MissingData,
    RateOfChange,
    RuleSpec,
    Threshold,
    WindowAggregate,
    ZScore,
)

NS = 1_000_000_000
OPS = {">": float.__gt__, ">=": float.__ge__, "<": float.__lt__, "<=": float.__le__}


def cmp(op: str, a: float, b: float) -> bool:
    return not math.isnan(a) and OPS[op](float(a), float(b))


@dataclass
class Alarm:
    active: bool = False
    run_start: int | None = None
    out: list[tuple[str, int]] = field(default_factory=list)

    def step(self, ts: int, breach: bool, clear: bool, min_dur_ns: int = 0) -> None:
        if breach:
            if self.run_start is None:
                self.run_start = ts
        else:
            self.run_start = None
        if not self.active and breach and ts - self.run_start >= min_dur_ns:  # type: ignore[operator]
            self.active = True
            self.out.append(("raise", ts))
        elif self.active and clear and not breach:
            self.active = False
            self.out.append(("clear", ts))


def sensor_transitions(
    rule: RuleSpec, readings: list[tuple[int, float]], rate_hz: float = 1.0
) -> list[tuple[str, int]]:
    """Transitions of one (rule, sensor) over its whole time-ordered series."""
    c = rule.condition
    alarm = Alarm()
    hist: list[tuple[int, float]] = []
    if isinstance(c, MissingData):
        limit = round(c.intervals * NS / rate_hz)
        out = []
        for i in range(1, len(readings)):
            p, t = readings[i - 1][0], readings[i][0]
            if t - p > limit:
                out += [("raise", p + limit), ("clear", t)]
        return out
    ew = _EwmaRef(c) if isinstance(c, Ewma) else None
    first_ts = readings[0][0] if readings else 0
    for ts, x in readings:
        min_dur = 0
        if isinstance(c, Threshold):
            breach = cmp(c.op, x, c.value)
            if c.op in (">", ">="):
                clear = (x <= c.value - c.deadband) if c.op == ">" else (x < c.value - c.deadband)
            else:
                clear = (x >= c.value + c.deadband) if c.op == "<" else (x > c.value + c.deadband)
            min_dur = round(c.min_duration_s * NS)
        elif isinstance(c, RateOfChange):
            w = round(c.window_s * NS)
            inwin = [h for h in hist if h[0] >= ts - w]
            ref = inwin[0] if inwin else (hist[-1] if hist else None)
            if ref is None:
                breach, clear = False, False
            else:
                rate = (x - ref[1]) / ((ts - ref[0]) / NS)
                breach = {"up": rate > c.max_per_s, "down": rate < -c.max_per_s, "both": abs(rate) > c.max_per_s}[
                    c.direction
                ]
                clear = not breach
        elif isinstance(c, ZScore):
            w = round(c.window_s * NS)
            vals = [h[1] for h in hist if h[0] >= ts - w]
            if len(vals) < c.min_samples:
                breach, clear = False, False
            else:
                m = sum(vals) / len(vals)
                sd = math.sqrt(sum((v - m) ** 2 for v in vals) / (len(vals) - 1))
                sd = max(sd, 1e-12 * (1 + abs(m)))
                breach = abs(x - m) / sd > c.z
                clear = not breach
        elif isinstance(c, WindowAggregate):
            w = round(c.window_s * NS)
            vals = [h[1] for h in hist if h[0] >= ts - w] + [x]
            agg = {"avg": sum(vals) / len(vals), "max": max(vals), "min": min(vals)}[c.agg]
            breach = cmp(c.op, agg, c.value)
            clear = not breach
        elif isinstance(c, Flatline):
            w = round(c.window_s * NS)
            vals = [h[1] for h in hist if h[0] >= ts - w] + [x]
            if hist:
                vals.append(hist[-1][1])
            if first_ts <= ts - w:
                breach = max(vals) - min(vals) <= c.tolerance
                clear = not breach
            else:
                breach, clear = False, False
        elif ew is not None:
            breach, clear = ew.step(x)
        else:  # pragma: no cover
            raise AssertionError(c)
        alarm.step(ts, breach, clear, min_dur)
        hist.append((ts, x))
    return alarm.out


class _EwmaRef:
    def __init__(self, c: Ewma) -> None:
        self.c = c
        self.beta = c.alpha * 0.1
        self.n = 0
        self.mu = self.var = self.z = 0.0

    def step(self, x: float) -> tuple[bool, bool]:
        c = self.c
        if self.n == 0:
            self.mu, self.var, self.z = x, 0.0, x
            self.n = 1
            return False, False
        mu_prev, var_prev = self.mu, self.var
        b = max(self.beta, 1.0 / (self.n + 1))
        d = x - self.mu
        self.mu += b * d
        self.var = (1 - b) * (self.var + b * d * d)
        self.z = c.alpha * x + (1 - c.alpha) * self.z
        ready = self.n >= c.warmup
        self.n += 1
        if not ready:
            return False, False
        sd = max(
            math.sqrt(max(var_prev, 0.0)) * c.sigmas * math.sqrt(c.alpha / (2 - c.alpha)), 1e-12 * (1 + abs(mu_prev))
        )
        breach = abs(self.z - mu_prev) / sd > 1.0
        return breach, not breach


def combined_transitions(rule: RuleSpec, series: dict[str, list[tuple[int, float]]]) -> list[tuple[str, int]]:
    """One machine: series by sensor name."""
    c = rule.condition
    assert isinstance(c, Combined)
    w = round(c.window_s * NS)
    events = sorted((ts, k, x) for k, t in enumerate(c.all_of) for ts, x in series.get(t.sensor_name, []))
    latest: dict[int, tuple[int, float]] = {}
    alarm = Alarm()
    for i, (ts, k, x) in enumerate(events):
        latest[k] = (ts, x)
        if i + 1 < len(events) and events[i + 1][0] == ts:
            continue
        ok = all(
            k2 in latest and ts - latest[k2][0] <= w and cmp(t.op, latest[k2][1], t.value)
            for k2, t in enumerate(c.all_of)
        )
        alarm.step(ts, ok, not ok)
    return alarm.out
