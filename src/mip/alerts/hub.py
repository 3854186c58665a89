"""WebSocket fan-out: every API process reads the alerts topic (its own consumer group) and pushes each
event to the subscribers of that event's tenant only."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import uuid

import orjson

from mip.platform.bus import TOPIC_ALERTS, Bus
from mip.platform.ids import uuid7

log = logging.getLogger(__name__)


class AlertHub:
    def __init__(self, bus: Bus, *, queue_size: int = 1000) -> None:
        self.bus = bus
        self.queue_size = queue_size
        self._subs: dict[uuid.UUID, set[asyncio.Queue[bytes]]] = {}
        self._task: asyncio.Task[None] | None = None

    def subscribe(self, tenant_id: uuid.UUID) -> asyncio.Queue[bytes]:
        q: asyncio.Queue[bytes] = asyncio.Queue(self.queue_size)
        self._subs.setdefault(tenant_id, set()).add(q)
        return q

    def unsubscribe(self, tenant_id: uuid.UUID, q: asyncio.Queue[bytes]) -> None:
        subs = self._subs.get(tenant_id)
        if subs is not None:
            subs.discard(q)
            if not subs:
                self._subs.pop(tenant_id, None)

    def subscriber_count(self, tenant_id: uuid.UUID) -> int:
        return len(self._subs.get(tenant_id, ()))

    async def start(self) -> None:
        sub = await self.bus.subscribe(TOPIC_ALERTS, f"hub-{uuid7()}", from_start=False)

        async def run() -> None:
            try:
                while True:
                    for msg in await sub.poll(500, 1.0):
                        self.dispatch(msg.value)
                    await sub.commit()
            finally:
                await sub.close()

        self._task = asyncio.create_task(run(), name="alert-hub")

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None

    def dispatch(self, payload: bytes) -> None:
        try:
            tenant = uuid.UUID(orjson.loads(payload)["tenant_id"])
        except (orjson.JSONDecodeError, KeyError, ValueError, TypeError):
            log.warning("dropping malformed alert event")
            return
        for q in list(self._subs.get(tenant, ())):
            if q.full():  # a slow client loses its oldest event, never blocks the others
                with contextlib.suppress(asyncio.QueueEmpty):
                    q.get_nowait()
            q.put_nowait(payload)
