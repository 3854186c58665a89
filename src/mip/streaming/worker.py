"""The stream stage: consume reading batches, evaluate rules, open/update alerts, store readings.

Each batch is handled in one tenant transaction: mark the batch id (a redelivery is skipped), record
breaches, COPY readings. Alert events are published only after that transaction commits, and the bus
offset is committed only after that, so a crash anywhere means redelivery, never loss or duplication.
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass, field

from mip.alerts.events import publish_alert_event
from mip.alerts.service import record_breaches
from mip.platform.bus import TOPIC_READINGS, Bus
from mip.platform.db import Database
from mip.streaming.rules import evaluate_limits
from mip.telemetry.batch import BatchDecodeError, ReadingBatch
from mip.telemetry.directory import SensorDirectory
from mip.telemetry.store import mark_batch, write_readings

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
    extra: dict[str, int] = field(default_factory=dict)


class StreamWorker:
    def __init__(
        self,
        *,
        db: Database,
        bus: Bus,
        directory: SensorDirectory,
        group: str = "mip-stream",
        poll_max: int = 256,
    ) -> None:
        self.db = db
        self.bus = bus
        self.directory = directory
        self.group = group
        self.poll_max = poll_max
        self.stats = WorkerStats()

    async def process(self, batch: ReadingBatch) -> None:
        sensors = await self.directory.get(batch.tenant_id)
        breaches = evaluate_limits(batch, sensors)
        async with self.db.tenant_tx(batch.tenant_id) as conn:
            if not await mark_batch(conn, batch.tenant_id, batch.batch_id):
                self.stats.duplicates += 1
                return
            alerts = await record_breaches(conn, batch.tenant_id, batch.machine_id, breaches) if breaches else []
            self.stats.readings += await write_readings(conn, batch)
        self.stats.batches += 1
        for row in alerts:  # after commit
            kind = "alert.opened" if row["opened"] else "alert.updated"
            if row["opened"]:
                self.stats.alerts_opened += 1
            else:
                self.stats.alerts_updated += 1
            await publish_alert_event(self.bus, kind, row, received_ns=batch.received_ns)

    async def run(self, stop: asyncio.Event) -> None:
        sub = await self.bus.subscribe(TOPIC_READINGS, self.group)
        backoff = 0.1
        try:
            while not stop.is_set():
                messages = await sub.poll(self.poll_max, 0.5)
                if not messages:
                    continue
                try:
                    for msg in messages:
                        try:
                            batch = ReadingBatch.decode(msg.value)
                        except BatchDecodeError:
                            self.stats.poison += 1
                            log.error("skipping undecodable reading batch", extra={"mip_offset": msg.offset})
                            continue
                        await self.process(batch)
                    await sub.commit()
                    backoff = 0.1
                except Exception:
                    self.stats.failures += 1
                    log.exception("stream batch failed; will be redelivered")
                    await sub.rewind()
                    await asyncio.sleep(backoff)
                    backoff = min(backoff * 2, 5.0)
        finally:
            await sub.close()
