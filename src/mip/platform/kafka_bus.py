"""The bus on Kafka (confluent-kafka / librdkafka): the scale-out implementation of :mod:`mip.platform.bus`.

Producer: idempotent, ``acks=all``, lz4, a few ms of linger. :meth:`KafkaBus.publish` returns once the broker
has acknowledged the message (a background thread serves the producer's delivery callbacks); a full local
queue raises :class:`BusFull` (429), any other failure :class:`BusError` (503).

Topics (all names start with ``kafka_topic_prefix``): ``mip.readings``, ``mip.alerts``, ``mip.events``, and
``tenant.<tenant id>.mip.readings`` for each tenant in ``kafka_tenant_topics``; readings consumers subscribe
to all of them with one pattern. Keys are ``tenant:machine`` (readings) or the tenant id (alerts), so one
machine's batches stay in order on one partition.

Consumers: one consumer-group member per :class:`KafkaSubscription`, manual commits of the offsets of what
was returned (at-least-once), cooperative rebalancing. Every call into a consumer runs on that
subscription's own thread (librdkafka consumers must not be used from two threads at once, and rebalance
callbacks run inside ``consume``), so the event loop never blocks.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import contextlib
import logging
import re
import threading
import time
import uuid
import weakref
from collections.abc import Callable, Mapping
from typing import Any, TypeVar

from confluent_kafka import Consumer, KafkaError, KafkaException, Producer, TopicPartition
from confluent_kafka import Message as KafkaMessage
from confluent_kafka.admin import AdminClient
from confluent_kafka.cimpl import NewTopic

from mip.platform.bus import (
    TOPIC_ALERTS,
    TOPIC_EVENTS,
    TOPIC_LIVE,
    TOPIC_READINGS,
    Bus,
    BusError,
    BusFull,
    Message,
    Subscription,
)
from mip.platform.errors import ConfigurationError
from mip.platform.settings import Settings

log = logging.getLogger(__name__)
kafka_log = logging.getLogger("mip.kafka.client")  # librdkafka's own log lines


class _Throttle(logging.Filter):
    """While a broker is away, librdkafka reports every reconnect attempt (several a second, in every client):
    let one line per kind through every ``window_s`` seconds."""

    def __init__(self, window_s: float = 10.0) -> None:
        super().__init__()
        self.window_s = window_s
        self._last: dict[object, float] = {}

    def allow(self, kind: object) -> bool:
        now = time.monotonic()
        if now - self._last.get(kind, -self.window_s) < self.window_s:
            return False
        self._last[kind] = now
        return True

    def filter(self, record: logging.LogRecord) -> bool:
        args = record.args if isinstance(record.args, tuple) else ()
        return self.allow((record.levelno, args[0] if args else record.msg))  # librdkafka's facility, e.g. FAIL


_throttle = _Throttle()
kafka_log.addFilter(_throttle)

T = TypeVar("T")
TP = tuple[str, int]

MAX_MESSAGE_BYTES = 8 * 1024 * 1024  # one machine's slice of the largest ingest request fits
_TOPIC_NAME = re.compile(r"^[A-Za-z0-9._-]*$")
# A commit refused because the group is rebalancing: the messages are redelivered (to this member or another).
_REBALANCE_ERRORS = frozenset(
    {
        KafkaError.REBALANCE_IN_PROGRESS,
        KafkaError.ILLEGAL_GENERATION,
        KafkaError.UNKNOWN_MEMBER_ID,
        KafkaError.FENCED_INSTANCE_ID,
        KafkaError._STATE,  # librdkafka's local error codes start with "_"
    }
)


def _kafka_error(exc: BaseException) -> KafkaError | None:
    if isinstance(exc, KafkaException) and exc.args and isinstance(exc.args[0], KafkaError):
        return exc.args[0]
    return None


class KafkaBus(Bus):
    def __init__(
        self,
        settings: Settings,
        *,
        producer_config: Mapping[str, Any] | None = None,
        consumer_config: Mapping[str, Any] | None = None,
    ) -> None:
        prefix = settings.kafka_topic_prefix
        if not _TOPIC_NAME.match(prefix):
            raise ConfigurationError(f"MIP_KAFKA_TOPIC_PREFIX {prefix!r} may only use letters, digits, '.', '_', '-'")
        try:
            tenants = sorted({str(uuid.UUID(t)) for t in settings.kafka_tenant_topics})
        except ValueError as exc:
            raise ConfigurationError(f"MIP_KAFKA_TENANT_TOPICS must list tenant ids: {exc}") from None
        if settings.kafka_partitions < 1 or settings.kafka_replication < 1:
            raise ConfigurationError("MIP_KAFKA_PARTITIONS and MIP_KAFKA_REPLICATION must be at least 1")
        self.settings = settings
        self.prefix = prefix
        self.tenant_topics = frozenset(tenants)
        self._producer_overrides = dict(producer_config or {})
        self._consumer_overrides = dict(consumer_config or {})
        self._producer: Producer | None = None
        self._poller: threading.Thread | None = None
        self._stopping = threading.Event()
        self._fatal: KafkaError | None = None
        self._subscriptions: weakref.WeakSet[KafkaSubscription] = weakref.WeakSet()

    # --- naming -----------------------------------------------------------------------------------------------

    def topic_name(self, topic: str) -> str:
        return self.prefix + topic

    def tenant_readings_topic(self, tenant_id: str) -> str:
        return f"{self.prefix}tenant.{tenant_id}.{TOPIC_READINGS}"

    def readings_pattern(self) -> str:
        """librdkafka subscribes to every topic matching a name that starts with ``^``."""
        prefix = self.prefix.replace(".", r"\.")
        return "^" + prefix + r"(tenant\.[^.]+\.)?" + TOPIC_READINGS.replace(".", r"\.") + "$"

    def topics(self) -> list[str]:
        """Every topic this bus creates on start."""
        names = [self.topic_name(t) for t in (TOPIC_READINGS, TOPIC_ALERTS, TOPIC_EVENTS, TOPIC_LIVE)]
        return names + [self.tenant_readings_topic(t) for t in sorted(self.tenant_topics)]

    def _physical_topic(self, topic: str, key: bytes) -> str:
        if topic == TOPIC_READINGS and self.tenant_topics:
            tenant = key.split(b":", 1)[0].decode(errors="replace")
            if tenant in self.tenant_topics:
                return self.tenant_readings_topic(tenant)
        return self.topic_name(topic)

    # --- configuration ----------------------------------------------------------------------------------------

    def _common_config(self) -> dict[str, Any]:
        return {
            "bootstrap.servers": self.settings.kafka_bootstrap,
            "client.id": self.settings.kafka_client_id,
            "logger": kafka_log,
            "error_cb": self._on_client_error,
        }

    def producer_config(self) -> dict[str, Any]:
        return {
            **self._common_config(),
            "enable.idempotence": True,  # retries neither duplicate nor reorder a partition's messages
            "acks": "all",
            "linger.ms": 5,
            "compression.type": "lz4",
            "batch.size": 1_048_576,
            "batch.num.messages": 10_000,
            "message.max.bytes": MAX_MESSAGE_BYTES + 65_536,
            "message.timeout.ms": 30_000,  # a publish fails (503) rather than hang while the cluster is away
            "queue.buffering.max.messages": 100_000,
            "queue.buffering.max.kbytes": 131_072,  # 128 MiB waiting for the broker, then BusFull (429)
            "partitioner": "murmur2_random",  # the Java client's partitioner: same key, same partition
            **self._producer_overrides,
        }

    def consumer_config(self, group: str, *, from_start: bool) -> dict[str, Any]:
        session = self.settings.kafka_session_timeout_ms
        return {
            **self._common_config(),
            "group.id": group,
            "enable.auto.commit": False,
            "enable.auto.offset.store": False,
            "auto.offset.reset": "earliest" if from_start else "latest",
            "partition.assignment.strategy": "cooperative-sticky",
            "session.timeout.ms": session,
            "heartbeat.interval.ms": max(100, min(3000, session // 3)),
            "topic.metadata.refresh.interval.ms": 30_000,  # a new tenant topic joins the pattern within 30 s
            **self._consumer_overrides,
        }

    def _topic_config(self) -> dict[str, str]:
        replication = self.settings.kafka_replication
        return {
            "max.message.bytes": str(MAX_MESSAGE_BYTES),
            "min.insync.replicas": str(max(1, replication - 1)),
        }

    def _on_client_error(self, err: KafkaError) -> None:
        """Global client errors; the client retries all but fatal ones by itself."""
        if err.fatal():
            self._fatal = err
            log.error("fatal Kafka client error", extra={"mip_kafka_error": err.str()})
        elif _throttle.allow(err.code()):
            log.warning("Kafka client error (retrying)", extra={"mip_kafka_error": err.str()})

    # --- lifecycle --------------------------------------------------------------------------------------------

    async def start(self) -> None:
        if self._producer is not None:
            return
        await asyncio.to_thread(self._create_topics)
        self._stopping.clear()
        self._producer = Producer(self.producer_config())
        self._poller = threading.Thread(target=self._serve_producer, name="kafka-producer", daemon=True)
        self._poller.start()

    def _create_topics(self) -> None:
        admin = AdminClient(self._common_config())
        new = [
            NewTopic(
                name,
                num_partitions=self.settings.kafka_partitions,
                replication_factor=self.settings.kafka_replication,
                config=self._topic_config(),
            )
            for name in self.topics()
        ]
        for name, future in admin.create_topics(new, operation_timeout=30, request_timeout=30).items():
            try:
                future.result(timeout=60)
            except Exception as exc:
                err = _kafka_error(exc)
                if err is not None and err.code() == KafkaError.TOPIC_ALREADY_EXISTS:
                    continue
                detail = err.str() if err is not None else str(exc)
                raise BusError(f"cannot create Kafka topic {name}: {detail}") from None
        self._await_topics(admin, self.topics())
        log.info("Kafka topics ready", extra={"mip_topics": self.topics()})

    @staticmethod
    def _await_topics(admin: AdminClient, names: list[str], timeout_s: float = 30.0) -> None:
        """Wait until the brokers' metadata shows every topic with a leader for each partition: a consumer that
        subscribes by pattern before that would not see a just-created topic until its next metadata refresh."""
        deadline = time.monotonic() + timeout_s
        missing = list(names)
        while True:
            try:
                md = admin.list_topics(timeout=5)
                missing = [
                    n
                    for n in names
                    if n not in md.topics
                    or md.topics[n].error is not None
                    or not md.topics[n].partitions
                    or any(p.leader < 0 for p in md.topics[n].partitions.values())
                ]
            except KafkaException:
                pass
            if not missing:
                return
            if time.monotonic() > deadline:
                raise BusError(f"Kafka topics not available: {missing}")
            time.sleep(0.1)

    def _serve_producer(self) -> None:
        producer = self._producer
        assert producer is not None
        while not self._stopping.is_set():
            producer.poll(0.1)  # runs delivery callbacks; blocks until one is due or 100 ms pass

    async def stop(self) -> None:
        for sub in list(self._subscriptions):
            await sub.close()
        producer, self._producer = self._producer, None
        if producer is None:
            return
        self._stopping.set()
        if self._poller is not None:
            await asyncio.to_thread(self._poller.join)
            self._poller = None
        remaining = await asyncio.to_thread(producer.flush, 10.0)
        if remaining:
            log.error("Kafka producer stopped with undelivered messages", extra={"mip_count": remaining})

    # --- producing --------------------------------------------------------------------------------------------

    async def publish(self, topic: str, key: bytes, value: bytes) -> None:
        producer = self._producer
        if producer is None:
            raise BusError("the Kafka bus is not started")
        if self._fatal is not None:
            raise BusError(f"the Kafka producer failed: {self._fatal.str()}")
        loop = asyncio.get_running_loop()
        done: asyncio.Future[None] = loop.create_future()

        def delivered(err: KafkaError | None, _msg: KafkaMessage) -> None:  # on the producer thread
            with contextlib.suppress(RuntimeError):  # the loop is gone: nobody is waiting any more
                loop.call_soon_threadsafe(_settle, done, err)

        physical = self._physical_topic(topic, key)
        try:
            producer.produce(physical, value=value, key=key, on_delivery=delivered)
        except BufferError:
            raise BusFull(
                f"the Kafka producer queue for {physical} is full; retry later", retry_after=self.retry_after_s()
            ) from None
        except KafkaException as exc:
            err = _kafka_error(exc)
            raise BusError(f"cannot publish to {physical}: {err.str() if err else exc}") from None
        await done

    # --- consuming --------------------------------------------------------------------------------------------

    async def subscribe(self, topic: str, group: str, *, from_start: bool = True) -> Subscription:
        name = self.readings_pattern() if topic == TOPIC_READINGS else self.topic_name(topic)
        sub = KafkaSubscription(self.consumer_config(group, from_start=from_start), name, group, from_start=from_start)
        await sub.open()
        self._subscriptions.add(sub)
        return sub


def _settle(fut: asyncio.Future[None], err: KafkaError | None) -> None:
    if fut.done():  # the publisher was cancelled
        return
    if err is None:
        fut.set_result(None)
    else:
        fut.set_exception(BusError(f"Kafka did not accept the message: {err.str()}", kafka_error=err.name()))


class KafkaSubscription(Subscription):
    """A consumer-group member. State (what was returned and not committed) is touched only on its thread."""

    def __init__(self, config: dict[str, Any], topic: str, group: str, *, from_start: bool = True) -> None:
        self._config = config
        self._topic = topic
        self.group = group
        self._from_start = from_start
        self._executor = concurrent.futures.ThreadPoolExecutor(max_workers=1, thread_name_prefix=f"kafka-{group}")
        self._consumer: Consumer | None = None
        self._assigned: set[TP] = set()
        self._inflight: dict[TP, tuple[int, int]] = {}  # first and last offset returned since the last commit
        self._rewind_to: dict[TP, int] = {}  # partitions to seek back before the next consume
        self._closed = False

    async def _call(self, fn: Callable[..., T], *args: Any) -> T:
        if self._closed:
            raise BusError(f"the subscription of group {self.group} is closed")
        return await asyncio.wrap_future(self._executor.submit(fn, *args))

    async def open(self) -> None:
        await self._call(self._open)

    def _open(self) -> None:
        consumer = Consumer(self._config)
        consumer.subscribe([self._topic], on_assign=self._on_assign, on_revoke=self._on_revoke, on_lost=self._on_lost)
        self._consumer = consumer

    # Rebalance callbacks: called inside consume() on this subscription's thread.
    def _on_assign(self, consumer: Consumer, partitions: list[TopicPartition]) -> None:
        if not self._from_start and partitions:
            # "latest" would be looked up lazily, after this callback: messages published in between would be
            # skipped. Pin partitions without a committed offset to their end now, so "assigned" means "sees
            # everything published from here on".
            pinned = self._pin_to_end(consumer, partitions)
            if self._config.get("partition.assignment.strategy") == "cooperative-sticky":
                consumer.incremental_assign(pinned)
            else:
                consumer.assign(pinned)
        self._assigned.update((p.topic, p.partition) for p in partitions)
        log.info("Kafka partitions assigned", extra={"mip_group": self.group, "mip_partitions": _names(partitions)})

    def _pin_to_end(self, consumer: Consumer, partitions: list[TopicPartition]) -> list[TopicPartition]:
        try:
            out = []
            for tp in consumer.committed(partitions, timeout=10):
                if tp.offset < 0:
                    _low, high = consumer.get_watermark_offsets(TopicPartition(tp.topic, tp.partition), timeout=10)
                    tp = TopicPartition(tp.topic, tp.partition, high)
                out.append(tp)
            return out
        except KafkaException as exc:  # fall back to the lazy "latest"
            log.warning("Kafka end offsets unavailable", extra={"mip_group": self.group, "mip_error": str(exc)})
            return partitions

    def _on_revoke(self, _consumer: Consumer, partitions: list[TopicPartition]) -> None:
        """The partitions go to another member, which starts at their committed offsets: what was returned here
        and not committed is delivered there again (the stream sink is idempotent), so nothing is lost."""
        for p in partitions:
            tp = (p.topic, p.partition)
            self._assigned.discard(tp)
            self._inflight.pop(tp, None)
            self._rewind_to.pop(tp, None)
        log.info("Kafka partitions revoked", extra={"mip_group": self.group, "mip_partitions": _names(partitions)})

    def _on_lost(self, consumer: Consumer, partitions: list[TopicPartition]) -> None:
        self._on_revoke(consumer, partitions)

    async def assignment(self) -> set[TP]:
        """The (topic, partition) pairs this member owns right now (they change only inside poll)."""
        return await self._call(lambda: set(self._assigned))

    async def poll(self, max_messages: int, timeout_s: float) -> list[Message]:
        if self._closed:
            raise BusError(f"the subscription of group {self.group} is closed")
        future = self._executor.submit(self._poll, max_messages, timeout_s)
        try:
            return await asyncio.wrap_future(future)
        except asyncio.CancelledError:
            # The messages of a poll nobody received must not be committed later: deliver them again.
            with contextlib.suppress(RuntimeError):  # the executor is already shut down
                self._executor.submit(self._rewind)
            raise

    def _poll(self, max_messages: int, timeout_s: float) -> list[Message]:
        consumer = self._require_consumer()
        for tp, back_to in list(self._rewind_to.items()):
            try:
                consumer.seek(TopicPartition(tp[0], tp[1], back_to))
                del self._rewind_to[tp]
            except KafkaException as exc:  # retried before the next consume; its messages are held back until then
                log.warning("Kafka seek failed", extra={"mip_partition": f"{tp[0]}[{tp[1]}]", "mip_error": str(exc)})
        try:
            # consume() waits for a full batch or the whole timeout; the contract is "at most timeout_s for the
            # first message": take what is there, else wait for one message, then whatever has arrived with it.
            raw = consumer.consume(num_messages=max_messages, timeout=0)
            if not raw:
                one = consumer.poll(timeout_s)
                if one is not None:
                    raw = [one]
                    if max_messages > 1:
                        raw += consumer.consume(num_messages=max_messages - 1, timeout=0)
        except KafkaException as exc:
            raise BusError(f"Kafka consume failed: {exc}") from None
        out: list[Message] = []
        for m in raw:
            err = m.error()
            if err is not None:
                if err.fatal():
                    raise BusError(f"Kafka consumer failed: {err.str()}")
                log.warning("Kafka consumer error", extra={"mip_group": self.group, "mip_kafka_error": err.str()})
                continue
            topic, partition, offset = m.topic(), m.partition(), m.offset()
            if topic is None or partition is None or offset is None:
                continue
            tp = (topic, partition)
            if tp not in self._assigned or tp in self._rewind_to:
                continue  # a revoked partition's leftovers, or one waiting to be rewound: delivered again later
            first = self._inflight[tp][0] if tp in self._inflight else offset
            self._inflight[tp] = (first, offset)
            out.append(Message(topic, m.key() or b"", m.value() or b"", partition, offset))
        return out

    async def commit(self) -> None:
        await self._call(self._commit)

    def _commit(self) -> None:
        if not self._inflight:
            return
        consumer = self._require_consumer()
        offsets = [TopicPartition(t, p, last + 1) for (t, p), (_first, last) in self._inflight.items()]
        try:
            result = consumer.commit(offsets=offsets, asynchronous=False)
        except KafkaException as exc:
            err = _kafka_error(exc)
            if err is not None and err.code() in _REBALANCE_ERRORS:
                # Not committed: these messages come again after the rebalance; processing them twice is safe.
                log.warning("Kafka commit refused during a rebalance", extra={"mip_group": self.group})
                self._rewind()
                return
            raise BusError(f"Kafka commit failed: {err.str() if err else exc}") from None
        failed = [tp for tp in result if tp.error is not None]
        if failed:
            raise BusError(f"Kafka commit failed for {_names(failed)}: {failed[0].error}")
        self._inflight.clear()

    async def rewind(self) -> None:
        await self._call(self._rewind)

    def _rewind(self) -> None:
        """Seek every partition with uncommitted messages back to the first of them (its committed offset)."""
        for tp, (first, _last) in self._inflight.items():
            if tp in self._assigned:
                self._rewind_to[tp] = min(first, self._rewind_to.get(tp, first))
        self._inflight.clear()

    async def close(self) -> None:
        if self._closed:
            return
        try:
            await self._call(self._close)
        finally:
            self._closed = True
            self._executor.shutdown(wait=False)

    def _close(self) -> None:
        """Leave the group without committing: uncommitted messages go to the remaining members."""
        consumer, self._consumer = self._consumer, None
        self._inflight.clear()
        if consumer is not None:
            try:
                consumer.close()
            except (KafkaException, RuntimeError) as exc:
                log.warning("Kafka consumer close failed", extra={"mip_group": self.group, "mip_error": str(exc)})

    def _require_consumer(self) -> Consumer:
        if self._consumer is None:
            raise BusError(f"the subscription of group {self.group} is closed")
        return self._consumer


def _names(partitions: list[TopicPartition]) -> list[str]:
    return [f"{p.topic}[{p.partition}]" for p in partitions]
