"""Request and response models of stored SPC charts."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated, Any, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, model_validator

from mip.platform.timeutil import parse_ts
from mip.quality.spc.schemas import ChartSettings

Severity = Literal["critical", "major", "minor", "warning"]
Ts = Annotated[int, BeforeValidator(parse_ts)]


class ChartCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")
    name: str = Field(min_length=1, max_length=200)
    description: str = Field(default="", max_length=2000)
    settings: ChartSettings
    source: Literal["manual", "sensor"] = "manual"
    sensor_id: uuid.UUID | None = Field(default=None, description="sensor-fed charts: the measuring sensor")
    machine_id: uuid.UUID | None = Field(default=None, description="manual charts: the machine alarms belong to")
    subgroup_size: int = Field(default=1, ge=1, le=1000, description="sensor charts: n consecutive readings")
    window_s: float | None = Field(
        default=None, gt=0, le=86400 * 7, description="sensor charts: one subgroup per window"
    )
    start_ts: Ts | None = Field(default=None, description="sensor charts: chart readings from here (default now)")
    severity: Severity = "minor"


class ChartPatch(BaseModel):
    model_config = ConfigDict(extra="forbid")
    name: str | None = Field(default=None, min_length=1, max_length=200)
    description: str | None = Field(default=None, max_length=2000)
    settings: ChartSettings | None = None
    severity: Severity | None = None

    @model_validator(mode="after")
    def _no_nulls(self) -> ChartPatch:
        for k in self.model_fields_set:
            if getattr(self, k) is None:
                raise ValueError(f"{k} cannot be null")
        return self


class StoredChartOut(BaseModel):
    id: uuid.UUID
    name: str
    description: str
    type: str
    settings: dict[str, Any]
    source: str
    sensor_id: uuid.UUID | None
    machine_id: uuid.UUID
    subgroup_size: int
    window_s: float | None
    severity: str
    status: Literal["phase1", "phase2"]
    limits: dict[str, Any] | None = Field(description="frozen Phase I parameters, limits and exclusion summary")
    limits_version: int
    frozen_by: uuid.UUID | None
    frozen_at: datetime | None
    watermark_ts: int | None
    subgroups: int
    created_by: uuid.UUID | None
    created_at: datetime
    updated_at: datetime


class ChartPage(BaseModel):
    items: list[StoredChartOut]
    limit: int
    offset: int


class SubgroupIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    values: list[float] | None = Field(default=None, max_length=10_000, description="variables charts")
    count: float | None = Field(default=None, description="attribute charts: defectives or defects")
    size: float | None = Field(default=None, description="attribute charts: units inspected")
    ts: Ts | None = Field(default=None, description="RFC 3339 or epoch ns (default now)")
    note: str = Field(default="", max_length=2000)


class PointsIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    subgroups: list[SubgroupIn] = Field(min_length=1, max_length=10_000)


class SignalOut(BaseModel):
    seq: int
    rule: str
    description: str
    value: float | None
    alert_id: uuid.UUID | None


class PointsOut(BaseModel):
    phase: int
    first_seq: int
    last_seq: int
    signals: list[SignalOut]


class SubgroupOut(BaseModel):
    id: uuid.UUID
    seq: int
    ts: int
    values: list[float] | None
    count: float | None
    size: float
    phase: int
    excluded: bool
    note: str
    created_by: uuid.UUID | None
    created_at: datetime


class SubgroupPage(BaseModel):
    items: list[SubgroupOut]


class FreezeIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    through_seq: int | None = Field(default=None, ge=1, description="Phase I ends here (default: every one so far)")
    exclude: list[int] = Field(default_factory=list, description="Phase I subgroups (seq) with assignable causes")
    auto_exclude: bool = Field(default=False, description="drop the subgroups the rules flag and re-estimate")
    max_iter: int = Field(default=10, ge=1, le=100)


class StoredSignalOut(BaseModel):
    id: uuid.UUID
    subgroup_id: uuid.UUID
    seq: int
    ts: int
    rule: str
    description: str
    value: float | None
    alert_id: uuid.UUID | None
    created_at: datetime


class SignalPage(BaseModel):
    items: list[StoredSignalOut]
