"""Planning: items, BOMs, routings, work centres, calendars, orders, MRP.

Revision ID: 0009
Revises: 0008
"""

from collections.abc import Sequence

from alembic import op  # noqa: F401

from mip.platform.rls import enable_rls, grant_app  # noqa: F401

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
