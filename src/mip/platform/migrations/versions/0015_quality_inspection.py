"""Quality: inspection plans (versioned, Z1.4 sampling), characteristics, inspection lots and results, gauges and
calibrations, AS9102 first-article reports, NCRs (per-tenant numbers, MRB), 8D CAPAs linked to NCRs, and the
events of every NCR/CAPA transition.

* Thirteen tenant tables (src/mip/quality/inspection/models.py), each with RLS ENABLE + FORCE and the
  ``tenant_isolation`` policy, DML granted to mip_app.

Revision ID: 0015
Revises: 0014
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

from mip.platform.rls import enable_rls, grant_app

revision: str = "0015"
down_revision: str | None = "0014"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TABLES = (
    "quality_suppliers",
    "quality_counters",
    "inspection_plans",
    "inspection_characteristics",
    "gauges",
    "gauge_calibrations",
    "inspections",
    "inspection_results",
    "fai_reports",
    "ncrs",
    "capas",
    "capa_ncrs",
    "quality_events",
)


def upgrade() -> None:
    op.create_table(
        "quality_suppliers",
        sa.Column("id", sa.UUID(), nullable=False),
        sa.Column("tenant_id", sa.UUID(), nullable=False),
        sa.Column("code", sa.Text(), nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.ForeignKeyConstraint(
            ["tenant_id"], ["tenants.id"], name=op.f("fk_quality_suppliers_tenant_id_tenants"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_quality_suppliers")),
        sa.UniqueConstraint("tenant_id", "code", name=op.f("uq_quality_suppliers_tenant_id_code")),
    )
    op.create_table(
        "quality_counters",
        sa.Column("tenant_id", sa.UUID(), nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("value", sa.BigInteger(), nullable=False),
        sa.ForeignKeyConstraint(
            ["tenant_id"], ["tenants.id"], name=op.f("fk_quality_counters_tenant_id_tenants"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("tenant_id", "name", name=op.f("pk_quality_counters")),
    )
    op.create_table(
        "inspection_plans",
        sa.Column("id", sa.UUID(), nullable=False),
        sa.Column("tenant_id", sa.UUID(), nullable=False),
        sa.Column("item_id", sa.UUID(), nullable=False),
        sa.Column("operation", sa.Text(), nullable=False),
        sa.Column("revision", sa.Integer(), nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("aql", sa.Float(), nullable=False),
        sa.Column("level", sa.Text(), server_default="II", nullable=False),
        sa.Column("severity", sa.Text(), server_default="normal", nullable=False),
        sa.Column("active", sa.Boolean(), server_default=sa.true(), nullable=False),
        sa.Column("notes", sa.Text(), server_default="", nullable=False),
        sa.Column("created_by", sa.UUID(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.CheckConstraint("severity in ('normal','tightened','reduced')", name=op.f("ck_inspection_plans_severity")),
        sa.ForeignKeyConstraint(
            ["created_by"], ["users.id"], name=op.f("fk_inspection_plans_created_by_users"), ondelete="SET NULL"
        ),
        sa.ForeignKeyConstraint(
            ["item_id"], ["plan_items.id"], name=op.f("fk_inspection_plans_item_id_plan_items"), ondelete="RESTRICT"
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id"], ["tenants.id"], name=op.f("fk_inspection_plans_tenant_id_tenants"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_inspection_plans")),
        sa.UniqueConstraint(
            "tenant_id",
            "item_id",
            "operation",
            "revision",
            name=op.f("uq_inspection_plans_tenant_id_item_id_operation_revision"),
        ),
    )
    op.create_table(
        "inspection_characteristics",
        sa.Column("id", sa.UUID(), nullable=False),
        sa.Column("tenant_id", sa.UUID(), nullable=False),
        sa.Column("plan_id", sa.UUID(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("bubble", sa.Text(), server_default="", nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("kind", sa.Text(), nullable=False),
        sa.Column("nominal", sa.Float(), nullable=True),
        sa.Column("lsl", sa.Float(), nullable=True),
        sa.Column("usl", sa.Float(), nullable=True),
        sa.Column("unit", sa.Text(), server_default="", nullable=False),
        sa.Column("method", sa.Text(), server_default="", nullable=False),
        sa.Column("gauge_type", sa.Text(), nullable=True),
        sa.Column("classification", sa.Text(), server_default="major", nullable=False),
        sa.Column("designed_tooling", sa.Boolean(), server_default=sa.false(), nullable=False),
        sa.Column("spc_chart_id", sa.UUID(), nullable=True),
        sa.CheckConstraint(
            "classification in ('critical','major','minor')", name=op.f("ck_inspection_characteristics_classification")
        ),
        sa.CheckConstraint("kind in ('variable','attribute')", name=op.f("ck_inspection_characteristics_kind")),
        sa.CheckConstraint(
            "lsl is null or usl is null or lsl <= usl", name=op.f("ck_inspection_characteristics_limits")
        ),
        sa.ForeignKeyConstraint(
            ["plan_id"],
            ["inspection_plans.id"],
            name=op.f("fk_inspection_characteristics_plan_id_inspection_plans"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["spc_chart_id"],
            ["spc_charts.id"],
            name=op.f("fk_inspection_characteristics_spc_chart_id_spc_charts"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id"],
            ["tenants.id"],
            name=op.f("fk_inspection_characteristics_tenant_id_tenants"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_inspection_characteristics")),
        sa.UniqueConstraint("plan_id", "number", name=op.f("uq_inspection_characteristics_plan_id_number")),
    )
    op.create_table(
        "gauges",
        sa.Column("id", sa.UUID(), nullable=False),
        sa.Column("tenant_id", sa.UUID(), nullable=False),
        sa.Column("code", sa.Text(), nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("gauge_type", sa.Text(), nullable=False),
        sa.Column("interval_days", sa.Integer(), nullable=False),
        sa.Column("last_calibrated_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("due_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("status", sa.Text(), server_default="active", nullable=False),
        sa.Column("version", sa.Integer(), server_default="1", nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.CheckConstraint("status in ('active','out_of_calibration','retired')", name=op.f("ck_gauges_status")),
        sa.CheckConstraint("interval_days > 0", name=op.f("ck_gauges_interval")),
        sa.ForeignKeyConstraint(
            ["tenant_id"], ["tenants.id"], name=op.f("fk_gauges_tenant_id_tenants"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_gauges")),
        sa.UniqueConstraint("tenant_id", "code", name=op.f("uq_gauges_tenant_id_code")),
    )
    op.create_table(
        "gauge_calibrations",
        sa.Column("id", sa.UUID(), nullable=False),
        sa.Column("tenant_id", sa.UUID(), nullable=False),
        sa.Column("gauge_id", sa.UUID(), nullable=False),
        sa.Column("calibrated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("result", sa.Text(), nullable=False),
        sa.Column("certificate", sa.Text(), server_default="", nullable=False),
        sa.Column("notes", sa.Text(), server_default="", nullable=False),
        sa.Column("recorded_by", sa.UUID(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.CheckConstraint("result in ('pass','fail')", name=op.f("ck_gauge_calibrations_result")),
        sa.ForeignKeyConstraint(
            ["gauge_id"], ["gauges.id"], name=op.f("fk_gauge_calibrations_gauge_id_gauges"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["recorded_by"], ["users.id"], name=op.f("fk_gauge_calibrations_recorded_by_users"), ondelete="SET NULL"
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id"], ["tenants.id"], name=op.f("fk_gauge_calibrations_tenant_id_tenants"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_gauge_calibrations")),
    )
    op.create_index(
        "ix_gauge_calibrations_gauge_id_calibrated_at",
        "gauge_calibrations",
        ["gauge_id", "calibrated_at"],
        unique=False,
    )
    op.create_table(
        "inspections",
        sa.Column("id", sa.UUID(), nullable=False),
        sa.Column("tenant_id", sa.UUID(), nullable=False),
        sa.Column("plan_id", sa.UUID(), nullable=False),
        sa.Column("item_id", sa.UUID(), nullable=False),
        sa.Column("kind", sa.Text(), server_default="in_process", nullable=False),
        sa.Column("lot_ref", sa.Text(), nullable=True),
        sa.Column("serial", sa.Text(), nullable=True),
        sa.Column("lot_size", sa.Integer(), nullable=False),
        sa.Column("work_order_id", sa.UUID(), nullable=True),
        sa.Column("supplier_id", sa.UUID(), nullable=True),
        sa.Column("line_id", sa.UUID(), nullable=True),
        sa.Column("sampling", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column("sample_size", sa.Integer(), nullable=False),
        sa.Column("status", sa.Text(), server_default="open", nullable=False),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("inspected_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.Column("created_by", sa.UUID(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.CheckConstraint(
            "kind in ('receiving','in_process','final','first_article')", name=op.f("ck_inspections_kind")
        ),
        sa.CheckConstraint("status in ('open','accepted','rejected')", name=op.f("ck_inspections_status")),
        sa.CheckConstraint("lot_size > 0 and sample_size > 0", name=op.f("ck_inspections_sizes")),
        sa.ForeignKeyConstraint(
            ["created_by"], ["users.id"], name=op.f("fk_inspections_created_by_users"), ondelete="SET NULL"
        ),
        sa.ForeignKeyConstraint(
            ["item_id"], ["plan_items.id"], name=op.f("fk_inspections_item_id_plan_items"), ondelete="RESTRICT"
        ),
        sa.ForeignKeyConstraint(
            ["line_id"], ["assets.id"], name=op.f("fk_inspections_line_id_assets"), ondelete="SET NULL"
        ),
        sa.ForeignKeyConstraint(
            ["plan_id"],
            ["inspection_plans.id"],
            name=op.f("fk_inspections_plan_id_inspection_plans"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["supplier_id"],
            ["quality_suppliers.id"],
            name=op.f("fk_inspections_supplier_id_quality_suppliers"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id"], ["tenants.id"], name=op.f("fk_inspections_tenant_id_tenants"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_inspections")),
    )
    op.create_index("ix_inspections_tenant_id_inspected_at", "inspections", ["tenant_id", "inspected_at"], unique=False)
    op.create_table(
        "inspection_results",
        sa.Column("id", sa.UUID(), nullable=False),
        sa.Column("tenant_id", sa.UUID(), nullable=False),
        sa.Column("inspection_id", sa.UUID(), nullable=False),
        sa.Column("characteristic_id", sa.UUID(), nullable=False),
        sa.Column("unit", sa.Integer(), nullable=False),
        sa.Column("serial", sa.Text(), nullable=True),
        sa.Column("value", sa.Float(), nullable=True),
        sa.Column("passed", sa.Boolean(), nullable=False),
        sa.Column("gauge_id", sa.UUID(), nullable=True),
        sa.Column("recorded_by", sa.UUID(), nullable=True),
        sa.Column("recorded_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.ForeignKeyConstraint(
            ["characteristic_id"],
            ["inspection_characteristics.id"],
            name=op.f("fk_inspection_results_characteristic_id_inspection_characteristics"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["gauge_id"], ["gauges.id"], name=op.f("fk_inspection_results_gauge_id_gauges"), ondelete="RESTRICT"
        ),
        sa.ForeignKeyConstraint(
            ["inspection_id"],
            ["inspections.id"],
            name=op.f("fk_inspection_results_inspection_id_inspections"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["recorded_by"], ["users.id"], name=op.f("fk_inspection_results_recorded_by_users"), ondelete="SET NULL"
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id"], ["tenants.id"], name=op.f("fk_inspection_results_tenant_id_tenants"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_inspection_results")),
        sa.UniqueConstraint(
            "inspection_id",
            "characteristic_id",
            "unit",
            name=op.f("uq_inspection_results_inspection_id_characteristic_id_unit"),
        ),
    )
    op.create_table(
        "fai_reports",
        sa.Column("id", sa.UUID(), nullable=False),
        sa.Column("tenant_id", sa.UUID(), nullable=False),
        sa.Column("number", sa.BigInteger(), nullable=False),
        sa.Column("item_id", sa.UUID(), nullable=False),
        sa.Column("plan_id", sa.UUID(), nullable=True),
        sa.Column("inspection_id", sa.UUID(), nullable=True),
        sa.Column("status", sa.Text(), server_default="draft", nullable=False),
        sa.Column("form1", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column("form2", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column("form3", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column("created_by", sa.UUID(), nullable=True),
        sa.Column("version", sa.Integer(), server_default="1", nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.CheckConstraint("status in ('draft','complete')", name=op.f("ck_fai_reports_status")),
        sa.ForeignKeyConstraint(
            ["created_by"], ["users.id"], name=op.f("fk_fai_reports_created_by_users"), ondelete="SET NULL"
        ),
        sa.ForeignKeyConstraint(
            ["inspection_id"],
            ["inspections.id"],
            name=op.f("fk_fai_reports_inspection_id_inspections"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["item_id"], ["plan_items.id"], name=op.f("fk_fai_reports_item_id_plan_items"), ondelete="RESTRICT"
        ),
        sa.ForeignKeyConstraint(
            ["plan_id"],
            ["inspection_plans.id"],
            name=op.f("fk_fai_reports_plan_id_inspection_plans"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id"], ["tenants.id"], name=op.f("fk_fai_reports_tenant_id_tenants"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_fai_reports")),
        sa.UniqueConstraint("tenant_id", "number", name=op.f("uq_fai_reports_tenant_id_number")),
    )
    op.create_table(
        "ncrs",
        sa.Column("id", sa.UUID(), nullable=False),
        sa.Column("tenant_id", sa.UUID(), nullable=False),
        sa.Column("number", sa.BigInteger(), nullable=False),
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("description", sa.Text(), server_default="", nullable=False),
        sa.Column("quantity", sa.Float(), nullable=False),
        sa.Column("item_id", sa.UUID(), nullable=True),
        sa.Column("lots", postgresql.ARRAY(sa.Text()), server_default="{}", nullable=False),
        sa.Column("serials", postgresql.ARRAY(sa.Text()), server_default="{}", nullable=False),
        sa.Column("work_order_id", sa.UUID(), nullable=True),
        sa.Column("supplier_id", sa.UUID(), nullable=True),
        sa.Column("inspection_id", sa.UUID(), nullable=True),
        sa.Column("line_id", sa.UUID(), nullable=True),
        sa.Column("alert_ids", postgresql.ARRAY(sa.UUID()), server_default="{}", nullable=False),
        sa.Column(
            "containment",
            postgresql.JSONB(astext_type=sa.Text()),
            server_default=sa.text("'[]'::jsonb"),
            nullable=False,
        ),
        sa.Column("status", sa.Text(), server_default="open", nullable=False),
        sa.Column("disposition", sa.Text(), nullable=True),
        sa.Column("disposition_quantity", sa.Float(), nullable=True),
        sa.Column("disposition_notes", sa.Text(), server_default="", nullable=False),
        sa.Column("dispositioned_by", sa.UUID(), nullable=True),
        sa.Column("dispositioned_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("mrb_approved_by", sa.UUID(), nullable=True),
        sa.Column("mrb_approved_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("detected_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.Column("created_by", sa.UUID(), nullable=True),
        sa.Column("version", sa.Integer(), server_default="1", nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.CheckConstraint(
            "disposition is null or disposition in ('use_as_is','rework','repair','scrap','return_to_supplier')",
            name=op.f("ck_ncrs_disposition"),
        ),
        sa.CheckConstraint(
            "status in ('open','contained','pending_mrb','dispositioned','closed','cancelled')",
            name=op.f("ck_ncrs_status"),
        ),
        sa.CheckConstraint("quantity > 0", name=op.f("ck_ncrs_quantity")),
        sa.ForeignKeyConstraint(
            ["created_by"], ["users.id"], name=op.f("fk_ncrs_created_by_users"), ondelete="SET NULL"
        ),
        sa.ForeignKeyConstraint(
            ["dispositioned_by"], ["users.id"], name=op.f("fk_ncrs_dispositioned_by_users"), ondelete="SET NULL"
        ),
        sa.ForeignKeyConstraint(
            ["inspection_id"], ["inspections.id"], name=op.f("fk_ncrs_inspection_id_inspections"), ondelete="SET NULL"
        ),
        sa.ForeignKeyConstraint(
            ["item_id"], ["plan_items.id"], name=op.f("fk_ncrs_item_id_plan_items"), ondelete="RESTRICT"
        ),
        sa.ForeignKeyConstraint(["line_id"], ["assets.id"], name=op.f("fk_ncrs_line_id_assets"), ondelete="SET NULL"),
        sa.ForeignKeyConstraint(
            ["mrb_approved_by"], ["users.id"], name=op.f("fk_ncrs_mrb_approved_by_users"), ondelete="SET NULL"
        ),
        sa.ForeignKeyConstraint(
            ["supplier_id"],
            ["quality_suppliers.id"],
            name=op.f("fk_ncrs_supplier_id_quality_suppliers"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id"], ["tenants.id"], name=op.f("fk_ncrs_tenant_id_tenants"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_ncrs")),
        sa.UniqueConstraint("tenant_id", "number", name=op.f("uq_ncrs_tenant_id_number")),
    )
    op.create_index("ix_ncrs_tenant_id_status", "ncrs", ["tenant_id", "status"], unique=False)
    op.create_table(
        "capas",
        sa.Column("id", sa.UUID(), nullable=False),
        sa.Column("tenant_id", sa.UUID(), nullable=False),
        sa.Column("number", sa.BigInteger(), nullable=False),
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("status", sa.Text(), server_default="open", nullable=False),
        sa.Column(
            "team", postgresql.JSONB(astext_type=sa.Text()), server_default=sa.text("'[]'::jsonb"), nullable=False
        ),
        sa.Column("problem", sa.Text(), server_default="", nullable=False),
        sa.Column("containment", sa.Text(), server_default="", nullable=False),
        sa.Column(
            "root_cause", postgresql.JSONB(astext_type=sa.Text()), server_default=sa.text("'{}'::jsonb"), nullable=False
        ),
        sa.Column(
            "corrective_actions",
            postgresql.JSONB(astext_type=sa.Text()),
            server_default=sa.text("'[]'::jsonb"),
            nullable=False,
        ),
        sa.Column("implementation", sa.Text(), server_default="", nullable=False),
        sa.Column("implemented_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column(
            "preventive_actions",
            postgresql.JSONB(astext_type=sa.Text()),
            server_default=sa.text("'[]'::jsonb"),
            nullable=False,
        ),
        sa.Column("effectiveness_date", sa.Date(), nullable=True),
        sa.Column("effectiveness_result", sa.Text(), nullable=True),
        sa.Column("effectiveness_notes", sa.Text(), server_default="", nullable=False),
        sa.Column("effectiveness_checked_by", sa.UUID(), nullable=True),
        sa.Column("closure_notes", sa.Text(), server_default="", nullable=False),
        sa.Column("closed_by", sa.UUID(), nullable=True),
        sa.Column("closed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_by", sa.UUID(), nullable=True),
        sa.Column("version", sa.Integer(), server_default="1", nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.CheckConstraint(
            "effectiveness_result is null or effectiveness_result in ('passed','failed')", name=op.f("ck_capas_result")
        ),
        sa.CheckConstraint(
            "status in ('open','implementing','verifying','closed','cancelled')", name=op.f("ck_capas_status")
        ),
        sa.ForeignKeyConstraint(
            ["closed_by"], ["users.id"], name=op.f("fk_capas_closed_by_users"), ondelete="SET NULL"
        ),
        sa.ForeignKeyConstraint(
            ["created_by"], ["users.id"], name=op.f("fk_capas_created_by_users"), ondelete="SET NULL"
        ),
        sa.ForeignKeyConstraint(
            ["effectiveness_checked_by"],
            ["users.id"],
            name=op.f("fk_capas_effectiveness_checked_by_users"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id"], ["tenants.id"], name=op.f("fk_capas_tenant_id_tenants"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_capas")),
        sa.UniqueConstraint("tenant_id", "number", name=op.f("uq_capas_tenant_id_number")),
    )
    op.create_table(
        "capa_ncrs",
        sa.Column("tenant_id", sa.UUID(), nullable=False),
        sa.Column("capa_id", sa.UUID(), nullable=False),
        sa.Column("ncr_id", sa.UUID(), nullable=False),
        sa.ForeignKeyConstraint(["capa_id"], ["capas.id"], name=op.f("fk_capa_ncrs_capa_id_capas"), ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["ncr_id"], ["ncrs.id"], name=op.f("fk_capa_ncrs_ncr_id_ncrs"), ondelete="CASCADE"),
        sa.ForeignKeyConstraint(
            ["tenant_id"], ["tenants.id"], name=op.f("fk_capa_ncrs_tenant_id_tenants"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("capa_id", "ncr_id", name=op.f("pk_capa_ncrs")),
    )
    op.create_index("ix_capa_ncrs_ncr_id", "capa_ncrs", ["ncr_id"], unique=False)
    op.create_table(
        "quality_events",
        sa.Column("id", sa.UUID(), nullable=False),
        sa.Column("tenant_id", sa.UUID(), nullable=False),
        sa.Column("entity", sa.Text(), nullable=False),
        sa.Column("entity_id", sa.UUID(), nullable=False),
        sa.Column("kind", sa.Text(), nullable=False),
        sa.Column("from_status", sa.Text(), nullable=True),
        sa.Column("to_status", sa.Text(), nullable=True),
        sa.Column("actor_id", sa.UUID(), nullable=True),
        sa.Column(
            "detail", postgresql.JSONB(astext_type=sa.Text()), server_default=sa.text("'{}'::jsonb"), nullable=False
        ),
        sa.Column("at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.CheckConstraint("entity in ('ncr','capa')", name=op.f("ck_quality_events_entity")),
        sa.ForeignKeyConstraint(
            ["actor_id"], ["users.id"], name=op.f("fk_quality_events_actor_id_users"), ondelete="SET NULL"
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id"], ["tenants.id"], name=op.f("fk_quality_events_tenant_id_tenants"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_quality_events")),
    )
    op.create_index("ix_quality_events_entity_id_at", "quality_events", ["entity_id", "at"], unique=False)

    for table in TABLES:
        for stmt in enable_rls(table):
            op.execute(stmt)
        op.execute(grant_app(table))


def downgrade() -> None:
    for table in reversed(TABLES):
        op.drop_table(table)
