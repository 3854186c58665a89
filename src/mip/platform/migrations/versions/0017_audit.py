"""Tamper-evident audit log: append-only entries, per-tenant hash chain, signed checkpoints.

Revision ID: 0017
Revises: 0016
"""

from collections.abc import Sequence

from alembic import op  # noqa: F401

from mip.platform.rls import enable_rls, grant_app  # noqa: F401

revision: str = "0017"
down_revision: str | None = "0016"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
