"""The idempotent-consumer record: bus batch ids processed, written in the same transaction as their effects."""

from __future__ import annotations

import uuid

from mip.platform.db import Conn


async def mark_batches(conn: Conn, tenant_id: uuid.UUID, batch_ids: list[uuid.UUID]) -> set[uuid.UUID]:
    """Record processed bus batches; returns the ids that are new (the others are redeliveries)."""
    cur = await conn.execute(
        "insert into processed_batches (tenant_id, batch_id) select %s, unnest(%s::uuid[]) "
        "on conflict do nothing returning batch_id",
        [tenant_id, batch_ids],
    )
    return {r["batch_id"] for r in await cur.fetchall()}
