"""Planning tables: items, BOMs (revisions, effectivity, substitutes), work centres, routings, calendars,
machine unavailability, demand orders, supply orders (planned / firm / released work orders and purchase
requisitions), pegging and MRP runs. Every table is tenant-owned (RLS)."""

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import JSONB, UUID

from mip.platform.schema import id_column, metadata, tenant_column, timestamps


def _version() -> sa.Column[object]:
    return sa.Column("version", sa.Integer, nullable=False, server_default="1")


def _fk(name: str, target: str, *, nullable: bool = False, ondelete: str = "RESTRICT") -> sa.Column[object]:
    return sa.Column(name, UUID(as_uuid=True), sa.ForeignKey(target, ondelete=ondelete), nullable=nullable)


plan_items = sa.Table(
    "plan_items",
    metadata,
    id_column(),
    tenant_column(),
    sa.Column("part_number", sa.Text, nullable=False),
    sa.Column("description", sa.Text, nullable=False, server_default=""),
    sa.Column("make_buy", sa.Text, nullable=False),
    sa.Column("uom", sa.Text, nullable=False, server_default="ea"),
    sa.Column("lead_time_days", sa.Integer, nullable=False, server_default="0"),
    sa.Column("standard_cost", sa.Float, nullable=False, server_default="0"),
    sa.Column("safety_stock", sa.Float, nullable=False, server_default="0"),
    sa.Column("on_hand", sa.Float, nullable=False, server_default="0"),
    # ITAR-controlled: a restrictive RLS policy hides the row from users not authorised (migration 0018)
    sa.Column("itar", sa.Boolean, nullable=False, server_default=sa.false()),
    _version(),
    *timestamps(),
    sa.CheckConstraint("make_buy in ('make','buy')", name="make_buy"),
    sa.CheckConstraint("lead_time_days >= 0 and safety_stock >= 0 and standard_cost >= 0", name="non_negative"),
    sa.UniqueConstraint("tenant_id", "part_number"),
)

plan_boms = sa.Table(
    "plan_boms",
    metadata,
    id_column(),
    tenant_column(),
    _fk("item_id", "plan_items.id"),
    sa.Column("revision", sa.Text, nullable=False),
    sa.Column("effective_from", sa.Date),
    sa.Column("effective_to", sa.Date),  # exclusive
    _version(),
    *timestamps(),
    sa.UniqueConstraint("tenant_id", "item_id", "revision"),
)

plan_bom_lines = sa.Table(
    "plan_bom_lines",
    metadata,
    id_column(),
    tenant_column(),
    _fk("bom_id", "plan_boms.id", ondelete="CASCADE"),
    sa.Column("line_no", sa.Integer, nullable=False),
    _fk("component_id", "plan_items.id"),
    sa.Column("qty_per", sa.Float, nullable=False),
    sa.Column("scrap_pct", sa.Float, nullable=False, server_default="0"),
    sa.Column("phantom", sa.Boolean, nullable=False, server_default=sa.false()),
    sa.Column("ref_des", sa.Text, nullable=False, server_default=""),
    sa.UniqueConstraint("bom_id", "line_no"),
    sa.Index("ix_plan_bom_lines_tenant_id_component_id", "tenant_id", "component_id"),
)

plan_bom_substitutes = sa.Table(
    "plan_bom_substitutes",
    metadata,
    id_column(),
    tenant_column(),
    _fk("line_id", "plan_bom_lines.id", ondelete="CASCADE"),
    _fk("item_id", "plan_items.id"),
    sa.Column("priority", sa.Integer, nullable=False, server_default="1"),
    sa.UniqueConstraint("line_id", "item_id"),
)

plan_calendars = sa.Table(
    "plan_calendars",
    metadata,
    id_column(),
    tenant_column(),
    sa.Column("name", sa.Text, nullable=False),
    sa.Column("timezone", sa.Text, nullable=False),
    # [{"weekday": 0..6 (Monday 0), "start": "HH:MM", "end": "HH:MM"}]; end <= start crosses midnight
    sa.Column("shifts", JSONB, nullable=False, server_default=sa.text("'[]'::jsonb")),
    sa.Column("holidays", JSONB, nullable=False, server_default=sa.text("'[]'::jsonb")),  # [{"date", "name"}]
    _version(),
    *timestamps(),
    sa.UniqueConstraint("tenant_id", "name"),
)

plan_work_centers = sa.Table(
    "plan_work_centers",
    metadata,
    id_column(),
    tenant_column(),
    sa.Column("code", sa.Text, nullable=False),
    sa.Column("name", sa.Text, nullable=False, server_default=""),
    _fk("calendar_id", "plan_calendars.id", nullable=True),
    sa.Column("cost_per_hour", sa.Float, nullable=False, server_default="0"),
    _version(),
    *timestamps(),
    sa.UniqueConstraint("tenant_id", "code"),
)

plan_work_center_machines = sa.Table(
    "plan_work_center_machines",
    metadata,
    id_column(),
    tenant_column(),
    _fk("work_center_id", "plan_work_centers.id", ondelete="CASCADE"),
    _fk("machine_id", "assets.id"),
    sa.UniqueConstraint("work_center_id", "machine_id"),
)

plan_routings = sa.Table(
    "plan_routings",
    metadata,
    id_column(),
    tenant_column(),
    _fk("item_id", "plan_items.id"),
    sa.Column("revision", sa.Text, nullable=False),
    sa.Column("effective_from", sa.Date),
    sa.Column("effective_to", sa.Date),
    _version(),
    *timestamps(),
    sa.UniqueConstraint("tenant_id", "item_id", "revision"),
)

plan_routing_ops = sa.Table(
    "plan_routing_ops",
    metadata,
    id_column(),
    tenant_column(),
    _fk("routing_id", "plan_routings.id", ondelete="CASCADE"),
    sa.Column("seq", sa.Integer, nullable=False),
    sa.Column("name", sa.Text, nullable=False, server_default=""),
    _fk("work_center_id", "plan_work_centers.id"),
    sa.Column("setup_min", sa.Float, nullable=False, server_default="0"),
    sa.Column("run_min_per_unit", sa.Float, nullable=False, server_default="0"),
    sa.Column("transfer_min", sa.Float, nullable=False, server_default="0"),
    # [{"machine_id": uuid, "speed_factor": float}]: eligible machines besides the work centre's own
    sa.Column("alternates", JSONB, nullable=False, server_default=sa.text("'[]'::jsonb")),
    sa.UniqueConstraint("routing_id", "seq"),
)

plan_unavailability = sa.Table(
    "plan_unavailability",
    metadata,
    id_column(),
    tenant_column(),
    _fk("machine_id", "assets.id", ondelete="CASCADE"),
    sa.Column("start_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("end_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("kind", sa.Text, nullable=False, server_default="maintenance"),
    sa.Column("reason", sa.Text, nullable=False, server_default=""),
    *timestamps(),
    sa.CheckConstraint("end_at > start_at", name="window"),
    sa.CheckConstraint("kind in ('maintenance','breakdown','other')", name="kind"),
    sa.Index("ix_plan_unavailability_tenant_id_machine_id", "tenant_id", "machine_id", "start_at"),
)

plan_demand_orders = sa.Table(
    "plan_demand_orders",
    metadata,
    id_column(),
    tenant_column(),
    sa.Column("order_no", sa.Text, nullable=False),
    sa.Column("kind", sa.Text, nullable=False, server_default="sales"),
    _fk("item_id", "plan_items.id"),
    sa.Column("quantity", sa.Float, nullable=False),
    sa.Column("due_date", sa.Date, nullable=False),
    sa.Column("priority", sa.Integer, nullable=False, server_default="0"),
    sa.Column("status", sa.Text, nullable=False, server_default="open"),
    sa.Column("customer", sa.Text, nullable=False, server_default=""),
    _version(),
    *timestamps(),
    sa.CheckConstraint("kind in ('sales','production')", name="kind"),
    sa.CheckConstraint("status in ('open','closed','cancelled')", name="status"),
    sa.CheckConstraint("quantity > 0", name="quantity"),
    sa.UniqueConstraint("tenant_id", "order_no"),
)

plan_mrp_runs = sa.Table(
    "plan_mrp_runs",
    metadata,
    id_column(),
    tenant_column(),
    sa.Column("number", sa.Integer, nullable=False),
    sa.Column("run_by", UUID(as_uuid=True)),
    sa.Column("as_of", sa.Date, nullable=False),
    sa.Column("started_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()),
    sa.Column("inputs", JSONB, nullable=False, server_default=sa.text("'{}'::jsonb")),
    sa.Column("outputs", JSONB, nullable=False, server_default=sa.text("'{}'::jsonb")),
    sa.Column("exceptions", JSONB, nullable=False, server_default=sa.text("'[]'::jsonb")),
    sa.UniqueConstraint("tenant_id", "number"),
)

plan_supply_orders = sa.Table(
    "plan_supply_orders",
    metadata,
    id_column(),
    tenant_column(),
    sa.Column("number", sa.Text, nullable=False),
    sa.Column("kind", sa.Text, nullable=False),  # make: work order; buy: purchase requisition / order
    _fk("item_id", "plan_items.id"),
    sa.Column("quantity", sa.Float, nullable=False),
    sa.Column("start_date", sa.Date, nullable=False),
    sa.Column("due_date", sa.Date, nullable=False),
    sa.Column("status", sa.Text, nullable=False, server_default="planned"),
    sa.Column("source", sa.Text, nullable=False, server_default="manual"),
    _fk("mrp_run_id", "plan_mrp_runs.id", nullable=True, ondelete="SET NULL"),
    sa.Column("priority", sa.Integer, nullable=False, server_default="0"),
    sa.Column("material_available_at", sa.DateTime(timezone=True)),
    _version(),
    *timestamps(),
    sa.CheckConstraint("kind in ('make','buy')", name="kind"),
    sa.CheckConstraint("status in ('planned','firm','released','completed','cancelled')", name="status"),
    sa.CheckConstraint("source in ('mrp','manual')", name="source"),
    sa.CheckConstraint("quantity > 0 and due_date >= start_date", name="quantity_dates"),
    sa.UniqueConstraint("tenant_id", "number"),
    sa.Index("ix_plan_supply_orders_tenant_id_status", "tenant_id", "status"),
)

plan_pegging = sa.Table(
    "plan_pegging",
    metadata,
    id_column(),
    tenant_column(),
    _fk("mrp_run_id", "plan_mrp_runs.id", ondelete="CASCADE"),
    _fk("supply_id", "plan_supply_orders.id", ondelete="CASCADE"),
    _fk("item_id", "plan_items.id"),
    sa.Column("quantity", sa.Float, nullable=False),
    sa.Column("required_date", sa.Date, nullable=False),
    # exactly one of: the independent demand, the parent supply order whose components these are, or
    # safety stock (both null)
    _fk("demand_order_id", "plan_demand_orders.id", nullable=True, ondelete="CASCADE"),
    _fk("parent_supply_id", "plan_supply_orders.id", nullable=True, ondelete="CASCADE"),
    sa.Index("ix_plan_pegging_tenant_id_supply_id", "tenant_id", "supply_id"),
    sa.Index("ix_plan_pegging_tenant_id_parent_supply_id", "tenant_id", "parent_supply_id"),
)
