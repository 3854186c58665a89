"""Notification tables: per-user subscriptions and quiet hours, tenant webhook endpoints, the delivery outbox.

Every table is a tenant table (RLS ENABLE + FORCE, migration 0006). ``notification_deliveries`` is the durable
outbox: one row per (event, target), unique on ``(tenant_id, event_key, target_key)`` so a redelivered bus
event never notifies twice; dead letters are rows with ``status = 'dead'``.
"""

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import ARRAY, JSONB, UUID

from mip.platform.schema import id_column, metadata, tenant_column, timestamps

SEVERITY_CHECK = "min_severity in ('critical','major','minor','warning')"
DEFAULT_KINDS = "'{opened,escalated,cleared}'::text[]"
ALL_DAYS = "'{1,2,3,4,5,6,7}'::smallint[]"


def _filter_columns() -> list[sa.Column[object]]:
    """Which alarms a subscription or endpoint wants. Empty id arrays mean every site / line."""
    return [
        sa.Column("site_ids", ARRAY(UUID(as_uuid=True)), nullable=False, server_default=sa.text("'{}'::uuid[]")),
        sa.Column("line_ids", ARRAY(UUID(as_uuid=True)), nullable=False, server_default=sa.text("'{}'::uuid[]")),
        sa.Column("min_severity", sa.Text, nullable=False, server_default="warning"),
        sa.Column("safety_only", sa.Boolean, nullable=False, server_default=sa.false()),
        sa.Column("event_kinds", ARRAY(sa.Text), nullable=False, server_default=sa.text(DEFAULT_KINDS)),
        sa.Column("enabled", sa.Boolean, nullable=False, server_default=sa.true()),
    ]


notification_subscriptions = sa.Table(
    "notification_subscriptions",
    metadata,
    id_column(),
    tenant_column(),
    sa.Column("user_id", UUID(as_uuid=True), sa.ForeignKey("users.id", ondelete="CASCADE"), nullable=False),
    sa.Column("name", sa.Text, nullable=False, server_default=""),
    *_filter_columns(),
    sa.Column("channels", ARRAY(sa.Text), nullable=False, server_default=sa.text("'{email}'::text[]")),
    *timestamps(),
    sa.CheckConstraint(SEVERITY_CHECK, name="min_severity"),
    sa.Index("ix_notification_subscriptions_tenant_id_user_id", "tenant_id", "user_id"),
)

notification_quiet_hours = sa.Table(
    "notification_quiet_hours",
    metadata,
    id_column(),
    tenant_column(),
    sa.Column(
        "user_id", UUID(as_uuid=True), sa.ForeignKey("users.id", ondelete="CASCADE"), nullable=False, unique=True
    ),
    sa.Column("start_time", sa.Time, nullable=False),
    sa.Column("end_time", sa.Time, nullable=False),
    sa.Column("timezone", sa.Text, nullable=False),
    sa.Column("days", ARRAY(sa.SmallInteger), nullable=False, server_default=sa.text(ALL_DAYS)),
    sa.Column("enabled", sa.Boolean, nullable=False, server_default=sa.true()),
    *timestamps(),
)

webhook_endpoints = sa.Table(
    "webhook_endpoints",
    metadata,
    id_column(),
    tenant_column(),
    sa.Column("name", sa.Text, nullable=False),
    sa.Column("url", sa.Text, nullable=False),
    sa.Column("secret", sa.Text, nullable=False),
    *_filter_columns(),
    sa.Column("created_by", UUID(as_uuid=True), sa.ForeignKey("users.id", ondelete="SET NULL")),
    *timestamps(),
    sa.CheckConstraint(SEVERITY_CHECK, name="min_severity"),
    sa.Index("ix_webhook_endpoints_tenant_id", "tenant_id"),
)

notification_deliveries = sa.Table(
    "notification_deliveries",
    metadata,
    id_column(),
    tenant_column(),
    sa.Column("event_key", sa.Text, nullable=False),
    sa.Column("event_type", sa.Text, nullable=False),
    sa.Column("alert_id", UUID(as_uuid=True)),
    sa.Column("channel", sa.Text, nullable=False),
    sa.Column(
        "endpoint_id", UUID(as_uuid=True), sa.ForeignKey("webhook_endpoints.id", ondelete="SET NULL"), nullable=True
    ),
    sa.Column("user_id", UUID(as_uuid=True), sa.ForeignKey("users.id", ondelete="SET NULL"), nullable=True),
    sa.Column("subscription_id", UUID(as_uuid=True), nullable=True),
    sa.Column("target_key", sa.Text, nullable=False),
    sa.Column("target", sa.Text, nullable=False),
    sa.Column("payload", JSONB, nullable=False),
    sa.Column("status", sa.Text, nullable=False, server_default="pending"),
    sa.Column("attempts", sa.Integer, nullable=False, server_default="0"),
    sa.Column("next_attempt_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()),
    sa.Column("last_error", sa.Text),
    sa.Column("last_status_code", sa.Integer),
    sa.Column("delivered_at", sa.DateTime(timezone=True)),
    sa.Column("dead_at", sa.DateTime(timezone=True)),
    *timestamps(),
    sa.CheckConstraint("channel in ('email','webhook')", name="channel"),
    sa.CheckConstraint("status in ('pending','delivered','dead','suppressed','cancelled')", name="status"),
    sa.UniqueConstraint("tenant_id", "event_key", "target_key"),
    sa.Index(
        "ix_notification_deliveries_due",
        "tenant_id",
        "next_attempt_at",
        postgresql_where=sa.text("status = 'pending'"),
    ),
    sa.Index("ix_notification_deliveries_tenant_id_status_created_at", "tenant_id", "status", "created_at"),
)
