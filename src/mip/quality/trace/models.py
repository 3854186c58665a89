"""Traceability tables: lots, serials, the genealogy edges between them, shipments, controlled documents and
electronic signatures. Every table is tenant-owned (RLS); those with an ``itar`` column also carry a RESTRICTIVE
policy so ITAR-marked rows exist only for a transaction with ``app.itar = 'on'``."""

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import JSONB, UUID

from mip.platform.schema import id_column, metadata, tenant_column, timestamps

LOT_STATUSES = ("released", "quarantined", "consumed", "shipped")
SERIAL_STATUSES = ("released", "quarantined", "consumed", "shipped", "scrapped")
NODE_KINDS = ("lot", "serial")


def _uuid(name: str, *, nullable: bool = True) -> sa.Column[object]:
    return sa.Column(name, UUID(as_uuid=True), nullable=nullable)


def _itar() -> sa.Column[object]:
    return sa.Column("itar", sa.Boolean, nullable=False, server_default=sa.false())


def _statuses(values: tuple[str, ...]) -> str:
    return "status in (" + ",".join(f"'{v}'" for v in values) + ")"


trace_lots = sa.Table(
    "trace_lots",
    metadata,
    id_column(),
    tenant_column(),
    _uuid("item_id"),  # plan_items.id when known (checked in the service, no FK across domains)
    sa.Column("part_number", sa.Text, nullable=False),
    sa.Column("revision", sa.Text, nullable=False, server_default=""),
    sa.Column("lot_number", sa.Text, nullable=False),
    sa.Column("quantity", sa.Float, nullable=False),
    sa.Column("consumed_qty", sa.Float, nullable=False, server_default="0"),
    sa.Column("shipped_qty", sa.Float, nullable=False, server_default="0"),
    sa.Column("uom", sa.Text, nullable=False, server_default="ea"),
    sa.Column("status", sa.Text, nullable=False, server_default="released"),
    sa.Column("supplier", sa.Text),
    sa.Column("supplier_lot", sa.Text),
    sa.Column("cert_ref", sa.Text),
    _uuid("work_order_id"),
    _itar(),
    _uuid("created_by"),
    *timestamps(),
    sa.CheckConstraint(_statuses(LOT_STATUSES), name="status"),
    sa.CheckConstraint(
        "quantity > 0 and consumed_qty >= 0 and shipped_qty >= 0 and consumed_qty + shipped_qty <= quantity + 1e-9",
        name="quantities",
    ),
    sa.UniqueConstraint("tenant_id", "part_number", "lot_number"),
    sa.Index("ix_trace_lots_tenant_id_lot_number", "tenant_id", "lot_number"),
)

trace_serials = sa.Table(
    "trace_serials",
    metadata,
    id_column(),
    tenant_column(),
    _uuid("item_id"),
    sa.Column("part_number", sa.Text, nullable=False),
    sa.Column("revision", sa.Text, nullable=False, server_default=""),
    sa.Column("serial_number", sa.Text, nullable=False),
    sa.Column("status", sa.Text, nullable=False, server_default="released"),
    _uuid("work_order_id"),
    _itar(),
    _uuid("created_by"),
    *timestamps(),
    sa.CheckConstraint(_statuses(SERIAL_STATUSES), name="status"),
    sa.UniqueConstraint("tenant_id", "part_number", "serial_number"),
    sa.Index("ix_trace_serials_tenant_id_serial_number", "tenant_id", "serial_number"),
)

# parent (an assembly serial or a produced lot) consumed child (a component lot with a quantity, or a serial)
trace_genealogy = sa.Table(
    "trace_genealogy",
    metadata,
    id_column(),
    tenant_column(),
    sa.Column("parent_kind", sa.Text, nullable=False),
    _uuid("parent_id", nullable=False),
    sa.Column("child_kind", sa.Text, nullable=False),
    _uuid("child_id", nullable=False),
    sa.Column("quantity", sa.Float, nullable=False),
    _uuid("work_order_id"),
    sa.Column("at", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()),
    _uuid("created_by"),
    sa.CheckConstraint("parent_kind in ('lot','serial') and child_kind in ('lot','serial')", name="kinds"),
    sa.CheckConstraint("quantity > 0 and parent_id <> child_id", name="edge"),
    # both directions of the recursive walk; the child/parent column included for index-only scans
    sa.Index("ix_trace_genealogy_parent_id_child_id", "parent_id", "child_id"),
    sa.Index("ix_trace_genealogy_child_id_parent_id", "child_id", "parent_id"),
)

trace_shipments = sa.Table(
    "trace_shipments",
    metadata,
    id_column(),
    tenant_column(),
    sa.Column("shipment_number", sa.Text, nullable=False),
    sa.Column("customer", sa.Text, nullable=False),
    sa.Column("customer_po", sa.Text, nullable=False, server_default=""),
    sa.Column("ship_date", sa.Date, nullable=False),
    sa.Column("notes", sa.Text, nullable=False, server_default=""),
    _uuid("created_by"),
    *timestamps(),
    sa.UniqueConstraint("tenant_id", "shipment_number"),
)

trace_shipment_lines = sa.Table(
    "trace_shipment_lines",
    metadata,
    id_column(),
    tenant_column(),
    sa.Column(
        "shipment_id",
        UUID(as_uuid=True),
        sa.ForeignKey("trace_shipments.id", ondelete="CASCADE"),
        nullable=False,
    ),
    sa.Column("node_kind", sa.Text, nullable=False),
    _uuid("node_id", nullable=False),
    sa.Column("quantity", sa.Float, nullable=False),
    sa.CheckConstraint("node_kind in ('lot','serial') and quantity > 0", name="line"),
    sa.Index("ix_trace_shipment_lines_shipment_id", "shipment_id"),
    sa.Index("ix_trace_shipment_lines_node_id", "node_id"),
)

trace_documents = sa.Table(
    "trace_documents",
    metadata,
    id_column(),
    tenant_column(),
    sa.Column("kind", sa.Text, nullable=False),
    sa.Column("title", sa.Text, nullable=False),
    sa.Column("revision", sa.Text, nullable=False, server_default=""),
    sa.Column("part_number", sa.Text),
    sa.Column("filename", sa.Text, nullable=False),
    sa.Column("content_type", sa.Text, nullable=False),
    sa.Column("size", sa.BigInteger, nullable=False),
    sa.Column("sha256", sa.Text, nullable=False),
    sa.Column("content", sa.LargeBinary, nullable=False),
    sa.Column("meta", JSONB, nullable=False, server_default=sa.text("'{}'::jsonb")),
    _itar(),
    _uuid("created_by"),
    *timestamps(),
    sa.CheckConstraint("kind in ('drawing','spec','cert','coc','procedure','other')", name="kind"),
    sa.UniqueConstraint("tenant_id", "kind", "title", "revision"),
)

esign_signatures = sa.Table(
    "esign_signatures",
    metadata,
    id_column(),
    tenant_column(),
    sa.Column("record_type", sa.Text, nullable=False),
    _uuid("record_id", nullable=False),
    sa.Column("signer_id", UUID(as_uuid=True), sa.ForeignKey("users.id"), nullable=False),
    sa.Column("printed_name", sa.Text, nullable=False),
    sa.Column("signer_email", sa.Text, nullable=False),
    sa.Column("meaning", sa.Text, nullable=False),
    sa.Column("comment", sa.Text, nullable=False, server_default=""),
    sa.Column("content_sha256", sa.Text, nullable=False),
    sa.Column("signed_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()),
    sa.Index("ix_esign_signatures_record", "tenant_id", "record_type", "record_id", "signed_at"),
)

esign_failures = sa.Table(
    "esign_failures",
    metadata,
    id_column(),
    tenant_column(),
    _uuid("user_id"),
    sa.Column("record_type", sa.Text, nullable=False),
    _uuid("record_id"),
    sa.Column("meaning", sa.Text, nullable=False),
    sa.Column("reason", sa.Text, nullable=False),
    sa.Column("at", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()),
    sa.Index("ix_esign_failures_user_id_at", "user_id", "at"),
)

ITAR_TABLES = ("trace_lots", "trace_serials", "trace_documents")
TABLES = (
    "trace_lots",
    "trace_serials",
    "trace_genealogy",
    "trace_shipments",
    "trace_shipment_lines",
    "trace_documents",
    "esign_signatures",
    "esign_failures",
)
