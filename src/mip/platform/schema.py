"""The shared SQLAlchemy MetaData and column helpers. Domains declare their tables against it.

SQLAlchemy is used for table definitions and Alembic migrations only; queries are plain SQL on psycopg.
"""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import UUID

metadata = sa.MetaData(
    naming_convention={
        "ix": "ix_%(table_name)s_%(column_0_N_name)s",
        "uq": "uq_%(table_name)s_%(column_0_N_name)s",
        "ck": "ck_%(table_name)s_%(constraint_name)s",
        "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
        "pk": "pk_%(table_name)s",
    }
)


def id_column() -> sa.Column[object]:
    return sa.Column("id", UUID(as_uuid=True), primary_key=True)


def tenant_column() -> sa.Column[object]:
    return sa.Column("tenant_id", UUID(as_uuid=True), sa.ForeignKey("tenants.id", ondelete="CASCADE"), nullable=False)


def timestamps() -> list[sa.Column[object]]:
    return [
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()),
    ]


def load_all_models() -> sa.MetaData:
    """Import every domain's models so ``metadata`` knows all tables."""
    from mip.alerts import models as _alerts  # noqa: F401
    from mip.analytics import models as _analytics  # noqa: F401
    from mip.assets import models as _assets  # noqa: F401
    from mip.audit import models as _audit  # noqa: F401
    from mip.detection import models as _detection  # noqa: F401
    from mip.identity import models as _identity  # noqa: F401
    from mip.lake import models as _lake  # noqa: F401
    from mip.maintenance import models as _maintenance  # noqa: F401
    from mip.notifications import models as _notifications  # noqa: F401
    from mip.oee import models as _oee  # noqa: F401
    from mip.planning import models as _planning  # noqa: F401
    from mip.quality.inspection import models as _quality_inspection  # noqa: F401
    from mip.quality.spc import models as _quality_spc  # noqa: F401
    from mip.quality.trace import models as _quality_trace  # noqa: F401
    from mip.scheduling import models as _scheduling  # noqa: F401
    from mip.telemetry import models as _telemetry  # noqa: F401
    from mip.tenancy import models as _tenancy  # noqa: F401

    return metadata
