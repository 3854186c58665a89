"""The bus seam: publish keyed messages to topics, consume them in groups, commit after processing.

Two implementations: :mod:`mip.platform.memory_bus` (in-process, bounded, the embedded default) and
Kafka (scale-out). Delivery is at-least-once; every sink is idempotent on the message's batch id.
"""

from __future__ import annotations

import abc
from dataclasses import dataclass

from mip.platform.errors import MIPError

TOPIC_READINGS = "mip.readings"
TOPIC_ALERTS = "mip.alerts"
TOPIC_EVENTS = "mip.events"
TOPIC_LIVE = "mip.live"  # throttled latest-value snapshots for dashboards (lossy by design)


class BusError(MIPError):
    code = "bus_error"
    status = 503
    title = "Message bus unavailable"


class BusFull(MIPError):
    """Back-pressure: the topic's buffer is full; callers answer 429 with Retry-After."""

    code = "overloaded"
    status = 429
    title = "Too many requests"


@dataclass(frozen=True, slots=True)
class Message:
    topic: str
    key: bytes
    value: bytes
    partition: int = 0
    offset: int = 0


class Subscription(abc.ABC):
    """A member of a consumer group on one topic."""

    @abc.abstractmethod
    async def poll(self, max_messages: int, timeout_s: float) -> list[Message]:
        """Up to ``max_messages`` messages; waits at most ``timeout_s`` for the first one."""

    @abc.abstractmethod
    async def commit(self) -> None:
        """Mark everything returned by earlier polls as processed."""

    @abc.abstractmethod
    async def rewind(self) -> None:
        """Processing failed: uncommitted messages will be delivered again."""

    @abc.abstractmethod
    async def close(self) -> None: ...


class Bus(abc.ABC):
    @abc.abstractmethod
    async def start(self) -> None: ...

    @abc.abstractmethod
    async def stop(self) -> None: ...

    @abc.abstractmethod
    async def publish(self, topic: str, key: bytes, value: bytes) -> None:
        """Durably hand a message to the bus, or raise :class:`BusFull` / :class:`BusError`."""

    @abc.abstractmethod
    async def subscribe(self, topic: str, group: str, *, from_start: bool = True) -> Subscription:
        """Join consumer group ``group`` on ``topic``. A group with no committed position starts at the oldest
        retained message (``from_start``) or at the newest (per-process fan-out groups such as the alert hub)."""

    def retry_after_s(self) -> float:
        """How long a producer refused with BusFull should wait."""
        return 1.0
