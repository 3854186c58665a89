"""A process's collaborators, built once from settings and handed to routes and workers.

``mip serve --role`` decides which parts run: api (REST, WebSocket hub), ingest (ingest endpoint),
stream (stream workers), or all of them in one process on embedded defaults.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Iterable
from dataclasses import dataclass, field
from enum import StrEnum

from mip.alerts.escalation import run_escalations
from mip.alerts.hub import AlertHub
from mip.detection.stage import DetectionStage, RuleCache
from mip.identity.service import ApiKeyVerifier
from mip.maintenance.scoring import MaintenanceScorer
from mip.notifications.consumer import NotificationConsumer
from mip.notifications.dispatcher import NotificationDispatcher
from mip.notifications.wiring import build_notifications
from mip.oee.job import run_oee_job
from mip.platform.bus import Bus
from mip.platform.database_setup import DatabaseHandle, open_database
from mip.platform.db import Database
from mip.platform.errors import ConfigurationError
from mip.platform.memory_bus import MemoryBus
from mip.platform.settings import BusKind, Settings
from mip.streaming.worker import StreamWorker
from mip.telemetry.compressor import run_compressor
from mip.telemetry.directory import SensorDirectory

log = logging.getLogger(__name__)


class Role(StrEnum):
    API = "api"
    INGEST = "ingest"
    STREAM = "stream"
    ETL = "etl"
    ALL = "all"


ALL_ROLES = frozenset({Role.API, Role.INGEST, Role.STREAM, Role.ETL})
BUS_ROLES = frozenset({Role.API, Role.INGEST, Role.STREAM})  # the roles that share the bus


def expand_roles(role: Role | Iterable[Role]) -> frozenset[Role]:
    """``all`` means api + ingest + stream + etl; a process may run any combination."""
    chosen = {role} if isinstance(role, Role) else set(role)
    if not chosen or Role.ALL in chosen:
        return ALL_ROLES
    return frozenset(chosen)


def make_bus(settings: Settings) -> Bus:
    if settings.bus is BusKind.MEMORY:
        return MemoryBus(max_messages=settings.bus_memory_max_batches, max_bytes=settings.bus_memory_max_bytes)
    from mip.platform.kafka_bus import KafkaBus  # confluent-kafka loads only when it is used

    return KafkaBus(settings)


@dataclass
class Runtime:
    settings: Settings
    role: Role
    db: Database
    bus: Bus
    directory: SensorDirectory
    verifier: ApiKeyVerifier
    hub: AlertHub
    rules: RuleCache
    secret_key: str
    handle: DatabaseHandle | None = None
    roles: frozenset[Role] = frozenset()  # what this process runs; empty = derived from ``role``
    worker: StreamWorker | None = None
    notifier: NotificationDispatcher | None = None
    notify_consumer: NotificationConsumer | None = None
    maintenance: MaintenanceScorer | None = None
    _tasks: list[asyncio.Task[None]] = field(default_factory=list)
    _stop: asyncio.Event = field(default_factory=asyncio.Event)

    @classmethod
    def build(
        cls, settings: Settings, role: Role | Iterable[Role] = Role.ALL, *, handle: DatabaseHandle | None = None
    ) -> Runtime:
        roles = expand_roles(role)
        bus_roles = roles & BUS_ROLES  # the etl role uses no bus: it may run alone on the in-process bus
        if bus_roles and bus_roles != BUS_ROLES and settings.bus is BusKind.MEMORY:
            raise ConfigurationError(
                f"roles {sorted(r.value for r in roles)} run apart from the others only on a shared bus: "
                "set MIP_BUS=kafka"
            )
        if handle is None:
            handle = open_database(settings)
        db = Database(handle.app_url, min_size=settings.db_pool_min, max_size=settings.db_pool_max)
        bus = make_bus(settings)
        return cls(
            settings=settings,
            role=Role.ALL if roles == ALL_ROLES else next(iter(sorted(roles))),
            roles=roles,
            db=db,
            bus=bus,
            directory=SensorDirectory(db),
            verifier=ApiKeyVerifier(db, settings.api_key_cache_ttl_s),
            hub=AlertHub(bus),
            rules=RuleCache(db, settings.rules_ttl_s),
            secret_key=settings.resolve_secret_key(),
            handle=handle,
        )

    @property
    def active_roles(self) -> frozenset[Role]:
        return self.roles or expand_roles(self.role)

    @property
    def serves_api(self) -> bool:
        return Role.API in self.active_roles

    @property
    def serves_ingest(self) -> bool:
        return Role.INGEST in self.active_roles

    async def start(self) -> None:
        await self.db.open()
        await self.bus.start()
        if self.serves_api:
            await self.hub.start()
        if Role.STREAM in self.active_roles:
            self.worker = StreamWorker(
                db=self.db,
                bus=self.bus,
                directory=self.directory,
                poll_max=self.settings.stream_poll_max,
                detection=DetectionStage(self.db, self.rules),
                safety=DetectionStage(self.db, self.rules, safety=True),
            )
            self._tasks.append(asyncio.create_task(self.worker.run(self._stop), name="stream-worker"))
            escalation = run_escalations(self.db, self.bus, self.settings.escalation_interval_s, self._stop)
            self._tasks.append(asyncio.create_task(escalation, name="alarm-escalation"))
            if self.settings.oee_rollup_interval_s > 0:
                oee = run_oee_job(self.db, self.settings.oee_rollup_interval_s, self._stop)
                self._tasks.append(asyncio.create_task(oee, name="oee-rollups"))
            if self.settings.maintenance_interval_s > 0:
                self.maintenance = MaintenanceScorer(
                    self.db, interval_s=self.settings.maintenance_interval_s, retrain=self.settings.maintenance_retrain
                )
                await self.maintenance.start()
            if self.settings.notify_dispatch:
                self.notify_consumer, self.notifier = build_notifications(self.settings, self.db, self.bus)
                await self.notifier.start()
                await self.notify_consumer.start()
            if self.settings.audit_seal_interval_s > 0:  # audit hash chain + signed checkpoints
                from mip.audit.service import run_audit_jobs

                audit = run_audit_jobs(
                    self.db, self.settings.data_dir, self._stop, interval_s=self.settings.audit_seal_interval_s
                )
                self._tasks.append(asyncio.create_task(audit, name="audit-sealer"))
            if self.settings.spc_interval_s > 0:  # SPC charts fed by sensor streams
                from mip.quality.spc.sensor import run_spc_job

                spc = run_spc_job(self.db, self.bus, self.settings.spc_interval_s, self._stop)
                self._tasks.append(asyncio.create_task(spc, name="spc-sensor-charts"))
            if self.handle is not None and self.settings.compress_interval_s > 0:  # time-series maintenance
                compressor = run_compressor(self.handle.owner_url, self.settings, self._stop)
                self._tasks.append(asyncio.create_task(compressor, name="ts-compressor"))
        if Role.ETL in self.active_roles and self.settings.lake_enabled:
            from mip.lake.etl import run_lake_etl

            self._tasks.append(asyncio.create_task(run_lake_etl(self.db, self.settings, self._stop), name="lake-etl"))

    async def stop(self) -> None:
        self._stop.set()
        for task in self._tasks:
            try:
                await asyncio.wait_for(task, 5)
            except (TimeoutError, asyncio.CancelledError):
                task.cancel()
                with contextlib.suppress(asyncio.CancelledError, Exception):
                    await task
        if self.maintenance is not None:
            await self.maintenance.stop()
        if self.notify_consumer is not None:
            await self.notify_consumer.stop()
        if self.notifier is not None:
            await self.notifier.stop()
        await self.hub.stop()
        await self.bus.stop()
        await self.db.close()

    def close_database(self) -> None:
        if self.handle is not None:
            self.handle.stop()
