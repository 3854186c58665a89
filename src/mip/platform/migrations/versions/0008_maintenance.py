"""Predictive maintenance: model registry, machine health, risk policies, recommendations, work orders.

* Five tenant tables, each with RLS ENABLE + FORCE and the ``tenant_isolation`` policy, DML granted to mip_app.
* ``mip_maintenance_tenants()``: the scoring and retraining loops must find which tenants have an active
  model (or one due for retraining) before they know a tenant. This SECURITY DEFINER function (owned by the
  migration role, EXECUTE for mip_app only) returns ``(tenant_id, active, retrain_due)`` per tenant and never
  a model row. The owner is subject to FORCE RLS like everyone, so a ``maintenance_scan`` policy
  ``FOR SELECT TO <owner>`` on ml_models lets the function see every tenant's models; that grants nothing new
  (the owner owns the table and could switch FORCE off), and mip_app gains nothing.

Revision ID: 0008
Revises: 0007
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql
from sqlalchemy.schema import SchemaItem

from mip.platform.rls import APP_ROLE, enable_rls, grant_app

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TABLES = ["ml_models", "machine_health", "maintenance_policies", "maintenance_recommendations", "work_orders"]

TENANTS_FUNCTION = """
create function mip_maintenance_tenants()
returns table(tenant_id uuid, active bigint, retrain_due bigint)
language sql stable security definer set search_path = public, pg_temp as $$
  select m.tenant_id,
         count(*) filter (where m.status = 'active'),
         count(*) filter (where m.status = 'active' and m.next_retrain_at is not null and m.next_retrain_at <= now())
  from ml_models m
  where m.status = 'active'
  group by m.tenant_id
$$"""
TENANTS_SIGNATURE = "mip_maintenance_tenants()"


def _id_tenant(table: str) -> list[SchemaItem]:
    return [
        sa.Column("id", sa.UUID(), nullable=False),
        sa.Column("tenant_id", sa.UUID(), nullable=False),
        sa.ForeignKeyConstraint(
            ["tenant_id"], ["tenants.id"], name=op.f(f"fk_{table}_tenant_id_tenants"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f(f"pk_{table}")),
    ]


def _timestamps() -> list[sa.Column[object]]:
    return [
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
    ]


def _fk(table: str, column: str, target: str, ondelete: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        [column], [f"{target}.id"], name=op.f(f"fk_{table}_{column}_{target}"), ondelete=ondelete
    )


def _jsonb(name: str, default: str) -> sa.Column[object]:
    return sa.Column(name, postgresql.JSONB(astext_type=sa.Text()), server_default=sa.text(default), nullable=False)


def upgrade() -> None:
    t = "ml_models"
    op.create_table(
        t,
        *_id_tenant(t),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("kind", sa.Text(), nullable=False),
        sa.Column("machine_class", sa.Text(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("status", sa.Text(), server_default="candidate", nullable=False),
        _jsonb("metrics", "'{}'::jsonb"),
        _jsonb("config", "'{}'::jsonb"),
        _jsonb("training_data", "'{}'::jsonb"),
        sa.Column("trained_by", sa.UUID(), nullable=True),
        sa.Column("artifact", sa.LargeBinary(), nullable=True),
        sa.Column("artifact_path", sa.Text(), nullable=True),
        sa.Column("artifact_sha256", sa.Text(), nullable=True),
        sa.Column("retrain_every_days", sa.Integer(), nullable=True),
        sa.Column("next_retrain_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("promoted_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("retired_at", sa.DateTime(timezone=True), nullable=True),
        *_timestamps(),
        sa.CheckConstraint("kind in ('rul','failure_probability')", name=op.f("ck_ml_models_kind")),
        sa.CheckConstraint("status in ('candidate','active','retired')", name=op.f("ck_ml_models_status")),
        sa.CheckConstraint("artifact is not null or artifact_path is not null", name=op.f("ck_ml_models_artifact")),
        _fk(t, "trained_by", "users", "SET NULL"),
        sa.UniqueConstraint("tenant_id", "name", "version", name=op.f("uq_ml_models_tenant_id_name_version")),
    )
    op.create_index(
        "uq_ml_models_one_active",
        t,
        ["tenant_id", "kind", "machine_class"],
        unique=True,
        postgresql_where=sa.text("status = 'active'"),
    )

    t = "machine_health"
    op.create_table(
        t,
        *_id_tenant(t),
        sa.Column("machine_id", sa.UUID(), nullable=False),
        sa.Column("model_id", sa.UUID(), nullable=True),
        sa.Column("health_index", sa.Float(), nullable=False),
        sa.Column("rul_hours", sa.Float(), nullable=False),
        sa.Column("failure_probability", sa.Float(), nullable=False),
        sa.Column("horizon_hours", sa.Float(), nullable=False),
        sa.Column("data_until", sa.BigInteger(), nullable=False),
        _jsonb("details", "'{}'::jsonb"),
        sa.Column("scored_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.CheckConstraint("health_index >= 0 and health_index <= 100", name=op.f("ck_machine_health_health_index")),
        sa.CheckConstraint(
            "failure_probability >= 0 and failure_probability <= 1",
            name=op.f("ck_machine_health_failure_probability"),
        ),
        _fk(t, "machine_id", "assets", "CASCADE"),
        _fk(t, "model_id", "ml_models", "SET NULL"),
    )
    op.create_index(
        "ix_machine_health_tenant_id_machine_id_scored_at", t, ["tenant_id", "machine_id", "scored_at"], unique=False
    )

    t = "maintenance_policies"
    op.create_table(
        t,
        sa.Column("tenant_id", sa.UUID(), nullable=False),
        sa.Column("machine_class", sa.Text(), nullable=False),
        sa.Column("failure_probability_threshold", sa.Float(), nullable=False),
        sa.Column("rul_threshold_hours", sa.Float(), nullable=False),
        sa.Column("horizon_hours", sa.Float(), nullable=False),
        sa.Column("auto_work_order", sa.Boolean(), server_default=sa.text("true"), nullable=False),
        sa.Column("snooze_hours", sa.Float(), nullable=False),
        *_timestamps(),
        sa.ForeignKeyConstraint(
            ["tenant_id"], ["tenants.id"], name=op.f("fk_maintenance_policies_tenant_id_tenants"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("tenant_id", "machine_class", name="pk_maintenance_policies"),
    )

    t = "maintenance_recommendations"
    op.create_table(
        t,
        *_id_tenant(t),
        sa.Column("machine_id", sa.UUID(), nullable=False),
        sa.Column("model_id", sa.UUID(), nullable=True),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("status", sa.Text(), server_default="open", nullable=False),
        sa.Column("message", sa.Text(), nullable=False),
        sa.Column("health_index", sa.Float(), nullable=False),
        sa.Column("rul_hours", sa.Float(), nullable=False),
        sa.Column("failure_probability", sa.Float(), nullable=False),
        _jsonb("triggers", "'[]'::jsonb"),
        sa.Column("work_order_id", sa.UUID(), nullable=True),
        sa.Column("decided_by", sa.UUID(), nullable=True),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=True),
        *_timestamps(),
        sa.CheckConstraint(
            "status in ('open','accepted','dismissed')", name=op.f("ck_maintenance_recommendations_status")
        ),
        _fk(t, "machine_id", "assets", "CASCADE"),
        _fk(t, "model_id", "ml_models", "SET NULL"),
        _fk(t, "decided_by", "users", "SET NULL"),
    )
    op.create_index(
        "uq_maintenance_recommendations_one_open",
        t,
        ["tenant_id", "machine_id", "reason"],
        unique=True,
        postgresql_where=sa.text("status = 'open'"),
    )
    op.create_index("ix_maintenance_recommendations_tenant_id_created_at", t, ["tenant_id", "created_at"], unique=False)

    t = "work_orders"
    op.create_table(
        t,
        *_id_tenant(t),
        sa.Column("number", sa.BigInteger(), nullable=False),
        sa.Column("machine_id", sa.UUID(), nullable=False),
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("description", sa.Text(), server_default="", nullable=False),
        sa.Column("kind", sa.Text(), server_default="predictive", nullable=False),
        sa.Column("priority", sa.Text(), server_default="medium", nullable=False),
        sa.Column("status", sa.Text(), server_default="open", nullable=False),
        sa.Column("due_date", sa.Date(), nullable=True),
        sa.Column("assigned_to", sa.UUID(), nullable=True),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.Column("recommendation_id", sa.UUID(), nullable=True),
        sa.Column("failed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_by", sa.UUID(), nullable=True),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("completed_at", sa.DateTime(timezone=True), nullable=True),
        *_timestamps(),
        sa.CheckConstraint("status in ('open','in_progress','done','cancelled')", name=op.f("ck_work_orders_status")),
        sa.CheckConstraint("priority in ('low','medium','high','urgent')", name=op.f("ck_work_orders_priority")),
        sa.CheckConstraint(
            "kind in ('predictive','preventive','corrective','inspection')", name=op.f("ck_work_orders_kind")
        ),
        _fk(t, "machine_id", "assets", "CASCADE"),
        _fk(t, "assigned_to", "users", "SET NULL"),
        _fk(t, "created_by", "users", "SET NULL"),
        _fk(t, "recommendation_id", "maintenance_recommendations", "SET NULL"),
        sa.UniqueConstraint("tenant_id", "number", name=op.f("uq_work_orders_tenant_id_number")),
    )
    op.create_index(
        "uq_work_orders_one_active",
        t,
        ["tenant_id", "machine_id", "reason"],
        unique=True,
        postgresql_where=sa.text("status in ('open','in_progress') and reason is not null"),
    )
    op.create_index("ix_work_orders_tenant_id_machine_id", t, ["tenant_id", "machine_id"], unique=False)

    for table in TABLES:
        for stmt in enable_rls(table):
            op.execute(stmt)
        op.execute(grant_app(table))
    op.execute("create policy maintenance_scan on ml_models for select to current_user using (true)")
    op.execute(TENANTS_FUNCTION)
    op.execute(f"revoke all on function {TENANTS_SIGNATURE} from public")
    op.execute(f"grant execute on function {TENANTS_SIGNATURE} to {APP_ROLE}")


def downgrade() -> None:
    op.execute(f"drop function if exists {TENANTS_SIGNATURE}")
    for table in reversed(TABLES):
        op.drop_table(table)
