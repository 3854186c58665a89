"""Fixtures of the time-series storage tests."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import psycopg
import pytest

from mip.platform.database_setup import DatabaseHandle


@pytest.fixture
async def owner(db_handle: DatabaseHandle) -> AsyncIterator[psycopg.AsyncConnection[Any]]:
    """The maintenance connection: the time-series tables' owner, autocommit (as the compression job)."""
    async with await psycopg.AsyncConnection.connect(db_handle.owner_url, autocommit=True) as conn:
        yield conn
