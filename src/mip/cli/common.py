"""Shared CLI plumbing: settings from the global options, a database session, errors as problem JSON."""

from __future__ import annotations

import asyncio
import sys
from collections.abc import Awaitable, Callable
from datetime import datetime
from typing import Any, NoReturn, TypeVar
from uuid import UUID

import orjson
import typer

from mip.platform.database_setup import open_database
from mip.platform.db import Database
from mip.platform.errors import MIPError
from mip.platform.settings import Settings

T = TypeVar("T")


def settings() -> Settings:
    return Settings()


def _default(obj: Any) -> Any:
    if isinstance(obj, UUID | datetime):
        return str(obj)
    raise TypeError


def emit(data: Any) -> None:
    sys.stdout.write(orjson.dumps(data, default=_default, option=orjson.OPT_INDENT_2).decode() + "\n")


def fail(exc: MIPError) -> NoReturn:
    sys.stderr.write(orjson.dumps(exc.problem(), default=_default).decode() + "\n")
    raise typer.Exit(2 if exc.status < 500 else 1)


def with_db(fn: Callable[[Database], Awaitable[T]]) -> T:
    """Open the database (embedded if no DATABASE_URL), run ``fn`` with an app-role pool, close."""
    s = settings()
    handle = open_database(s)

    async def main() -> T:
        db = Database(handle.app_url, min_size=1, max_size=2)
        await db.open()
        try:
            return await fn(db)
        finally:
            await db.close()

    try:
        return asyncio.run(main())
    except MIPError as exc:
        fail(exc)
    finally:
        handle.stop()
