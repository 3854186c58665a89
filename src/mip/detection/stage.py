"""The detection rules in the stream stage: one Engine per machine, fed each committed-to-be batch inside the
worker's tenant transaction; alarms raised/cleared in that same transaction; engine state snapshotted into
``detection_state`` (same transaction, at most every few seconds per machine) so a restarted or rebalanced
worker resumes where the last commit left it."""

from __future__ import annotations

import asyncio
import hashlib
import logging
import time
import uuid
from dataclasses import dataclass, field

from psycopg.types.json import Jsonb

from mip.alerts.lifecycle import Event, apply_engine_result
from mip.detection.engine import Engine, EngineResult, SensorInfo
from mip.detection.rules_store import active_rules
from mip.detection.spec import RuleSpec
from mip.platform.db import Conn, Database
from mip.platform.timeutil import now_ns
from mip.telemetry.batch import ReadingBatch

log = logging.getLogger(__name__)

_SENSORS = """
select s.id, s.machine_id, s.name, s.kind, s.path, s.sample_rate_hz,
       coalesce(m.attributes ->> 'machine_class', m.attributes ->> 'class') as machine_class
from sensors s join assets m on m.id = s.machine_id
"""


@dataclass
class TenantRules:
    rules: list[RuleSpec]
    by_id: dict[uuid.UUID, RuleSpec]
    by_machine: dict[uuid.UUID, list[SensorInfo]]
    key: str
    loaded_at: float
    _paths: dict[bool, TenantRules] = field(default_factory=dict, repr=False)

    def path(self, safety: bool) -> TenantRules:
        """The safety rules (alarm path) or the others (storage path); ``by_id`` keeps every rule."""
        hit = self._paths.get(safety)
        if hit is None:
            rules = [r for r in self.rules if r.safety is safety]
            hit = self._paths[safety] = TenantRules(rules, self.by_id, self.by_machine, self.key, self.loaded_at)
        return hit


class RuleCache:
    """Each tenant's enabled rules and sensors, cached for ``ttl_s``; the rules API invalidates it."""

    def __init__(self, db: Database, ttl_s: float = 5.0) -> None:
        self.db = db
        self.ttl_s = ttl_s
        self._tenants: dict[uuid.UUID, TenantRules] = {}

    def invalidate(self, tenant_id: uuid.UUID) -> None:
        self._tenants.pop(tenant_id, None)

    async def get(self, tenant_id: uuid.UUID) -> TenantRules:
        hit = self._tenants.get(tenant_id)
        if hit is not None and time.monotonic() - hit.loaded_at < self.ttl_s:
            return hit
        async with self.db.tenant_tx(tenant_id) as conn:
            rules = await active_rules(conn)
            by_machine: dict[uuid.UUID, list[SensorInfo]] = {}
            if rules:
                cur = await conn.execute(_SENSORS)
                for r in await cur.fetchall():
                    by_machine.setdefault(r["machine_id"], []).append(SensorInfo(**r))
        sensors_key = sorted((str(s.id), s.name, s.kind, s.machine_class or "") for v in by_machine.values() for s in v)
        digest = hashlib.sha256(repr(([(str(r.id), r.version) for r in rules], sensors_key)).encode()).hexdigest()
        fresh = TenantRules(rules, {r.id: r for r in rules}, by_machine, digest[:32], time.monotonic())
        self._tenants[tenant_id] = fresh
        return fresh


@dataclass
class _MachineEngine:
    engine: Engine
    key: str
    saved_at: float = 0.0
    dirty: bool = False


@dataclass
class DetectionStage:
    """The engines of one path of the stream stage: ``safety=True`` runs only safety rules (the alarm path),
    ``safety=False`` only the others (the storage path). Snapshots are kept per path (``stage``)."""

    db: Database
    rules: RuleCache
    safety: bool = False
    snapshot_every_s: float = 60.0
    # when a machine's alarms change, sooner: at most this long after (bounds what a crash can leave stale)
    snapshot_on_change_s: float = 5.0
    _engines: dict[tuple[uuid.UUID, uuid.UUID], _MachineEngine] = field(default_factory=dict)
    _data_clock: dict[uuid.UUID, int] = field(default_factory=dict)  # newest reading per tenant (ns)

    @property
    def stage(self) -> str:
        return "alarms" if self.safety else "stream"

    async def prepare(self, tenant_id: uuid.UUID) -> TenantRules:
        """Outside the worker's transaction: the tenant's rules of this path (may read the database)."""
        return (await self.rules.get(tenant_id)).path(self.safety)

    async def process(
        self, conn: Conn, tenant_id: uuid.UUID, tr: TenantRules, batches: list[ReadingBatch]
    ) -> list[Event]:
        if not tr.rules:
            return []
        events: list[Event] = []
        touched: set[uuid.UUID] = set()
        changed: set[uuid.UUID] = set()
        newest = max((int(b.ts.max()) for b in batches if len(b)), default=0)
        self._data_clock[tenant_id] = max(self._data_clock.get(tenant_id, 0), newest)
        for i, b in enumerate(batches):
            if i:
                await asyncio.sleep(0)  # let the alarm path and ingest run between machines' batches
            me = await self._engine(conn, tenant_id, b.machine_id, tr, events)
            if me is None:
                continue
            result = me.engine.process(b)
            me.dirty = True
            touched.add(b.machine_id)
            if result.transitions:
                changed.add(b.machine_id)
            if result.transitions or result.activity:
                events.extend(await apply_engine_result(conn, tenant_id, result, tr.by_id))
        # a machine whose alarms changed is snapshotted in the same transaction (at most every
        # snapshot_on_change_s, snapshots are ~100s of KB with long windows), the others every snapshot_every_s
        await self._save(conn, tenant_id, changed, force=True)
        await self._save(conn, tenant_id, touched - changed)
        return events

    def discard(self, tenant_id: uuid.UUID, machines: set[uuid.UUID]) -> None:
        """After a rolled-back transaction: forget these engines (their state ran ahead of the database);
        they are rebuilt from the last committed snapshot when the batches are redelivered."""
        for machine_id in machines:
            self._engines.pop((tenant_id, machine_id), None)

    async def _engine(
        self, conn: Conn, tenant_id: uuid.UUID, machine_id: uuid.UUID, tr: TenantRules, events: list[Event]
    ) -> _MachineEngine | None:
        sensors = tr.by_machine.get(machine_id, [])
        me = self._engines.get((tenant_id, machine_id))
        if me is not None and me.key != tr.key:  # rules or sensors changed: keep unchanged rules' state
            cleared = me.engine.update_rules(tr.rules, sensors)
            me.key = tr.key
            me.dirty = True
            if cleared:
                events.extend(await apply_engine_result(conn, tenant_id, EngineResult(transitions=cleared), tr.by_id))
        if me is None:
            if not sensors:
                return None
            engine = Engine(tr.rules, sensors)
            cur = await conn.execute(
                "select rules_key, state from detection_state where machine_id = %s and stage = %s",
                [machine_id, self.stage],
            )
            snap = await cur.fetchone()
            if snap is not None and snap["rules_key"] == tr.key:
                try:
                    engine.restore(snap["state"])
                except (KeyError, ValueError, TypeError):
                    log.warning("ignoring an unreadable detection snapshot for machine %s", machine_id)
            me = self._engines[(tenant_id, machine_id)] = _MachineEngine(engine, tr.key)
        return me

    async def _save(self, conn: Conn, tenant_id: uuid.UUID, machines: set[uuid.UUID], *, force: bool = False) -> None:
        now = time.monotonic()
        every = self.snapshot_on_change_s if force else self.snapshot_every_s
        for machine_id in machines:
            me = self._engines.get((tenant_id, machine_id))
            if me is None or not me.dirty or now - me.saved_at < every:
                continue
            await conn.execute(
                "insert into detection_state (tenant_id, machine_id, stage, rules_key, state) "
                "values (%s, %s, %s, %s, %s) on conflict (tenant_id, machine_id, stage) do update set "
                "rules_key = excluded.rules_key, state = excluded.state, updated_at = now()",
                [tenant_id, machine_id, self.stage, me.key, Jsonb(me.engine.state())],
            )
            me.saved_at = now
            me.dirty = False

    async def tick(self, *, idle: bool) -> list[Event]:
        """Time-driven rules (missing data) for the machines this worker has seen; one transaction per tenant.

        While a backlog is being worked through, "now" is the tenant's newest reading (wall-clock time would
        make every missing-data rule fire on old data); when the worker is idle, it is the wall clock."""
        wall = now_ns()
        by_tenant: dict[uuid.UUID, list[tuple[uuid.UUID, _MachineEngine]]] = {}
        for (tenant_id, machine_id), me in self._engines.items():
            by_tenant.setdefault(tenant_id, []).append((machine_id, me))
        events: list[Event] = []
        for tenant_id, machines in by_tenant.items():
            now = wall if idle else min(wall, self._data_clock.get(tenant_id, 0))
            if now <= 0:
                continue
            results = [(m, me.engine.tick(now)) for m, me in machines]
            if not any(t for _, t in results):
                continue
            tr = await self.prepare(tenant_id)
            moved = {m for m, t in results if t}
            try:
                async with self.db.tenant_tx(tenant_id) as conn:
                    for machine_id, transitions in results:
                        if transitions:
                            self._engines[(tenant_id, machine_id)].dirty = True
                            res = EngineResult(transitions=transitions)
                            events.extend(await apply_engine_result(conn, tenant_id, res, tr.by_id))
                    await self._save(conn, tenant_id, moved, force=True)
            except BaseException:
                self.discard(tenant_id, moved)
                raise
        return events
