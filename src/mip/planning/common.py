"""Shared SQL helpers of the planning domain: unique inserts, versioned updates, deletes that may be refused."""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from typing import Any

import psycopg
from psycopg.types.json import Jsonb

from mip.planning.errors import Duplicate, InUse, PlanningNotFound, StaleVersion
from mip.platform.db import Conn
from mip.platform.ids import uuid7

Row = dict[str, Any]


def _adapt(v: Any) -> Any:
    return Jsonb(v) if isinstance(v, list | dict) else v


async def insert(conn: Conn, table: str, values: Mapping[str, Any], *, duplicate: str) -> Row:
    """Insert one row (``id`` generated unless given); a unique violation becomes 409 ``duplicate``."""
    vals = {"id": uuid7(), **values}
    cols = ", ".join(vals)
    marks = ", ".join(["%s"] * len(vals))
    try:
        async with conn.transaction():
            cur = await conn.execute(
                f"insert into {table} ({cols}) values ({marks}) returning *", [_adapt(v) for v in vals.values()]
            )
            row = await cur.fetchone()
    except psycopg.errors.UniqueViolation:
        raise Duplicate(duplicate) from None
    assert row is not None
    return row


async def fetch(conn: Conn, table: str, row_id: uuid.UUID, what: str, *, lock: bool = False) -> Row:
    cur = await conn.execute(f"select * from {table} where id = %s" + (" for update" if lock else ""), [row_id])
    row = await cur.fetchone()
    if row is None:
        raise PlanningNotFound(f"{what} {row_id} not found")
    return row


def check_version(row: Row, expected_version: int | None, what: str) -> None:
    if expected_version is not None and expected_version != row["version"]:
        raise StaleVersion(
            f"{what} was changed by someone else (version {row['version']}, you expected {expected_version});"
            " reload and retry",
            current_version=row["version"],
        )


async def update(
    conn: Conn,
    table: str,
    row_id: uuid.UUID,
    changes: Mapping[str, Any],
    expected_version: int | None,
    *,
    what: str,
    duplicate: str = "duplicate",
) -> Row:
    """Versioned update: 409 ``stale_version`` when ``expected_version`` is not the current version."""
    current = await fetch(conn, table, row_id, what, lock=True)
    check_version(current, expected_version, what)
    sets = [f"{k} = %s" for k in changes] + ["version = version + 1", "updated_at = now()"]
    try:
        async with conn.transaction():
            cur = await conn.execute(
                f"update {table} set {', '.join(sets)} where id = %s returning *",
                [*(_adapt(v) for v in changes.values()), row_id],
            )
            row = await cur.fetchone()
    except psycopg.errors.UniqueViolation:
        raise Duplicate(duplicate) from None
    assert row is not None
    return row


async def delete(conn: Conn, table: str, row_id: uuid.UUID, *, what: str, in_use: str) -> None:
    try:
        async with conn.transaction():
            cur = await conn.execute(f"delete from {table} where id = %s", [row_id])
    except (psycopg.errors.ForeignKeyViolation, psycopg.errors.RestrictViolation):
        raise InUse(in_use) from None
    if cur.rowcount == 0:
        raise PlanningNotFound(f"{what} {row_id} not found")
