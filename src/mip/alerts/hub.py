"""WebSocket fan-out: every API process reads the alerts and live topics (its own consumer groups) and
pushes each event to the subscribers of that event's tenant only. Live reading snapshots go only to
subscribers that asked for them (and may read readings)."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import uuid

import orjson

from mip.platform.bus import TOPIC_ALERTS, TOPIC_LIVE, Bus, Subscription
from mip.platform.ids import uuid7

log = logging.getLogger(__name__)


class AlertHub:
    def __init__(self, bus: Bus, *, queue_size: int = 1000) -> None:
        self.bus = bus
        self.queue_size = queue_size
        # tenant -> {queue: wants live readings}
        self._subs: dict[uuid.UUID, dict[asyncio.Queue[bytes], bool]] = {}
        self._tasks: list[asyncio.Task[None]] = []

    def subscribe(self, tenant_id: uuid.UUID, *, live: bool = False) -> asyncio.Queue[bytes]:
        q: asyncio.Queue[bytes] = asyncio.Queue(self.queue_size)
        self._subs.setdefault(tenant_id, {})[q] = live
        return q

    def unsubscribe(self, tenant_id: uuid.UUID, q: asyncio.Queue[bytes]) -> None:
        subs = self._subs.get(tenant_id)
        if subs is not None:
            subs.pop(q, None)
            if not subs:
                self._subs.pop(tenant_id, None)

    def subscriber_count(self, tenant_id: uuid.UUID) -> int:
        return len(self._subs.get(tenant_id, ()))

    async def start(self) -> None:
        for topic, live in ((TOPIC_ALERTS, False), (TOPIC_LIVE, True)):
            sub = await self.bus.subscribe(topic, f"hub-{uuid7()}", from_start=False)
            self._tasks.append(asyncio.create_task(self._run(sub, live), name=f"hub-{topic}"))

    async def _run(self, sub: Subscription, live: bool) -> None:
        try:
            while True:
                for msg in await sub.poll(500, 1.0):
                    self.dispatch(msg.value, live=live)
                await sub.commit()
        finally:
            await sub.close()

    async def stop(self) -> None:
        for task in self._tasks:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task
        self._tasks.clear()

    def dispatch(self, payload: bytes, *, live: bool = False) -> None:
        try:
            tenant = uuid.UUID(orjson.loads(payload)["tenant_id"])
        except (orjson.JSONDecodeError, KeyError, ValueError, TypeError):
            log.warning("dropping malformed alert event")
            return
        for q, wants_live in list(self._subs.get(tenant, {}).items()):
            if live and not wants_live:
                continue
            if q.full():  # a slow client loses its oldest event, never blocks the others
                with contextlib.suppress(asyncio.QueueEmpty):
                    q.get_nowait()
            q.put_nowait(payload)
