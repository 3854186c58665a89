"""Schedules: a solved (or rescheduled) plan with its problem snapshot, and one row per assigned operation."""

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import JSONB, UUID

from mip.platform.schema import id_column, metadata, tenant_column, timestamps

schedules = sa.Table(
    "schedules",
    metadata,
    id_column(),
    tenant_column(),
    sa.Column("name", sa.Text, nullable=False),
    sa.Column("state", sa.Text, nullable=False, server_default="draft"),
    sa.Column("objective", sa.Text, nullable=False),
    sa.Column("solver_status", sa.Text, nullable=False),
    sa.Column("source", sa.Text, nullable=False),
    sa.Column("horizon_start", sa.DateTime(timezone=True)),
    sa.Column("makespan", sa.Integer, nullable=False),
    sa.Column("weighted_tardiness", sa.BigInteger, nullable=False),
    sa.Column("late_orders", sa.Integer, nullable=False),
    sa.Column("objective_value", sa.Float),
    sa.Column("lower_bound", sa.Float),
    sa.Column("seconds", sa.Float, nullable=False),
    sa.Column("greedy_makespan", sa.Integer, nullable=False),
    sa.Column("greedy_weighted_tardiness", sa.BigInteger, nullable=False),
    sa.Column("problem", JSONB, nullable=False),  # the solved problem (codec.problem_to_dict), for re-solving
    sa.Column("options", JSONB, nullable=False),
    sa.Column("parent_id", UUID(as_uuid=True), sa.ForeignKey("schedules.id", ondelete="SET NULL")),
    sa.Column("disruption", JSONB),
    sa.Column("created_by", UUID(as_uuid=True), sa.ForeignKey("users.id", ondelete="SET NULL")),
    sa.Column("published_by", UUID(as_uuid=True), sa.ForeignKey("users.id", ondelete="SET NULL")),
    sa.Column("published_at", sa.DateTime(timezone=True)),
    *timestamps(),
    sa.CheckConstraint("state in ('draft','published','superseded')", name="state"),
    sa.Index("ix_schedules_tenant_id_created_at", "tenant_id", "created_at"),
    sa.Index(
        "uq_schedules_one_published",
        "tenant_id",
        unique=True,
        postgresql_where=sa.text("state = 'published'"),
    ),
)

schedule_assignments = sa.Table(
    "schedule_assignments",
    metadata,
    id_column(),
    tenant_column(),
    sa.Column("schedule_id", UUID(as_uuid=True), sa.ForeignKey("schedules.id", ondelete="CASCADE"), nullable=False),
    sa.Column("op_id", sa.Text, nullable=False),
    sa.Column("job_id", sa.Text, nullable=False),
    sa.Column("machine_id", sa.Text, nullable=False),
    sa.Column("start_min", sa.Integer, nullable=False),
    sa.Column("end_min", sa.Integer, nullable=False),
    sa.UniqueConstraint("schedule_id", "op_id", name="uq_schedule_assignments_schedule_id_op_id"),
    sa.Index("ix_schedule_assignments_schedule_id_machine_id", "schedule_id", "machine_id", "start_min"),
)
