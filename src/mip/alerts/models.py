"""Alerts: one open alert per sensor and rule; later breaches update it."""

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import JSONB, UUID

from mip.platform.schema import id_column, metadata, tenant_column, timestamps

alerts = sa.Table(
    "alerts",
    metadata,
    id_column(),
    tenant_column(),
    sa.Column("sensor_id", UUID(as_uuid=True), sa.ForeignKey("sensors.id", ondelete="CASCADE")),
    sa.Column("machine_id", UUID(as_uuid=True), nullable=False),
    # the sensor, or the machine for machine-level rules: one active alarm per originator and rule
    sa.Column("originator_id", UUID(as_uuid=True), nullable=False),
    sa.Column("rule", sa.Text, nullable=False),
    sa.Column("rule_id", UUID(as_uuid=True)),
    sa.Column("rule_version", sa.Integer),
    sa.Column("severity", sa.Text, nullable=False),
    sa.Column("safety", sa.Boolean, nullable=False, server_default=sa.false()),
    sa.Column("state", sa.Text, nullable=False, server_default="open"),
    sa.Column("message", sa.Text, nullable=False),
    sa.Column("threshold", sa.Float, nullable=False),
    sa.Column("first_ts", sa.BigInteger, nullable=False),
    sa.Column("last_ts", sa.BigInteger, nullable=False),
    sa.Column("last_value", sa.Float, nullable=False),
    sa.Column("peak_value", sa.Float, nullable=False),
    sa.Column("count", sa.Integer, nullable=False, server_default="1"),
    sa.Column("acknowledged_by", UUID(as_uuid=True)),
    sa.Column("acknowledged_at", sa.DateTime(timezone=True)),
    sa.Column("resolved_by", UUID(as_uuid=True)),
    sa.Column("resolved_at", sa.DateTime(timezone=True)),
    sa.Column("assigned_to", UUID(as_uuid=True), sa.ForeignKey("users.id", ondelete="SET NULL")),
    sa.Column("assigned_at", sa.DateTime(timezone=True)),
    sa.Column("cleared_at", sa.DateTime(timezone=True)),
    sa.Column("cleared_ts", sa.BigInteger),
    sa.Column("escalation_level", sa.Integer, nullable=False, server_default="0"),
    sa.Column("escalated_at", sa.DateTime(timezone=True)),
    sa.Column("escalate_after_s", sa.Float),
    sa.Column("suppressed", sa.Integer, nullable=False, server_default="0"),
    sa.Column("peak_score", sa.Float),  # how extreme peak_value is for its rule (higher = worse)
    *timestamps(),
    sa.CheckConstraint("state in ('open','acknowledged','resolved')", name="state"),
    sa.Index(
        "uq_alerts_one_active",
        "tenant_id",
        "originator_id",
        "rule",
        unique=True,
        postgresql_where=sa.text("state <> 'resolved' and cleared_at is null"),
    ),
    sa.Index(
        "ix_alerts_escalation_due",
        "tenant_id",
        "created_at",
        postgresql_where=sa.text("state = 'open' and escalate_after_s is not null"),
    ),
    sa.Index("ix_alerts_tenant_id_created_at", "tenant_id", "created_at"),
    sa.Index("ix_alerts_rule_id_created_at", "rule_id", "created_at"),  # flood control's hourly count
)

alert_comments = sa.Table(
    "alert_comments",
    metadata,
    id_column(),
    tenant_column(),
    sa.Column("alert_id", UUID(as_uuid=True), sa.ForeignKey("alerts.id", ondelete="CASCADE"), nullable=False),
    sa.Column("author_id", UUID(as_uuid=True), sa.ForeignKey("users.id", ondelete="SET NULL")),
    sa.Column("body", sa.Text, nullable=False),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()),
    sa.Index("ix_alert_comments_alert_id", "alert_id", "created_at"),
)

alarm_events = sa.Table(
    "alarm_events",
    metadata,
    id_column(),
    tenant_column(),
    sa.Column("alert_id", UUID(as_uuid=True), sa.ForeignKey("alerts.id", ondelete="CASCADE"), nullable=False),
    sa.Column("kind", sa.Text, nullable=False),
    sa.Column("actor_id", UUID(as_uuid=True)),
    sa.Column("at", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()),
    sa.Column("details", JSONB, nullable=False, server_default=sa.text("'{}'::jsonb")),
    sa.Index("ix_alarm_events_alert_id", "alert_id", "at"),
)
