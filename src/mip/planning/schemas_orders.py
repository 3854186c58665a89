"""Request and response models: demand orders, supply orders (work orders, purchase orders/requisitions),
pegging and MRP runs."""

from __future__ import annotations

import datetime as dt
import uuid
from datetime import date, datetime
from typing import Any, Literal

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, model_validator

DemandStatus = Literal["open", "closed", "cancelled"]
SupplyStatus = Literal["planned", "firm", "released", "completed", "cancelled"]


class _In(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class DemandIn(_In):
    order_no: str = Field(min_length=1, max_length=64)
    kind: Literal["sales", "production"] = "sales"
    part_number: str = Field(min_length=1, max_length=64)
    quantity: float = Field(gt=0)
    due_date: date
    priority: int = Field(0, ge=0, le=1000)
    status: DemandStatus = "open"
    customer: str = ""


class DemandPatch(_In):
    quantity: float | None = Field(None, gt=0)
    due_date: date | None = None
    priority: int | None = Field(None, ge=0, le=1000)
    status: DemandStatus | None = None
    customer: str | None = None
    expected_version: int | None = None


class DemandOut(BaseModel):
    id: uuid.UUID
    order_no: str
    kind: str
    item_id: uuid.UUID
    part_number: str
    quantity: float
    due_date: date
    priority: int
    status: DemandStatus
    customer: str
    version: int


class DemandPage(BaseModel):
    items: list[DemandOut]


class SupplyIn(_In):
    number: str | None = Field(None, min_length=1, max_length=64, description="default: generated")
    part_number: str = Field(min_length=1, max_length=64)
    quantity: float = Field(gt=0)
    start_date: date
    due_date: date
    status: Literal["firm", "released"] = "firm"
    priority: int = Field(0, ge=0, le=1000)
    material_available_at: AwareDatetime | None = None

    @model_validator(mode="after")
    def _dates(self) -> SupplyIn:
        if self.due_date < self.start_date:
            raise ValueError("due_date must not be before start_date")
        return self


class SupplyPatch(_In):
    quantity: float | None = Field(None, gt=0)
    start_date: date | None = None
    due_date: date | None = None
    status: SupplyStatus | None = Field(
        None, description="planned → firm → released → completed; any open order → cancelled"
    )
    priority: int | None = Field(None, ge=0, le=1000)
    material_available_at: AwareDatetime | None = None
    expected_version: int | None = None


class Peg(BaseModel):
    quantity: float
    required_date: date
    demand_order_id: uuid.UUID | None
    demand_order_no: str | None
    parent_supply_id: uuid.UUID | None
    parent_number: str | None
    safety_stock: bool
    top_orders: list[str] = Field(description="order numbers of the top-level demand this traces up to")


class SupplyOut(BaseModel):
    id: uuid.UUID
    number: str
    kind: Literal["make", "buy"]
    item_id: uuid.UUID
    part_number: str
    quantity: float
    start_date: date
    due_date: date
    status: SupplyStatus
    source: Literal["mrp", "manual"]
    mrp_run_id: uuid.UUID | None
    priority: int
    material_available_at: datetime | None
    version: int
    pegging: list[Peg]


class SupplyPage(BaseModel):
    items: list[SupplyOut]


class MrpRunIn(_In):
    as_of: date | None = Field(None, description="planning date (default: today, UTC)")


class MrpException(BaseModel):
    kind: str
    part_number: str
    message: str
    date: dt.date | None = None
    supply_number: str | None = None
    demand_order_no: str | None = None


class MrpRunOut(BaseModel):
    id: uuid.UUID
    number: int
    run_by: uuid.UUID | None
    as_of: date
    started_at: datetime
    inputs: dict[str, Any]
    outputs: dict[str, Any]
    exceptions: list[MrpException]


class MrpRunPage(BaseModel):
    items: list[MrpRunOut]
