"""Request and response models of the OEE configuration API (reason codes, shifts, planned stops,
per-asset config, recompute)."""

from __future__ import annotations

import uuid
from datetime import time
from typing import Annotated, Literal

from pydantic import BaseModel, Field, model_validator

from mip.oee.schemas import Category, Code, CounterMode, Days, Finite, Note, SensorName, Strict, Text, Timestamp

# -- configuration -----------------------------------------------------------------------------------------


class ReasonIn(Strict):
    code: Code
    name: Text
    category: Category
    description: Note = ""


class ReasonPatch(Strict):
    name: Text | None = None
    category: Category | None = None
    description: Note | None = None


class ReasonOut(BaseModel):
    id: uuid.UUID
    code: str
    name: str
    category: Category
    description: str
    created_at: str
    updated_at: str


class ShiftIn(Strict):
    site_id: uuid.UUID
    name: Text
    start_time: time = Field(description="local time HH:MM at the site", examples=["22:00"])
    end_time: time = Field(description="at or before start_time: ends the next day", examples=["06:00"])
    days: Days = Field(default=[1, 2, 3, 4, 5, 6, 7], description="ISO weekdays the shift starts on (1 = Monday)")


class ShiftPatch(Strict):
    name: Text | None = None
    start_time: time | None = None
    end_time: time | None = None
    days: Days | None = None


class ShiftOut(BaseModel):
    id: uuid.UUID
    site_id: uuid.UUID
    name: str
    start_time: str
    end_time: str
    days: list[int]
    created_at: str
    updated_at: str


class PlannedStopIn(Strict):
    """Recurring (``start_time``, ``end_time``, ``days`` in the site's local time) or one window
    (``start``, ``end``)."""

    asset_id: uuid.UUID = Field(description="a site, area, line or machine: the stop applies to machines below")
    name: Text
    reason_code: Code | None = None
    start_time: time | None = None
    end_time: time | None = None
    days: Days | None = None
    start: Timestamp | None = None
    end: Timestamp | None = None

    @model_validator(mode="after")
    def _one_kind(self) -> PlannedStopIn:
        recurring = self.start_time is not None or self.end_time is not None
        window = self.start is not None or self.end is not None
        if recurring == window:
            raise ValueError("give start_time/end_time (recurring) or start/end (one window)")
        if recurring and (self.start_time is None or self.end_time is None):
            raise ValueError("a recurring stop needs start_time and end_time")
        if window and (self.start is None or self.end is None or self.end <= self.start):
            raise ValueError("a window needs start < end")
        if recurring and self.days is None:
            self.days = [1, 2, 3, 4, 5, 6, 7]
        if window and self.days is not None:
            raise ValueError("days apply to recurring stops only")
        return self


class PlannedStopOut(BaseModel):
    id: uuid.UUID
    asset_id: uuid.UUID
    name: str
    reason_code: str | None
    start_time: str | None
    end_time: str | None
    days: list[int] | None
    start: str | None
    end: str | None
    created_at: str
    updated_at: str


class ConfigIn(Strict):
    """An asset's own OEE config; fields left out (null) are inherited from the nearest ancestor's."""

    ideal_cycle_s: Annotated[float, Field(gt=0, le=86400, allow_inf_nan=False)] | None = None
    ideal_rate_ppm: Annotated[float, Field(gt=0, le=1e6, allow_inf_nan=False)] | None = Field(
        default=None, description="ideal parts per minute (alternative to ideal_cycle_s)"
    )
    run_sensor: SensorName | None = Field(default=None, description="sensor name on the machine, e.g. spindle_speed")
    run_threshold: Finite | None = Field(default=None, description="running when the minute average is above")
    idle_sensor: SensorName | None = Field(default=None, description="e.g. power: not running but powered = idle")
    idle_threshold: Finite | None = None
    counter_sensor: SensorName | None = None
    counter_mode: CounterMode | None = None

    @model_validator(mode="after")
    def _rate(self) -> ConfigIn:
        if self.ideal_rate_ppm is not None:
            if self.ideal_cycle_s is not None:
                raise ValueError("give ideal_cycle_s or ideal_rate_ppm, not both")
            self.ideal_cycle_s = 60.0 / self.ideal_rate_ppm
        return self


class ConfigFields(BaseModel):
    ideal_cycle_s: float | None
    run_sensor: str | None
    run_threshold: float | None
    idle_sensor: str | None
    idle_threshold: float | None
    counter_sensor: str | None
    counter_mode: CounterMode | None


class ConfigOut(BaseModel):
    asset_id: uuid.UUID
    kind: Literal["site", "area", "line", "machine"]
    path: str
    own: ConfigFields | None
    effective: ConfigFields
    configured: bool | None = Field(description="machines: the running signal resolves to one of its sensors")


class ConfigListItem(ConfigFields):
    asset_id: uuid.UUID
    kind: str
    path: str
    created_at: str
    updated_at: str


class RecomputeIn(Strict):
    start: Timestamp = Field(alias="from")
    end: Timestamp = Field(alias="to")
    machine_ids: list[uuid.UUID] | None = Field(default=None, max_length=1000)


class RecomputeOut(BaseModel):
    from_: str = Field(alias="from")
    to: str
    machines: int
    rollup_rows: int
    intervals: int
