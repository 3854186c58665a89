"""The idempotent-consumer record: bus batch ids processed, written in the same transaction as their effects.

Each path of the stream stage (see worker.py) keeps its own record, under its stage name, because each
consumes every batch once."""

from __future__ import annotations

import uuid

from mip.platform.db import Conn

STAGE_STREAM = "stream"  # standard rules + readings storage
STAGE_ALARMS = "alarms"  # sensor limits + safety rules


async def mark_batches(
    conn: Conn, tenant_id: uuid.UUID, batch_ids: list[uuid.UUID], stage: str = STAGE_STREAM
) -> set[uuid.UUID]:
    """Record processed bus batches; returns the ids that are new (the others are redeliveries)."""
    cur = await conn.execute(
        "insert into processed_batches (tenant_id, stage, batch_id) select %s, %s, unnest(%s::uuid[]) "
        "on conflict do nothing returning batch_id",
        [tenant_id, stage, batch_ids],
    )
    return {r["batch_id"] for r in await cur.fetchall()}
