"""Alert collaboration: assignment and a comment thread per alert.

Revision ID: 0004
Revises: 0003
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from mip.platform.rls import enable_rls, grant_app

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("alerts", sa.Column("assigned_to", sa.UUID(), nullable=True))
    op.add_column("alerts", sa.Column("assigned_at", sa.DateTime(timezone=True), nullable=True))
    op.create_foreign_key(
        op.f("fk_alerts_assigned_to_users"), "alerts", "users", ["assigned_to"], ["id"], ondelete="SET NULL"
    )
    op.create_table(
        "alert_comments",
        sa.Column("id", sa.UUID(), nullable=False),
        sa.Column("tenant_id", sa.UUID(), nullable=False),
        sa.Column("alert_id", sa.UUID(), nullable=False),
        sa.Column("author_id", sa.UUID(), nullable=True),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.ForeignKeyConstraint(
            ["alert_id"], ["alerts.id"], name=op.f("fk_alert_comments_alert_id_alerts"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["author_id"], ["users.id"], name=op.f("fk_alert_comments_author_id_users"), ondelete="SET NULL"
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id"], ["tenants.id"], name=op.f("fk_alert_comments_tenant_id_tenants"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_alert_comments")),
    )
    op.create_index("ix_alert_comments_alert_id", "alert_comments", ["alert_id", "created_at"], unique=False)
    for stmt in enable_rls("alert_comments"):
        op.execute(stmt)
    op.execute(grant_app("alert_comments"))


def downgrade() -> None:
    op.drop_table("alert_comments")
    op.drop_constraint(op.f("fk_alerts_assigned_to_users"), "alerts", type_="foreignkey")
    op.drop_column("alerts", "assigned_at")
    op.drop_column("alerts", "assigned_to")
