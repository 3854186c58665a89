"""Database roles and Alembic migrations (always run as the owner role)."""

from __future__ import annotations

from pathlib import Path

import psycopg
from alembic import command
from alembic.config import Config
from psycopg import sql

from mip.platform.rls import APP_ROLE, AUTH_ROLE

MIGRATIONS_DIR = Path(__file__).parent / "migrations"


def sqlalchemy_url(url: str) -> str:
    for prefix in ("postgresql://", "postgres://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


def alembic_config(owner_url: str) -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    cfg.attributes["sqlalchemy_url"] = sqlalchemy_url(owner_url)
    return cfg


def ensure_roles(owner_url: str, app_password: str = "") -> None:
    """Create the application role (NOSUPERUSER NOBYPASSRLS) and the NOLOGIN auth role if missing."""
    with psycopg.connect(owner_url, autocommit=True) as conn:
        have = {r[0] for r in conn.execute("select rolname from pg_roles").fetchall()}
        if APP_ROLE not in have:
            conn.execute(
                sql.SQL("create role {} login nosuperuser nobypassrls nocreatedb nocreaterole").format(
                    sql.Identifier(APP_ROLE)
                )
            )
        if AUTH_ROLE not in have:
            conn.execute(sql.SQL("create role {} nologin nobypassrls").format(sql.Identifier(AUTH_ROLE)))
        if app_password:
            conn.execute(
                sql.SQL("alter role {} password {}").format(sql.Identifier(APP_ROLE), sql.Literal(app_password))
            )
        member = conn.execute("select pg_has_role(current_user, %s, 'SET')", [AUTH_ROLE]).fetchone()
        if not (member and member[0]):
            conn.execute(sql.SQL("grant {} to current_user").format(sql.Identifier(AUTH_ROLE)))


def upgrade(owner_url: str, app_password: str = "", revision: str = "head") -> None:
    ensure_roles(owner_url, app_password)
    command.upgrade(alembic_config(owner_url), revision)


def current_revision(owner_url: str) -> str | None:
    with psycopg.connect(owner_url) as conn:
        try:
            row = conn.execute("select version_num from alembic_version").fetchone()
        except psycopg.errors.UndefinedTable:
            return None
        return str(row[0]) if row else None
