"""Chart models: estimate the parameters (Phase I) and evaluate any subgroups against them (Phase II).

Per-point limits wherever the subgroup size enters (Montgomery ch. 6-7, 9): X̄ at μ ± kσ/√n_i; R at
d2(n_i)σ ± k d3(n_i)σ; S at c4(n_i)σ ± kσ√(1-c4(n_i)²); p at p̄ ± k√(p̄(1-p̄)/n_i); u at ū ± k√(ū/n_i).
Lower limits are floored at 0 (and p's upper capped at 1). σ̂ estimators for variable subgroup sizes are the
unbiased weighted averages (qcc's "UWAVE"): Σ f_i R_i/d2(n_i) / Σ f_i with f_i = d2²/d3², and
Σ h_i S_i/c4(n_i) / Σ h_i with h_i = c4²/(1-c4²); for constant n they reduce to R̄/d2 and S̄/c4. "pooled" is
sqrt(Σ(n_i-1)s_i² / Σ(n_i-1)) / c4(Σ(n_i-1)+1); individuals use MR̄/d2(2) (= MR̄/1.128).

EWMA: z_i = λx̄_i + (1-λ)z_{i-1}, z_0 = μ, exact variance Var z_i = λ²σ²/n_i + (1-λ)² Var z_{i-1} (the
textbook λ/(2-λ)(1-(1-λ)^2i) σ²/n for constant n). Tabular CUSUM on standardised means
y_i = (x̄_i - μ)/(σ/√n_i): C⁺_i = max(0, y_i - k + C⁺_{i-1}), C⁻_i = max(0, -y_i - k + C⁻_{i-1}), signal when
either exceeds h; computed without a Python loop as C_i = S_i - min(0, min_{j≤i} S_j) with S the cumulative
sum of the increments (the Lindley recursion).
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass, field
from typing import Any, Literal

import numpy as np
from scipy import signal

from mip.quality.spc import constants as K
from mip.quality.spc.data import F64, Subgroups
from mip.quality.spc.errors import SpcInputError

ChartType = Literal["xbar", "r", "s", "imr", "p", "np", "c", "u", "ewma", "cusum"]
SigmaMethod = Literal["rbar", "sbar", "pooled", "mr"]
CHART_TYPES: tuple[ChartType, ...] = ("xbar", "r", "s", "imr", "p", "np", "c", "u", "ewma", "cusum")
VARIABLES = frozenset({"xbar", "r", "s", "imr", "ewma", "cusum"})
ATTRIBUTES = frozenset({"p", "np", "c", "u"})
SHEWHART = frozenset(CHART_TYPES) - {"ewma", "cusum"}


@dataclass(frozen=True)
class ChartOptions:
    type: ChartType
    sigmas: float = 3.0  # k of the k-sigma limits (L for EWMA)
    sigma_method: SigmaMethod | None = None  # None: R̄ for X̄/R/EWMA/CUSUM, S̄ for S, MR̄ for individuals
    constants: K.ConstantsMode = "exact"
    center: float | None = None  # standard given: μ (variables), p, c or u (attributes)
    sigma: float | None = None  # standard given: process σ (variables)
    lam: float = 0.2  # EWMA λ
    k: float = 0.5  # CUSUM reference value (in σ of the plotted mean)
    h: float = 5.0  # CUSUM decision interval

    def __post_init__(self) -> None:
        if self.type not in CHART_TYPES:
            raise SpcInputError(f"unknown chart type {self.type!r}; one of {', '.join(CHART_TYPES)}")
        if not (self.sigmas > 0 and math.isfinite(self.sigmas)):
            raise SpcInputError("sigmas must be a positive number")
        if not 0 < self.lam <= 1:
            raise SpcInputError("EWMA lambda must be in (0, 1]")
        if self.k < 0 or self.h <= 0:
            raise SpcInputError("CUSUM needs k >= 0 and h > 0")
        if self.sigma is not None and not self.sigma > 0:
            raise SpcInputError("a given sigma must be positive")


@dataclass(frozen=True)
class Params:
    """What Phase I freezes: the centre (μ, p̄, c̄ or ū), the process σ (variables), the constant size (np)."""

    type: ChartType
    center: float
    sigma: float | None = None
    size: float | None = None  # np chart: the constant subgroup size
    sigma_method: str | None = None
    options: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @staticmethod
    def from_dict(d: dict[str, Any]) -> Params:
        return Params(**{k: d[k] for k in ("type", "center", "sigma", "size", "sigma_method", "options") if k in d})


@dataclass(frozen=True, eq=False)
class Series:
    """The plotted statistic and its per-point centre, σ and limits. ``lower`` is CUSUM's -C⁻ (plotted
    against ``lcl``); ``observed`` the raw subgroup mean for EWMA/CUSUM."""

    stat: F64
    center: F64
    sd: F64
    lcl: F64
    ucl: F64
    lower: F64 | None = None
    observed: F64 | None = None
    zones: bool = True  # whether the zone-based run rules apply (not for EWMA/CUSUM)


def _d2(o: ChartOptions, n: int) -> float:
    return K.d2(n, o.constants)


def _d3(o: ChartOptions, n: int) -> float:
    return K.d3(n, o.constants)


def _need_sizes(data: Subgroups, minimum: int, what: str) -> None:
    if len(data) and float(data.n.min()) < minimum:
        bad = int(np.argmin(data.n))
        raise SpcInputError(
            f"{what} needs subgroups of size >= {minimum}; subgroup {data.labels[bad]} has {int(data.n[bad])}"
        )


def default_sigma_method(o: ChartOptions, data: Subgroups) -> SigmaMethod:
    if o.sigma_method is not None:
        return o.sigma_method
    if o.type == "imr" or (len(data) and float(data.n.max()) <= 1):
        return "mr"
    return "sbar" if o.type == "s" else "rbar"


def estimate_sigma(o: ChartOptions, data: Subgroups, method: SigmaMethod) -> float:
    n = data.isizes
    if method == "mr":
        x = data.means if float(data.n.max()) > 1 else data._vals()
        if len(x) < 2:
            raise SpcInputError("the moving-range estimate needs at least 2 observations")
        return float(np.mean(np.abs(np.diff(x)))) / _d2(o, 2)
    _need_sizes(data, 2, f"sigma estimate '{method}'")
    if method == "rbar":
        d2 = K.per_size(lambda m: _d2(o, m), n)
        d3 = K.per_size(lambda m: _d3(o, m), n)
        w = (d2 / d3) ** 2
        return float(np.sum(w * data.ranges / d2) / np.sum(w))
    c4 = K.per_size(K.c4, n)
    if method == "sbar":
        w = c4**2 / (1.0 - c4**2)
        return float(np.sum(w * data.sds / c4) / np.sum(w))
    if method == "pooled":
        dof = float(np.sum(data.n - 1.0))
        return math.sqrt(float(np.sum((data.n - 1.0) * data.sds**2)) / dof) / K.c4(int(dof) + 1)
    raise SpcInputError(f"unknown sigma method {method!r}")


def estimate(o: ChartOptions, data: Subgroups) -> Params:
    """Phase I parameters from ``data`` (the included subgroups); given standards win."""
    if len(data) < 2:
        raise SpcInputError("at least 2 subgroups are needed to estimate control limits")
    opts = {"sigmas": o.sigmas, "constants": o.constants, "lam": o.lam, "k": o.k, "h": o.h}
    if o.type in ATTRIBUTES:
        if data.counts is None:
            raise SpcInputError(f"a {o.type} chart needs counts per subgroup")
        if o.type in ("p", "np") and (data.counts > data.n).any():
            bad = int(np.argmax(data.counts > data.n))
            raise SpcInputError(f"subgroup {data.labels[bad]}: more defectives than inspected")
        size = None
        if o.type == "np" or o.type == "c":
            if np.unique(data.n).size > 1:
                other = "p" if o.type == "np" else "u"
                raise SpcInputError(f"a {o.type} chart needs a constant subgroup size; use a {other} chart")
            size = float(data.n[0])
        if o.center is not None:
            center = o.center
        elif o.type == "c":
            center = float(np.mean(data.counts))
        else:
            center = float(np.sum(data.counts) / np.sum(data.n))
        if o.type in ("p", "np") and not 0 < center < 1:
            raise SpcInputError("the fraction nonconforming must be strictly between 0 and 1 to set limits")
        if o.type in ("c", "u") and not center > 0:
            raise SpcInputError("the average count must be positive to set limits")
        return Params(o.type, center, None, size, None, opts)
    if data.values is None:
        raise SpcInputError(f"a {o.type} chart needs measurements, not counts")
    if o.type in ("r", "s"):
        _need_sizes(data, 2, f"an {o.type.upper()} chart")
    method = default_sigma_method(o, data)
    sigma = o.sigma if o.sigma is not None else estimate_sigma(o, data, method)
    if not sigma > 0:
        raise SpcInputError("the estimated process sigma is 0 (all values equal): no limits can be set")
    center = o.center if o.center is not None else float(np.sum(data.means * data.n) / np.sum(data.n))
    return Params(o.type, center, sigma, None, None if o.sigma is not None else method, opts)


def _shewhart(stat: F64, center: F64, sd: F64, k: float, lo: float | None = 0.0, hi: float | None = None) -> Series:
    lcl = center - k * sd
    ucl = center + k * sd
    if lo is not None:
        lcl = np.maximum(lcl, lo)
    if hi is not None:
        ucl = np.minimum(ucl, hi)
    return Series(stat, center, sd, lcl, ucl)


def evaluate(p: Params, data: Subgroups) -> Series:
    """The plotted statistic and per-point limits of ``data`` under the frozen parameters ``p``."""
    o = ChartOptions(p.type, **{k: v for k, v in p.options.items() if k in ("sigmas", "constants", "lam", "k", "h")})
    k, m = o.sigmas, len(data)
    ones = np.ones(m)
    if p.type in ATTRIBUTES:
        if data.counts is None:
            raise SpcInputError(f"a {p.type} chart needs counts per subgroup")
        c, n = data.counts, data.n
        if p.type == "p":
            return _shewhart(c / n, p.center * ones, np.sqrt(p.center * (1 - p.center) / n), k, 0.0, 1.0)
        if p.type == "np":
            if p.size is not None and (n != p.size).any():
                raise SpcInputError(f"an np chart needs every subgroup of size {p.size:g}; use a p chart")
            return _shewhart(c, n * p.center, np.sqrt(n * p.center * (1 - p.center)), k)
        if p.type == "c":
            if p.size is not None and (n != p.size).any():
                raise SpcInputError(f"a c chart needs a constant inspection unit of {p.size:g}; use a u chart")
            return _shewhart(c, p.center * ones, math.sqrt(p.center) * ones, k)
        return _shewhart(c / n, p.center * ones, np.sqrt(p.center / n), k)
    assert p.sigma is not None
    sigma, ni, mu = p.sigma, data.isizes, p.center
    if p.type == "xbar":
        return _shewhart(data.means, mu * ones, sigma / np.sqrt(data.n), k, None)
    if p.type == "r":
        _need_sizes(data, 2, "an R chart")
        return _shewhart(
            data.ranges, sigma * K.per_size(lambda s: _d2(o, s), ni), sigma * K.per_size(lambda s: _d3(o, s), ni), k
        )
    if p.type == "s":
        _need_sizes(data, 2, "an S chart")
        c4 = K.per_size(K.c4, ni)
        return _shewhart(data.sds, sigma * c4, sigma * np.sqrt(1.0 - c4**2), k)
    if p.type == "imr":
        return _shewhart(data.means, mu * ones, sigma * ones, k, None)
    se = sigma / np.sqrt(data.n)
    x = data.means
    if p.type == "ewma":
        lam = o.lam
        z = signal.lfilter([lam], [1.0, -(1.0 - lam)], x, zi=[(1.0 - lam) * mu])[0] if m else np.zeros(0)
        var = signal.lfilter([lam * lam], [1.0, -((1.0 - lam) ** 2)], se**2) if m else np.zeros(0)
        s = Series(np.asarray(z), mu * ones, np.sqrt(var), mu - k * np.sqrt(var), mu + k * np.sqrt(var))
        return Series(s.stat, s.center, s.sd, s.lcl, s.ucl, observed=x, zones=False)
    y = (x - mu) / se
    up = _lindley(y - o.k)
    down = _lindley(-y - o.k)
    zeros = np.zeros(m)
    return Series(up, zeros, ones, -o.h * ones, o.h * ones, lower=-down, observed=x, zones=False)


def _lindley(increments: F64) -> F64:
    """C_i = max(0, C_{i-1} + d_i), C_0 = 0, without a loop."""
    if increments.size == 0:
        return increments
    s = np.cumsum(increments)
    return s - np.minimum(0.0, np.minimum.accumulate(s))


def moving_range(p: Params, x: F64) -> Series:
    """The MR chart companion of an individuals chart: MR_i = |x_i - x_{i-1}| (first point undefined)."""
    assert p.sigma is not None
    mode: K.ConstantsMode = p.options.get("constants", "exact")
    k = float(p.options.get("sigmas", 3.0))
    mr = np.concatenate([[np.nan], np.abs(np.diff(x))]) if x.size else np.zeros(0)
    ones = np.ones(x.size)
    return _shewhart(mr, p.sigma * K.d2(2, mode) * ones, p.sigma * K.d3(2, mode) * ones, k)
