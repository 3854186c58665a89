"""Rule specifications: what a tenant's engineers write (API, YAML/JSON files for backtests).

A rule has a scope (which sensors or machines it watches), a condition, a severity and a safety flag.
Conditions are a discriminated union on ``type``. Durations are seconds. All thresholds are in the
sensor's unit.
"""

from __future__ import annotations

import uuid
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

Severity = Literal["critical", "major", "minor", "warning"]
Op = Literal[">", ">=", "<", "<="]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Scope(_Strict):
    """Which sensors a rule watches: at most one of sensor_id / machine_id / machine_class, narrowed by
    sensor_name or sensor_kind (one of them is required unless a sensor_id is given or the condition is
    ``combined``, which names its own signals). No target means every machine of the tenant (backtest files
    use that: a CSV is one machine)."""

    sensor_id: uuid.UUID | None = None
    machine_id: uuid.UUID | None = None
    machine_class: str | None = Field(default=None, description="Machines whose attributes.machine_class equals this")
    sensor_name: str | None = None
    sensor_kind: str | None = None

    @model_validator(mode="after")
    def _one_target(self) -> Scope:
        targets = [x for x in (self.sensor_id, self.machine_id, self.machine_class) if x is not None]
        if len(targets) > 1:
            raise ValueError("scope takes at most one of sensor_id, machine_id, machine_class")
        return self


class Threshold(_Strict):
    """Value crosses a limit; raised after ``min_duration_s`` of continuous breach; cleared when the value
    comes back past the limit by ``deadband`` (hysteresis)."""

    type: Literal["threshold"] = "threshold"
    op: Op
    value: float
    deadband: float = Field(default=0.0, ge=0)
    min_duration_s: float = Field(default=0.0, ge=0)


class RateOfChange(_Strict):
    """|Δvalue/Δt| over ``window_s`` exceeds ``max_per_s`` (direction: up, down or both)."""

    type: Literal["rate_of_change"] = "rate_of_change"
    max_per_s: float = Field(gt=0)
    window_s: float = Field(default=10.0, gt=0)
    direction: Literal["up", "down", "both"] = "both"


class ZScore(_Strict):
    """Rolling z-score: |x − mean| / std over the previous ``window_s`` exceeds ``z`` (limits learned)."""

    type: Literal["zscore"] = "zscore"
    window_s: float = Field(default=300.0, gt=0)
    z: float = Field(default=4.0, gt=0)
    min_samples: int = Field(default=30, ge=3)


class Ewma(_Strict):
    """EWMA control limits learned from the signal: mean and variance tracked with ``alpha``; breach when
    the EWMA statistic leaves mean ± ``sigmas``·σ_ewma."""

    type: Literal["ewma"] = "ewma"
    alpha: float = Field(default=0.1, gt=0, le=1)
    sigmas: float = Field(default=3.0, gt=0)
    warmup: int = Field(default=50, ge=2)


class WindowAggregate(_Strict):
    """avg/max/min of the values over the last ``window_s`` compared with ``value``."""

    type: Literal["window"] = "window"
    agg: Literal["avg", "max", "min"]
    window_s: float = Field(gt=0)
    op: Op
    value: float


class Flatline(_Strict):
    """Stuck sensor: max − min ≤ ``tolerance`` for at least ``window_s``."""

    type: Literal["flatline"] = "flatline"
    window_s: float = Field(gt=0)
    tolerance: float = Field(default=0.0, ge=0)


class MissingData(_Strict):
    """No reading for ``intervals`` × the sensor's expected interval (1 / sample_rate_hz)."""

    type: Literal["missing_data"] = "missing_data"
    intervals: float = Field(default=5.0, gt=1)


class Term(_Strict):
    sensor_name: str
    op: Op
    value: float


class Combined(_Strict):
    """Every term true (latest value of each named sensor of the same machine) within ``window_s``."""

    type: Literal["combined"] = "combined"
    all_of: list[Term] = Field(min_length=2, max_length=10)
    window_s: float = Field(default=10.0, gt=0)


Condition = Annotated[
    Threshold | RateOfChange | ZScore | Ewma | WindowAggregate | Flatline | MissingData | Combined,
    Field(discriminator="type"),
]


class RuleBody(_Strict):
    """What a person writes (the API's request body): everything but the identity and version."""

    name: str = Field(min_length=1, max_length=200)
    enabled: bool = True
    severity: Severity = "major"
    safety: bool = False
    scope: Scope
    condition: Condition
    message: str | None = Field(default=None, max_length=500, description="Alarm text; default describes it")
    escalate_after_s: float | None = Field(
        default=None, gt=0, description="Escalate when not acknowledged within this time; default by severity"
    )
    max_alarms_per_hour: int | None = Field(
        default=None,
        ge=1,
        description="Flood control: further alarms of this rule within the hour are grouped into one flood "
        "alarm instead of raised one by one (never applied to safety rules)",
    )

    @model_validator(mode="after")
    def _scope_fits(self) -> RuleBody:
        s = self.scope
        if self.condition.type == "combined":
            if s.sensor_id is not None:
                raise ValueError("a combined rule is scoped to a machine or a machine class, not a sensor")
        elif s.sensor_id is None and s.sensor_name is None and s.sensor_kind is None:
            raise ValueError("a machine or machine-class scope needs sensor_name or sensor_kind")
        return self


class RuleSpec(RuleBody):
    """One version of a rule. ``id`` stays across versions; ``version`` increases on every change."""

    id: uuid.UUID = Field(default_factory=uuid.uuid4)
    version: int = Field(default=1, ge=1)
