"""Bytes per reading: what the time-series tables occupy, and a row-per-reading baseline to compare.

Both functions expect the tables' owner (the maintenance connection): its ``maintenance`` policy lets
it count every tenant's readings. Sizes are ``pg_total_relation_size`` (heap + indexes + TOAST) summed
over a table's partitions, DEFAULT included.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import psycopg

from mip.telemetry.batch import ReadingBatch
from mip.telemetry.store import copy_payload

_FAMILIES = ("readings", "rollup_1m", "rollup_1h", "reading_chunks")

_SIZES = """
select i.inhparent::regclass::text as parent, sum(pg_total_relation_size(i.inhrelid))::bigint as bytes,
       count(*) as partitions
from pg_inherits i where i.inhparent = any(%s::regclass[]) group by 1
"""


def _per(num: float, den: float) -> float | None:
    return round(num / den, 3) if den else None


async def storage_stats(conn: psycopg.AsyncConnection[Any]) -> dict[str, Any]:
    """Sizes of the hot tier (readings + rollup_1m), the compressed tier (chunks) and rollup_1h,
    reading counts, and bytes per reading."""
    cur = await conn.execute(_SIZES, [list(_FAMILIES)])
    sizes = {f: {"bytes": 0, "partitions": 0} for f in _FAMILIES}
    for parent, size, parts in await cur.fetchall():
        sizes[parent] = {"bytes": int(size), "partitions": int(parts)}
    cur = await conn.execute(
        "select (select count(*) from readings), "
        "(select coalesce(sum(n), 0)::bigint from reading_chunks), "
        "(select coalesce(sum(length(ts_data) + length(val_data) + coalesce(length(q_data), 0)), 0)::bigint "
        " from reading_chunks), "
        "(select count(*) from reading_chunks)"
    )
    row = await cur.fetchone()
    assert row is not None
    hot, compressed, payload, chunks = (int(x) for x in row)
    b = {f: sizes[f]["bytes"] for f in _FAMILIES}
    total = sum(b.values())
    return {
        "readings": {"hot": hot, "compressed": compressed, "total": hot + compressed},
        "chunks": chunks,
        "tables": sizes,
        "bytes_per_reading": {
            # hot rows and their 1 min rollups (dropped when the hour is compressed)
            "hot": _per(b["readings"] + b["rollup_1m"], hot),
            # what an hour costs once compressed: its chunks and its 1 h rollups
            "compressed": _per(b["reading_chunks"] + b["rollup_1h"], compressed),
            "chunks_only": _per(b["reading_chunks"], compressed),
            "codec_payload": _per(payload, compressed),  # the encoded bytes alone, without PostgreSQL overhead
            "all_tables": _per(total, hot + compressed),
        },
        "bytes_total": total,
    }


async def copy_baseline(conn: psycopg.AsyncConnection[Any], batches: Iterable[ReadingBatch]) -> dict[str, Any]:
    """Binary-COPY the readings into a plain row-per-reading table (a temporary ``readings_baseline``
    with the pre-0003 layout and primary key) and report its size."""
    await conn.execute("drop table if exists pg_temp.readings_baseline")
    await conn.execute(
        "create temp table readings_baseline (tenant_id uuid not null, sensor_id uuid not null, "
        "ts bigint not null, value double precision not null, quality smallint default 0 not null, "
        "primary key (tenant_id, sensor_id, ts))"
    )
    n = 0
    for batch in batches:
        async with conn.cursor().copy(
            "copy readings_baseline (tenant_id, sensor_id, ts, value, quality) from stdin (format binary)"
        ) as copy:
            await copy.write(copy_payload(batch))
        n += len(batch)
    cur = await conn.execute("select pg_total_relation_size('pg_temp.readings_baseline'::regclass)")
    row = await cur.fetchone()
    size = int(row[0]) if row else 0
    await conn.execute("drop table pg_temp.readings_baseline")
    return {"readings": n, "bytes": size, "bytes_per_reading": _per(size, n)}
