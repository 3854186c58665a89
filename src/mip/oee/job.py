"""The periodic OEE rollup job (stream role): every ``interval_s`` recompute the last few hours of every
tenant's machines (late readings are picked up; the rollups are idempotent upserts)."""

from __future__ import annotations

import asyncio
import contextlib
import logging

from mip.oee.rollups import run_oee_rollups
from mip.platform.db import Database

log = logging.getLogger(__name__)


async def run_oee_job(db: Database, interval_s: float, stop: asyncio.Event, *, lookback_hours: int = 3) -> None:
    while not stop.is_set():
        try:
            await run_oee_rollups(db, lookback_hours=lookback_hours)
        except Exception:
            log.exception("OEE rollup pass failed; retrying next interval")
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(stop.wait(), interval_s)
