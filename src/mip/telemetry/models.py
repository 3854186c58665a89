"""Readings: the hourly-partitioned hot table, compressed chunks, 1 min / 1 h rollups; processed bus batches.

The time-series tables are RANGE-partitioned (``postgresql_partition_by``); their partitions are created
by ``mip_ensure_partitions`` (migration 0003) and are not part of this metadata.
"""

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import UUID

from mip.platform.schema import metadata, tenant_column

# No foreign keys on the time-series tables: a per-row FK check would cost ingest throughput.
readings = sa.Table(
    "readings",
    metadata,
    sa.Column("tenant_id", UUID(as_uuid=True), nullable=False),
    sa.Column("sensor_id", UUID(as_uuid=True), nullable=False),
    sa.Column("ts", sa.BigInteger, nullable=False),
    sa.Column("value", sa.Float, nullable=False),
    sa.Column("quality", sa.SmallInteger, nullable=False, server_default="0"),
    sa.PrimaryKeyConstraint("tenant_id", "sensor_id", "ts"),
    postgresql_partition_by="RANGE (ts)",
)


def _rollup(name: str) -> sa.Table:
    return sa.Table(
        name,
        metadata,
        sa.Column("tenant_id", UUID(as_uuid=True), nullable=False),
        sa.Column("sensor_id", UUID(as_uuid=True), nullable=False),
        sa.Column("bucket", sa.BigInteger, nullable=False),
        sa.Column("min", sa.Float, nullable=False),
        sa.Column("max", sa.Float, nullable=False),
        sa.Column("sum", sa.Float, nullable=False),
        sa.Column("count", sa.BigInteger, nullable=False),
        sa.Column("last_ts", sa.BigInteger, nullable=False),
        sa.Column("last_value", sa.Float, nullable=False),
        sa.PrimaryKeyConstraint("tenant_id", "sensor_id", "bucket"),
        postgresql_partition_by="RANGE (bucket)",
    )


rollup_1m = _rollup("rollup_1m")  # hourly partitions, dropped with the hour's hot partition
rollup_1h = _rollup("rollup_1h")  # weekly partitions, kept for rollup_retention_days

# One sensor's readings of one hour (start_ts = the hour), encoded by mip.telemetry.codec.
reading_chunks = sa.Table(
    "reading_chunks",
    metadata,
    sa.Column("tenant_id", UUID(as_uuid=True), nullable=False),
    sa.Column("sensor_id", UUID(as_uuid=True), nullable=False),
    sa.Column("start_ts", sa.BigInteger, nullable=False),
    sa.Column("first_ts", sa.BigInteger, nullable=False),
    sa.Column("last_ts", sa.BigInteger, nullable=False),
    sa.Column("n", sa.Integer, nullable=False),
    sa.Column("ts_codec", sa.SmallInteger, nullable=False),
    sa.Column("val_codec", sa.SmallInteger, nullable=False),
    sa.Column("val_scale", sa.SmallInteger, nullable=False),
    sa.Column("ts_data", sa.LargeBinary, nullable=False),
    sa.Column("val_data", sa.LargeBinary, nullable=False),
    sa.Column("q_data", sa.LargeBinary, nullable=True),
    sa.Column("min", sa.Float, nullable=False),
    sa.Column("max", sa.Float, nullable=False),
    sa.Column("sum", sa.Float, nullable=False),
    sa.Column("first_value", sa.Float, nullable=False),
    sa.Column("last_value", sa.Float, nullable=False),
    sa.Column("last_quality", sa.SmallInteger, nullable=False),
    sa.PrimaryKeyConstraint("tenant_id", "sensor_id", "start_ts"),
    sa.Index("ix_reading_chunks_start_ts", "start_ts"),
    postgresql_partition_by="RANGE (start_ts)",
)

processed_batches = sa.Table(
    "processed_batches",
    metadata,
    tenant_column(),
    sa.Column("batch_id", UUID(as_uuid=True), nullable=False),
    sa.Column("processed_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()),
    # which path of the stream stage processed it (streaming/dedup.py): each consumes every batch once
    sa.Column("stage", sa.Text, nullable=False, server_default="stream"),
    sa.PrimaryKeyConstraint("tenant_id", "batch_id", "stage"),
)
