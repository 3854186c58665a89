"""The stream stage: consume reading batches, evaluate rules, open/update alerts, store readings.

The batches of one poll are grouped by tenant; each group is handled in one tenant transaction: record the
batch ids (redeliveries are skipped), record breaches, store all the group's readings with one COPY. Alert
events are published only after that transaction commits, and the bus offsets are committed only after
that, so a crash anywhere means redelivery, never loss or duplication.
"""

from __future__ import annotations

import asyncio
import logging
import time
import uuid
from dataclasses import dataclass
from typing import Any

from mip.alerts.events import publish_alert_event
from mip.alerts.lifecycle import Event
from mip.alerts.service import record_breaches
from mip.detection.stage import DetectionStage
from mip.platform.bus import TOPIC_READINGS, Bus
from mip.platform.db import Database
from mip.streaming.dedup import mark_batches
from mip.streaming.live import LiveFeed
from mip.streaming.rules import evaluate_limits
from mip.telemetry.batch import BatchDecodeError, ReadingBatch, merge_batches
from mip.telemetry.directory import SensorDirectory
from mip.telemetry.store import write_readings

log = logging.getLogger(__name__)


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
        poll_max: int = 256,
        detection: DetectionStage | None = None,
    ) -> None:
        self.db = db
        self.bus = bus
        self.directory = directory
        self.group = group
        self.poll_max = poll_max
        self.stats = WorkerStats()
        self.live = LiveFeed(bus)
        self.detection = detection
        self._ticked = 0.0

    async def process(self, batch: ReadingBatch) -> None:
        await self.process_tenant(batch.tenant_id, [batch])

    async def process_tenant(self, tenant_id: uuid.UUID, batches: list[ReadingBatch]) -> None:
        """One transaction for one tenant's batches."""
        sensors = await self.directory.get(tenant_id)
        rules = await self.detection.prepare(tenant_id) if self.detection is not None else None
        events: list[tuple[dict[str, Any], int]] = []
        rule_events: list[Event] = []
        try:
            async with self.db.tenant_tx(tenant_id) as conn:
                new = await mark_batches(conn, tenant_id, [b.batch_id for b in batches])
                fresh = [b for b in batches if b.batch_id in new]
                self.stats.duplicates += len(batches) - len(fresh)
                if not fresh:
                    return
                for b in fresh:
                    breaches = evaluate_limits(b, sensors)
                    if breaches:
                        rows = await record_breaches(conn, tenant_id, b.machine_id, breaches)
                        events.extend((row, b.received_ns) for row in rows)
                if rules is not None and self.detection is not None:
                    rule_events = await self.detection.process(conn, tenant_id, rules, fresh)
                self.stats.readings += await write_readings(conn, merge_batches(fresh))
        except BaseException:
            if self.detection is not None:
                self.detection.discard(tenant_id, {b.machine_id for b in batches})
            raise
        self.stats.batches += len(fresh)
        self.live.add(fresh)  # after commit
        for row, received_ns in events:  # after commit
            if row["opened"]:
                self.stats.alerts_opened += 1
            else:
                self.stats.alerts_updated += 1
            kind = "alert.opened" if row["opened"] else "alert.updated"
            await publish_alert_event(self.bus, kind, row, received_ns=received_ns)
        await self._publish(rule_events, received_ns=max(b.received_ns for b in fresh))

    async def _publish(self, rule_events: list[Event], *, received_ns: int | None = None) -> None:
        for kind, row in rule_events:
            if kind == "alert.opened":
                self.stats.alerts_opened += 1
            await publish_alert_event(self.bus, kind, row, received_ns=received_ns)

    async def _tick(self, *, idle: bool) -> None:
        """About once a second: time-driven rules (missing data)."""
        now = time.monotonic()
        if self.detection is None or now - self._ticked < 1.0:
            return
        self._ticked = now
        await self._publish(await self.detection.tick(idle=idle))

    async def handle(self, values: list[bytes]) -> None:
        by_tenant: dict[uuid.UUID, list[ReadingBatch]] = {}
        for value in values:
            try:
                batch = ReadingBatch.decode(value)
            except BatchDecodeError:
                self.stats.poison += 1
                log.error("skipping undecodable reading batch")
                continue
            by_tenant.setdefault(batch.tenant_id, []).append(batch)
        for tenant_id, batches in by_tenant.items():
            await self.process_tenant(tenant_id, batches)

    async def run(self, stop: asyncio.Event) -> None:
        sub = await self.bus.subscribe(TOPIC_READINGS, self.group)
        backoff = 0.1
        try:
            while not stop.is_set():
                try:
                    messages = await sub.poll(self.poll_max, 0.25)
                    if messages:
                        await self.handle([m.value for m in messages])
                        await sub.commit()
                    await self.live.maybe_flush(force=not messages)
                    await self._tick(idle=not messages)
                    backoff = 0.1
                except Exception:
                    self.stats.failures += 1
                    log.exception("stream batch failed; will be redelivered")
                    await sub.rewind()
                    await asyncio.sleep(backoff)
                    backoff = min(backoff * 2, 5.0)
        finally:
            await sub.close()
