"""Resolve the owner URL (embedded or DATABASE_URL), migrate, and derive the app-role URL."""

from __future__ import annotations

import logging
from dataclasses import dataclass

from mip.platform.db import role_url
from mip.platform.embedded import EmbeddedPostgres
from mip.platform.rls import APP_ROLE
from mip.platform.settings import Settings

log = logging.getLogger(__name__)


@dataclass
class DatabaseHandle:
    owner_url: str
    app_url: str
    embedded: EmbeddedPostgres | None

    def stop(self) -> None:
        if self.embedded is not None:
            self.embedded.stop()
            self.embedded = None


def open_database(settings: Settings, *, migrate: bool | None = None) -> DatabaseHandle:
    """Start the embedded server when no DATABASE_URL is given; migrations run on start in embedded mode."""
    embedded: EmbeddedPostgres | None = None
    if settings.database_url:
        owner_url = settings.database_url
    else:
        embedded = EmbeddedPostgres(settings.data_dir)
        owner_url = embedded.start()
        log.info("embedded PostgreSQL started", extra={"mip_data_dir": str(settings.data_dir)})
    if migrate if migrate is not None else embedded is not None:
        from mip.platform.migrate import upgrade  # alembic + SQLAlchemy cost ~1 s of import: only when needed

        upgrade(owner_url, settings.app_db_password.get_secret_value())
    app_url = role_url(owner_url, APP_ROLE, settings.app_db_password.get_secret_value())
    return DatabaseHandle(owner_url=owner_url, app_url=app_url, embedded=embedded)
