"""The stream stage: consume reading batches, raise alarms, evaluate rules, store readings.

Two consumers of the readings topic run side by side in every stream worker, each its own consumer group:

* the **alarm path** (group ``mip-alarms``): sensor limits and safety rules only. Its transaction records the
  batch ids and the alarms and nothing else, so a safety alarm is committed and published within a few tens of
  milliseconds of the batch arriving, whatever the storage path is doing;
* the **storage path** (group ``mip-stream``): the other detection rules, then all the readings with one COPY.

Each path handles the batches of one poll grouped by tenant, one tenant transaction per group: record the
batch ids under its own stage name (redeliveries are skipped), apply its effects. Events are published only
after that transaction commits, and the bus offsets are committed only after that, so a crash anywhere means
redelivery, never loss or duplication, on either path.
"""

from __future__ import annotations

import asyncio
import logging
import time
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from mip.alerts.events import publish_alert_event
from mip.alerts.lifecycle import Event
from mip.alerts.service import record_breaches
from mip.detection.stage import DetectionStage
from mip.platform.bus import TOPIC_READINGS, Bus
from mip.platform.db import Database
from mip.streaming.dedup import STAGE_ALARMS, STAGE_STREAM, mark_batches
from mip.streaming.live import LiveFeed
from mip.streaming.rules import evaluate_limits
from mip.telemetry.batch import BatchDecodeError, ReadingBatch, merge_batches
from mip.telemetry.directory import SensorDirectory
from mip.telemetry.store import write_readings

log = logging.getLogger(__name__)

Handler = Callable[[uuid.UUID, list[ReadingBatch]], Awaitable[None]]


@dataclass
class WorkerStats:
    batches: int = 0
    readings: int = 0
    duplicates: int = 0
    alerts_opened: int = 0
    alerts_updated: int = 0
    failures: int = 0
    poison: int = 0


class StreamWorker:
    def __init__(
        self,
        *,
        db: Database,
        bus: Bus,
        directory: SensorDirectory,
        group: str = "mip-stream",
        alarm_group: str = "mip-alarms",
        poll_max: int = 256,
        alarm_poll_max: int = 64,
        detection: DetectionStage | None = None,
        safety: DetectionStage | None = None,
    ) -> None:
        self.db = db
        self.bus = bus
        self.directory = directory
        self.group = group
        self.alarm_group = alarm_group
        self.poll_max = poll_max
        self.alarm_poll_max = alarm_poll_max
        self.stats = WorkerStats()
        self.live = LiveFeed(bus)
        self.detection = detection  # the standard (non-safety) rules, on the storage path
        self.safety = safety  # the safety rules, on the alarm path
        self._ticked: dict[str, float] = {}

    async def process(self, batch: ReadingBatch) -> None:
        await self.process_tenant(batch.tenant_id, [batch])

    async def process_tenant(self, tenant_id: uuid.UUID, batches: list[ReadingBatch]) -> None:
        """Both paths, one after the other (what the two consumers do for a batch they both receive)."""
        await self.alarm_tenant(tenant_id, batches)
        await self.store_tenant(tenant_id, batches)

    async def alarm_tenant(self, tenant_id: uuid.UUID, batches: list[ReadingBatch]) -> None:
        """The alarm path for one tenant's batches: limits and safety rules, one short transaction."""
        sensors = await self.directory.get(tenant_id)
        rules = await self.safety.prepare(tenant_id) if self.safety is not None else None
        events: list[tuple[dict[str, Any], int]] = []
        rule_events: list[Event] = []
        try:
            async with self.db.tenant_tx(tenant_id) as conn:
                fresh = await self._fresh(conn, tenant_id, batches, STAGE_ALARMS)
                if not fresh:
                    return
                for b in fresh:
                    breaches = evaluate_limits(b, sensors)
                    if breaches:
                        rows = await record_breaches(conn, tenant_id, b.machine_id, breaches)
                        events.extend((row, b.received_ns) for row in rows)
                if rules is not None and self.safety is not None:
                    rule_events = await self.safety.process(conn, tenant_id, rules, fresh)
        except BaseException:
            if self.safety is not None:
                self.safety.discard(tenant_id, {b.machine_id for b in batches})
            raise
        for row, received_ns in events:  # after commit
            if row["opened"]:
                self.stats.alerts_opened += 1
            else:
                self.stats.alerts_updated += 1
            kind = "alert.opened" if row["opened"] else "alert.updated"
            await publish_alert_event(self.bus, kind, row, received_ns=received_ns)
        await self._publish(rule_events, received_ns=max(b.received_ns for b in fresh))

    async def store_tenant(self, tenant_id: uuid.UUID, batches: list[ReadingBatch]) -> None:
        """The storage path for one tenant's batches: standard rules, then the readings with one COPY."""
        rules = await self.detection.prepare(tenant_id) if self.detection is not None else None
        rule_events: list[Event] = []
        try:
            async with self.db.tenant_tx(tenant_id) as conn:
                fresh = await self._fresh(conn, tenant_id, batches, STAGE_STREAM)
                if not fresh:
                    return
                if rules is not None and self.detection is not None:
                    rule_events = await self.detection.process(conn, tenant_id, rules, fresh)
                self.stats.readings += await write_readings(conn, merge_batches(fresh))
        except BaseException:
            if self.detection is not None:
                self.detection.discard(tenant_id, {b.machine_id for b in batches})
            raise
        self.stats.batches += len(fresh)
        self.live.add(fresh)  # after commit
        await self._publish(rule_events, received_ns=max(b.received_ns for b in fresh))

    async def _fresh(
        self, conn: Any, tenant_id: uuid.UUID, batches: list[ReadingBatch], stage: str
    ) -> list[ReadingBatch]:
        new = await mark_batches(conn, tenant_id, [b.batch_id for b in batches], stage)
        fresh = [b for b in batches if b.batch_id in new]
        if stage == STAGE_STREAM:
            self.stats.duplicates += len(batches) - len(fresh)
        return fresh

    async def _publish(self, rule_events: list[Event], *, received_ns: int | None = None) -> None:
        for kind, row in rule_events:
            if kind == "alert.opened":
                self.stats.alerts_opened += 1
            await publish_alert_event(self.bus, kind, row, received_ns=received_ns)

    async def _tick(self, stage: DetectionStage | None, name: str, *, idle: bool) -> None:
        """About once a second per path: time-driven rules (missing data)."""
        now = time.monotonic()
        if stage is None or now - self._ticked.get(name, 0.0) < 1.0:
            return
        self._ticked[name] = now
        await self._publish(await stage.tick(idle=idle))

    @staticmethod
    def _decode(values: list[bytes], on_poison: Callable[[], None]) -> dict[uuid.UUID, list[ReadingBatch]]:
        by_tenant: dict[uuid.UUID, list[ReadingBatch]] = {}
        for value in values:
            try:
                batch = ReadingBatch.decode(value)
            except BatchDecodeError:
                on_poison()
                continue
            by_tenant.setdefault(batch.tenant_id, []).append(batch)
        return by_tenant

    def _poison(self) -> None:
        self.stats.poison += 1
        log.error("skipping undecodable reading batch")

    async def handle(self, values: list[bytes]) -> None:
        """The storage path for one poll."""
        for tenant_id, batches in self._decode(values, self._poison).items():
            await self.store_tenant(tenant_id, batches)

    async def handle_alarms(self, values: list[bytes]) -> None:
        """The alarm path for one poll (poison is counted once, by the storage path)."""
        for tenant_id, batches in self._decode(values, lambda: None).items():
            await self.alarm_tenant(tenant_id, batches)

    async def run(self, stop: asyncio.Event) -> None:
        await asyncio.gather(self._run_alarms(stop), self._run_store(stop))

    async def _run_store(self, stop: asyncio.Event) -> None:
        async def after(idle: bool) -> None:
            await self.live.maybe_flush(force=idle)
            await self._tick(self.detection, STAGE_STREAM, idle=idle)

        await self._consume(self.group, self.poll_max, self.handle, after, stop)

    async def _run_alarms(self, stop: asyncio.Event) -> None:
        async def after(idle: bool) -> None:
            await self._tick(self.safety, STAGE_ALARMS, idle=idle)

        await self._consume(self.alarm_group, self.alarm_poll_max, self.handle_alarms, after, stop)

    async def _consume(
        self,
        group: str,
        poll_max: int,
        handle: Callable[[list[bytes]], Awaitable[None]],
        after: Callable[[bool], Awaitable[None]],
        stop: asyncio.Event,
    ) -> None:
        sub = await self.bus.subscribe(TOPIC_READINGS, group)
        backoff = 0.1
        try:
            while not stop.is_set():
                try:
                    messages = await sub.poll(poll_max, 0.25)
                    if messages:
                        await handle([m.value for m in messages])
                        await sub.commit()
                    await after(not messages)
                    backoff = 0.1
                except Exception:
                    self.stats.failures += 1
                    log.exception("stream batch failed on %s; will be redelivered", group)
                    await sub.rewind()
                    await asyncio.sleep(backoff)
                    backoff = min(backoff * 2, 5.0)
        finally:
            await sub.close()
