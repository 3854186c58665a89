"""In-process bus: bounded per (topic, group) queues; a full queue answers with back-pressure.

The bound is in messages *and* bytes: a message is one machine's slice of a request and can hold thousands
of readings, so a message count alone would let the backlog (and alert latency) grow to millions of readings
before producers see a 429.

Every consumer group on a topic receives every message (as in Kafka); within a group, messages
are handed out once and come back if the consumer rewinds instead of committing.
"""

from __future__ import annotations

import asyncio
import collections

from mip.platform.bus import Bus, BusFull, Message, Subscription


class _GroupQueue:
    def __init__(self, maxsize: int, max_bytes: int) -> None:
        self.maxsize = maxsize
        self.max_bytes = max_bytes
        self.bytes = 0
        self.items: collections.deque[Message] = collections.deque()
        self.ready = asyncio.Event()

    def full(self) -> bool:
        return len(self.items) >= self.maxsize or self.bytes >= self.max_bytes

    def put(self, msg: Message) -> None:
        self.items.append(msg)
        self.bytes += len(msg.value)
        self.ready.set()

    def take(self) -> Message:
        msg = self.items.popleft()
        self.bytes -= len(msg.value)
        return msg

    def put_back(self, msgs: list[Message]) -> None:
        self.items.extendleft(reversed(msgs))
        self.bytes += sum(len(m.value) for m in msgs)
        if self.items:
            self.ready.set()


class MemorySubscription(Subscription):
    def __init__(self, queue: _GroupQueue) -> None:
        self._q = queue
        self._inflight: list[Message] = []
        self._closed = False

    async def poll(self, max_messages: int, timeout_s: float) -> list[Message]:
        if not self._q.items:
            self._q.ready.clear()
            try:
                await asyncio.wait_for(self._q.ready.wait(), timeout_s)
            except TimeoutError:
                return []
        out: list[Message] = []
        while self._q.items and len(out) < max_messages:
            out.append(self._q.take())
        self._inflight.extend(out)
        return out

    async def commit(self) -> None:
        self._inflight.clear()

    async def rewind(self) -> None:
        self._q.put_back(self._inflight)
        self._inflight.clear()

    async def close(self) -> None:
        await self.rewind()
        self._closed = True


class MemoryBus(Bus):
    def __init__(self, *, max_messages: int = 20_000, max_bytes: int = 16 * 1024 * 1024) -> None:
        self.max_messages = max_messages
        self.max_bytes = max_bytes
        self._groups: dict[str, dict[str, _GroupQueue]] = collections.defaultdict(dict)
        self._offsets: dict[str, int] = collections.defaultdict(int)
        self._backlog: dict[str, collections.deque[Message]] = collections.defaultdict(collections.deque)

    async def start(self) -> None:
        return None

    async def stop(self) -> None:
        return None

    async def publish(self, topic: str, key: bytes, value: bytes) -> None:
        groups = self._groups.get(topic)
        if groups and any(g.full() for g in groups.values()):
            raise BusFull(f"bus topic {topic} is full; retry later", retry_after=self.retry_after_s())
        offset = self._offsets[topic]
        self._offsets[topic] = offset + 1
        msg = Message(topic=topic, key=key, value=value, offset=offset)
        if not groups:
            backlog = self._backlog[topic]
            if len(backlog) >= self.max_messages:
                raise BusFull(f"bus topic {topic} has no consumer and is full", retry_after=self.retry_after_s())
            backlog.append(msg)
            return
        for g in groups.values():
            g.put(msg)

    async def subscribe(self, topic: str, group: str, *, from_start: bool = True) -> Subscription:
        groups = self._groups[topic]
        if group not in groups:
            q = _GroupQueue(self.max_messages, self.max_bytes)
            # every group starting from the beginning gets what was published before any group existed
            backlog = self._backlog.get(topic) if from_start else None
            if backlog:
                for msg in backlog:
                    q.put(msg)
            groups[group] = q
        return MemorySubscription(groups[group])

    def depth(self, topic: str) -> int:
        groups = self._groups.get(topic, {})
        return max((len(g.items) for g in groups.values()), default=len(self._backlog.get(topic, ())))
