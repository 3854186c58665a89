"""Request and response models: calendars, unavailability, work centres, routings."""

from __future__ import annotations

import datetime as dt
import uuid
from datetime import date, datetime
from typing import Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, field_validator, model_validator

HHMM = Field(pattern=r"^([01]\d|2[0-3]):[0-5]\d$", description="local time HH:MM")


class _In(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class Shift(_In):
    weekday: int = Field(ge=0, le=6, description="0 = Monday")
    start: str = HHMM
    end: str = Field(pattern=r"^([01]\d|2[0-3]):[0-5]\d$", description="HH:MM; at or before start: next day")


class Holiday(_In):
    date: dt.date
    name: str = ""


class CalendarIn(_In):
    name: str = Field(min_length=1, max_length=100)
    timezone: str = Field(description="IANA zone of the site, e.g. Europe/Berlin")
    shifts: list[Shift] = []
    holidays: list[Holiday] = []

    @field_validator("timezone")
    @classmethod
    def _tz(cls, v: str) -> str:
        try:
            ZoneInfo(v)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError(f"unknown time zone {v!r}") from None
        return v


class CalendarUpdate(CalendarIn):
    expected_version: int | None = None


class CalendarOut(BaseModel):
    id: uuid.UUID
    name: str
    timezone: str
    shifts: list[Shift]
    holidays: list[Holiday]
    version: int


class UnavailabilityIn(_In):
    machine_id: uuid.UUID
    start_at: AwareDatetime
    end_at: AwareDatetime
    kind: Literal["maintenance", "breakdown", "other"] = "maintenance"
    reason: str = ""

    @model_validator(mode="after")
    def _order(self) -> UnavailabilityIn:
        if self.end_at <= self.start_at:
            raise ValueError("end_at must be after start_at")
        return self


class UnavailabilityOut(BaseModel):
    id: uuid.UUID
    machine_id: uuid.UUID
    start_at: datetime
    end_at: datetime
    kind: str
    reason: str


class WorkCenterIn(_In):
    code: str = Field(min_length=1, max_length=32, pattern=r"^[^\s,;:]+$")
    name: str = ""
    calendar_id: uuid.UUID | None = None
    cost_per_hour: float = Field(0, ge=0, description="labour + machine rate used by the cost rollup")
    machine_ids: list[uuid.UUID] = Field([], description="machines (assets of kind machine) of this work centre")


class WorkCenterPatch(_In):
    code: str | None = Field(None, min_length=1, max_length=32, pattern=r"^[^\s,;:]+$")
    name: str | None = None
    calendar_id: uuid.UUID | None = None
    cost_per_hour: float | None = Field(None, ge=0)
    machine_ids: list[uuid.UUID] | None = None
    expected_version: int | None = None


class WorkCenterOut(BaseModel):
    id: uuid.UUID
    code: str
    name: str
    calendar_id: uuid.UUID | None
    cost_per_hour: float
    machine_ids: list[uuid.UUID]
    version: int


class Interval(BaseModel):
    start: datetime
    end: datetime


class MachineAvailability(BaseModel):
    machine_id: uuid.UUID
    available: list[Interval]
    available_hours: float


class Availability(BaseModel):
    work_center_id: uuid.UUID
    timezone: str | None
    start: datetime
    end: datetime
    machines: list[MachineAvailability]


class Alternate(_In):
    machine_id: uuid.UUID
    speed_factor: float = Field(1.0, gt=0, le=100, description="2.0 = runs twice as fast as the standard")


class OperationIn(_In):
    seq: int = Field(ge=1)
    name: str = ""
    work_center: str = Field(min_length=1, description="work centre code")
    setup_min: float = Field(0, ge=0)
    run_min_per_unit: float = Field(0, ge=0)
    transfer_min: float = Field(0, ge=0, description="transfer / queue time after the operation")
    alternates: list[Alternate] = []


class _RoutingBody(_In):
    revision: str = Field(min_length=1, max_length=32)
    effective_from: date | None = None
    effective_to: date | None = None
    operations: list[OperationIn] = Field(min_length=1)

    @model_validator(mode="after")
    def _check(self) -> _RoutingBody:
        if self.effective_from and self.effective_to and self.effective_to <= self.effective_from:
            raise ValueError("effective_to must be after effective_from")
        seqs = [o.seq for o in self.operations]
        if len(set(seqs)) != len(seqs):
            raise ValueError("operation sequence numbers must be unique")
        return self


class RoutingIn(_RoutingBody):
    part_number: str = Field(min_length=1, max_length=64)


class RoutingUpdate(_RoutingBody):
    expected_version: int | None = None


class OperationOut(BaseModel):
    seq: int
    name: str
    work_center_id: uuid.UUID
    work_center: str
    setup_min: float
    run_min_per_unit: float
    transfer_min: float
    alternates: list[Alternate]


class RoutingOut(BaseModel):
    id: uuid.UUID
    item_id: uuid.UUID
    part_number: str
    revision: str
    effective_from: date | None
    effective_to: date | None
    version: int
    operations: list[OperationOut]
