"""Readings storage: vectorised binary COPY into a staging table, then an idempotent insert.

Dedup is on (tenant, sensor, ts): a redelivered batch or a retried request never stores a reading twice.
"""

from __future__ import annotations

import uuid
from typing import Any

import numpy as np

from mip.platform.db import Conn
from mip.telemetry.batch import ReadingBatch

_COPY_HEADER = b"PGCOPY\n\xff\r\n\x00" + (0).to_bytes(4, "big") + (0).to_bytes(4, "big")
_COPY_TRAILER = (-1).to_bytes(2, "big", signed=True)
_ROW = np.dtype(
    [
        ("nf", ">i2"),
        ("l_tenant", ">i4"),
        ("tenant", "V16"),
        ("l_sensor", ">i4"),
        ("sensor", "V16"),
        ("l_ts", ">i4"),
        ("ts", ">i8"),
        ("l_value", ">i4"),
        ("value", ">f8"),
        ("l_quality", ">i4"),
        ("quality", ">i2"),
    ]
)


def copy_payload(batch: ReadingBatch) -> bytes:
    """PostgreSQL binary COPY rows for a batch, built with numpy (no Python object per reading)."""
    n = len(batch)
    rows = np.empty(n, dtype=_ROW)
    rows["nf"] = 5
    rows["l_tenant"] = 16
    rows["tenant"] = np.frombuffer(batch.tenant_id.bytes, dtype="V16")[0]
    rows["l_sensor"] = 16
    sensor_bytes = np.frombuffer(b"".join(s.bytes for s in batch.sensors), dtype="V16")
    rows["sensor"] = sensor_bytes[batch.sensor_idx]
    rows["l_ts"] = 8
    rows["ts"] = batch.ts
    rows["l_value"] = 8
    rows["value"] = batch.value
    rows["l_quality"] = 2
    rows["quality"] = batch.quality
    return _COPY_HEADER + rows.tobytes() + _COPY_TRAILER


async def write_readings(conn: Conn, batch: ReadingBatch) -> int:
    """Store a batch; returns how many readings were new."""
    await conn.execute(
        "create temp table if not exists readings_stage "
        "(tenant_id uuid, sensor_id uuid, ts bigint, value float8, quality int2) on commit delete rows"
    )
    async with conn.cursor().copy(
        "copy readings_stage (tenant_id, sensor_id, ts, value, quality) from stdin (format binary)"
    ) as copy:
        await copy.write(copy_payload(batch))
    cur = await conn.execute(
        "insert into readings (tenant_id, sensor_id, ts, value, quality) "
        "select distinct on (tenant_id, sensor_id, ts) tenant_id, sensor_id, ts, value, quality "
        "from readings_stage on conflict do nothing"
    )
    return cur.rowcount


async def mark_batch(conn: Conn, tenant_id: uuid.UUID, batch_id: uuid.UUID) -> bool:
    """Record a processed bus batch; False when it was processed before (a redelivery)."""
    cur = await conn.execute(
        "insert into processed_batches (tenant_id, batch_id) values (%s, %s) on conflict do nothing",
        [tenant_id, batch_id],
    )
    return cur.rowcount == 1


async def raw_readings(
    conn: Conn, sensor_id: uuid.UUID, start_ns: int, end_ns: int, limit: int
) -> list[dict[str, Any]]:
    cur = await conn.execute(
        "select ts, value, quality from readings where sensor_id = %s and ts >= %s and ts < %s order by ts limit %s",
        [sensor_id, start_ns, end_ns, limit],
    )
    return [dict(r) for r in await cur.fetchall()]


async def bucketed_readings(
    conn: Conn, sensor_id: uuid.UUID, start_ns: int, end_ns: int, bucket_ns: int
) -> list[dict[str, Any]]:
    cur = await conn.execute(
        "select ((ts - %(start)s) / %(width)s) * %(width)s + %(start)s as ts, min(value) as min, "
        "max(value) as max, avg(value) as avg, count(*) as count "
        "from readings where sensor_id = %(sensor)s and ts >= %(start)s and ts < %(end)s group by 1 order by 1",
        {"start": start_ns, "end": end_ns, "width": bucket_ns, "sensor": sensor_id},
    )
    return [dict(r) for r in await cur.fetchall()]


async def latest_for_machine(conn: Conn, machine_id: uuid.UUID) -> list[dict[str, Any]]:
    cur = await conn.execute(
        "select s.id as sensor_id, s.path, s.name, s.unit, r.ts, r.value, r.quality from sensors s "
        "left join lateral (select ts, value, quality from readings r where r.tenant_id = s.tenant_id "
        "and r.sensor_id = s.id order by ts desc limit 1) r on true where s.machine_id = %s order by s.path",
        [machine_id],
    )
    return [dict(r) for r in await cur.fetchall()]


async def prune_processed_batches(conn: Conn, older_than_s: int) -> int:
    cur = await conn.execute(
        "delete from processed_batches where processed_at < now() - make_interval(secs => %s)", [older_than_s]
    )
    return cur.rowcount
