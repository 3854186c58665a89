"""Request/response models of the NCR, CAPA and metrics routes."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Any, Literal

from pydantic import BaseModel, Field

from mip.quality.inspection.schemas import Strict

NcrStatus = Literal["open", "contained", "pending_mrb", "dispositioned", "closed", "cancelled"]
Disposition = Literal["use_as_is", "rework", "repair", "scrap", "return_to_supplier"]
CapaStatus = Literal["open", "implementing", "verifying", "closed", "cancelled"]


class ContainmentAction(Strict):
    action: str = Field(min_length=1, max_length=2000)
    owner: str = Field("", max_length=200)
    due_date: date | None = None
    done: bool = False


class NcrIn(Strict):
    title: str = Field(min_length=1, max_length=300)
    description: str = Field("", max_length=20_000)
    quantity: float = Field(gt=0)
    item_id: uuid.UUID | None = None
    lots: list[str] = Field(default_factory=list, max_length=1000)
    serials: list[str] = Field(default_factory=list, max_length=10_000)
    work_order_id: uuid.UUID | None = None
    supplier_id: uuid.UUID | None = None
    inspection_id: uuid.UUID | None = None
    line_id: uuid.UUID | None = None
    alert_ids: list[uuid.UUID] = Field(default_factory=list, max_length=100)
    containment: list[ContainmentAction] = Field(default_factory=list, max_length=200)
    detected_at: datetime | None = None


class NcrPatch(Strict):
    expected_version: int = Field(ge=1)
    title: str | None = Field(None, min_length=1, max_length=300)
    description: str | None = Field(None, max_length=20_000)
    quantity: float | None = Field(None, gt=0)
    lots: list[str] | None = None
    serials: list[str] | None = None
    alert_ids: list[uuid.UUID] | None = None
    containment: list[ContainmentAction] | None = None


class TransitionIn(Strict):
    to: str = Field(min_length=1, max_length=30)
    expected_version: int = Field(ge=1)
    comment: str = Field("", max_length=4000)


class DispositionIn(Strict):
    disposition: Disposition
    quantity: float | None = Field(None, gt=0, description="default: the NCR's quantity")
    notes: str = Field("", max_length=4000)
    expected_version: int = Field(ge=1)


class MrbIn(Strict):
    decision: Literal["approve", "reject"]
    comment: str = Field("", max_length=4000)
    expected_version: int = Field(ge=1)


class NcrOut(BaseModel):
    id: uuid.UUID
    number: int
    ncr_number: str
    title: str
    description: str
    quantity: float
    item_id: uuid.UUID | None
    lots: list[str]
    serials: list[str]
    work_order_id: uuid.UUID | None
    supplier_id: uuid.UUID | None
    inspection_id: uuid.UUID | None
    line_id: uuid.UUID | None
    alert_ids: list[uuid.UUID]
    containment: list[dict[str, Any]]
    status: str
    disposition: str | None
    disposition_quantity: float | None
    disposition_notes: str
    dispositioned_by: uuid.UUID | None
    dispositioned_at: datetime | None
    mrb_required: bool
    mrb_approved_by: uuid.UUID | None
    mrb_approved_at: datetime | None
    detected_at: datetime
    created_by: uuid.UUID | None
    version: int
    created_at: datetime
    updated_at: datetime
    capa_ids: list[uuid.UUID] = []


class NcrPage(BaseModel):
    items: list[NcrOut]


class EventOut(BaseModel):
    id: uuid.UUID
    kind: str
    from_status: str | None
    to_status: str | None
    actor_id: uuid.UUID | None
    detail: dict[str, Any]
    at: datetime


class EventPage(BaseModel):
    items: list[EventOut]


class TeamMember(Strict):
    name: str = Field(min_length=1, max_length=200)
    role: str = Field("", max_length=200)
    user_id: uuid.UUID | None = None


class RootCause(Strict):
    method: Literal["5why", "fishbone"] = "5why"
    whys: list[str] = Field(default_factory=list, max_length=10)
    category: Literal["man", "machine", "method", "material", "measurement", "environment"] | None = None
    statement: str = Field("", max_length=4000)


class Action(Strict):
    action: str = Field(min_length=1, max_length=2000)
    owner: str = Field(min_length=1, max_length=200)
    due_date: date
    done: bool = False


class CapaIn(Strict):
    title: str = Field(min_length=1, max_length=300)
    ncr_ids: list[uuid.UUID] = Field(default_factory=list, max_length=100)
    team: list[TeamMember] = Field(default_factory=list, max_length=50)
    problem: str = Field("", max_length=20_000)
    containment: str = Field("", max_length=20_000)


class CapaPatch(Strict):
    expected_version: int = Field(ge=1)
    title: str | None = Field(None, min_length=1, max_length=300)
    ncr_ids: list[uuid.UUID] | None = None
    team: list[TeamMember] | None = None  # D1
    problem: str | None = Field(None, max_length=20_000)  # D2
    containment: str | None = Field(None, max_length=20_000)  # D3
    root_cause: RootCause | None = None  # D4
    corrective_actions: list[Action] | None = None  # D5
    implementation: str | None = Field(None, max_length=20_000)  # D6
    implemented_at: datetime | None = None
    preventive_actions: list[Action] | None = None  # D7
    effectiveness_date: date | None = None
    effectiveness_result: Literal["passed", "failed"] | None = None
    effectiveness_notes: str | None = Field(None, max_length=20_000)
    closure_notes: str | None = Field(None, max_length=20_000)  # D8


class CapaOut(BaseModel):
    id: uuid.UUID
    number: int
    capa_number: str
    title: str
    status: str
    ncr_ids: list[uuid.UUID]
    team: list[dict[str, Any]]
    problem: str
    containment: str
    root_cause: dict[str, Any]
    corrective_actions: list[dict[str, Any]]
    implementation: str
    implemented_at: datetime | None
    preventive_actions: list[dict[str, Any]]
    effectiveness_date: date | None
    effectiveness_result: str | None
    effectiveness_notes: str
    effectiveness_checked_by: uuid.UUID | None
    closure_notes: str
    closed_by: uuid.UUID | None
    closed_at: datetime | None
    created_by: uuid.UUID | None
    version: int
    created_at: datetime
    updated_at: datetime


class CapaPage(BaseModel):
    items: list[CapaOut]


class MetricValues(BaseModel):
    units_inspected: int
    units_first_pass: int
    defects: int
    opportunities: int
    defective_units: int
    quantity: float
    scrap_quantity: float
    rework_quantity: float
    first_pass_yield: float | None
    scrap_rate: float | None
    rework_rate: float | None
    dpmo: float | None
    ppm: float | None


class MetricBucket(MetricValues):
    start: datetime


class MetricsOut(BaseModel):
    start: datetime
    end: datetime
    bucket: str
    totals: MetricValues
    trend: list[MetricBucket]


class PpmRow(BaseModel):
    key: uuid.UUID | None
    label: str
    units_inspected: int
    defective_units: int
    ppm: float | None


class PpmOut(BaseModel):
    start: datetime
    end: datetime
    by: str
    items: list[PpmRow]
