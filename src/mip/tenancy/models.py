"""Tenants: the manufacturers sharing (or, when isolated, not sharing) the platform."""

import sqlalchemy as sa

from mip.platform.schema import id_column, metadata, timestamps

tenants = sa.Table(
    "tenants",
    metadata,
    id_column(),
    sa.Column("slug", sa.Text, nullable=False, unique=True),
    sa.Column("name", sa.Text, nullable=False),
    sa.Column("isolated", sa.Boolean, nullable=False, server_default=sa.false()),
    sa.Column("timezone", sa.Text, nullable=False, server_default="UTC"),
    *timestamps(),
)
