"""Traceability: lots, serials, genealogy, shipments, documents, ITAR marking, e-signatures.

Revision ID: 0016
Revises: 0015
"""

from collections.abc import Sequence

from alembic import op  # noqa: F401

from mip.platform.rls import enable_rls, grant_app  # noqa: F401

revision: str = "0016"
down_revision: str | None = "0015"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
