"""Users, refresh tokens and device API keys."""

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import UUID

from mip.platform.schema import id_column, metadata, tenant_column, timestamps

users = sa.Table(
    "users",
    metadata,
    id_column(),
    tenant_column(),
    sa.Column("email", sa.Text, nullable=False, unique=True),
    sa.Column("full_name", sa.Text, nullable=False, server_default=""),
    sa.Column("password_hash", sa.Text, nullable=False),
    sa.Column("role", sa.Text, nullable=False),
    sa.Column("active", sa.Boolean, nullable=False, server_default=sa.true()),
    # may see ITAR-controlled records (set by a tenant admin; carried in the access token)
    sa.Column("itar_authorized", sa.Boolean, nullable=False, server_default=sa.false()),
    *timestamps(),
    sa.Index("ix_users_tenant_id", "tenant_id"),
)

refresh_tokens = sa.Table(
    "refresh_tokens",
    metadata,
    id_column(),
    tenant_column(),
    sa.Column("user_id", UUID(as_uuid=True), sa.ForeignKey("users.id", ondelete="CASCADE"), nullable=False),
    sa.Column("token_hash", sa.Text, nullable=False, unique=True),
    sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("revoked_at", sa.DateTime(timezone=True)),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()),
    sa.Index("ix_refresh_tokens_user_id", "user_id"),
)

api_keys = sa.Table(
    "api_keys",
    metadata,
    id_column(),
    tenant_column(),
    sa.Column("name", sa.Text, nullable=False),
    sa.Column("prefix", sa.Text, nullable=False, unique=True),
    sa.Column("secret_hash", sa.Text, nullable=False),
    sa.Column("site_id", UUID(as_uuid=True), sa.ForeignKey("assets.id", ondelete="CASCADE")),
    sa.Column("created_by", UUID(as_uuid=True), sa.ForeignKey("users.id", ondelete="SET NULL")),
    sa.Column("revoked_at", sa.DateTime(timezone=True)),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()),
    sa.Index("ix_api_keys_tenant_id", "tenant_id"),
)
