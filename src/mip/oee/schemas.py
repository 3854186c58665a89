"""Request and response models of the OEE API (they validate input and document the JSON)."""

from __future__ import annotations

import uuid
from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field, WithJsonSchema

from mip.platform.timeutil import parse_ts

State = Literal["running", "idle", "down", "planned_stop"]
Source = Literal["signal", "schedule", "operator"]
Category = Literal["planned", "unplanned"]
CounterMode = Literal["cumulative", "delta"]
Code = Annotated[str, Field(pattern=r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$", examples=["tool_change"])]
Text = Annotated[str, Field(min_length=1, max_length=200)]
Note = Annotated[str, Field(max_length=2000)]


def _ns(v: object) -> int:
    try:
        return parse_ts(v)
    except ValueError as exc:
        raise ValueError(str(exc)) from None


def _days(v: list[int]) -> list[int]:
    if len(set(v)) != len(v):
        raise ValueError("days must not repeat")
    return sorted(v)


Timestamp = Annotated[
    int,
    BeforeValidator(_ns),
    WithJsonSchema(
        {
            "anyOf": [{"type": "string", "format": "date-time"}, {"type": "integer", "minimum": 0}],
            "description": "RFC 3339 or integer epoch nanoseconds",
            "examples": ["2025-03-01T06:00:00Z"],
        }
    ),
]
Days = Annotated[list[Annotated[int, Field(ge=1, le=7)]], Field(min_length=1, max_length=7), AfterValidator(_days)]
SensorName = Annotated[str, Field(min_length=1, max_length=64)]
Finite = Annotated[float, Field(allow_inf_nan=False)]
Count = Annotated[float, Field(ge=0, le=1e12, allow_inf_nan=False)]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


# -- figures -----------------------------------------------------------------------------------------------


class OeeFigures(BaseModel):
    availability: float | None = Field(description="run time / planned production time")
    performance: float | None = Field(description="ideal cycle time x total count / run time, capped at 1")
    quality: float | None = Field(description="good count / total count")
    oee: float | None = Field(description="availability x performance x quality")
    performance_raw: float | None = Field(description="performance before the cap")
    performance_capped: bool = Field(description="performance was above 1 (ideal cycle time too slow?)")
    shift_time_s: float
    planned_stop_time_s: float
    planned_time_s: float = Field(description="shift time - planned stops")
    run_time_s: float
    idle_time_s: float
    down_time_s: float
    total_count: float
    good_count: float
    reject_count: float
    ideal_run_time_s: float | None


class ShiftOee(OeeFigures):
    shift_id: uuid.UUID | None = Field(description="null: the implicit 24 h shift of a site without shifts")
    name: str
    day: str = Field(description="Production day: the local date the shift starts on")
    start: str
    end: str


class DayOee(OeeFigures):
    day: str


class MachineOee(BaseModel):
    machine_id: uuid.UUID
    name: str
    path: str
    configured: bool = Field(description="has a running signal; without one every minute counts as down")
    timezone: str
    from_: str = Field(alias="from")
    to: str
    totals: OeeFigures
    by_shift: list[ShiftOee]
    by_day: list[DayOee]
    rolled_up_s: float = Field(description="machine-seconds served from rollups")
    live_s: float = Field(description="machine-seconds computed live")


class LineMachineOee(OeeFigures):
    machine_id: uuid.UUID
    name: str
    path: str
    configured: bool
    counted: bool = Field(description="included in the line totals (the configured machines)")


class LineOee(BaseModel):
    line_id: uuid.UUID
    name: str
    path: str
    timezone: str
    from_: str = Field(alias="from")
    to: str
    totals: OeeFigures
    by_shift: list[ShiftOee]
    by_day: list[DayOee]
    machines: list[LineMachineOee]
    rolled_up_s: float
    live_s: float


class ShiftRef(BaseModel):
    shift_id: uuid.UUID | None
    name: str
    day: str
    start: str
    end: str


class CurrentMachine(BaseModel):
    machine_id: uuid.UUID
    name: str
    path: str
    line_id: uuid.UUID | None
    configured: bool
    state: State | None = Field(description="null: unknown (no running signal configured)")
    since: str | None
    reason_code: str | None
    shift: ShiftRef | None = Field(description="the shift running now; null between shifts")
    availability: float | None
    performance: float | None
    quality: float | None
    oee: float | None
    performance_capped: bool
    run_time_s: float
    planned_time_s: float
    total_count: float
    good_count: float


class CurrentOut(BaseModel):
    generated_at: str
    machines: list[CurrentMachine]


class IntervalOut(BaseModel):
    start: str
    end: str
    duration_s: float
    state: State
    source: Source
    reason_code: str | None
    reason_name: str | None
    reason_category: Category | None
    entry_id: uuid.UUID | None = Field(description="the operator entry (delete it to undo)")
    planned_stop_id: uuid.UUID | None
    note: str


class TimelineOut(BaseModel):
    machine_id: uuid.UUID
    configured: bool
    from_: str = Field(alias="from")
    to: str
    intervals: list[IntervalOut]


class DowntimeOut(BaseModel):
    machine_id: uuid.UUID
    from_: str = Field(alias="from")
    to: str
    items: list[IntervalOut]


class ParetoItem(BaseModel):
    reason_code: str | None = Field(description="null: not classified")
    reason_name: str
    category: Category | None
    duration_s: float
    occurrences: int
    share: float
    cumulative_share: float


class ParetoOut(BaseModel):
    from_: str = Field(alias="from")
    to: str
    total_s: float
    items: list[ParetoItem]


# -- operator input ----------------------------------------------------------------------------------------


class StateIn(Strict):
    state: State
    start: Timestamp
    end: Timestamp | None = Field(default=None, description="omit: open until the next entry")
    reason_code: Code | None = None
    note: Note = ""


class ClassifyIn(Strict):
    start: Timestamp
    end: Timestamp
    reason_code: Code
    note: Note = ""


class EntryOut(BaseModel):
    id: uuid.UUID
    machine_id: uuid.UUID
    start: str
    end: str | None
    state: State
    reason_code: str | None
    note: str
    kind: Literal["override", "classification"]
    created_by: uuid.UUID | None
    created_at: str


class CountIn(Strict):
    start: Timestamp
    end: Timestamp
    good: Count = 0
    reject: Count = 0
    note: Note = ""


class CountOut(BaseModel):
    id: uuid.UUID
    machine_id: uuid.UUID
    start: str
    end: str
    good: float
    reject: float
    note: str
    created_by: uuid.UUID | None
    created_at: str


class CountPage(BaseModel):
    items: list[CountOut]
