"""OEE tables: configuration (reason codes, shifts, planned stops, per-asset signal and rate config), operator
input (state overrides and downtime classifications, counts) and what the rollup job materialises (the
effective state timeline and per machine x hour x shift OEE components). Times are int64 epoch ns."""

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import ARRAY, UUID

from mip.platform.schema import id_column, metadata, tenant_column, timestamps

STATES = ("running", "idle", "down", "planned_stop")
_STATE_CHECK = "state in ('running','idle','down','planned_stop')"


def _machine() -> sa.Column[object]:
    return sa.Column("machine_id", UUID(as_uuid=True), sa.ForeignKey("assets.id", ondelete="CASCADE"), nullable=False)


def _reason_fk() -> sa.ForeignKeyConstraint:
    """A reason code of the same tenant (deleting a code still in use is refused)."""
    return sa.ForeignKeyConstraint(
        ["tenant_id", "reason_code"], ["oee_reason_codes.tenant_id", "oee_reason_codes.code"]
    )


def _created_by() -> sa.Column[object]:
    return sa.Column("created_by", UUID(as_uuid=True), sa.ForeignKey("users.id", ondelete="SET NULL"))


oee_reason_codes = sa.Table(
    "oee_reason_codes",
    metadata,
    id_column(),
    tenant_column(),
    sa.Column("code", sa.Text, nullable=False),
    sa.Column("name", sa.Text, nullable=False),
    sa.Column("category", sa.Text, nullable=False),
    sa.Column("description", sa.Text, nullable=False, server_default=""),
    *timestamps(),
    sa.CheckConstraint("category in ('planned','unplanned')", name="category"),
    sa.UniqueConstraint("tenant_id", "code"),
)

oee_shifts = sa.Table(
    "oee_shifts",
    metadata,
    id_column(),
    tenant_column(),
    sa.Column("site_id", UUID(as_uuid=True), sa.ForeignKey("assets.id", ondelete="CASCADE"), nullable=False),
    sa.Column("name", sa.Text, nullable=False),
    sa.Column("start_time", sa.Time, nullable=False),
    sa.Column("end_time", sa.Time, nullable=False),
    sa.Column("days", ARRAY(sa.SmallInteger), nullable=False),
    *timestamps(),
    sa.UniqueConstraint("tenant_id", "site_id", "name"),
)

# Either recurring (local start/end time on ISO weekdays of the start) or one window (start_ns, end_ns).
oee_planned_stops = sa.Table(
    "oee_planned_stops",
    metadata,
    id_column(),
    tenant_column(),
    sa.Column("asset_id", UUID(as_uuid=True), sa.ForeignKey("assets.id", ondelete="CASCADE"), nullable=False),
    sa.Column("name", sa.Text, nullable=False),
    sa.Column("reason_code", sa.Text),
    sa.Column("start_time", sa.Time),
    sa.Column("end_time", sa.Time),
    sa.Column("days", ARRAY(sa.SmallInteger)),
    sa.Column("start_ns", sa.BigInteger),
    sa.Column("end_ns", sa.BigInteger),
    *timestamps(),
    _reason_fk(),
    sa.CheckConstraint(
        "(start_time is not null and end_time is not null and days is not null and start_ns is null "
        "and end_ns is null) or (start_time is null and end_time is null and days is null "
        "and start_ns is not null and end_ns > start_ns)",
        name="window",
    ),
    sa.Index("ix_oee_planned_stops_tenant_id_asset_id", "tenant_id", "asset_id"),
)

# Per asset (machine, line, area or site); a machine inherits every unset field from its nearest ancestor.
oee_configs = sa.Table(
    "oee_configs",
    metadata,
    id_column(),
    tenant_column(),
    sa.Column("asset_id", UUID(as_uuid=True), sa.ForeignKey("assets.id", ondelete="CASCADE"), nullable=False),
    sa.Column("ideal_cycle_s", sa.Float),
    sa.Column("run_sensor", sa.Text),
    sa.Column("run_threshold", sa.Float),
    sa.Column("idle_sensor", sa.Text),
    sa.Column("idle_threshold", sa.Float),
    sa.Column("counter_sensor", sa.Text),
    sa.Column("counter_mode", sa.Text),
    *timestamps(),
    sa.CheckConstraint("counter_mode in ('cumulative','delta')", name="counter_mode"),
    sa.UniqueConstraint("tenant_id", "asset_id"),
)

oee_operator_states = sa.Table(
    "oee_operator_states",
    metadata,
    id_column(),
    tenant_column(),
    _machine(),
    sa.Column("start_ns", sa.BigInteger, nullable=False),
    sa.Column("end_ns", sa.BigInteger),  # null: still going on
    sa.Column("state", sa.Text, nullable=False),
    sa.Column("reason_code", sa.Text),
    sa.Column("note", sa.Text, nullable=False, server_default=""),
    sa.Column("kind", sa.Text, nullable=False, server_default="override"),
    _created_by(),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()),
    _reason_fk(),
    sa.CheckConstraint(_STATE_CHECK, name="state"),
    sa.CheckConstraint("kind in ('override','classification')", name="kind"),
    sa.CheckConstraint("end_ns is null or end_ns > start_ns", name="window"),
    sa.Index("ix_oee_operator_states_tenant_id_machine_id_start_ns", "tenant_id", "machine_id", "start_ns"),
)

oee_counts = sa.Table(
    "oee_counts",
    metadata,
    id_column(),
    tenant_column(),
    _machine(),
    sa.Column("start_ns", sa.BigInteger, nullable=False),
    sa.Column("end_ns", sa.BigInteger, nullable=False),
    sa.Column("good", sa.Float, nullable=False, server_default="0"),
    sa.Column("reject", sa.Float, nullable=False, server_default="0"),
    sa.Column("note", sa.Text, nullable=False, server_default=""),
    _created_by(),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()),
    sa.CheckConstraint("end_ns > start_ns and good >= 0 and reject >= 0", name="valid"),
    sa.Index("ix_oee_counts_tenant_id_machine_id_start_ns", "tenant_id", "machine_id", "start_ns"),
)

# The effective timeline of the rolled-up hours (written by compute_oee_rollups).
oee_state_intervals = sa.Table(
    "oee_state_intervals",
    metadata,
    tenant_column(),
    _machine(),
    sa.Column("start_ns", sa.BigInteger, nullable=False),
    sa.Column("end_ns", sa.BigInteger, nullable=False),
    sa.Column("state", sa.Text, nullable=False),
    sa.Column("reason_code", sa.Text),
    sa.Column("source", sa.Text, nullable=False),
    sa.Column("entry_id", UUID(as_uuid=True)),
    sa.PrimaryKeyConstraint("tenant_id", "machine_id", "start_ns"),
    sa.CheckConstraint(_STATE_CHECK, name="state"),
    sa.CheckConstraint("source in ('signal','schedule','operator')", name="source"),
)

# OEE components per machine and bucket: an hour, split where a shift starts or ends.
oee_rollups = sa.Table(
    "oee_rollups",
    metadata,
    tenant_column(),
    _machine(),
    sa.Column("bucket_start", sa.BigInteger, nullable=False),
    sa.Column("bucket_end", sa.BigInteger, nullable=False),
    sa.Column("line_id", UUID(as_uuid=True)),
    sa.Column("shift_id", UUID(as_uuid=True)),
    sa.Column("shift_name", sa.Text),
    sa.Column("shift_start", sa.BigInteger),
    sa.Column("shift_end", sa.BigInteger),
    sa.Column("day", sa.Date),
    sa.Column("shift_ns", sa.BigInteger, nullable=False),
    sa.Column("planned_stop_ns", sa.BigInteger, nullable=False),
    sa.Column("run_ns", sa.BigInteger, nullable=False),
    sa.Column("idle_ns", sa.BigInteger, nullable=False),
    sa.Column("down_ns", sa.BigInteger, nullable=False),
    sa.Column("total_count", sa.Float, nullable=False),
    sa.Column("good_count", sa.Float, nullable=False),
    sa.Column("reject_count", sa.Float, nullable=False),
    sa.Column("ideal_run_ns", sa.Float),  # null: output without a known ideal cycle time
    sa.Column("counted", sa.Boolean, nullable=False),  # a count source existed (counter sensor or entries)
    sa.Column("computed_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()),
    sa.PrimaryKeyConstraint("tenant_id", "machine_id", "bucket_start"),
    sa.Index("ix_oee_rollups_tenant_id_bucket_start", "tenant_id", "bucket_start"),
)

TABLES = (
    "oee_reason_codes",
    "oee_shifts",
    "oee_planned_stops",
    "oee_configs",
    "oee_operator_states",
    "oee_counts",
    "oee_state_intervals",
    "oee_rollups",
)
