"""Quality: inspection plans, results, FAI, gauges, NCR/CAPA.

Revision ID: 0015
Revises: 0014
"""

from collections.abc import Sequence

from alembic import op  # noqa: F401

from mip.platform.rls import enable_rls, grant_app  # noqa: F401

revision: str = "0015"
down_revision: str | None = "0014"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
