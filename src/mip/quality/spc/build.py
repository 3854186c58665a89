"""From request models (API, CLI, stored charts) to the engine's inputs, with clear 400s for bad input."""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from mip.quality.spc.capability import capability
from mip.quality.spc.charts import ATTRIBUTES, ChartOptions, ChartType, default_sigma_method, estimate_sigma
from mip.quality.spc.data import Subgroups
from mip.quality.spc.engine import RunSpec, run_chart
from mip.quality.spc.errors import SpcInputError
from mip.quality.spc.rules import Rule, nelson_rule, preset
from mip.quality.spc.schemas import MAX_VALUES, CapabilityRequest, ChartRequest, ChartSettings, DataIn, RuleIn


def rules_from(spec: str | list[RuleIn] | list[dict[str, Any]]) -> tuple[Rule, ...]:
    if isinstance(spec, str):
        return preset(spec)
    out: list[Rule] = []
    for r in spec:
        rr = r if isinstance(r, RuleIn) else RuleIn.model_validate(r)
        out.append(nelson_rule(rr.rule, rr.n, rr.m))
    if len({r.id for r in out}) != len(out):
        raise SpcInputError("a rule is listed twice")
    return tuple(out)


def options_from(s: ChartSettings) -> ChartOptions:
    if s.lsl is not None and s.usl is not None and not s.usl > s.lsl:
        raise SpcInputError("usl must be greater than lsl")
    return ChartOptions(
        type=s.type,
        sigmas=s.sigmas,
        sigma_method=s.sigma_method,
        constants=s.constants,
        center=s.center,
        sigma=s.sigma,
        lam=s.lam,
        k=s.k,
        h=s.h,
    )


def _finite(name: str, xs: list[float]) -> None:
    a = np.asarray(xs, np.float64)
    if a.size and not np.isfinite(a).all():
        raise SpcInputError(f"{name}: value {int(np.argmin(np.isfinite(a))) + 1} is not a finite number")


def data_from(d: DataIn, chart_type: ChartType) -> Subgroups:
    given = [k for k in ("subgroups", "values", "counts") if getattr(d, k) is not None]
    if len(given) != 1:
        raise SpcInputError("give exactly one of subgroups, values or counts")
    if chart_type in ATTRIBUTES:
        if d.counts is None:
            raise SpcInputError(f"a {chart_type} chart needs counts (with sizes)")
        if len(d.counts) > MAX_VALUES:
            raise SpcInputError(f"at most {MAX_VALUES} subgroups")
        _finite("counts", d.counts)
        _finite("sizes", d.sizes or [])
        if chart_type in ("p", "np", "u") and d.sizes is None:
            raise SpcInputError(f"a {chart_type} chart needs sizes (units inspected per subgroup)")
        return Subgroups.from_counts(d.counts, d.sizes, d.labels)
    if d.counts is not None:
        raise SpcInputError(f"a {chart_type} chart needs measurements (subgroups or values), not counts")
    if d.subgroups is not None:
        groups = d.subgroups
    else:
        assert d.values is not None
        size = d.subgroup_size or 1
        if len(d.values) % size:
            raise SpcInputError(f"{len(d.values)} values do not split into subgroups of {size}")
        groups = [d.values[i : i + size] for i in range(0, len(d.values), size)]
    if sum(len(g) for g in groups) > MAX_VALUES:
        raise SpcInputError(f"at most {MAX_VALUES} values")
    for i, g in enumerate(groups):
        if not all(math.isfinite(v) for v in g):
            raise SpcInputError(f"subgroup {i + 1} holds a value that is not a finite number")
    return Subgroups.from_groups(groups, d.labels)


def run_request(req: ChartRequest) -> dict[str, Any]:
    data = data_from(req, req.type)
    if req.labels is not None and len(set(req.labels)) != len(req.labels):
        raise SpcInputError("labels must be unique")
    spec = RunSpec(
        options=options_from(req),
        rules=rules_from(req.rules),
        phase1=req.phase1,
        exclude=tuple(req.exclude),
        auto_exclude=req.auto_exclude,
        max_iter=req.max_iter,
        lsl=req.lsl,
        usl=req.usl,
        target=req.target,
        confidence=req.confidence,
    )
    return run_chart(spec, data)


def capability_request(req: CapabilityRequest) -> dict[str, Any]:
    data = data_from(req, "xbar")
    assert data.values is not None
    opts = ChartOptions("xbar", sigma_method=req.sigma_method, constants=req.constants)
    sigma = req.sigma
    if sigma is None:
        if len(data) < 2:
            raise SpcInputError("at least 2 subgroups (or individual values) are needed to estimate sigma")
        sigma = estimate_sigma(opts, data, default_sigma_method(opts, data))
    out = capability(data.values, sigma, lsl=req.lsl, usl=req.usl, target=req.target, confidence=req.confidence)
    out["sigma_method"] = None if req.sigma is not None else default_sigma_method(opts, data)
    return out
