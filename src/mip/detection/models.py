"""Detection tables: rules (current version + full history) and per-machine engine state snapshots."""

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import JSONB, UUID

from mip.platform.schema import metadata, tenant_column, timestamps

detection_rules = sa.Table(
    "detection_rules",
    metadata,
    sa.Column("id", UUID(as_uuid=True), primary_key=True),
    tenant_column(),
    sa.Column("version", sa.Integer, nullable=False),
    sa.Column("name", sa.Text, nullable=False),
    sa.Column("enabled", sa.Boolean, nullable=False, server_default=sa.true()),
    sa.Column("spec", JSONB, nullable=False),
    sa.Column("deleted", sa.Boolean, nullable=False, server_default=sa.false()),
    sa.Column("created_by", UUID(as_uuid=True)),
    sa.Column("updated_by", UUID(as_uuid=True)),
    *timestamps(),
    sa.Index("ix_detection_rules_tenant_id_name", "tenant_id", "name"),
)

detection_rule_versions = sa.Table(
    "detection_rule_versions",
    metadata,
    tenant_column(),
    sa.Column("rule_id", UUID(as_uuid=True), sa.ForeignKey("detection_rules.id", ondelete="CASCADE"), nullable=False),
    sa.Column("version", sa.Integer, nullable=False),
    sa.Column("change", sa.Text, nullable=False),
    sa.Column("spec", JSONB, nullable=False),
    sa.Column("changed_by", UUID(as_uuid=True)),
    sa.Column("changed_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()),
    sa.PrimaryKeyConstraint("rule_id", "version", name="pk_detection_rule_versions"),
    sa.CheckConstraint("change in ('created','updated','deleted')", name="change"),
)

detection_state = sa.Table(
    "detection_state",
    metadata,
    tenant_column(),
    sa.Column("machine_id", UUID(as_uuid=True), sa.ForeignKey("assets.id", ondelete="CASCADE"), nullable=False),
    sa.Column("rules_key", sa.Text, nullable=False),
    sa.Column("state", JSONB, nullable=False),
    sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()),
    # the engine of the storage path (standard rules) or of the alarm path (safety rules)
    sa.Column("stage", sa.Text, nullable=False, server_default="stream"),
    sa.PrimaryKeyConstraint("tenant_id", "machine_id", "stage", name="pk_detection_state"),
)
