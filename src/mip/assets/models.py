"""ISA-95 asset hierarchy: site -> area -> line -> machine, and the sensors on machines."""

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import JSONB, UUID

from mip.platform.schema import id_column, metadata, tenant_column, timestamps

assets = sa.Table(
    "assets",
    metadata,
    id_column(),
    tenant_column(),
    sa.Column("kind", sa.Text, nullable=False),
    sa.Column("parent_id", UUID(as_uuid=True), sa.ForeignKey("assets.id", ondelete="RESTRICT")),
    sa.Column("name", sa.Text, nullable=False),
    sa.Column("path", sa.Text, nullable=False),
    sa.Column("description", sa.Text, nullable=False, server_default=""),
    sa.Column("timezone", sa.Text),
    sa.Column("attributes", JSONB, nullable=False, server_default=sa.text("'{}'::jsonb")),
    *timestamps(),
    sa.CheckConstraint("kind in ('site','area','line','machine')", name="kind"),
    sa.UniqueConstraint("tenant_id", "path"),
    sa.Index("ix_assets_tenant_id_parent_id", "tenant_id", "parent_id"),
)

sensors = sa.Table(
    "sensors",
    metadata,
    id_column(),
    tenant_column(),
    sa.Column("machine_id", UUID(as_uuid=True), sa.ForeignKey("assets.id", ondelete="RESTRICT"), nullable=False),
    sa.Column("name", sa.Text, nullable=False),
    sa.Column("path", sa.Text, nullable=False),
    sa.Column("kind", sa.Text, nullable=False, server_default="other"),
    sa.Column("unit", sa.Text, nullable=False, server_default=""),
    sa.Column("sample_rate_hz", sa.Float, nullable=False, server_default="1"),
    sa.Column("low_limit", sa.Float),
    sa.Column("high_limit", sa.Float),
    sa.Column("safety", sa.Boolean, nullable=False, server_default=sa.false()),
    *timestamps(),
    sa.UniqueConstraint("tenant_id", "path"),
    sa.Index("ix_sensors_tenant_id_machine_id", "tenant_id", "machine_id"),
)
