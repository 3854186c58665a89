"""Partitions of the time-series tables: create ahead, list, drop emptied ones, retention.

All of it runs on a **maintenance connection as the tables' owner** (``DatabaseHandle.owner_url``,
autocommit): mip_app cannot run DDL, and the owner's ``maintenance`` RLS policy (migration 0003) lets it
see every tenant's rows. Statements that need a strong lock on a parent table use a short
``lock_timeout`` and are simply retried on the next round when they cannot get it.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from typing import Any

import psycopg
from psycopg import sql

log = logging.getLogger(__name__)

MINUTE_NS = 60_000_000_000
HOUR_NS = 60 * MINUTE_NS
DAY_NS = 24 * HOUR_NS
MAINTENANCE_LOCK = 0x6D69705F7473  # pg advisory lock: one maintenance transaction at a time
LOCK_TIMEOUT = "2s"  # creating a partition: ATTACH needs SHARE UPDATE EXCLUSIVE on the parent
DROP_LOCK_TIMEOUT = "500ms"  # dropping one: ACCESS EXCLUSIVE on the parent queues readers behind it
_BOUND = re.compile(r"FROM \('?(-?\d+)'?\) TO \('?(-?\d+)'?\)")

OwnerConn = psycopg.AsyncConnection[Any]


@dataclass(frozen=True, slots=True)
class Partition:
    name: str
    lo: int
    hi: int


def floor_hour(ns: int) -> int:
    return ns - ns % HOUR_NS


async def ensure_partitions(conn: OwnerConn, from_ns: int, to_ns: int) -> int:
    """Hourly readings + rollup_1m partitions for [from, to) (and the chunk/rollup_1h ones covering it).

    Rows waiting in a DEFAULT partition for a new partition's range move into it. Returns how many
    partitions were created (0 when the tables were too busy: the next round retries)."""
    return await _ensure(conn, "select mip_ensure_partitions(%s, %s)", [from_ns, to_ns])


async def ensure_partition(conn: OwnerConn, parent: str, lo: int, hi: int) -> bool:
    return bool(await _ensure(conn, "select mip_ensure_partition(%s, %s, %s)::int", [parent, lo, hi]))


async def _ensure(conn: OwnerConn, query: str, params: list[Any]) -> int:
    try:
        async with conn.transaction():
            await conn.execute(f"set local lock_timeout = '{LOCK_TIMEOUT}'")
            await conn.execute("select pg_advisory_xact_lock(%s)", [MAINTENANCE_LOCK])
            cur = await conn.execute(query, params)
            row = await cur.fetchone()
    except psycopg.errors.LockNotAvailable:
        log.info("partition creation postponed: the tables are busy")
        return 0
    return int(row[0]) if row else 0


async def list_partitions(conn: OwnerConn, parent: str) -> list[Partition]:
    """The range partitions of ``parent`` (not its DEFAULT partition), oldest first."""
    cur = await conn.execute(
        "select c.relname, pg_get_expr(c.relpartbound, c.oid) from pg_inherits i "
        "join pg_class c on c.oid = i.inhrelid where i.inhparent = to_regclass(%s)",
        [parent],
    )
    out = []
    for name, bound in await cur.fetchall():
        m = _BOUND.search(bound or "")
        if m:
            out.append(Partition(name, int(m.group(1)), int(m.group(2))))
    return sorted(out, key=lambda p: p.lo)


async def _has_rows(conn: OwnerConn, table: str) -> bool:
    cur = await conn.execute(sql.SQL("select exists (select 1 from {})").format(sql.Identifier(table)))
    row = await cur.fetchone()
    return bool(row and row[0])


async def drop_empty_hot(conn: OwnerConn, hours: list[Partition]) -> int:
    """Drop emptied hourly readings partitions and their rollup_1m twins (one short exclusive lock)."""
    if not hours:
        return 0
    try:
        async with conn.transaction():
            await conn.execute("select pg_advisory_xact_lock(%s)", [MAINTENANCE_LOCK])
            await conn.execute(f"set local lock_timeout = '{DROP_LOCK_TIMEOUT}'")
            await conn.execute("lock table readings, rollup_1m in access exclusive mode")
            dropped = 0
            for p in hours:
                twin = "rollup_1m" + p.name.removeprefix("readings")
                names = [n for n in (p.name, twin) if await _exists(conn, n)]
                if not names or any([await _has_rows(conn, n) for n in names]):
                    continue
                await conn.execute(
                    sql.SQL("drop table {}").format(sql.SQL(", ").join(sql.Identifier(n) for n in names))
                )
                dropped += 1
            return dropped
    except psycopg.errors.LockNotAvailable:
        log.info("partition drop postponed: the tables are busy")
        return 0


async def _exists(conn: OwnerConn, name: str) -> bool:
    cur = await conn.execute("select to_regclass(%s) is not null", [name])
    row = await cur.fetchone()
    return bool(row and row[0])


async def apply_retention(
    conn: OwnerConn, *, now_ns: int, raw_retention_days: int, rollup_retention_days: int, from_ns: int = 0
) -> list[str]:
    """Drop chunk partitions older than the raw retention and rollup_1h partitions older than the
    rollup retention (whole partitions: no DELETE, no VACUUM storm); only partitions starting at or
    after ``from_ns``. 0 days = keep forever."""
    dropped: list[str] = []
    for parent, key, days in (
        ("reading_chunks", "start_ts", raw_retention_days),
        ("rollup_1h", "bucket", rollup_retention_days),
    ):
        if days <= 0:
            continue
        cut = now_ns - days * DAY_NS
        old = [p.name for p in await list_partitions(conn, parent) if p.lo >= from_ns and p.hi <= cut]
        try:
            async with conn.transaction():
                await conn.execute("select pg_advisory_xact_lock(%s)", [MAINTENANCE_LOCK])
                await conn.execute(f"set local lock_timeout = '{DROP_LOCK_TIMEOUT}'")
                if old:
                    await conn.execute(
                        sql.SQL("drop table {}").format(sql.SQL(", ").join(sql.Identifier(n) for n in old))
                    )
                # stragglers in the DEFAULT partition (rare: only rows outside every partition)
                await conn.execute(
                    sql.SQL("delete from {} where {} >= %s and {} < %s").format(
                        sql.Identifier(f"{parent}_default"), sql.Identifier(key), sql.Identifier(key)
                    ),
                    [from_ns, cut],
                )
            dropped += old
        except psycopg.errors.LockNotAvailable:
            log.info("retention postponed: the tables are busy", extra={"mip_table": parent})
    return dropped
