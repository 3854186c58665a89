"""The periodic OEE rollup job (stream role): every ``interval_s`` recompute the last few hours of every
tenant's machines (late readings are picked up; the rollups are idempotent upserts)."""

from __future__ import annotations

import asyncio

from mip.oee.rollups import run_oee_rollups
from mip.platform.db import Database
from mip.platform.periodic import run_periodic


async def run_oee_job(db: Database, interval_s: float, stop: asyncio.Event, *, lookback_hours: int = 3) -> None:
    await run_periodic("OEE rollup pass", lambda: run_oee_rollups(db, lookback_hours=lookback_hours), interval_s, stop)
