"""The in-process bus: fan-out to groups, rewind redelivers, bounded with back-pressure."""

from __future__ import annotations

import pytest

from mip.platform.bus import BusFull
from mip.platform.memory_bus import MemoryBus


async def test_given_two_groups_then_each_gets_every_message() -> None:
    bus = MemoryBus(max_messages=10)
    a = await bus.subscribe("t", "a")
    b = await bus.subscribe("t", "b")
    await bus.publish("t", b"k", b"1")
    await bus.publish("t", b"k", b"2")
    assert [m.value for m in await a.poll(10, 0.1)] == [b"1", b"2"]
    assert [m.value for m in await b.poll(10, 0.1)] == [b"1", b"2"]


async def test_given_rewind_then_uncommitted_messages_come_back_in_order() -> None:
    bus = MemoryBus(max_messages=10)
    sub = await bus.subscribe("t", "g")
    for i in range(3):
        await bus.publish("t", b"k", str(i).encode())
    first = await sub.poll(2, 0.1)
    await sub.rewind()
    again = await sub.poll(10, 0.1)
    assert [m.value for m in again] == [m.value for m in first] + [b"2"]
    await sub.commit()
    assert await sub.poll(10, 0.05) == []


async def test_given_full_queue_then_publish_raises_busfull_with_retry_after() -> None:
    bus = MemoryBus(max_messages=2)
    await bus.subscribe("t", "g")
    await bus.publish("t", b"k", b"1")
    await bus.publish("t", b"k", b"2")
    with pytest.raises(BusFull) as info:
        await bus.publish("t", b"k", b"3")
    assert info.value.status == 429
    assert info.value.extra["retry_after"] > 0


async def test_given_no_consumer_yet_then_backlog_goes_to_first_group() -> None:
    bus = MemoryBus(max_messages=5)
    await bus.publish("t", b"k", b"early")
    sub = await bus.subscribe("t", "g")
    assert [m.value for m in await sub.poll(5, 0.1)] == [b"early"]


async def test_given_byte_bound_reached_then_busfull_until_consumed() -> None:
    bus = MemoryBus(max_messages=100, max_bytes=1000)
    sub = await bus.subscribe("t", "g")
    await bus.publish("t", b"k", b"x" * 600)
    await bus.publish("t", b"k", b"x" * 600)  # crosses the bound: accepted, the next one is refused
    with pytest.raises(BusFull):
        await bus.publish("t", b"k", b"x")
    await sub.poll(1, 0.1)
    await sub.commit()
    await bus.publish("t", b"k", b"x")  # room again
    assert len(await sub.poll(10, 0.1)) == 2
