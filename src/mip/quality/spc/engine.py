"""One chart run: Phase I (estimate, check the rules, optionally drop the flagged subgroups and re-estimate
until stable or ``max_iter``), then Phase II (the remaining subgroups against the frozen parameters), the
violations, the moving-range companion of an individuals chart and capability. Output is plain JSON data."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from mip.quality.spc.capability import capability
from mip.quality.spc.charts import ChartOptions, Params, Series, estimate, evaluate, moving_range
from mip.quality.spc.data import Subgroups
from mip.quality.spc.errors import SpcInputError
from mip.quality.spc.rules import Rule, Violation, check


@dataclass(frozen=True)
class RunSpec:
    options: ChartOptions
    rules: tuple[Rule, ...]
    phase1: int | None = None  # the first K subgroups estimate the limits (None: all of them)
    exclude: tuple[str, ...] = ()  # labels of subgroups with a known assignable cause
    auto_exclude: bool = False  # drop the subgroups the rules flag and re-estimate
    max_iter: int = 10
    frozen: Params | None = None  # limits frozen earlier (then ``phase1`` only says which points were Phase I)
    lsl: float | None = None
    usl: float | None = None
    target: float | None = None
    confidence: float = 0.95
    extra: dict[str, Any] = field(default_factory=dict)


def _num(x: float) -> float | None:
    return None if not math.isfinite(x) else float(x)


def _constant(a: np.ndarray) -> float | None:
    a = a[np.isfinite(a)]
    if a.size and np.allclose(a, a[0], rtol=1e-12, atol=0.0):
        return float(a[0])
    return None


def _phase1(spec: RunSpec, data: Subgroups) -> tuple[Params, np.ndarray, list[dict[str, Any]], bool]:
    included = np.ones(len(data), bool)
    unknown = set(spec.exclude) - set(data.labels)
    if unknown:
        raise SpcInputError(f"excluded subgroups not in Phase I: {', '.join(sorted(unknown))}")
    included &= ~np.isin(np.array(data.labels, dtype=object), list(spec.exclude))
    iterations: list[dict[str, Any]] = []
    stable = False
    for it in range(1, max(spec.max_iter, 1) + 1):
        pos = np.flatnonzero(included)
        params = estimate(spec.options, data.take(pos))
        viol = check(evaluate(params, data.take(pos)), spec.rules)
        flagged = sorted({int(pos[v.index]) for v in viol})
        row = {"iteration": it, "center": params.center, "sigma": params.sigma, "subgroups": int(pos.size)}
        if not flagged or not spec.auto_exclude:
            iterations.append({**row, "excluded": [], "violations": len(viol)})
            stable = not flagged
            return params, included, iterations, stable
        if pos.size - len(flagged) < 2:
            iterations.append({**row, "excluded": [], "violations": len(viol), "note": "too few subgroups left"})
            return params, included, iterations, False
        iterations.append({**row, "excluded": [data.labels[i] for i in flagged], "violations": len(viol)})
        included[flagged] = False
    params = estimate(spec.options, data.take(included))  # max_iter reached: limits of what is left
    iterations.append({"iteration": len(iterations) + 1, "center": params.center, "sigma": params.sigma,
                       "subgroups": int(included.sum()), "excluded": [], "violations": None})  # fmt: skip
    return params, included, iterations, stable


def _points(s: Series, data: Subgroups, phase: int, offset: int, excluded: np.ndarray | None) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    for i in range(len(data)):
        p: dict[str, Any] = {
            "index": offset + i,
            "label": data.labels[i],
            "phase": phase,
            "n": float(data.n[i]),
            "value": _num(s.stat[i]),
            "center": _num(s.center[i]),
            "lcl": _num(s.lcl[i]),
            "ucl": _num(s.ucl[i]),
            "excluded": bool(excluded[i]) if excluded is not None else False,
        }
        if s.lower is not None:
            p["lower"] = _num(s.lower[i])
        if s.observed is not None:
            p["observed"] = _num(s.observed[i])
        out.append(p)
    return out


def _violations(
    viol: list[Violation], positions: np.ndarray, labels: tuple[str, ...], phase: int
) -> list[dict[str, Any]]:
    return [
        {
            "index": int(positions[v.index]),
            "label": labels[int(positions[v.index])],
            "phase": phase,
            "rule": v.rule,
            "description": v.description,
        }  # fmt: skip
        for v in viol
    ]


def _segment(
    p: Params, spec: RunSpec, data: Subgroups, phase: int, offset: int, excl: np.ndarray | None
) -> tuple[Series, list[dict[str, Any]], list[dict[str, Any]]]:
    s = evaluate(p, data)
    keep = np.flatnonzero(~excl) if excl is not None else np.arange(len(data))
    kept = evaluate(p, data.take(keep)) if excl is not None and excl.any() else s
    viol = _violations(check(kept, spec.rules), keep + offset, _labels_with_offset(data, offset), phase)
    return s, _points(s, data, phase, offset, excl), viol


def _labels_with_offset(data: Subgroups, offset: int) -> tuple[str, ...]:
    return ("",) * offset + data.labels


def run_chart(spec: RunSpec, data: Subgroups) -> dict[str, Any]:
    """Compute the chart; see the module docstring."""
    o = spec.options
    if spec.frozen is None:
        if len(data) < 2:
            raise SpcInputError(f"at least 2 subgroups are needed to estimate control limits, got {len(data)}")
        k = len(data) if spec.phase1 is None else spec.phase1
        if not 2 <= k <= len(data):
            raise SpcInputError(f"phase 1 needs between 2 and {len(data)} subgroups, got {k}")
        ph1, ph2 = data.split(k)
        params, included, iterations, stable = _phase1(spec, ph1)
    else:  # limits frozen earlier: the first ``phase1`` subgroups are shown as Phase I, nothing is estimated
        ph1, ph2 = data.split(spec.phase1 or 0)
        included = ~np.isin(np.array(ph1.labels, dtype=object), list(spec.exclude))
        params, iterations, stable = spec.frozen, [], True
    s1, points, viol = _segment(params, spec, ph1, 1, 0, ~included) if len(ph1) else (None, [], [])
    if len(ph2):
        s2, pts2, v2 = _segment(params, spec, ph2, 2, len(ph1), None)
        points += pts2
        viol += v2
    lcl = np.array([p["lcl"] if p["lcl"] is not None else np.nan for p in points])
    ucl = np.array([p["ucl"] if p["ucl"] is not None else np.nan for p in points])
    cen = np.array([p["center"] if p["center"] is not None else np.nan for p in points])
    out: dict[str, Any] = {
        "type": o.type,
        "center": params.center,
        "sigma": params.sigma,
        "sigma_method": params.sigma_method,
        "sigmas": o.sigmas,
        "constants": o.constants,
        "limits": {"lcl": _constant(lcl), "center": _constant(cen), "ucl": _constant(ucl)},
        "points": points,
        "violations": viol,
        "phase1": {
            "subgroups": len(ph1),
            "included": int(included.sum()),
            "excluded": [ph1.labels[i] for i in np.flatnonzero(~included).tolist()],
            "stable": stable,
            "iterations": iterations,
        },
        "params": params.to_dict(),
    }
    if o.type == "ewma":
        out["lambda"] = o.lam
    if o.type == "cusum":
        out["k"], out["h"] = o.k, o.h
    if o.type == "imr":
        out["moving_range"] = _mr_chart(params, spec, data, len(ph1))
    if spec.lsl is not None or spec.usl is not None:
        if params.sigma is None:
            raise SpcInputError("capability needs a variables chart (xbar, r, s, imr, ewma, cusum)")
        base = ph1.take(included) if len(ph1) else ph2
        assert base.values is not None
        out["capability"] = capability(
            base.values, params.sigma, lsl=spec.lsl, usl=spec.usl, target=spec.target, confidence=spec.confidence
        )
    return out


def _mr_chart(p: Params, spec: RunSpec, data: Subgroups, k: int) -> dict[str, Any]:
    s = moving_range(p, data.means)
    beyond = tuple(r for r in spec.rules if r.nelson == 1)
    viol = check(s, beyond)
    lab = data.labels
    pts = [
        {
            "index": i,
            "label": lab[i],
            "phase": 1 if i < k else 2,
            "value": _num(s.stat[i]),
            "center": _num(s.center[i]),
            "lcl": _num(s.lcl[i]),
            "ucl": _num(s.ucl[i]),
        }  # fmt: skip
        for i in range(len(data))
    ]
    return {
        "center": _num(float(s.center[0])) if len(data) else None,
        "limits": {
            "lcl": _num(float(s.lcl[0])) if len(data) else None,
            "ucl": _num(float(s.ucl[0])) if len(data) else None,
        },
        "points": pts,
        "violations": [
            {
                "index": v.index,
                "label": lab[v.index],
                "phase": 1 if v.index < k else 2,
                "rule": v.rule,
                "description": v.description,
            }  # fmt: skip
            for v in viol
        ],
    }
