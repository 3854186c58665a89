"""Connection pools and the tenant-scoped transaction every request and message runs in."""

from __future__ import annotations

import contextlib
import uuid
from collections.abc import AsyncIterator
from urllib.parse import urlsplit, urlunsplit

from psycopg import AsyncConnection
from psycopg.conninfo import conninfo_to_dict, make_conninfo
from psycopg.rows import DictRow, dict_row
from psycopg_pool import AsyncConnectionPool

from mip.platform.logging import request_id_var

Conn = AsyncConnection[DictRow]


def role_url(owner_url: str, role: str, password: str = "") -> str:
    """The owner's URL with another login role (same host, port, database)."""
    if owner_url.startswith(("postgres://", "postgresql://")):
        parts = urlsplit(owner_url)
        host = parts.netloc.rsplit("@", 1)[-1]
        cred = role + (f":{password}" if password else ":")
        return urlunsplit((parts.scheme, f"{cred}@{host}", parts.path, parts.query, parts.fragment))
    params = conninfo_to_dict(owner_url)
    params["user"] = role
    if password:
        params["password"] = password
    else:
        params.pop("password", None)
    return make_conninfo("", **{k: str(v) for k, v in params.items() if v is not None})


class Database:
    """An async pool for the application role. All tenant data access goes through :meth:`tenant_tx`."""

    def __init__(self, url: str, *, min_size: int = 2, max_size: int = 10) -> None:
        self.url = url
        self.pool: AsyncConnectionPool[Conn] = AsyncConnectionPool(
            url,
            min_size=min_size,
            max_size=max_size,
            kwargs={"row_factory": dict_row, "autocommit": False},
            open=False,
            name="mip",
        )

    async def open(self) -> None:
        await self.pool.open(wait=True, timeout=30)

    async def close(self) -> None:
        await self.pool.close()

    @contextlib.asynccontextmanager
    async def tenant_tx(
        self, tenant_id: uuid.UUID | str, *, actor: str | None = None, itar: bool = False
    ) -> AsyncIterator[Conn]:
        """One transaction that starts with ``set_config('app.tenant_id', ..., true)``.

        Row-level security policies read that setting; it ends with the transaction, so a pooled
        connection never carries one tenant's context into another's work. ``app.actor`` names who acts
        (``user:<id>``, ``apikey:<id>``; unset = the system) and ``app.request_id`` the request, for the audit
        log; ``app.itar`` is ``on`` only for a person authorised for ITAR-controlled records (policies on those
        tables read it).
        """
        async with self.pool.connection() as conn, conn.transaction():
            await conn.execute(
                "select set_config('app.tenant_id', %s, true), set_config('app.actor', %s, true), "
                "set_config('app.itar', %s, true), set_config('app.request_id', %s, true)",
                [str(tenant_id), actor or "", "on" if itar else "off", request_id_var.get() or ""],
            )
            yield conn

    @contextlib.asynccontextmanager
    async def system_tx(self) -> AsyncIterator[Conn]:
        """A transaction with no tenant: RLS shows no tenant rows. Used for auth look-up functions."""
        async with self.pool.connection() as conn, conn.transaction():
            yield conn
