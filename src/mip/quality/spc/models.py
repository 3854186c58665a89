"""SPC tables: chart definitions (with the frozen Phase I limits and, for sensor-fed charts, the reading
watermark), their subgroups in order, and the out-of-control signals (each linked to the alarm it raised)."""

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import ARRAY, JSONB, UUID

from mip.platform.schema import id_column, metadata, tenant_column, timestamps

spc_charts = sa.Table(
    "spc_charts",
    metadata,
    id_column(),
    tenant_column(),
    sa.Column("name", sa.Text, nullable=False),
    sa.Column("description", sa.Text, nullable=False, server_default=""),
    sa.Column("chart_type", sa.Text, nullable=False),
    sa.Column("settings", JSONB, nullable=False),  # ChartSettings: sigmas, rules, estimators, specs
    sa.Column("source", sa.Text, nullable=False),
    sa.Column("sensor_id", UUID(as_uuid=True), sa.ForeignKey("sensors.id", ondelete="CASCADE")),
    sa.Column("machine_id", UUID(as_uuid=True), sa.ForeignKey("assets.id", ondelete="CASCADE"), nullable=False),
    sa.Column("subgroup_size", sa.Integer, nullable=False, server_default="1"),
    sa.Column("window_s", sa.Float),  # sensor charts: one subgroup per time window instead of n readings
    sa.Column("severity", sa.Text, nullable=False, server_default="minor"),
    sa.Column("limits", JSONB),  # frozen Phase I parameters and summary; null while in Phase I
    sa.Column("limits_version", sa.Integer, nullable=False, server_default="0"),
    sa.Column("frozen_by", UUID(as_uuid=True), sa.ForeignKey("users.id", ondelete="SET NULL")),
    sa.Column("frozen_at", sa.DateTime(timezone=True)),
    sa.Column("watermark_ts", sa.BigInteger),  # sensor charts: readings up to here are in subgroups
    sa.Column("created_by", UUID(as_uuid=True), sa.ForeignKey("users.id", ondelete="SET NULL")),
    *timestamps(),
    sa.CheckConstraint("source in ('manual','sensor')", name="source"),
    sa.CheckConstraint("(source = 'sensor') = (sensor_id is not null)", name="sensor_source"),
    sa.CheckConstraint("severity in ('critical','major','minor','warning')", name="severity"),
    sa.UniqueConstraint("tenant_id", "name"),
)

spc_subgroups = sa.Table(
    "spc_subgroups",
    metadata,
    id_column(),
    tenant_column(),
    sa.Column("chart_id", UUID(as_uuid=True), sa.ForeignKey("spc_charts.id", ondelete="CASCADE"), nullable=False),
    sa.Column("seq", sa.Integer, nullable=False),
    sa.Column("ts", sa.BigInteger, nullable=False),
    sa.Column("values", ARRAY(sa.Float)),  # variables charts
    sa.Column("count", sa.Float),  # attribute charts
    sa.Column("size", sa.Float, nullable=False),
    sa.Column("phase", sa.SmallInteger, nullable=False),
    sa.Column("excluded", sa.Boolean, nullable=False, server_default=sa.false()),
    sa.Column("note", sa.Text, nullable=False, server_default=""),
    sa.Column("created_by", UUID(as_uuid=True), sa.ForeignKey("users.id", ondelete="SET NULL")),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()),
    sa.CheckConstraint("phase in (1, 2)", name="phase"),
    sa.UniqueConstraint("chart_id", "seq"),
)

spc_signals = sa.Table(
    "spc_signals",
    metadata,
    id_column(),
    tenant_column(),
    sa.Column("chart_id", UUID(as_uuid=True), sa.ForeignKey("spc_charts.id", ondelete="CASCADE"), nullable=False),
    sa.Column("subgroup_id", UUID(as_uuid=True), sa.ForeignKey("spc_subgroups.id", ondelete="CASCADE"), nullable=False),
    sa.Column("rule", sa.Text, nullable=False),
    sa.Column("description", sa.Text, nullable=False),
    sa.Column("value", sa.Float),
    sa.Column("alert_id", UUID(as_uuid=True), sa.ForeignKey("alerts.id", ondelete="SET NULL")),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()),
    sa.UniqueConstraint("subgroup_id", "rule"),
    sa.Index("ix_spc_signals_chart_id_created_at", "chart_id", "created_at"),
)
