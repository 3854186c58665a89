"""Notifications: subscriptions, quiet hours, webhook endpoints, the delivery outbox and dead letters.

* Four tenant tables, each with RLS ENABLE + FORCE and the ``tenant_isolation`` policy, DML granted to mip_app.
* ``mip_notify_due_tenants()``: the dispatcher must find which tenants have due deliveries before it knows a
  tenant. This SECURITY DEFINER function (owned by the migration role, EXECUTE for mip_app only) returns
  ``(tenant_id, due)`` counts and never a row. The owner is subject to FORCE RLS like everyone, so a
  ``notify_dispatch`` policy ``FOR SELECT TO <owner>`` lets the function count every tenant's pending rows;
  that grants nothing new (the owner owns the table and could switch FORCE off), and mip_app gains nothing.

Revision ID: 0006
Revises: 0005
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql
from sqlalchemy.schema import SchemaItem

from mip.platform.rls import APP_ROLE, enable_rls, grant_app

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TABLES = ["notification_subscriptions", "notification_quiet_hours", "webhook_endpoints", "notification_deliveries"]
SEVERITY_CHECK = "min_severity in ('critical','major','minor','warning')"

DUE_FUNCTION = """
create function mip_notify_due_tenants()
returns table(tenant_id uuid, due bigint)
language sql stable security definer set search_path = public, pg_temp as $$
  select d.tenant_id, count(*) from notification_deliveries d
  where d.status = 'pending' and d.next_attempt_at <= now()
  group by d.tenant_id
$$"""
DUE_SIGNATURE = "mip_notify_due_tenants()"


def _common(table: str) -> list[SchemaItem]:
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


def _filters(table: str) -> list[SchemaItem]:
    return [
        sa.Column("site_ids", postgresql.ARRAY(sa.UUID()), server_default=sa.text("'{}'::uuid[]"), nullable=False),
        sa.Column("line_ids", postgresql.ARRAY(sa.UUID()), server_default=sa.text("'{}'::uuid[]"), nullable=False),
        sa.Column("min_severity", sa.Text(), server_default="warning", nullable=False),
        sa.Column("safety_only", sa.Boolean(), server_default=sa.text("false"), nullable=False),
        sa.Column(
            "event_kinds",
            postgresql.ARRAY(sa.Text()),
            server_default=sa.text("'{opened,escalated,cleared}'::text[]"),
            nullable=False,
        ),
        sa.Column("enabled", sa.Boolean(), server_default=sa.text("true"), nullable=False),
        sa.CheckConstraint(SEVERITY_CHECK, name=op.f(f"ck_{table}_min_severity")),
    ]


def _user_fk(table: str, column: str, ondelete: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint([column], ["users.id"], name=op.f(f"fk_{table}_{column}_users"), ondelete=ondelete)


def upgrade() -> None:
    t = "notification_subscriptions"
    op.create_table(
        t,
        *_common(t),
        sa.Column("user_id", sa.UUID(), nullable=False),
        sa.Column("name", sa.Text(), server_default="", nullable=False),
        *_filters(t),
        sa.Column("channels", postgresql.ARRAY(sa.Text()), server_default=sa.text("'{email}'::text[]"), nullable=False),
        *_timestamps(),
        _user_fk(t, "user_id", "CASCADE"),
    )
    op.create_index("ix_notification_subscriptions_tenant_id_user_id", t, ["tenant_id", "user_id"], unique=False)

    t = "notification_quiet_hours"
    op.create_table(
        t,
        *_common(t),
        sa.Column("user_id", sa.UUID(), nullable=False),
        sa.Column("start_time", sa.Time(), nullable=False),
        sa.Column("end_time", sa.Time(), nullable=False),
        sa.Column("timezone", sa.Text(), nullable=False),
        sa.Column(
            "days",
            postgresql.ARRAY(sa.SmallInteger()),
            server_default=sa.text("'{1,2,3,4,5,6,7}'::smallint[]"),
            nullable=False,
        ),
        sa.Column("enabled", sa.Boolean(), server_default=sa.text("true"), nullable=False),
        *_timestamps(),
        _user_fk(t, "user_id", "CASCADE"),
        sa.UniqueConstraint("user_id", name=op.f("uq_notification_quiet_hours_user_id")),
    )

    t = "webhook_endpoints"
    op.create_table(
        t,
        *_common(t),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("url", sa.Text(), nullable=False),
        sa.Column("secret", sa.Text(), nullable=False),
        *_filters(t),
        sa.Column("created_by", sa.UUID(), nullable=True),
        *_timestamps(),
        _user_fk(t, "created_by", "SET NULL"),
    )
    op.create_index("ix_webhook_endpoints_tenant_id", t, ["tenant_id"], unique=False)

    t = "notification_deliveries"
    op.create_table(
        t,
        *_common(t),
        sa.Column("event_key", sa.Text(), nullable=False),
        sa.Column("event_type", sa.Text(), nullable=False),
        sa.Column("alert_id", sa.UUID(), nullable=True),
        sa.Column("channel", sa.Text(), nullable=False),
        sa.Column("endpoint_id", sa.UUID(), nullable=True),
        sa.Column("user_id", sa.UUID(), nullable=True),
        sa.Column("subscription_id", sa.UUID(), nullable=True),
        sa.Column("target_key", sa.Text(), nullable=False),
        sa.Column("target", sa.Text(), nullable=False),
        sa.Column("payload", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column("status", sa.Text(), server_default="pending", nullable=False),
        sa.Column("attempts", sa.Integer(), server_default="0", nullable=False),
        sa.Column("next_attempt_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.Column("last_status_code", sa.Integer(), nullable=True),
        sa.Column("delivered_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("dead_at", sa.DateTime(timezone=True), nullable=True),
        *_timestamps(),
        sa.CheckConstraint("channel in ('email','webhook')", name=op.f("ck_notification_deliveries_channel")),
        sa.CheckConstraint(
            "status in ('pending','delivered','dead','suppressed','cancelled')",
            name=op.f("ck_notification_deliveries_status"),
        ),
        sa.ForeignKeyConstraint(
            ["endpoint_id"],
            ["webhook_endpoints.id"],
            name=op.f("fk_notification_deliveries_endpoint_id_webhook_endpoints"),
            ondelete="SET NULL",
        ),
        _user_fk(t, "user_id", "SET NULL"),
        sa.UniqueConstraint(
            "tenant_id",
            "event_key",
            "target_key",
            name=op.f("uq_notification_deliveries_tenant_id_event_key_target_key"),
        ),
    )
    op.create_index(
        "ix_notification_deliveries_due",
        t,
        ["tenant_id", "next_attempt_at"],
        unique=False,
        postgresql_where=sa.text("status = 'pending'"),
    )
    op.create_index(
        "ix_notification_deliveries_tenant_id_status_created_at",
        t,
        ["tenant_id", "status", "created_at"],
        unique=False,
    )

    for table in TABLES:
        for stmt in enable_rls(table):
            op.execute(stmt)
        op.execute(grant_app(table))
    op.execute("create policy notify_dispatch on notification_deliveries for select to current_user using (true)")
    op.execute(DUE_FUNCTION)
    op.execute(f"revoke all on function {DUE_SIGNATURE} from public")
    op.execute(f"grant execute on function {DUE_SIGNATURE} to {APP_ROLE}")


def downgrade() -> None:
    op.execute(f"drop function if exists {DUE_SIGNATURE}")
    for table in reversed(TABLES):
        op.drop_table(table)
