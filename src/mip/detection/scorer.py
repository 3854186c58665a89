"""The unsupervised streaming anomaly scorer (``mip detect score``): one value at a time, past data only.

Each reading is compared with state built from the readings before it by five detectors, each giving a
non-negative statistic:

* ``spike``: |x − median| / robust scale of the last ``short_window`` readings (isolated outliers);
* ``level``: |EWMA(x, ``fast_halflife``) − median| / robust scale of the last ``long_window`` readings
  (sustained shifts: the median ignores an anomaly until it fills half the long window, so a long excursion
  stays visible, yet a real change of regime is learned after that — no gating, no lock-in);
* ``forecast``: the one-step residual of an online AR(``ar_order``) model of the differences, fitted by
  recursive least squares with forgetting, over its running RMS (changed dynamics);
* ``rate``: |Δx| over the running mean |Δx| (sudden jumps);
* ``volatility``: log of the short- over the long-term mean of Δx² (a signal getting noisier).

Robust scale = 1.2533 × the mean absolute deviation from the median (σ for normal data; unlike the IQR it is
not zero for quantised signals that rarely move).

Calibration: each statistic becomes a tail probability against its own recent history (the last
``calib_size`` values): empirical up to the 90th percentile, a generalised Pareto tail fitted to the
exceedances beyond (peaks over threshold, method of moments). Values a detector itself finds extreme
(p < ``gate_p``) enter that history only one time in ``gate_every`` (never for ``level``, whose baseline
already adapts), so an anomaly does not immediately teach the calibration that it is normal.

Combination: the smallest probability, Bonferroni-corrected for the five detectors, gives the surprise
−log10 p; the score is surprise / ``full_scale`` clipped to [0, 1] (score s ⇔ p ≈ 10^(−s·full_scale); 0.5 ⇔
p ≈ 0.001), smoothed a little with separate attack and release weights (a strong anomaly shows at once, an
isolated flicker is damped, and a score decays over a few readings). Zero during the first ``warmup``
readings. One configuration for every signal; nothing is fitted to a whole series.
"""

from __future__ import annotations

import bisect
import math
from collections import deque
from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

DETECTORS = ("spike", "level", "forecast", "rate", "volatility")


@dataclass(frozen=True, slots=True)
class ScorerConfig:
    short_window: int = 60
    long_window: int = 1800
    fast_halflife: float = 5.0
    ar_order: int = 4
    rls_forget: float = 0.995
    resid_halflife: float = 100.0
    diff_halflife: float = 50.0
    vol_short: float = 10.0
    vol_long: float = 300.0
    calib_size: int = 1800
    calib_min: int = 30
    gate_p: float = 1e-3
    gate_every: int = 10
    warmup: int = 30  # readings before the first non-zero score
    full_scale: float = 6.0
    attack: float = 0.8  # weight of the newest raw score when it is above the smoothed one (rises fast) ...
    release: float = 0.3  # ... and when it is below (falls more slowly)
    detectors: tuple[str, ...] = DETECTORS


def _alpha(halflife: float) -> float:
    return float(1.0 - 0.5 ** (1.0 / halflife))


class SortedWindow:
    """The last ``size`` values, with order statistics in O(log n) (+ a memmove)."""

    __slots__ = ("fifo", "size", "srt")

    def __init__(self, size: int) -> None:
        self.size = size
        self.srt: list[float] = []
        self.fifo: deque[float] = deque()

    def __len__(self) -> int:
        return len(self.srt)

    def add(self, v: float) -> None:
        bisect.insort(self.srt, v)
        self.fifo.append(v)
        if len(self.fifo) > self.size:
            del self.srt[bisect.bisect_left(self.srt, self.fifo.popleft())]

    def q(self, f: float) -> float:
        s = self.srt
        return s[min(len(s) - 1, int(f * len(s)))]

    def median(self) -> float:
        s = self.srt
        k = len(s)
        return s[k // 2] if k % 2 else 0.5 * (s[k // 2 - 1] + s[k // 2])

    def scale(self) -> float:
        """Mean absolute deviation from the median × 1.2533 (σ for normal data); robust enough against a
        minority of outliers, and unlike the IQR not zero for quantised signals that rarely move."""
        s = self.srt
        n = len(s)
        h = n // 2
        dev = sum(s[h:]) - sum(s[:h]) - (self.median() if n % 2 else 0.0)
        return max(1.2533 * dev / n, 1e-9 * (abs(s[h]) + 1.0))


class TailCalibrator(SortedWindow):
    """P(statistic ≥ r) against the statistics added: empirical below the 90th percentile, exponential tail
    (mean excess of the top 10 %) above it."""

    __slots__ = ("min_n",)

    def __init__(self, size: int, min_n: int) -> None:
        super().__init__(size)
        self.min_n = min_n

    def pvalue(self, r: float) -> float:
        srt = self.srt
        n = len(srt)
        if n < self.min_n or math.isnan(r):
            return 1.0
        m = max(5, n // 10)
        u = srt[-m - 1]
        if r <= u:
            return (n - bisect.bisect_left(srt, r) + 1) / (n + 1)
        # generalised Pareto tail over the exceedances of u, by the method of moments (shape clipped to [0, ½])
        exc = [v - u for v in srt[-m:]]
        m1 = sum(exc) / m
        var = sum(e * e for e in exc) / m - m1 * m1
        floor = 1e-12 * (abs(u) + 1.0)
        if m1 <= floor:
            return (m + 1) / (n + 1) * math.exp(-(r - u) / floor)
        xi = min(0.5, max(0.0, 0.5 * (1.0 - m1 * m1 / var))) if var > 0 else 0.0
        sigma = m1 * (1.0 - xi)
        y = r - u
        tail = math.exp(-y / sigma) if xi == 0.0 else (1.0 + xi * y / sigma) ** (-1.0 / xi)
        return (m + 1) / (n + 1) * tail


class StreamingScorer:
    """``update(x)`` → anomaly score in [0, 1] of x given everything before it."""

    def __init__(self, config: ScorerConfig | None = None) -> None:
        c = self.c = config or ScorerConfig()
        self.n = 0
        self.short = SortedWindow(c.short_window)
        self.long = SortedWindow(c.long_window)
        self.a_fast = _alpha(c.fast_halflife)
        self.fast = 0.0
        self.prev = 0.0
        p = c.ar_order
        self.lags = [0.0] * p
        self.w = [0.0] * (p + 1)
        self.P = [[(100.0 if i == j else 0.0) for j in range(p + 1)] for i in range(p + 1)]
        self.a_res = _alpha(c.resid_halflife)
        self.res_ms = 0.0
        self.a_diff = _alpha(c.diff_halflife)
        self.dabs = 0.0
        self.a_vs, self.a_vl = _alpha(c.vol_short), _alpha(c.vol_long)
        self.vs = self.vl = 0.0
        self.cal = {name: TailCalibrator(c.calib_size, c.calib_min) for name in c.detectors}
        self.smoothed = 0.0
        self.stats: dict[str, float] = {}
        self.pvalues: dict[str, float] = {}

    def _ew(self, old: float, new: float, alpha: float) -> float:
        """EW average that starts as a plain running mean (no start-up bias)."""
        return old + max(alpha, 1.0 / self.n) * (new - old)

    def _statistics(self, x: float, d: float) -> tuple[dict[str, float], list[float], float]:
        c, n = self.c, self.n
        stats: dict[str, float] = {}
        want = c.detectors
        if "spike" in want and len(self.short) >= 8:
            stats["spike"] = abs(x - self.short.median()) / self.short.scale()
        if "level" in want and len(self.long) >= 8:
            fast = self.fast + self.a_fast * (x - self.fast)
            stats["level"] = abs(fast - self.long.median()) / self.long.scale()
        dscale = max(self.dabs, 1e-9 * (abs(x) + 1.0))
        phi: list[float] = []
        res = 0.0
        if n >= 2:
            if "forecast" in want:
                phi = [1.0, *(v / dscale for v in self.lags)]
                res = d / dscale - sum(wi * f for wi, f in zip(self.w, phi, strict=True))
                if self.res_ms > 0 and n > 20:
                    stats["forecast"] = abs(res) / math.sqrt(self.res_ms)
            if "rate" in want and n > 8:
                stats["rate"] = abs(d) / dscale
            if "volatility" in want and n > 16:
                stats["volatility"] = max(0.0, math.log((self.vs + 1e-300) / (self.vl + 1e-300)))
        return stats, phi, res

    def update(self, x: float) -> float:
        c = self.c
        d = x - self.prev if self.n else 0.0
        stats, phi, res = self._statistics(x, d)
        pmin = 1.0
        ps: dict[str, float] = {}
        for name, r in stats.items():
            ps[name] = pv = self.cal[name].pvalue(r)
            pmin = min(pmin, pv)
        p = min(1.0, len(c.detectors) * pmin)
        raw = min(1.0, -math.log10(max(p, 1e-300)) / c.full_scale) if self.n >= c.warmup else 0.0
        a = c.attack if raw > self.smoothed else c.release
        self.smoothed = a * raw + (1.0 - a) * self.smoothed
        self.stats, self.pvalues = stats, ps
        slow_turn = self.n % c.gate_every == 0
        for name, pv in ps.items():
            if pv >= c.gate_p or (slow_turn and name != "level"):  # see the module docstring
                self.cal[name].add(stats[name])
        self._learn(x, d, phi, res)
        return self.smoothed

    def _learn(self, x: float, d: float, phi: list[float], res: float) -> None:
        self.short.add(x)
        self.long.add(x)
        self.fast = x if self.n == 0 else self.fast + self.a_fast * (x - self.fast)
        self.n += 1
        if self.n >= 2:
            if phi:
                self.res_ms = self._ew(self.res_ms, res * res, self.a_res)
                self._rls(phi, res)
            self.lags = [d, *self.lags[:-1]]
            self.dabs = self._ew(self.dabs, abs(d), self.a_diff)
            dd = d * d
            self.vs = self._ew(self.vs, dd, self.a_vs)
            self.vl = self._ew(self.vl, dd, self.a_vl)
        self.prev = x

    def _rls(self, phi: list[float], err: float) -> None:
        lam = self.c.rls_forget
        P = self.P
        k = len(phi)
        pphi = [sum(P[i][j] * phi[j] for j in range(k)) for i in range(k)]
        denom = lam + sum(phi[i] * pphi[i] for i in range(k))
        gain = [v / denom for v in pphi]
        self.w = [self.w[i] + gain[i] * err for i in range(k)]
        self.P = [[(P[i][j] - gain[i] * pphi[j]) / lam for j in range(k)] for i in range(k)]


def score_series(values: Iterable[float], config: ScorerConfig | None = None) -> npt.NDArray[np.float64]:
    s = StreamingScorer(config)
    return np.array([s.update(float(v)) for v in values], dtype=np.float64)
