"""Request and response models of the SPC API (and the CLI's JSON, which has the same shape)."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from mip.quality.spc.charts import ChartType, SigmaMethod

MAX_VALUES = 1_000_000
RulePreset = Literal["we", "nelson", "limits", "none"]


class RuleIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    rule: int = Field(ge=1, le=8, description="Nelson rule number (1..8)")
    n: int | None = Field(default=None, description="run or window length (default: Nelson's)")
    m: int | None = Field(default=None, description="rules 5 and 6: how many of the n points")


class ChartSettings(BaseModel):
    """How to chart: type, limits, rules, estimators (shared by the stateless endpoint and stored charts)."""

    model_config = ConfigDict(extra="forbid", populate_by_name=True)
    type: ChartType
    sigmas: float = Field(default=3.0, gt=0, le=10, description="k of the k-sigma limits (L for EWMA)")
    rules: RulePreset | list[RuleIn] = Field(
        default="we", description="we (Western Electric 1-4), nelson (all 8), limits (rule 1 only), none, or a list"
    )
    sigma_method: SigmaMethod | None = Field(default=None, description="rbar, sbar, pooled or mr (default per type)")
    constants: Literal["exact", "table"] = Field(
        default="exact", description="exact d2/d3, or the printed tables (reproduces qcc's numbers)"
    )
    center: float | None = Field(default=None, description="standard given: μ, p, c or u")
    sigma: float | None = Field(default=None, gt=0, description="standard given: process σ")
    lam: float = Field(default=0.2, gt=0, le=1, alias="lambda", description="EWMA λ")
    k: float = Field(default=0.5, ge=0, le=10, description="CUSUM reference value k (σ units)")
    h: float = Field(default=5.0, gt=0, le=50, description="CUSUM decision interval h (σ units)")
    lsl: float | None = None
    usl: float | None = None
    target: float | None = None


class DataIn(BaseModel):
    """Subgroups in time order: ``subgroups`` (lists of measurements), or ``values`` (grouped by
    ``subgroup_size``, individuals without it), or ``counts`` with ``sizes`` for attribute charts."""

    model_config = ConfigDict(extra="forbid")
    subgroups: list[list[float]] | None = None
    values: list[float] | None = None
    subgroup_size: int | None = Field(default=None, ge=1, le=1000)
    counts: list[float] | None = None
    sizes: list[float] | None = None
    labels: list[str] | None = None


class ChartRequest(ChartSettings, DataIn):
    phase1: int | None = Field(default=None, ge=2, description="the first K subgroups estimate the limits")
    exclude: list[str] = Field(default_factory=list, description="labels of Phase I subgroups to leave out")
    auto_exclude: bool = Field(default=False, description="drop the subgroups the rules flag, re-estimate")
    max_iter: int = Field(default=10, ge=1, le=100)
    confidence: float = Field(default=0.95, gt=0, lt=1)


class CapabilityRequest(DataIn):
    model_config = ConfigDict(extra="forbid")
    lsl: float | None = None
    usl: float | None = None
    target: float | None = None
    sigma_method: SigmaMethod | None = None
    constants: Literal["exact", "table"] = "exact"
    sigma: float | None = Field(default=None, gt=0, description="known within σ (else estimated)")
    confidence: float = Field(default=0.95, gt=0, lt=1)


class LimitsOut(BaseModel):
    lcl: float | None
    center: float | None = None
    ucl: float | None


class PointOut(BaseModel):
    index: int
    label: str
    phase: int
    n: float | None = None
    value: float | None
    center: float | None
    lcl: float | None
    ucl: float | None
    excluded: bool = False
    lower: float | None = Field(default=None, description="CUSUM: -C⁻ (plotted against lcl)")
    observed: float | None = Field(default=None, description="EWMA/CUSUM: the subgroup mean")


class ViolationOut(BaseModel):
    index: int
    label: str
    phase: int
    rule: str
    description: str


class IterationOut(BaseModel):
    iteration: int
    center: float
    sigma: float | None
    subgroups: int
    excluded: list[str]
    violations: int | None
    note: str | None = None


class Phase1Out(BaseModel):
    subgroups: int
    included: int
    excluded: list[str]
    stable: bool
    iterations: list[IterationOut]


class CompanionOut(BaseModel):
    center: float | None
    limits: LimitsOut
    points: list[PointOut]
    violations: list[ViolationOut]


class PpmOut(BaseModel):
    below: float | None
    above: float | None
    total: float


class CapabilityCI(BaseModel):
    cp: list[float] | None
    cpk: list[float] | None
    cpm: list[float] | None
    pp: list[float] | None
    ppk: list[float] | None


class CapabilityOut(BaseModel):
    n: int
    mean: float
    sigma_within: float
    sigma_overall: float
    lsl: float | None
    usl: float | None
    target: float | None
    confidence: float
    cp: float | None
    cpk: float | None
    cpm: float | None
    pp: float | None
    ppk: float | None
    ci: CapabilityCI
    ci_methods: dict[str, str]
    expected_ppm_within: PpmOut
    expected_ppm_overall: PpmOut
    observed_ppm: PpmOut


class ChartOut(BaseModel):
    type: str
    center: float
    sigma: float | None
    sigma_method: str | None
    sigmas: float
    constants: str
    limits: LimitsOut = Field(description="null members: the limits vary per point (see points)")
    points: list[PointOut]
    violations: list[ViolationOut]
    phase1: Phase1Out
    params: dict[str, object] = Field(description="the frozen parameters (centre, σ, options)")
    moving_range: CompanionOut | None = None
    capability: CapabilityOut | None = None
    lam: float | None = Field(default=None, alias="lambda")
    k: float | None = None
    h: float | None = None
