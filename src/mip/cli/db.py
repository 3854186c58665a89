"""CLI: ``mip db upgrade`` and ``mip db current``."""

from __future__ import annotations

import typer

from mip.cli.common import emit, settings
from mip.platform.database_setup import open_database

db_app = typer.Typer(help="Database migrations.", no_args_is_help=True)


@db_app.command("upgrade")
def upgrade() -> None:
    """Create roles and apply all migrations (as the owner role)."""
    from mip.platform.migrate import current_revision

    handle = open_database(settings(), migrate=True)
    try:
        emit({"revision": current_revision(handle.owner_url)})
    finally:
        handle.stop()


@db_app.command("current")
def current() -> None:
    """Show the applied migration revision."""
    from mip.platform.migrate import current_revision

    handle = open_database(settings(), migrate=False)
    try:
        emit({"revision": current_revision(handle.owner_url)})
    finally:
        handle.stop()
