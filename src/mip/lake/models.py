"""Lake tables: retention policies per tenant and data class, the status mirror of the lake, shred audit.

The manifests in the lake are the truth about what is committed; ``lake_state`` mirrors them after each
ETL round for status, freshness metrics and retention checks (a stale mirror is refreshed next round).
"""

import sqlalchemy as sa

from mip.platform.schema import metadata, tenant_column

lake_retention = sa.Table(
    "lake_retention",
    metadata,
    tenant_column(),
    sa.Column("data_class", sa.Text, nullable=False),  # raw | rollup | events
    sa.Column("lake_days", sa.Integer, nullable=True),  # null: the settings default; 0: keep forever
    sa.Column("pg_days", sa.Integer, nullable=True),  # wanted PostgreSQL retention (reported; see ARCHITECTURE)
    sa.Column("updated_by", sa.UUID(as_uuid=True), nullable=True),
    sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()),
    sa.PrimaryKeyConstraint("tenant_id", "data_class"),
    sa.CheckConstraint("data_class in ('raw','rollup','events')", name="data_class"),
    sa.CheckConstraint("lake_days is null or lake_days >= 0", name="lake_days"),
    sa.CheckConstraint("pg_days is null or pg_days >= 0", name="pg_days"),
)

lake_state = sa.Table(
    "lake_state",
    metadata,
    tenant_column(),
    sa.Column("dataset", sa.Text, nullable=False),
    sa.Column("newest_ts", sa.BigInteger, nullable=True),  # newest committed record (epoch ns)
    sa.Column("exported_through", sa.BigInteger, nullable=True),  # every closed hour before this is exported
    sa.Column("oldest_day", sa.Date, nullable=True),
    sa.Column("rows", sa.BigInteger, nullable=False, server_default="0"),
    sa.Column("files", sa.Integer, nullable=False, server_default="0"),
    sa.Column("bytes", sa.BigInteger, nullable=False, server_default="0"),
    sa.Column("last_commit_at", sa.DateTime(timezone=True), nullable=True),
    sa.Column("last_run_at", sa.DateTime(timezone=True), nullable=True),
    sa.Column("last_error", sa.Text, nullable=True),
    sa.PrimaryKeyConstraint("tenant_id", "dataset"),
)

lake_shreds = sa.Table(
    "lake_shreds",
    metadata,
    tenant_column(),
    sa.Column("shredded_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()),
    sa.Column("shredded_by", sa.UUID(as_uuid=True), nullable=True),
    sa.Column("had_key", sa.Boolean, nullable=False),
    sa.PrimaryKeyConstraint("tenant_id"),
)
