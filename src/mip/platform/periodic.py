"""Run a job every ``interval_s`` until ``stop`` is set; a failing round is logged and retried next interval."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable
from typing import Any

log = logging.getLogger(__name__)


async def run_periodic(name: str, job: Callable[[], Awaitable[Any]], interval_s: float, stop: asyncio.Event) -> None:
    while not stop.is_set():
        try:
            await job()
        except Exception:
            log.exception("%s failed; retrying next interval", name)
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(stop.wait(), interval_s)
