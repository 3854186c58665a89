"""ITAR marking on items: ``plan_items.itar`` and the same RESTRICTIVE policy as lots, serials and documents (0016):
an ITAR-marked item exists only for a transaction whose ``app.itar`` is ``on``, for reads and writes alike.

Revision ID: 0018
Revises: 0017
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0018"
down_revision: str | None = "0017"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("plan_items", sa.Column("itar", sa.Boolean(), server_default=sa.text("false"), nullable=False))
    op.execute("drop policy if exists itar_restricted on plan_items")
    op.execute(
        "create policy itar_restricted on plan_items as restrictive "
        "using (not itar or current_setting('app.itar', true) = 'on')"
    )


def downgrade() -> None:
    op.execute("drop policy if exists itar_restricted on plan_items")
    op.drop_column("plan_items", "itar")
