"""Analytics tables: saved queries (per tenant, unique name)."""

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import JSONB, UUID

from mip.platform.schema import id_column, metadata, tenant_column, timestamps

saved_queries = sa.Table(
    "saved_queries",
    metadata,
    id_column(),
    tenant_column(),
    sa.Column("name", sa.Text, nullable=False),
    sa.Column("description", sa.Text, nullable=False, server_default=""),
    sa.Column("sql", sa.Text, nullable=False),
    # [{"name", "type", "default", "description"}]: the query's $name parameters
    sa.Column("parameters", JSONB, nullable=False, server_default=sa.text("'[]'::jsonb")),
    sa.Column("owner_id", UUID(as_uuid=True), sa.ForeignKey("users.id", ondelete="SET NULL")),
    *timestamps(),
    sa.UniqueConstraint("tenant_id", "name"),
)
