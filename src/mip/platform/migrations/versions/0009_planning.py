"""Planning: items, BOMs, routings, work centres, calendars, orders, MRP.

Revision ID: 0009
Revises: 0008
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

from mip.platform.rls import enable_rls, grant_app

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TABLES = (
    "plan_items",
    "plan_boms",
    "plan_bom_lines",
    "plan_bom_substitutes",
    "plan_calendars",
    "plan_work_centers",
    "plan_work_center_machines",
    "plan_routings",
    "plan_routing_ops",
    "plan_unavailability",
    "plan_demand_orders",
    "plan_mrp_runs",
    "plan_supply_orders",
    "plan_pegging",
)


def upgrade() -> None:
    op.create_table(
        "plan_calendars",
        sa.Column("id", sa.UUID(), nullable=False),
        sa.Column("tenant_id", sa.UUID(), nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("timezone", sa.Text(), nullable=False),
        sa.Column(
            "shifts", postgresql.JSONB(astext_type=sa.Text()), server_default=sa.text("'[]'::jsonb"), nullable=False
        ),
        sa.Column(
            "holidays", postgresql.JSONB(astext_type=sa.Text()), server_default=sa.text("'[]'::jsonb"), nullable=False
        ),
        sa.Column("version", sa.Integer(), server_default="1", nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.ForeignKeyConstraint(
            ["tenant_id"], ["tenants.id"], name=op.f("fk_plan_calendars_tenant_id_tenants"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_plan_calendars")),
        sa.UniqueConstraint("tenant_id", "name", name=op.f("uq_plan_calendars_tenant_id_name")),
    )
    op.create_table(
        "plan_items",
        sa.Column("id", sa.UUID(), nullable=False),
        sa.Column("tenant_id", sa.UUID(), nullable=False),
        sa.Column("part_number", sa.Text(), nullable=False),
        sa.Column("description", sa.Text(), server_default="", nullable=False),
        sa.Column("make_buy", sa.Text(), nullable=False),
        sa.Column("uom", sa.Text(), server_default="ea", nullable=False),
        sa.Column("lead_time_days", sa.Integer(), server_default="0", nullable=False),
        sa.Column("standard_cost", sa.Float(), server_default="0", nullable=False),
        sa.Column("safety_stock", sa.Float(), server_default="0", nullable=False),
        sa.Column("on_hand", sa.Float(), server_default="0", nullable=False),
        sa.Column("version", sa.Integer(), server_default="1", nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.CheckConstraint("make_buy in ('make','buy')", name=op.f("ck_plan_items_make_buy")),
        sa.CheckConstraint(
            "lead_time_days >= 0 and safety_stock >= 0 and standard_cost >= 0", name=op.f("ck_plan_items_non_negative")
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id"], ["tenants.id"], name=op.f("fk_plan_items_tenant_id_tenants"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_plan_items")),
        sa.UniqueConstraint("tenant_id", "part_number", name=op.f("uq_plan_items_tenant_id_part_number")),
    )
    op.create_table(
        "plan_mrp_runs",
        sa.Column("id", sa.UUID(), nullable=False),
        sa.Column("tenant_id", sa.UUID(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("run_by", sa.UUID(), nullable=True),
        sa.Column("as_of", sa.Date(), nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.Column(
            "inputs", postgresql.JSONB(astext_type=sa.Text()), server_default=sa.text("'{}'::jsonb"), nullable=False
        ),
        sa.Column(
            "outputs", postgresql.JSONB(astext_type=sa.Text()), server_default=sa.text("'{}'::jsonb"), nullable=False
        ),
        sa.Column(
            "exceptions", postgresql.JSONB(astext_type=sa.Text()), server_default=sa.text("'[]'::jsonb"), nullable=False
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id"], ["tenants.id"], name=op.f("fk_plan_mrp_runs_tenant_id_tenants"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_plan_mrp_runs")),
        sa.UniqueConstraint("tenant_id", "number", name=op.f("uq_plan_mrp_runs_tenant_id_number")),
    )
    op.create_table(
        "plan_boms",
        sa.Column("id", sa.UUID(), nullable=False),
        sa.Column("tenant_id", sa.UUID(), nullable=False),
        sa.Column("item_id", sa.UUID(), nullable=False),
        sa.Column("revision", sa.Text(), nullable=False),
        sa.Column("effective_from", sa.Date(), nullable=True),
        sa.Column("effective_to", sa.Date(), nullable=True),
        sa.Column("version", sa.Integer(), server_default="1", nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.ForeignKeyConstraint(
            ["item_id"], ["plan_items.id"], name=op.f("fk_plan_boms_item_id_plan_items"), ondelete="RESTRICT"
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id"], ["tenants.id"], name=op.f("fk_plan_boms_tenant_id_tenants"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_plan_boms")),
        sa.UniqueConstraint("tenant_id", "item_id", "revision", name=op.f("uq_plan_boms_tenant_id_item_id_revision")),
    )
    op.create_table(
        "plan_demand_orders",
        sa.Column("id", sa.UUID(), nullable=False),
        sa.Column("tenant_id", sa.UUID(), nullable=False),
        sa.Column("order_no", sa.Text(), nullable=False),
        sa.Column("kind", sa.Text(), server_default="sales", nullable=False),
        sa.Column("item_id", sa.UUID(), nullable=False),
        sa.Column("quantity", sa.Float(), nullable=False),
        sa.Column("due_date", sa.Date(), nullable=False),
        sa.Column("priority", sa.Integer(), server_default="0", nullable=False),
        sa.Column("status", sa.Text(), server_default="open", nullable=False),
        sa.Column("customer", sa.Text(), server_default="", nullable=False),
        sa.Column("version", sa.Integer(), server_default="1", nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.CheckConstraint("kind in ('sales','production')", name=op.f("ck_plan_demand_orders_kind")),
        sa.CheckConstraint("status in ('open','closed','cancelled')", name=op.f("ck_plan_demand_orders_status")),
        sa.CheckConstraint("quantity > 0", name=op.f("ck_plan_demand_orders_quantity")),
        sa.ForeignKeyConstraint(
            ["item_id"], ["plan_items.id"], name=op.f("fk_plan_demand_orders_item_id_plan_items"), ondelete="RESTRICT"
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id"], ["tenants.id"], name=op.f("fk_plan_demand_orders_tenant_id_tenants"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_plan_demand_orders")),
        sa.UniqueConstraint("tenant_id", "order_no", name=op.f("uq_plan_demand_orders_tenant_id_order_no")),
    )
    op.create_table(
        "plan_routings",
        sa.Column("id", sa.UUID(), nullable=False),
        sa.Column("tenant_id", sa.UUID(), nullable=False),
        sa.Column("item_id", sa.UUID(), nullable=False),
        sa.Column("revision", sa.Text(), nullable=False),
        sa.Column("effective_from", sa.Date(), nullable=True),
        sa.Column("effective_to", sa.Date(), nullable=True),
        sa.Column("version", sa.Integer(), server_default="1", nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.ForeignKeyConstraint(
            ["item_id"], ["plan_items.id"], name=op.f("fk_plan_routings_item_id_plan_items"), ondelete="RESTRICT"
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id"], ["tenants.id"], name=op.f("fk_plan_routings_tenant_id_tenants"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_plan_routings")),
        sa.UniqueConstraint(
            "tenant_id", "item_id", "revision", name=op.f("uq_plan_routings_tenant_id_item_id_revision")
        ),
    )
    op.create_table(
        "plan_supply_orders",
        sa.Column("id", sa.UUID(), nullable=False),
        sa.Column("tenant_id", sa.UUID(), nullable=False),
        sa.Column("number", sa.Text(), nullable=False),
        sa.Column("kind", sa.Text(), nullable=False),
        sa.Column("item_id", sa.UUID(), nullable=False),
        sa.Column("quantity", sa.Float(), nullable=False),
        sa.Column("start_date", sa.Date(), nullable=False),
        sa.Column("due_date", sa.Date(), nullable=False),
        sa.Column("status", sa.Text(), server_default="planned", nullable=False),
        sa.Column("source", sa.Text(), server_default="manual", nullable=False),
        sa.Column("mrp_run_id", sa.UUID(), nullable=True),
        sa.Column("priority", sa.Integer(), server_default="0", nullable=False),
        sa.Column("material_available_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("version", sa.Integer(), server_default="1", nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.CheckConstraint("kind in ('make','buy')", name=op.f("ck_plan_supply_orders_kind")),
        sa.CheckConstraint("source in ('mrp','manual')", name=op.f("ck_plan_supply_orders_source")),
        sa.CheckConstraint(
            "status in ('planned','firm','released','completed','cancelled')", name=op.f("ck_plan_supply_orders_status")
        ),
        sa.CheckConstraint(
            "quantity > 0 and due_date >= start_date", name=op.f("ck_plan_supply_orders_quantity_dates")
        ),
        sa.ForeignKeyConstraint(
            ["item_id"], ["plan_items.id"], name=op.f("fk_plan_supply_orders_item_id_plan_items"), ondelete="RESTRICT"
        ),
        sa.ForeignKeyConstraint(
            ["mrp_run_id"],
            ["plan_mrp_runs.id"],
            name=op.f("fk_plan_supply_orders_mrp_run_id_plan_mrp_runs"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id"], ["tenants.id"], name=op.f("fk_plan_supply_orders_tenant_id_tenants"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_plan_supply_orders")),
        sa.UniqueConstraint("tenant_id", "number", name=op.f("uq_plan_supply_orders_tenant_id_number")),
    )
    op.create_index(
        "ix_plan_supply_orders_tenant_id_status", "plan_supply_orders", ["tenant_id", "status"], unique=False
    )
    op.create_table(
        "plan_unavailability",
        sa.Column("id", sa.UUID(), nullable=False),
        sa.Column("tenant_id", sa.UUID(), nullable=False),
        sa.Column("machine_id", sa.UUID(), nullable=False),
        sa.Column("start_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("end_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("kind", sa.Text(), server_default="maintenance", nullable=False),
        sa.Column("reason", sa.Text(), server_default="", nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.CheckConstraint("kind in ('maintenance','breakdown','other')", name=op.f("ck_plan_unavailability_kind")),
        sa.CheckConstraint("end_at > start_at", name=op.f("ck_plan_unavailability_window")),
        sa.ForeignKeyConstraint(
            ["machine_id"], ["assets.id"], name=op.f("fk_plan_unavailability_machine_id_assets"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id"], ["tenants.id"], name=op.f("fk_plan_unavailability_tenant_id_tenants"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_plan_unavailability")),
    )
    op.create_index(
        "ix_plan_unavailability_tenant_id_machine_id",
        "plan_unavailability",
        ["tenant_id", "machine_id", "start_at"],
        unique=False,
    )
    op.create_table(
        "plan_work_centers",
        sa.Column("id", sa.UUID(), nullable=False),
        sa.Column("tenant_id", sa.UUID(), nullable=False),
        sa.Column("code", sa.Text(), nullable=False),
        sa.Column("name", sa.Text(), server_default="", nullable=False),
        sa.Column("calendar_id", sa.UUID(), nullable=True),
        sa.Column("cost_per_hour", sa.Float(), server_default="0", nullable=False),
        sa.Column("version", sa.Integer(), server_default="1", nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.ForeignKeyConstraint(
            ["calendar_id"],
            ["plan_calendars.id"],
            name=op.f("fk_plan_work_centers_calendar_id_plan_calendars"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id"], ["tenants.id"], name=op.f("fk_plan_work_centers_tenant_id_tenants"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_plan_work_centers")),
        sa.UniqueConstraint("tenant_id", "code", name=op.f("uq_plan_work_centers_tenant_id_code")),
    )
    op.create_table(
        "plan_bom_lines",
        sa.Column("id", sa.UUID(), nullable=False),
        sa.Column("tenant_id", sa.UUID(), nullable=False),
        sa.Column("bom_id", sa.UUID(), nullable=False),
        sa.Column("line_no", sa.Integer(), nullable=False),
        sa.Column("component_id", sa.UUID(), nullable=False),
        sa.Column("qty_per", sa.Float(), nullable=False),
        sa.Column("scrap_pct", sa.Float(), server_default="0", nullable=False),
        sa.Column("phantom", sa.Boolean(), server_default=sa.false(), nullable=False),
        sa.Column("ref_des", sa.Text(), server_default="", nullable=False),
        sa.ForeignKeyConstraint(
            ["bom_id"], ["plan_boms.id"], name=op.f("fk_plan_bom_lines_bom_id_plan_boms"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["component_id"],
            ["plan_items.id"],
            name=op.f("fk_plan_bom_lines_component_id_plan_items"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id"], ["tenants.id"], name=op.f("fk_plan_bom_lines_tenant_id_tenants"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_plan_bom_lines")),
        sa.UniqueConstraint("bom_id", "line_no", name=op.f("uq_plan_bom_lines_bom_id_line_no")),
    )
    op.create_index(
        "ix_plan_bom_lines_tenant_id_component_id", "plan_bom_lines", ["tenant_id", "component_id"], unique=False
    )
    op.create_table(
        "plan_pegging",
        sa.Column("id", sa.UUID(), nullable=False),
        sa.Column("tenant_id", sa.UUID(), nullable=False),
        sa.Column("mrp_run_id", sa.UUID(), nullable=False),
        sa.Column("supply_id", sa.UUID(), nullable=False),
        sa.Column("item_id", sa.UUID(), nullable=False),
        sa.Column("quantity", sa.Float(), nullable=False),
        sa.Column("required_date", sa.Date(), nullable=False),
        sa.Column("demand_order_id", sa.UUID(), nullable=True),
        sa.Column("parent_supply_id", sa.UUID(), nullable=True),
        sa.ForeignKeyConstraint(
            ["demand_order_id"],
            ["plan_demand_orders.id"],
            name=op.f("fk_plan_pegging_demand_order_id_plan_demand_orders"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["item_id"], ["plan_items.id"], name=op.f("fk_plan_pegging_item_id_plan_items"), ondelete="RESTRICT"
        ),
        sa.ForeignKeyConstraint(
            ["mrp_run_id"],
            ["plan_mrp_runs.id"],
            name=op.f("fk_plan_pegging_mrp_run_id_plan_mrp_runs"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["parent_supply_id"],
            ["plan_supply_orders.id"],
            name=op.f("fk_plan_pegging_parent_supply_id_plan_supply_orders"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["supply_id"],
            ["plan_supply_orders.id"],
            name=op.f("fk_plan_pegging_supply_id_plan_supply_orders"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id"], ["tenants.id"], name=op.f("fk_plan_pegging_tenant_id_tenants"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_plan_pegging")),
    )
    op.create_index(
        "ix_plan_pegging_tenant_id_parent_supply_id", "plan_pegging", ["tenant_id", "parent_supply_id"], unique=False
    )
    op.create_index("ix_plan_pegging_tenant_id_supply_id", "plan_pegging", ["tenant_id", "supply_id"], unique=False)
    op.create_table(
        "plan_routing_ops",
        sa.Column("id", sa.UUID(), nullable=False),
        sa.Column("tenant_id", sa.UUID(), nullable=False),
        sa.Column("routing_id", sa.UUID(), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("name", sa.Text(), server_default="", nullable=False),
        sa.Column("work_center_id", sa.UUID(), nullable=False),
        sa.Column("setup_min", sa.Float(), server_default="0", nullable=False),
        sa.Column("run_min_per_unit", sa.Float(), server_default="0", nullable=False),
        sa.Column("transfer_min", sa.Float(), server_default="0", nullable=False),
        sa.Column(
            "alternates", postgresql.JSONB(astext_type=sa.Text()), server_default=sa.text("'[]'::jsonb"), nullable=False
        ),
        sa.ForeignKeyConstraint(
            ["routing_id"],
            ["plan_routings.id"],
            name=op.f("fk_plan_routing_ops_routing_id_plan_routings"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id"], ["tenants.id"], name=op.f("fk_plan_routing_ops_tenant_id_tenants"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["work_center_id"],
            ["plan_work_centers.id"],
            name=op.f("fk_plan_routing_ops_work_center_id_plan_work_centers"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_plan_routing_ops")),
        sa.UniqueConstraint("routing_id", "seq", name=op.f("uq_plan_routing_ops_routing_id_seq")),
    )
    op.create_table(
        "plan_work_center_machines",
        sa.Column("id", sa.UUID(), nullable=False),
        sa.Column("tenant_id", sa.UUID(), nullable=False),
        sa.Column("work_center_id", sa.UUID(), nullable=False),
        sa.Column("machine_id", sa.UUID(), nullable=False),
        sa.ForeignKeyConstraint(
            ["machine_id"],
            ["assets.id"],
            name=op.f("fk_plan_work_center_machines_machine_id_assets"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id"],
            ["tenants.id"],
            name=op.f("fk_plan_work_center_machines_tenant_id_tenants"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["work_center_id"],
            ["plan_work_centers.id"],
            name=op.f("fk_plan_work_center_machines_work_center_id_plan_work_centers"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_plan_work_center_machines")),
        sa.UniqueConstraint(
            "work_center_id", "machine_id", name=op.f("uq_plan_work_center_machines_work_center_id_machine_id")
        ),
    )
    op.create_table(
        "plan_bom_substitutes",
        sa.Column("id", sa.UUID(), nullable=False),
        sa.Column("tenant_id", sa.UUID(), nullable=False),
        sa.Column("line_id", sa.UUID(), nullable=False),
        sa.Column("item_id", sa.UUID(), nullable=False),
        sa.Column("priority", sa.Integer(), server_default="1", nullable=False),
        sa.ForeignKeyConstraint(
            ["item_id"], ["plan_items.id"], name=op.f("fk_plan_bom_substitutes_item_id_plan_items"), ondelete="RESTRICT"
        ),
        sa.ForeignKeyConstraint(
            ["line_id"],
            ["plan_bom_lines.id"],
            name=op.f("fk_plan_bom_substitutes_line_id_plan_bom_lines"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id"], ["tenants.id"], name=op.f("fk_plan_bom_substitutes_tenant_id_tenants"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_plan_bom_substitutes")),
        sa.UniqueConstraint("line_id", "item_id", name=op.f("uq_plan_bom_substitutes_line_id_item_id")),
    )

    for table in TABLES:
        for stmt in enable_rls(table):
            op.execute(stmt)
        op.execute(grant_app(table))


def downgrade() -> None:
    for table in reversed(TABLES):
        op.drop_table(table)
