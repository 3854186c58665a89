"""The Kafka bus against a real broker: keys and order, consumer groups, commits, rewinds, rebalances,
back-pressure and per-tenant topics. Every test has its own topic prefix, so topics are never shared."""

from __future__ import annotations

import asyncio
import collections
import secrets
import uuid
from collections.abc import AsyncIterator, Callable
from typing import Any

import pytest
from confluent_kafka.admin import AdminClient

from mip.platform.bus import TOPIC_ALERTS, TOPIC_EVENTS, TOPIC_READINGS, BusError, BusFull, Message, Subscription
from mip.platform.kafka_bus import KafkaBus, KafkaSubscription
from mip.platform.settings import Settings

PARTITIONS = 4

SettingsFactory = Callable[..., Settings]


@pytest.fixture
def kafka_settings(kafka_bootstrap: str) -> SettingsFactory:
    def make(**overrides: Any) -> Settings:
        values: dict[str, Any] = {
            "env": "test",
            "kafka_bootstrap": kafka_bootstrap,
            "kafka_topic_prefix": f"t{secrets.token_hex(4)}.",
            "kafka_partitions": PARTITIONS,
            "kafka_session_timeout_ms": 6000,
            "kafka_client_id": "mip-test",
        }
        values.update(overrides)
        return Settings(**values)

    return make


@pytest.fixture
async def bus(kafka_settings: SettingsFactory) -> AsyncIterator[KafkaBus]:
    b = KafkaBus(kafka_settings())
    await b.start()
    yield b
    await b.stop()


async def kafka_sub(bus: KafkaBus, topic: str, group: str, *, from_start: bool = True) -> KafkaSubscription:
    sub = await bus.subscribe(topic, group, from_start=from_start)
    assert isinstance(sub, KafkaSubscription)
    return sub


async def collect(sub: Subscription, n: int, *, commit: bool = False, timeout: float = 30.0) -> list[Message]:
    """Poll until ``n`` messages arrived (or give up after ``timeout``; the caller's assertion then fails)."""
    out: list[Message] = []
    deadline = asyncio.get_running_loop().time() + timeout
    while len(out) < n and asyncio.get_running_loop().time() < deadline:
        out.extend(await sub.poll(n - len(out), 0.5))
        if commit:
            await sub.commit()
    return out


async def until_assigned(*subs: KafkaSubscription, partitions: int = PARTITIONS, timeout: float = 30.0) -> None:
    """Poll (which drives the group protocol) until every member owns partitions and all are owned."""
    deadline = asyncio.get_running_loop().time() + timeout
    while asyncio.get_running_loop().time() < deadline:
        owned = [await s.assignment() for s in subs]
        if all(owned) and sum(len(o) for o in owned) == partitions:
            return
        for s in subs:
            assert await s.poll(100, 0.2) == [], "nothing was published yet"
    raise AssertionError("the group did not settle")


async def test_given_keyed_messages_when_consumed_then_keys_values_and_topic_are_preserved(bus: KafkaBus) -> None:
    sent = [(f"tenant:{i % 3}".encode(), f"v{i}".encode()) for i in range(10)]
    for key, value in sent:
        await bus.publish(TOPIC_READINGS, key, value)
    sub = await kafka_sub(bus, TOPIC_READINGS, "g")
    got = await collect(sub, 10)
    await sub.close()
    assert sorted((m.key, m.value) for m in got) == sorted(sent)
    assert {m.topic for m in got} == {bus.topic_name(TOPIC_READINGS)}
    assert all(m.offset >= 0 and 0 <= m.partition < PARTITIONS for m in got)


async def test_given_many_keys_when_published_then_each_key_stays_on_one_partition_in_order(bus: KafkaBus) -> None:
    keys = [f"tenant:machine-{k}".encode() for k in range(16)]
    per_key = 25
    for i in range(per_key):
        await asyncio.gather(*(bus.publish(TOPIC_ALERTS, k, f"{k.decode()}|{i}".encode()) for k in keys))
    sub = await kafka_sub(bus, TOPIC_ALERTS, "g")
    got = await collect(sub, len(keys) * per_key)
    await sub.close()
    by_key: dict[bytes, list[Message]] = collections.defaultdict(list)
    for m in got:
        by_key[m.key].append(m)
    assert set(by_key) == set(keys)
    for key, msgs in by_key.items():
        assert [int(m.value.split(b"|")[1]) for m in msgs] == list(range(per_key)), key
        assert len({m.partition for m in msgs}) == 1
    assert len({msgs[0].partition for msgs in by_key.values()}) > 1  # the keys did spread over partitions


async def test_given_two_members_of_one_group_when_both_commit_then_they_split_partitions_and_see_each_message_once(
    bus: KafkaBus,
) -> None:
    a = await kafka_sub(bus, TOPIC_EVENTS, "split")
    b = await kafka_sub(bus, TOPIC_EVENTS, "split")
    await until_assigned(a, b)
    assert not (await a.assignment()) & (await b.assignment())
    total = 200
    await asyncio.gather(*(bus.publish(TOPIC_EVENTS, f"k{i % 16}".encode(), str(i).encode()) for i in range(total)))
    seen: dict[str, list[bytes]] = {"a": [], "b": []}
    deadline = asyncio.get_running_loop().time() + 30
    while len(seen["a"]) + len(seen["b"]) < total and asyncio.get_running_loop().time() < deadline:
        for name, sub in (("a", a), ("b", b)):
            seen[name].extend(m.value for m in await sub.poll(50, 0.2))
            await sub.commit()
    for sub in (a, b):  # nothing more comes: every message went to exactly one member
        assert await sub.poll(100, 1.0) == []
    await a.close()
    await b.close()
    everything = seen["a"] + seen["b"]
    assert collections.Counter(everything) == collections.Counter(str(i).encode() for i in range(total))
    assert seen["a"]
    assert seen["b"]

    later = await kafka_sub(bus, TOPIC_EVENTS, "split")  # the group's committed offsets are at the end
    await until_assigned(later)
    assert await later.poll(100, 1.0) == []
    await later.close()


async def test_given_uncommitted_messages_when_rewound_then_redelivered_in_order(bus: KafkaBus) -> None:
    for i in range(5):
        await bus.publish(TOPIC_READINGS, b"tenant:m", str(i).encode())
    sub = await kafka_sub(bus, TOPIC_READINGS, "g")
    first = await collect(sub, 5)
    await sub.rewind()
    again = await collect(sub, 5)
    await sub.commit()
    assert [m.value for m in first] == [b"0", b"1", b"2", b"3", b"4"]
    assert [(m.partition, m.offset, m.value) for m in again] == [(m.partition, m.offset, m.value) for m in first]
    assert await sub.poll(10, 1.0) == []
    await sub.close()


async def test_given_member_leaves_without_committing_then_another_member_gets_its_messages(bus: KafkaBus) -> None:
    dying = await kafka_sub(bus, TOPIC_EVENTS, "rebalance")
    survivor = await kafka_sub(bus, TOPIC_EVENTS, "rebalance")
    await until_assigned(dying, survivor)
    total = 120
    await asyncio.gather(*(bus.publish(TOPIC_EVENTS, f"k{i % 16}".encode(), str(i).encode()) for i in range(total)))
    lost_in_flight = await collect(dying, 1)  # taken, never committed
    assert lost_in_flight
    received: list[bytes] = []
    while len(set(received)) < total - len(lost_in_flight):  # everything outside the dying member's hands
        batch = await survivor.poll(50, 0.5)
        if not batch:
            break
        received.extend(m.value for m in batch)
        await survivor.commit()
    await dying.close()  # gone without a commit: its partitions move to the survivor
    received.extend(m.value for m in await collect(survivor, total - len(set(received)), commit=True))
    assert set(received) == {str(i).encode() for i in range(total)}
    assert {m.value for m in lost_in_flight} <= set(received)
    await survivor.close()


async def test_given_two_groups_then_each_sees_every_message(bus: KafkaBus) -> None:
    g1 = await kafka_sub(bus, TOPIC_ALERTS, "one")
    g2 = await kafka_sub(bus, TOPIC_ALERTS, "two")
    sent = {str(i).encode() for i in range(30)}
    for v in sorted(sent):
        await bus.publish(TOPIC_ALERTS, b"tenant", v)
    got1 = await collect(g1, 30, commit=True)
    got2 = await collect(g2, 30, commit=True)
    await g1.close()
    await g2.close()
    assert {m.value for m in got1} == sent
    assert {m.value for m in got2} == sent
    assert len(got1) == len(got2) == 30


async def test_given_group_that_starts_at_newest_then_it_sees_only_later_messages(bus: KafkaBus) -> None:
    await bus.publish(TOPIC_ALERTS, b"tenant", b"before")
    hub = await kafka_sub(bus, TOPIC_ALERTS, f"hub-{uuid.uuid4()}", from_start=False)
    await until_assigned(hub)
    await bus.publish(TOPIC_ALERTS, b"tenant", b"after")
    got = await collect(hub, 1)
    assert [m.value for m in got] == [b"after"]
    await hub.close()


async def test_given_full_local_producer_queue_then_publish_raises_busfull_and_recovers(
    kafka_settings: SettingsFactory,
) -> None:
    bus = KafkaBus(kafka_settings(), producer_config={"queue.buffering.max.messages": 3, "linger.ms": 200})
    await bus.start()
    try:
        results = await asyncio.gather(
            *(bus.publish(TOPIC_READINGS, b"tenant:m", str(i).encode()) for i in range(10)), return_exceptions=True
        )
        full = [r for r in results if isinstance(r, BusFull)]
        assert len(full) == 7
        assert results[:3] == [None, None, None]  # the first three were queued and delivered
        assert full[0].status == 429
        assert full[0].extra["retry_after"] > 0
        await bus.publish(TOPIC_READINGS, b"tenant:m", b"later")  # room again once delivered
    finally:
        await bus.stop()


async def test_given_message_larger_than_allowed_then_publish_raises_bus_error(bus: KafkaBus) -> None:
    with pytest.raises(BusError) as info:
        await bus.publish(TOPIC_READINGS, b"tenant:m", b"x" * (10 * 1024 * 1024))
    assert info.value.status == 503


async def test_given_tenant_topics_then_their_readings_use_their_own_topic_and_one_pattern_reads_all(
    kafka_settings: SettingsFactory, kafka_bootstrap: str
) -> None:
    isolated, shared = str(uuid.uuid4()), str(uuid.uuid4())
    bus = KafkaBus(kafka_settings(kafka_tenant_topics=[isolated]))
    await bus.start()
    try:
        own_topic = f"{bus.prefix}tenant.{isolated}.mip.readings"
        topics = AdminClient({"bootstrap.servers": kafka_bootstrap}).list_topics(timeout=10).topics
        assert own_topic in topics
        assert len(topics[own_topic].partitions) == PARTITIONS
        await bus.publish(TOPIC_READINGS, f"{isolated}:m1".encode(), b"isolated")
        await bus.publish(TOPIC_READINGS, f"{shared}:m1".encode(), b"shared")
        sub = await kafka_sub(bus, TOPIC_READINGS, "stream")
        got = {m.value: m.topic for m in await collect(sub, 2)}
        await sub.close()
        assert got == {b"isolated": own_topic, b"shared": f"{bus.prefix}mip.readings"}
    finally:
        await bus.stop()
