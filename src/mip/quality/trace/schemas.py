"""Request and response models of the traceability API."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Any, Literal

from pydantic import BaseModel, Field

from mip.quality.trace.common import MARKING

Text = Field(default=None, max_length=200)
Number = Field(min_length=1, max_length=100, pattern=r"\S")
MarkingField = Field(default=None, description=f"'{MARKING}' for ITAR-controlled records, else null")
LotStatus = Literal["released", "quarantined", "consumed", "shipped"]
SerialStatus = Literal["released", "quarantined", "consumed", "shipped", "scrapped"]
DocKind = Literal["drawing", "spec", "cert", "procedure", "other"]
StoredDocKind = Literal["drawing", "spec", "cert", "procedure", "other", "coc"]  # coc: issued by the system


class _ItemIn(BaseModel):
    part_number: str | None = Field(default=None, max_length=100, description="Or item_id of a planning item")
    item_id: uuid.UUID | None = None
    revision: str = Field(default="", max_length=40)
    work_order_id: uuid.UUID | None = None
    itar: bool = Field(default=False, description="ITAR-controlled: only ITAR-authorised users may see it")


class LotIn(_ItemIn):
    lot_number: str = Number
    quantity: float = Field(gt=0, le=1e12)
    uom: str = Field(default="ea", max_length=20)
    status: Literal["released", "quarantined"] = "released"
    supplier: str | None = Text
    supplier_lot: str | None = Text
    cert_ref: str | None = Text


class SerialIn(_ItemIn):
    serial_number: str = Number
    status: Literal["released", "quarantined", "scrapped"] = "released"


class LotPatch(BaseModel):
    quantity: float | None = Field(default=None, gt=0, le=1e12)
    status: Literal["released", "quarantined"] | None = None
    revision: str | None = Field(default=None, max_length=40)
    supplier: str | None = Text
    supplier_lot: str | None = Text
    cert_ref: str | None = Text
    itar: bool | None = None


class SerialPatch(BaseModel):
    status: Literal["released", "quarantined", "scrapped"] | None = None
    revision: str | None = Field(default=None, max_length=40)
    itar: bool | None = None


class _Record(BaseModel):
    id: uuid.UUID
    tenant_id: uuid.UUID
    item_id: uuid.UUID | None
    part_number: str
    revision: str
    work_order_id: uuid.UUID | None
    itar: bool
    marking: str | None = MarkingField
    created_by: uuid.UUID | None
    created_at: datetime
    updated_at: datetime


class LotOut(_Record):
    lot_number: str
    quantity: float
    consumed_qty: float
    shipped_qty: float
    remaining_qty: float
    uom: str
    status: LotStatus
    supplier: str | None
    supplier_lot: str | None
    cert_ref: str | None


class SerialOut(_Record):
    serial_number: str
    status: SerialStatus


class LotPage(BaseModel):
    items: list[LotOut]
    total: int
    limit: int
    offset: int


class SerialPage(BaseModel):
    items: list[SerialOut]
    total: int
    limit: int
    offset: int


class NodeRef(BaseModel):
    id: uuid.UUID = Field(description="A lot or serial id")
    quantity: float | None = Field(default=None, gt=0, le=1e12, description="Required for lots; 1 for serials")


class ConsumeIn(BaseModel):
    parent_id: uuid.UUID = Field(description="The serial or lot produced")
    work_order_id: uuid.UUID | None = None
    children: list[NodeRef] = Field(min_length=1, max_length=1000)


class EdgeOut(BaseModel):
    id: uuid.UUID
    parent_id: uuid.UUID
    parent_kind: Literal["lot", "serial"]
    child_id: uuid.UUID
    child_kind: Literal["lot", "serial"]
    quantity: float
    work_order_id: uuid.UUID | None
    at: datetime


class ConsumeOut(BaseModel):
    parent_id: uuid.UUID
    parent_kind: Literal["lot", "serial"]
    work_order_id: uuid.UUID | None
    edges: list[EdgeOut]


class TraceNode(BaseModel):
    id: uuid.UUID
    kind: Literal["lot", "serial"]
    number: str
    part_number: str
    revision: str
    status: str
    itar: bool
    quantity: float
    depth: int = Field(description="Levels from the root (the shortest path)")
    supplier: str | None = None
    supplier_lot: str | None = None
    cert_ref: str | None = None


class TraceOut(BaseModel):
    root: TraceNode
    direction: Literal["backward", "forward"]
    nodes: list[TraceNode]
    edges: list[EdgeOut]
    node_count: int
    edge_count: int
    restricted_nodes: int = Field(description="ITAR-controlled nodes reached that the caller may not see")
    max_depth: int
    truncated: bool = Field(description="The walk hit the depth limit")
    itar: bool
    marking: str | None = MarkingField
    elapsed_ms: float


class RecallShipment(BaseModel):
    shipment_id: uuid.UUID
    shipment_number: str
    customer: str
    customer_po: str
    ship_date: date
    node_kind: Literal["lot", "serial"]
    node_id: uuid.UUID
    number: str
    part_number: str
    quantity: float
    depth: int
    itar: bool


class RecallOut(BaseModel):
    suspect: TraceNode
    shipments: list[RecallShipment]
    customers: list[str]
    shipment_count: int
    affected_nodes: int
    restricted_nodes: int
    in_house_count: int = Field(description="Affected lots/serials not shipped (to quarantine)")
    in_house: list[TraceNode]
    itar: bool
    marking: str | None = MarkingField


class ShipmentIn(BaseModel):
    shipment_number: str = Number
    customer: str = Field(min_length=1, max_length=200, pattern=r"\S")
    customer_po: str = Field(default="", max_length=100)
    ship_date: date | None = Field(default=None, description="Default: today (UTC)")
    notes: str = Field(default="", max_length=2000)
    lines: list[NodeRef] = Field(min_length=1, max_length=1000)


class ShipmentLineOut(BaseModel):
    id: uuid.UUID
    node_kind: Literal["lot", "serial"]
    node_id: uuid.UUID
    number: str
    part_number: str
    revision: str
    quantity: float
    itar: bool


class ShipmentOut(BaseModel):
    id: uuid.UUID
    tenant_id: uuid.UUID
    shipment_number: str
    customer: str
    customer_po: str
    ship_date: date
    notes: str
    created_by: uuid.UUID | None
    created_at: datetime
    lines: list[ShipmentLineOut]
    restricted_lines: int = Field(description="Lines with ITAR-controlled items the caller may not see")
    itar: bool
    marking: str | None = MarkingField


class ShipmentPage(BaseModel):
    items: list[ShipmentOut]
    total: int
    limit: int
    offset: int


class DocumentIn(BaseModel):
    kind: DocKind
    title: str = Field(min_length=1, max_length=200, pattern=r"\S")
    revision: str = Field(default="", max_length=40)
    part_number: str | None = Field(default=None, max_length=100)
    filename: str = Field(default="document", min_length=1, max_length=200)
    content_type: str = Field(default="application/octet-stream", max_length=100)
    content_base64: str = Field(min_length=1, max_length=28_000_000, description="The file, base64 (at most 20 MB)")
    itar: bool = False


class DocumentOut(BaseModel):
    id: uuid.UUID
    tenant_id: uuid.UUID
    kind: str
    title: str
    revision: str
    part_number: str | None
    filename: str
    content_type: str
    size: int
    sha256: str
    meta: dict[str, Any]
    itar: bool
    marking: str | None = MarkingField
    created_by: uuid.UUID | None
    created_at: datetime


class DocumentPage(BaseModel):
    items: list[DocumentOut]
    total: int
    limit: int
    offset: int


class SignIn(BaseModel):
    record_type: str = Field(min_length=1, max_length=40, description="lot, serial, shipment, document, ...")
    record_id: uuid.UUID
    meaning: str = Field(min_length=2, max_length=40, description="approved, reviewed, released, ...")
    password: str = Field(min_length=1, max_length=1024, description="The signer's password, verified again")
    comment: str = Field(default="", max_length=1000)


class SignatureOut(BaseModel):
    id: uuid.UUID
    record_type: str
    record_id: uuid.UUID
    signer_id: uuid.UUID
    printed_name: str
    signer_email: str
    meaning: str
    comment: str
    content_sha256: str = Field(description="SHA-256 of the record's canonical content when signed")
    signed_at: datetime
    valid: bool = Field(description="False when the record's content changed since signing")


class SignatureFailureOut(BaseModel):
    id: uuid.UUID
    user_id: uuid.UUID | None
    record_type: str
    record_id: uuid.UUID | None
    meaning: str
    reason: str
    at: datetime
