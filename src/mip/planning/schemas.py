"""Request and response models of the planning API (items, BOMs, explosion, cost)."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from mip.identity.itar import MARKING

PartNumber = Field(min_length=1, max_length=64, pattern=r"^[^\s,;:/]+$", description="Unique per tenant")
MakeBuy = Literal["make", "buy"]


class _In(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class ItemIn(_In):
    part_number: str = PartNumber
    description: str = ""
    make_buy: MakeBuy
    uom: str = Field("ea", min_length=1, max_length=16)
    lead_time_days: int = Field(0, ge=0, le=3650)
    standard_cost: float = Field(0, ge=0)
    safety_stock: float = Field(0, ge=0)
    on_hand: float = Field(0, ge=0)
    itar: bool = Field(False, description="ITAR-controlled (only ITAR-authorised users may set it or see the item)")


class ItemPatch(_In):
    part_number: str | None = Field(None, min_length=1, max_length=64, pattern=r"^[^\s,;:/]+$")
    description: str | None = None
    make_buy: MakeBuy | None = None
    uom: str | None = Field(None, min_length=1, max_length=16)
    lead_time_days: int | None = Field(None, ge=0, le=3650)
    standard_cost: float | None = Field(None, ge=0)
    safety_stock: float | None = Field(None, ge=0)
    on_hand: float | None = Field(None, ge=0)
    itar: bool | None = None
    expected_version: int | None = Field(None, description="409 stale_version when the item changed since")


class ItemOut(BaseModel):
    id: uuid.UUID
    part_number: str
    description: str
    make_buy: MakeBuy
    uom: str
    lead_time_days: int
    standard_cost: float
    safety_stock: float
    on_hand: float
    itar: bool = False
    marking: str | None = Field(None, description="the export-control marking of an ITAR-controlled item")
    version: int
    created_at: datetime
    updated_at: datetime

    @model_validator(mode="after")
    def _mark(self) -> ItemOut:
        self.marking = MARKING if self.itar else None
        return self


class ItemPage(BaseModel):
    items: list[ItemOut]
    total: int
    limit: int
    offset: int


class SubstituteIn(_In):
    part_number: str = PartNumber
    priority: int = Field(1, ge=1, le=99, description="1 = first choice")


class BomLineIn(_In):
    line_no: int | None = Field(None, ge=1, description="default: 10, 20, 30 … in list order")
    component: str = Field(min_length=1, max_length=64, description="component part number")
    qty_per: float = Field(gt=0)
    scrap_pct: float = Field(0, ge=0, lt=100)
    phantom: bool = Field(False, description="blown through in explosion and MRP")
    ref_des: str = ""
    substitutes: list[SubstituteIn] = []


class _BomBody(_In):
    revision: str = Field(min_length=1, max_length=32, pattern=r"^[^\s,;:]+$")
    effective_from: date | None = None
    effective_to: date | None = Field(None, description="exclusive")
    lines: list[BomLineIn] = []

    @model_validator(mode="after")
    def _dates(self) -> _BomBody:
        if self.effective_from and self.effective_to and self.effective_to <= self.effective_from:
            raise ValueError("effective_to must be after effective_from")
        return self


class BomIn(_BomBody):
    part_number: str = Field(min_length=1, max_length=64, description="the parent item")


class BomUpdate(_BomBody):
    expected_version: int | None = None


class SubstituteOut(BaseModel):
    item_id: uuid.UUID
    part_number: str
    priority: int


class BomLineOut(BaseModel):
    line_no: int
    component_id: uuid.UUID
    component: str
    qty_per: float
    scrap_pct: float
    phantom: bool
    ref_des: str
    substitutes: list[SubstituteOut]


class BomOut(BaseModel):
    id: uuid.UUID
    item_id: uuid.UUID
    part_number: str
    revision: str
    effective_from: date | None
    effective_to: date | None
    version: int
    lines: list[BomLineOut]


class BomPage(BaseModel):
    items: list[BomOut]


class ExplosionRow(BaseModel):
    level: int
    path: str = Field(description="part numbers from the top, joined by ' / '")
    item_id: uuid.UUID
    part_number: str
    description: str
    make_buy: MakeBuy
    uom: str
    qty_per: float
    scrap_pct: float
    extended_qty: float = Field(description="per top-level quantity, scrap included")
    phantom: bool
    bom_revision: str | None = Field(description="revision of the BOM this row comes from")
    ref_des: str
    substitutes: list[SubstituteOut]


class SummaryRow(BaseModel):
    item_id: uuid.UUID
    part_number: str
    make_buy: MakeBuy
    uom: str
    total_qty: float


class Explosion(BaseModel):
    part_number: str
    revision: str | None
    as_of: date
    quantity: float
    rows: list[ExplosionRow]
    summary: list[SummaryRow]


class WhereUsedRow(BaseModel):
    level: int
    path: str = Field(description="from the item up, joined by ' / '")
    item_id: uuid.UUID
    part_number: str
    bom_revision: str
    qty_per: float
    effective_from: date | None
    effective_to: date | None


class WhereUsed(BaseModel):
    part_number: str
    as_of: date | None
    rows: list[WhereUsedRow]


class CostNode(BaseModel):
    part_number: str
    make_buy: MakeBuy
    quantity: float
    material: float
    labour: float
    total: float
    lead_time_days: int
    cumulative_lead_time_days: int
    children: list[CostNode]


class CostRollup(BaseModel):
    part_number: str
    as_of: date
    lot_size: float
    unit_material: float
    unit_labour: float
    unit_cost: float
    cumulative_lead_time_days: int
    critical_path: list[str]
    tree: CostNode


class ImportResult(BaseModel):
    items_created: int
    items_updated: int
    boms_created: int
    boms_replaced: int


class ImportError_(BaseModel):
    row: int
    problem: str
