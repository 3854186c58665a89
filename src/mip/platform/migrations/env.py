"""Alembic environment: the URL comes from ``mip.platform.migrate.alembic_config``."""

from __future__ import annotations

from alembic import context
from sqlalchemy import create_engine, pool

from mip.platform.schema import load_all_models

config = context.config
target_metadata = load_all_models()


def run_migrations_online() -> None:
    url = config.attributes["sqlalchemy_url"]
    engine = create_engine(url, poolclass=pool.NullPool)
    with engine.connect() as connection:
        context.configure(connection=connection, target_metadata=target_metadata, compare_type=True)
        with context.begin_transaction():
            context.run_migrations()


run_migrations_online()
