"""Process capability: Cp, Cpk, Cpm (within-subgroup σ, the chart's σ̂) and Pp, Ppk (overall sample σ), with
confidence intervals and the expected fraction out of specification under a normal model.

Intervals (two-sided, ``confidence`` default 0.95), with N the number of individual values:
* Cp and Pp: chi-square, C·sqrt(χ²_{α/2,N-1}/(N-1)) .. C·sqrt(χ²_{1-α/2,N-1}/(N-1)). For Cp (σ̂ from R̄ or S̄)
  N-1 degrees of freedom is the usual approximation (as in qcc); it is exact for the overall σ (Pp).
* Cpk and Ppk: Bissell's (1990) normal approximation, C ± z_{1-α/2}·sqrt(1/(9N) + C²/(2(N-1))).
* Cpm: Boyles' (1991) chi-square approximation with ν = N(1+δ²)²/(1+2δ²), δ = (x̄ - T)/σ.
Cpm = (USL - LSL)/(6·sqrt(σ² + (x̄ - T)²)) with the within σ; the target T defaults to the mid-specification.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
from scipy import stats

from mip.quality.spc.data import F64
from mip.quality.spc.errors import SpcInputError


def _chi_ci(value: float | None, dof: float, alpha: float) -> list[float] | None:
    if value is None or dof <= 0:
        return None
    lo = value * math.sqrt(float(stats.chi2.ppf(alpha / 2, dof)) / dof)
    hi = value * math.sqrt(float(stats.chi2.ppf(1 - alpha / 2, dof)) / dof)
    return [lo, hi]


def _bissell(value: float | None, n: int, alpha: float) -> list[float] | None:
    if value is None or n < 2:
        return None
    half = float(stats.norm.ppf(1 - alpha / 2)) * math.sqrt(1.0 / (9.0 * n) + value * value / (2.0 * (n - 1)))
    return [value - half, value + half]


def _indices(mean: float, sigma: float, lsl: float | None, usl: float | None) -> tuple[float | None, float | None]:
    """(Cp-type, Cpk-type) for one σ."""
    cp = (usl - lsl) / (6.0 * sigma) if lsl is not None and usl is not None else None
    sides = [x for x in ((usl - mean) / (3.0 * sigma) if usl is not None else None,
                         (mean - lsl) / (3.0 * sigma) if lsl is not None else None) if x is not None]  # fmt: skip
    return cp, min(sides) if sides else None


def _ppm(mean: float, sigma: float, lsl: float | None, usl: float | None) -> dict[str, float | None]:
    below = float(stats.norm.cdf((lsl - mean) / sigma)) * 1e6 if lsl is not None else None
    above = float(stats.norm.sf((usl - mean) / sigma)) * 1e6 if usl is not None else None
    return {"below": below, "above": above, "total": (below or 0.0) + (above or 0.0)}


def capability(
    x: F64,
    sigma_within: float,
    *,
    lsl: float | None,
    usl: float | None,
    target: float | None = None,
    confidence: float = 0.95,
) -> dict[str, Any]:
    """Capability of the individual values ``x`` against the specification."""
    x = np.asarray(x, np.float64)
    x = x[np.isfinite(x)]
    n = int(x.size)
    if lsl is None and usl is None:
        raise SpcInputError("capability needs at least one specification limit (lsl or usl)")
    if lsl is not None and usl is not None and not usl > lsl:
        raise SpcInputError("usl must be greater than lsl")
    if n < 2:
        raise SpcInputError("capability needs at least 2 measurements")
    if not 0 < confidence < 1:
        raise SpcInputError("confidence must be in (0, 1)")
    if not sigma_within > 0:
        raise SpcInputError("the within-subgroup sigma must be positive")
    mean = float(np.mean(x))
    sigma_overall = float(np.std(x, ddof=1))
    if not sigma_overall > 0:
        raise SpcInputError("all measurements are equal: capability is undefined")
    alpha = 1.0 - confidence
    if target is None and lsl is not None and usl is not None:
        target = (lsl + usl) / 2.0
    cp, cpk = _indices(mean, sigma_within, lsl, usl)
    pp, ppk = _indices(mean, sigma_overall, lsl, usl)
    cpm = cpm_ci = None
    if cp is not None and target is not None and lsl is not None and usl is not None:
        delta = (mean - target) / sigma_within
        cpm = (usl - lsl) / (6.0 * math.sqrt(sigma_within**2 + (mean - target) ** 2))
        nu = n * (1 + delta**2) ** 2 / (1 + 2 * delta**2)
        cpm_ci = _chi_ci(cpm, nu, alpha)
    observed_below = int(np.sum(x < lsl)) if lsl is not None else 0
    observed_above = int(np.sum(x > usl)) if usl is not None else 0
    return {
        "n": n,
        "mean": mean,
        "sigma_within": sigma_within,
        "sigma_overall": sigma_overall,
        "lsl": lsl,
        "usl": usl,
        "target": target,
        "confidence": confidence,
        "cp": cp,
        "cpk": cpk,
        "cpm": cpm,
        "pp": pp,
        "ppk": ppk,
        "ci": {
            "cp": _chi_ci(cp, n - 1, alpha),
            "cpk": _bissell(cpk, n, alpha),
            "cpm": cpm_ci,
            "pp": _chi_ci(pp, n - 1, alpha),
            "ppk": _bissell(ppk, n, alpha),
        },
        "ci_methods": {
            "cp": "chi-square",
            "cpk": "Bissell",
            "cpm": "Boyles chi-square",
            "pp": "chi-square",
            "ppk": "Bissell",
        },  # fmt: skip
        "expected_ppm_within": _ppm(mean, sigma_within, lsl, usl),
        "expected_ppm_overall": _ppm(mean, sigma_overall, lsl, usl),
        "observed_ppm": {
            "below": observed_below / n * 1e6,
            "above": observed_above / n * 1e6,
            "total": (observed_below + observed_above) / n * 1e6,
        },
    }
