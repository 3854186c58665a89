"""Helpers for the time-series storage tests: far-future hours no other test touches, batches, tenants."""

from __future__ import annotations

import secrets
import uuid
from collections.abc import Sequence

import numpy as np

from mip.platform.db import Database
from mip.platform.ids import uuid7
from mip.telemetry.batch import ReadingBatch
from mip.telemetry.store import write_readings
from mip.tenancy.service import create_tenant

S = 1_000_000_000
MINUTE = 60 * S
HOUR = 3600 * S
DAY = 24 * HOUR
YEAR_2100 = 4_102_444_800 * S


def future_hour() -> int:
    """A random hour after 2100: the live maintenance task (real clock) never compresses it, and tests
    do not share hours (compress_ready/apply_retention are always called with ``from_ns`` = this)."""
    return YEAR_2100 + secrets.randbelow(200_000) * HOUR


def batch(
    tenant: uuid.UUID,
    sensors: Sequence[uuid.UUID],
    idx: Sequence[int] | np.ndarray,
    ts: Sequence[int] | np.ndarray,
    values: Sequence[float] | np.ndarray,
    quality: Sequence[int] | np.ndarray | None = None,
) -> ReadingBatch:
    n = len(ts)
    return ReadingBatch(
        tenant_id=tenant,
        machine_id=uuid7(),
        batch_id=uuid7(),
        received_ns=0,
        sensors=tuple(sensors),
        sensor_idx=np.asarray(idx, np.uint16),
        ts=np.asarray(ts, np.int64),
        value=np.asarray(values, np.float64),
        quality=np.zeros(n, np.int16) if quality is None else np.asarray(quality, np.int16),
    )


def series(tenant: uuid.UUID, sensor: uuid.UUID, start: int, n: int, period: int, values: np.ndarray) -> ReadingBatch:
    return batch(tenant, [sensor], np.zeros(n, int), start + np.arange(n, dtype=np.int64) * period, values)


async def write(db: Database, b: ReadingBatch) -> int:
    async with db.tenant_tx(b.tenant_id) as conn:
        return await write_readings(conn, b)


async def new_tenant(db: Database) -> uuid.UUID:
    slug = "ts-" + secrets.token_hex(5)
    row = await create_tenant(db, slug=slug, name=slug)
    return uuid.UUID(str(row["id"]))


async def scalar(db: Database, tenant: uuid.UUID | None, query: str, params: Sequence[object] = ()) -> object:
    ctx = db.tenant_tx(tenant) if tenant is not None else db.system_tx()
    async with ctx as conn:
        cur = await conn.execute(query, list(params))
        row = await cur.fetchone()
    assert row is not None
    return next(iter(row.values()))
