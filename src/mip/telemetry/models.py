"""Raw readings (epoch-ns timestamps) and the record of processed bus batches."""

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import UUID

from mip.platform.schema import metadata, tenant_column

# No foreign keys on the hot table: a per-row FK check would cost ingest throughput.
readings = sa.Table(
    "readings",
    metadata,
    sa.Column("tenant_id", UUID(as_uuid=True), nullable=False),
    sa.Column("sensor_id", UUID(as_uuid=True), nullable=False),
    sa.Column("ts", sa.BigInteger, nullable=False),
    sa.Column("value", sa.Float, nullable=False),
    sa.Column("quality", sa.SmallInteger, nullable=False, server_default="0"),
    sa.PrimaryKeyConstraint("tenant_id", "sensor_id", "ts"),
)

processed_batches = sa.Table(
    "processed_batches",
    metadata,
    tenant_column(),
    sa.Column("batch_id", UUID(as_uuid=True), nullable=False),
    sa.Column("processed_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()),
    sa.PrimaryKeyConstraint("tenant_id", "batch_id"),
)
