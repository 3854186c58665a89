"""The event consumer: alarm events from the bus into the outbox, at least once, enqueued exactly once.

Consumer group ``mip-notify`` on ``mip.alerts``. The events of one poll are grouped by tenant; each tenant's go
through ``enqueue_for_event`` in one tenant transaction; the bus offset is committed only after every
transaction committed. A crash before the commit redelivers the poll and the idempotent enqueue turns the
replay into no-ops. A new group starts at the newest event (no notification storm for history retained in
Kafka when notifications are first deployed); afterwards it resumes from its committed offsets.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import uuid
from collections.abc import Callable
from typing import Any

import orjson

from mip.notifications.outbox import enqueue_for_event
from mip.platform.bus import TOPIC_ALERTS, Bus, Subscription
from mip.platform.db import Database

log = logging.getLogger(__name__)
GROUP = "mip-notify"


def parse_event(value: bytes) -> tuple[uuid.UUID, dict[str, Any]] | None:
    try:
        event = orjson.loads(value)
        tenant_id = uuid.UUID(str(event["tenant_id"]))
    except (orjson.JSONDecodeError, KeyError, ValueError, TypeError):
        return None
    if not isinstance(event, dict):
        return None
    return tenant_id, event


class NotificationConsumer:
    """``NotificationConsumer(db, bus, group="mip-notify", on_enqueued=dispatcher.wake)``; ``start()`` / ``stop()``."""

    def __init__(
        self,
        db: Database,
        bus: Bus,
        *,
        group: str = GROUP,
        poll_max: int = 200,
        on_enqueued: Callable[[], None] | None = None,
    ) -> None:
        self.db = db
        self.bus = bus
        self.group = group
        self.poll_max = poll_max
        self.on_enqueued = on_enqueued
        self.events = 0
        self.enqueued = 0
        self.failures = 0
        self._task: asyncio.Task[None] | None = None
        self._stop = asyncio.Event()

    async def start(self) -> None:
        if self._task is not None:
            return
        self._stop.clear()
        sub = await self.bus.subscribe(TOPIC_ALERTS, self.group, from_start=False)
        self._task = asyncio.create_task(self._run(sub), name="notify-consumer")

    async def stop(self) -> None:
        if self._task is None:
            return
        self._stop.set()
        try:
            await asyncio.wait_for(self._task, 5)
        except TimeoutError:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
        self._task = None

    async def handle(self, values: list[bytes]) -> int:
        """Enqueue the deliveries of a poll's events; returns how many new deliveries were inserted."""
        by_tenant: dict[uuid.UUID, list[dict[str, Any]]] = {}
        for value in values:
            parsed = parse_event(value)
            if parsed is None:
                log.warning("notifications: skipping a malformed alert event")
                continue
            by_tenant.setdefault(parsed[0], []).append(parsed[1])
        inserted = 0
        for tenant_id, events in by_tenant.items():
            async with self.db.tenant_tx(tenant_id) as conn:
                for event in events:
                    inserted += len(await enqueue_for_event(conn, tenant_id, event))
        self.events += len(values)
        self.enqueued += inserted
        if inserted and self.on_enqueued is not None:
            self.on_enqueued()
        return inserted

    async def _run(self, sub: Subscription) -> None:
        backoff = 0.1
        try:
            while not self._stop.is_set():
                try:
                    messages = await sub.poll(self.poll_max, 0.5)
                    if messages:
                        await self.handle([m.value for m in messages])
                        await sub.commit()
                    backoff = 0.1
                except asyncio.CancelledError:
                    raise
                except Exception:
                    self.failures += 1
                    log.exception("notification enqueue failed; the events will be redelivered")
                    await sub.rewind()
                    await asyncio.sleep(backoff)
                    backoff = min(backoff * 2, 5.0)
        finally:
            await sub.close()
