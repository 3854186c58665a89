"""Inspection, gauges, first-article, nonconformance/CAPA tables. Every table is tenant-owned (RLS).

Items reference ``plan_items`` (RESTRICT: an item with quality records cannot be deleted); work orders, lots and
serials are plain references (work orders are replanned by MRP; lots/serials belong to traceability)."""

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import ARRAY, JSONB, UUID

from mip.platform.schema import id_column, metadata, tenant_column, timestamps


def _ref(name: str, target: str, *, nullable: bool = True, ondelete: str = "SET NULL") -> sa.Column[object]:
    return sa.Column(name, UUID(as_uuid=True), sa.ForeignKey(target, ondelete=ondelete), nullable=nullable)


def _version() -> sa.Column[object]:
    return sa.Column("version", sa.Integer, nullable=False, server_default="1")


quality_suppliers = sa.Table(
    "quality_suppliers",
    metadata,
    id_column(),
    tenant_column(),
    sa.Column("code", sa.Text, nullable=False),
    sa.Column("name", sa.Text, nullable=False),
    *timestamps(),
    sa.UniqueConstraint("tenant_id", "code"),
)

quality_counters = sa.Table(  # per-tenant document numbers (NCR-000123, CAPA-000007, FAI-000002)
    "quality_counters",
    metadata,
    tenant_column(),
    sa.Column("name", sa.Text, nullable=False),
    sa.Column("value", sa.BigInteger, nullable=False),
    sa.PrimaryKeyConstraint("tenant_id", "name"),
)

inspection_plans = sa.Table(
    "inspection_plans",
    metadata,
    id_column(),
    tenant_column(),
    _ref("item_id", "plan_items.id", nullable=False, ondelete="RESTRICT"),
    sa.Column("operation", sa.Text, nullable=False),  # routing operation, e.g. "OP20" or "receiving"
    sa.Column("revision", sa.Integer, nullable=False),
    sa.Column("name", sa.Text, nullable=False),
    sa.Column("aql", sa.Float, nullable=False),
    sa.Column("level", sa.Text, nullable=False, server_default="II"),
    sa.Column("severity", sa.Text, nullable=False, server_default="normal"),
    sa.Column("active", sa.Boolean, nullable=False, server_default=sa.true()),
    sa.Column("notes", sa.Text, nullable=False, server_default=""),
    _ref("created_by", "users.id"),
    *timestamps(),
    sa.CheckConstraint("severity in ('normal','tightened','reduced')", name="severity"),
    sa.UniqueConstraint("tenant_id", "item_id", "operation", "revision"),
)

inspection_characteristics = sa.Table(
    "inspection_characteristics",
    metadata,
    id_column(),
    tenant_column(),
    _ref("plan_id", "inspection_plans.id", nullable=False, ondelete="CASCADE"),
    sa.Column("number", sa.Integer, nullable=False),  # characteristic number (AS9102 form 3)
    sa.Column("bubble", sa.Text, nullable=False, server_default=""),  # balloon on the drawing
    sa.Column("name", sa.Text, nullable=False),
    sa.Column("kind", sa.Text, nullable=False),  # variable: measured value; attribute: pass/fail
    sa.Column("nominal", sa.Float),
    sa.Column("lsl", sa.Float),
    sa.Column("usl", sa.Float),
    sa.Column("unit", sa.Text, nullable=False, server_default=""),
    sa.Column("method", sa.Text, nullable=False, server_default=""),
    sa.Column("gauge_type", sa.Text),
    sa.Column("classification", sa.Text, nullable=False, server_default="major"),
    sa.Column("designed_tooling", sa.Boolean, nullable=False, server_default=sa.false()),
    _ref("spc_chart_id", "spc_charts.id"),
    sa.CheckConstraint("kind in ('variable','attribute')", name="kind"),
    sa.CheckConstraint("classification in ('critical','major','minor')", name="classification"),
    sa.CheckConstraint("lsl is null or usl is null or lsl <= usl", name="limits"),
    sa.UniqueConstraint("plan_id", "number"),
)

gauges = sa.Table(
    "gauges",
    metadata,
    id_column(),
    tenant_column(),
    sa.Column("code", sa.Text, nullable=False),
    sa.Column("name", sa.Text, nullable=False),
    sa.Column("gauge_type", sa.Text, nullable=False),
    sa.Column("interval_days", sa.Integer, nullable=False),
    sa.Column("last_calibrated_at", sa.DateTime(timezone=True)),
    sa.Column("due_at", sa.DateTime(timezone=True)),  # null: never calibrated (not usable)
    sa.Column("status", sa.Text, nullable=False, server_default="active"),
    _version(),
    *timestamps(),
    sa.CheckConstraint("interval_days > 0", name="interval"),
    sa.CheckConstraint("status in ('active','out_of_calibration','retired')", name="status"),
    sa.UniqueConstraint("tenant_id", "code"),
)

gauge_calibrations = sa.Table(
    "gauge_calibrations",
    metadata,
    id_column(),
    tenant_column(),
    _ref("gauge_id", "gauges.id", nullable=False, ondelete="CASCADE"),
    sa.Column("calibrated_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("result", sa.Text, nullable=False),
    sa.Column("certificate", sa.Text, nullable=False, server_default=""),
    sa.Column("notes", sa.Text, nullable=False, server_default=""),
    _ref("recorded_by", "users.id"),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()),
    sa.CheckConstraint("result in ('pass','fail')", name="result"),
    sa.Index("ix_gauge_calibrations_gauge_id_calibrated_at", "gauge_id", "calibrated_at"),
)

inspections = sa.Table(  # one inspection lot: a plan applied to a lot (or serial), with its sampling plan
    "inspections",
    metadata,
    id_column(),
    tenant_column(),
    _ref("plan_id", "inspection_plans.id", nullable=False, ondelete="RESTRICT"),
    _ref("item_id", "plan_items.id", nullable=False, ondelete="RESTRICT"),
    sa.Column("kind", sa.Text, nullable=False, server_default="in_process"),
    sa.Column("lot_ref", sa.Text),
    sa.Column("serial", sa.Text),
    sa.Column("lot_size", sa.Integer, nullable=False),
    sa.Column("work_order_id", UUID(as_uuid=True)),
    _ref("supplier_id", "quality_suppliers.id", ondelete="RESTRICT"),
    _ref("line_id", "assets.id"),
    sa.Column("sampling", JSONB, nullable=False),  # the Z1.4 plan (letter, n, Ac, Re, arrow)
    sa.Column("sample_size", sa.Integer, nullable=False),
    sa.Column("status", sa.Text, nullable=False, server_default="open"),
    sa.Column("decided_at", sa.DateTime(timezone=True)),
    sa.Column("inspected_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()),
    _ref("created_by", "users.id"),
    *timestamps(),
    sa.CheckConstraint("kind in ('receiving','in_process','final','first_article')", name="kind"),
    sa.CheckConstraint("status in ('open','accepted','rejected')", name="status"),
    sa.CheckConstraint("lot_size > 0 and sample_size > 0", name="sizes"),
    sa.Index("ix_inspections_tenant_id_inspected_at", "tenant_id", "inspected_at"),
)

inspection_results = sa.Table(
    "inspection_results",
    metadata,
    id_column(),
    tenant_column(),
    _ref("inspection_id", "inspections.id", nullable=False, ondelete="CASCADE"),
    _ref("characteristic_id", "inspection_characteristics.id", nullable=False, ondelete="RESTRICT"),
    sa.Column("unit", sa.Integer, nullable=False),  # 1..sample size
    sa.Column("serial", sa.Text),
    sa.Column("value", sa.Float),
    sa.Column("passed", sa.Boolean, nullable=False),
    _ref("gauge_id", "gauges.id", ondelete="RESTRICT"),
    _ref("recorded_by", "users.id"),
    sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()),
    sa.UniqueConstraint("inspection_id", "characteristic_id", "unit"),
)

fai_reports = sa.Table(  # AS9102 first article inspection report: forms 1-3 as documents
    "fai_reports",
    metadata,
    id_column(),
    tenant_column(),
    sa.Column("number", sa.BigInteger, nullable=False),
    _ref("item_id", "plan_items.id", nullable=False, ondelete="RESTRICT"),
    _ref("plan_id", "inspection_plans.id", ondelete="RESTRICT"),
    _ref("inspection_id", "inspections.id", ondelete="SET NULL"),
    sa.Column("status", sa.Text, nullable=False, server_default="draft"),
    sa.Column("form1", JSONB, nullable=False),
    sa.Column("form2", JSONB, nullable=False),
    sa.Column("form3", JSONB, nullable=False),
    _ref("created_by", "users.id"),
    _version(),
    *timestamps(),
    sa.CheckConstraint("status in ('draft','complete')", name="status"),
    sa.UniqueConstraint("tenant_id", "number"),
)

ncrs = sa.Table(
    "ncrs",
    metadata,
    id_column(),
    tenant_column(),
    sa.Column("number", sa.BigInteger, nullable=False),
    sa.Column("title", sa.Text, nullable=False),
    sa.Column("description", sa.Text, nullable=False, server_default=""),
    sa.Column("quantity", sa.Float, nullable=False),
    _ref("item_id", "plan_items.id", ondelete="RESTRICT"),
    sa.Column("lots", ARRAY(sa.Text), nullable=False, server_default="{}"),
    sa.Column("serials", ARRAY(sa.Text), nullable=False, server_default="{}"),
    sa.Column("work_order_id", UUID(as_uuid=True)),
    _ref("supplier_id", "quality_suppliers.id", ondelete="RESTRICT"),
    _ref("inspection_id", "inspections.id", ondelete="SET NULL"),
    _ref("line_id", "assets.id"),
    sa.Column("alert_ids", ARRAY(UUID(as_uuid=True)), nullable=False, server_default="{}"),
    sa.Column("containment", JSONB, nullable=False, server_default=sa.text("'[]'::jsonb")),
    sa.Column("status", sa.Text, nullable=False, server_default="open"),
    sa.Column("disposition", sa.Text),
    sa.Column("disposition_quantity", sa.Float),
    sa.Column("disposition_notes", sa.Text, nullable=False, server_default=""),
    _ref("dispositioned_by", "users.id"),
    sa.Column("dispositioned_at", sa.DateTime(timezone=True)),
    _ref("mrb_approved_by", "users.id"),
    sa.Column("mrb_approved_at", sa.DateTime(timezone=True)),
    sa.Column("detected_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()),
    _ref("created_by", "users.id"),
    _version(),
    *timestamps(),
    sa.CheckConstraint(
        "status in ('open','contained','pending_mrb','dispositioned','closed','cancelled')", name="status"
    ),
    sa.CheckConstraint(
        "disposition is null or disposition in ('use_as_is','rework','repair','scrap','return_to_supplier')",
        name="disposition",
    ),
    sa.CheckConstraint("quantity > 0", name="quantity"),
    sa.UniqueConstraint("tenant_id", "number"),
    sa.Index("ix_ncrs_tenant_id_status", "tenant_id", "status"),
)

capas = sa.Table(  # 8D: D1 team … D8 closure
    "capas",
    metadata,
    id_column(),
    tenant_column(),
    sa.Column("number", sa.BigInteger, nullable=False),
    sa.Column("title", sa.Text, nullable=False),
    sa.Column("status", sa.Text, nullable=False, server_default="open"),
    sa.Column("team", JSONB, nullable=False, server_default=sa.text("'[]'::jsonb")),  # D1
    sa.Column("problem", sa.Text, nullable=False, server_default=""),  # D2
    sa.Column("containment", sa.Text, nullable=False, server_default=""),  # D3
    sa.Column("root_cause", JSONB, nullable=False, server_default=sa.text("'{}'::jsonb")),  # D4
    sa.Column("corrective_actions", JSONB, nullable=False, server_default=sa.text("'[]'::jsonb")),  # D5
    sa.Column("implementation", sa.Text, nullable=False, server_default=""),  # D6
    sa.Column("implemented_at", sa.DateTime(timezone=True)),
    sa.Column("preventive_actions", JSONB, nullable=False, server_default=sa.text("'[]'::jsonb")),  # D7
    sa.Column("effectiveness_date", sa.Date),  # effectiveness check
    sa.Column("effectiveness_result", sa.Text),
    sa.Column("effectiveness_notes", sa.Text, nullable=False, server_default=""),
    _ref("effectiveness_checked_by", "users.id"),
    sa.Column("closure_notes", sa.Text, nullable=False, server_default=""),  # D8
    _ref("closed_by", "users.id"),
    sa.Column("closed_at", sa.DateTime(timezone=True)),
    _ref("created_by", "users.id"),
    _version(),
    *timestamps(),
    sa.CheckConstraint("status in ('open','implementing','verifying','closed','cancelled')", name="status"),
    sa.CheckConstraint("effectiveness_result is null or effectiveness_result in ('passed','failed')", name="result"),
    sa.UniqueConstraint("tenant_id", "number"),
)

capa_ncrs = sa.Table(
    "capa_ncrs",
    metadata,
    tenant_column(),
    _ref("capa_id", "capas.id", nullable=False, ondelete="CASCADE"),
    _ref("ncr_id", "ncrs.id", nullable=False, ondelete="CASCADE"),
    sa.PrimaryKeyConstraint("capa_id", "ncr_id"),
    sa.Index("ix_capa_ncrs_ncr_id", "ncr_id"),
)

quality_events = sa.Table(  # every NCR/CAPA transition and edit: who, when, from → to
    "quality_events",
    metadata,
    id_column(),
    tenant_column(),
    sa.Column("entity", sa.Text, nullable=False),
    sa.Column("entity_id", UUID(as_uuid=True), nullable=False),
    sa.Column("kind", sa.Text, nullable=False),
    sa.Column("from_status", sa.Text),
    sa.Column("to_status", sa.Text),
    _ref("actor_id", "users.id"),
    sa.Column("detail", JSONB, nullable=False, server_default=sa.text("'{}'::jsonb")),
    sa.Column("at", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()),
    sa.CheckConstraint("entity in ('ncr','capa')", name="entity"),
    sa.Index("ix_quality_events_entity_id_at", "entity_id", "at"),
)
