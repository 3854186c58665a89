"""Schedules: solved schedules, assignments, disruptions.

Revision ID: 0012
Revises: 0011
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

from mip.platform.rls import enable_rls, grant_app

revision: str = "0012"
down_revision: str | None = "0011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "schedules",
        sa.Column("id", sa.UUID(), nullable=False),
        sa.Column("tenant_id", sa.UUID(), nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("state", sa.Text(), server_default="draft", nullable=False),
        sa.Column("objective", sa.Text(), nullable=False),
        sa.Column("solver_status", sa.Text(), nullable=False),
        sa.Column("source", sa.Text(), nullable=False),
        sa.Column("horizon_start", sa.DateTime(timezone=True), nullable=True),
        sa.Column("makespan", sa.Integer(), nullable=False),
        sa.Column("weighted_tardiness", sa.BigInteger(), nullable=False),
        sa.Column("late_orders", sa.Integer(), nullable=False),
        sa.Column("objective_value", sa.Float(), nullable=True),
        sa.Column("lower_bound", sa.Float(), nullable=True),
        sa.Column("seconds", sa.Float(), nullable=False),
        sa.Column("greedy_makespan", sa.Integer(), nullable=False),
        sa.Column("greedy_weighted_tardiness", sa.BigInteger(), nullable=False),
        sa.Column("problem", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column("options", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column("parent_id", sa.UUID(), nullable=True),
        sa.Column("disruption", postgresql.JSONB(astext_type=sa.Text()), nullable=True),
        sa.Column("created_by", sa.UUID(), nullable=True),
        sa.Column("published_by", sa.UUID(), nullable=True),
        sa.Column("published_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.CheckConstraint("state in ('draft','published','superseded')", name=op.f("ck_schedules_state")),
        sa.ForeignKeyConstraint(
            ["tenant_id"], ["tenants.id"], name=op.f("fk_schedules_tenant_id_tenants"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["parent_id"], ["schedules.id"], name=op.f("fk_schedules_parent_id_schedules"), ondelete="SET NULL"
        ),
        sa.ForeignKeyConstraint(
            ["created_by"], ["users.id"], name=op.f("fk_schedules_created_by_users"), ondelete="SET NULL"
        ),
        sa.ForeignKeyConstraint(
            ["published_by"], ["users.id"], name=op.f("fk_schedules_published_by_users"), ondelete="SET NULL"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_schedules")),
    )
    op.create_index("ix_schedules_tenant_id_created_at", "schedules", ["tenant_id", "created_at"], unique=False)
    op.create_index(
        "uq_schedules_one_published",
        "schedules",
        ["tenant_id"],
        unique=True,
        postgresql_where=sa.text("state = 'published'"),
    )
    op.create_table(
        "schedule_assignments",
        sa.Column("id", sa.UUID(), nullable=False),
        sa.Column("tenant_id", sa.UUID(), nullable=False),
        sa.Column("schedule_id", sa.UUID(), nullable=False),
        sa.Column("op_id", sa.Text(), nullable=False),
        sa.Column("job_id", sa.Text(), nullable=False),
        sa.Column("machine_id", sa.Text(), nullable=False),
        sa.Column("start_min", sa.Integer(), nullable=False),
        sa.Column("end_min", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["schedule_id"],
            ["schedules.id"],
            name=op.f("fk_schedule_assignments_schedule_id_schedules"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id"], ["tenants.id"], name=op.f("fk_schedule_assignments_tenant_id_tenants"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_schedule_assignments")),
        sa.UniqueConstraint("schedule_id", "op_id", name=op.f("uq_schedule_assignments_schedule_id_op_id")),
    )
    op.create_index(
        "ix_schedule_assignments_schedule_id_machine_id",
        "schedule_assignments",
        ["schedule_id", "machine_id", "start_min"],
        unique=False,
    )
    for table in ("schedules", "schedule_assignments"):
        for stmt in enable_rls(table):
            op.execute(stmt)
        op.execute(grant_app(table))


def downgrade() -> None:
    op.drop_table("schedule_assignments")
    op.drop_table("schedules")
