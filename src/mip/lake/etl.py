"""The ETL role: export closed hours of every source into the lake, exactly once; compact; retain; collect.

Watermark and late data (see docs/ARCHITECTURE.md "Data lake"): an hour is exported once it ended
``lake_safety_lag_s`` ago. Every round re-fingerprints the hours of the last ``lookback`` (at least the
ingest's maximum past age + 1 h): an hour whose source fingerprint differs from the one recorded in its
manifest partition is exported again - append-only datasets get only the rows whose key is not yet in the
lake (anti-join against the partition), mutable ones get the hour rewritten whole. The batch id is derived
from (tenant, dataset, hour, fingerprint), so a rerun after a crash commits the same batch at most once.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import hashlib
import logging
import time
import uuid
from dataclasses import dataclass, field
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc

from mip.lake.compaction import compact_day, compact_hour
from mip.lake.datasets import DATASETS, Dataset
from mip.lake.keys import KeyProvider
from mip.lake.manifest import DayManifest, lake_tenants, load_manifest, manifest_days, tenant_prefix
from mip.lake.reader import LakeReader
from mip.lake.retention import drop_days, enforce_pg_retention, policies
from mip.lake.sources import SOURCES, Source, newer
from mip.lake.store import LakeStore
from mip.lake.writer import DAY_NS, HOUR_NS, hour_of, hours_column, write_batch
from mip.platform.db import Database
from mip.platform.settings import Settings

log = logging.getLogger(__name__)
ETL_LOCK = 0x6D69705F6C616B  # pg advisory lock: one ETL round at a time across processes


@dataclass
class RoundStats:
    tenants: int = 0
    exported: dict[str, int] = field(default_factory=dict)  # rows committed per dataset
    commits: int = 0
    compacted: int = 0  # hour partitions merged
    compacted_days: int = 0  # closed days merged into a day file
    dropped_days: int = 0
    gc_files: int = 0
    skipped_tenants: int = 0  # crypto-shredded
    pg_deleted: dict[str, int] = field(default_factory=dict)  # rows past a tenant's PostgreSQL retention
    errors: list[str] = field(default_factory=list)
    seconds: float = 0.0


def batch_id(tenant_id: uuid.UUID, dataset: str, hour: int, fingerprint: str) -> str:
    return hashlib.sha256(f"{tenant_id}/{dataset}/{hour}/{fingerprint}".encode()).hexdigest()[:24]


def _anti_join(new: pa.Table, existing: pa.Table, key: tuple[str, ...]) -> pa.Table:
    """Rows of ``new`` whose key is not in ``existing``."""
    if existing.num_rows == 0 or new.num_rows == 0:
        return new

    def keys(t: pa.Table) -> pa.Array:
        parts = [
            pc.cast(
                t.column(k).cast(pa.string()) if pa.types.is_dictionary(t.column(k).type) else t.column(k), pa.string()
            )
            for k in key
        ]
        return pc.binary_join_element_wise(*parts, "\x1f") if len(parts) > 1 else parts[0]

    mask = pc.invert(pc.is_in(keys(new), value_set=keys(existing).combine_chunks()))
    return new.filter(mask)


def _day_ns(day: dt.date) -> int:
    return int(dt.datetime(day.year, day.month, day.day, tzinfo=dt.UTC).timestamp()) * 1_000_000_000


class LakeEtl:
    def __init__(self, db: Database, store: LakeStore, keys: KeyProvider, settings: Settings) -> None:
        self.db = db
        self.store = store
        self.keys = keys
        self.settings = settings
        self.reader = LakeReader(store, keys)
        self.rounds = 0

    async def tenants(self) -> list[uuid.UUID]:
        async with self.db.system_tx() as conn:
            cur = await conn.execute("select tenant_id from mip_lake_tenants()")
            return [r["tenant_id"] for r in await cur.fetchall()]

    async def run_round(
        self, *, now_ns: int | None = None, tenants: list[uuid.UUID] | None = None, gc: bool | None = None
    ) -> RoundStats:
        """One ETL round under the cluster-wide advisory lock (waits for a round running elsewhere)."""
        started = time.monotonic()
        stats = RoundStats()
        now_ns = now_ns if now_ns is not None else time.time_ns()
        async with self.db.pool.connection() as lock_conn:
            await lock_conn.execute("select pg_advisory_lock(%s)", [ETL_LOCK])
            await lock_conn.commit()
            try:
                for tenant_id in tenants if tenants is not None else await self.tenants():
                    if self.keys.is_shredded(tenant_id):
                        stats.skipped_tenants += 1
                        continue
                    stats.tenants += 1
                    await self.export_tenant(tenant_id, now_ns, stats)
                if gc if gc is not None else self.rounds % 12 == 0:
                    stats.gc_files += await asyncio.to_thread(self.collect_garbage, tenants)
            finally:
                await lock_conn.execute("select pg_advisory_unlock(%s)", [ETL_LOCK])
                await lock_conn.commit()
        self.rounds += 1
        stats.seconds = round(time.monotonic() - started, 3)
        log.info("lake ETL round", extra={"lake": stats.__dict__})
        return stats

    # -- export -------------------------------------------------------------------------------------
    async def export_tenant(self, tenant_id: uuid.UUID, now_ns: int, stats: RoundStats) -> None:
        async with self.db.tenant_tx(tenant_id) as conn:
            policy = await policies(conn, self.settings)
            cur = await conn.execute("select dataset, exported_through from lake_state")
            through = {r["dataset"]: r["exported_through"] for r in await cur.fetchall()}
        end = now_ns - int(self.settings.lake_safety_lag_s * 1e9)
        end -= end % HOUR_NS  # hours ending at or before now - lag
        for source in SOURCES:
            names = [source.dataset.name, *(d.dataset.name for d in source.derived)]
            try:
                first = any(through.get(n) is None for n in names)
                span = self.settings.lake_backfill_days * 86400 if first else source.lookback_s(self.settings)
                start = end - int(span * 1e9)
                lake_days = policy[source.dataset.data_class].lake_days
                if lake_days > 0:  # nothing older than the retention is exported (it would be dropped)
                    start = max(start, now_ns - lake_days * 86400 * 1_000_000_000)
                start -= start % HOUR_NS
                await self.export_source(tenant_id, source, start, end, stats)
                today = dt.datetime.fromtimestamp(now_ns // 1_000_000_000, dt.UTC).date()
                for name in names:
                    ds = DATASETS[name]
                    dropped = await asyncio.to_thread(
                        drop_days, self.store, tenant_id, name, policy[ds.data_class].lake_days, end, today
                    )
                    stats.dropped_days += len(dropped)
                    await self.record_state(tenant_id, name, end, None)
            except Exception as exc:  # one source failing must not stop the others
                log.exception("lake export failed", extra={"tenant": str(tenant_id), "source": source.dataset.name})
                stats.errors.append(f"{tenant_id}/{source.dataset.name}: {exc}")
                for name in names:
                    await self.record_state(tenant_id, name, None, str(exc)[:500])
        async with self.db.tenant_tx(tenant_id) as conn:  # the tenant's own PostgreSQL retention, after export
            cur = await conn.execute("select dataset, exported_through from lake_state")
            through = {r["dataset"]: r["exported_through"] for r in await cur.fetchall()}
            raw = next(src for src in SOURCES if src.dataset.name == "readings")  # readings_1m/1h derive from it
            keep_ns = int(raw.lookback_s(self.settings) * 1e9)
            for table, n in (await enforce_pg_retention(conn, policy, through, now_ns, keep_ns)).items():
                stats.pg_deleted[table] = stats.pg_deleted.get(table, 0) + n

    async def export_source(
        self, tenant_id: uuid.UUID, source: Source, start: int, end: int, stats: RoundStats
    ) -> None:
        targets: list[Dataset] = [source.dataset, *(d.dataset for d in source.derived)]
        async with self.db.tenant_tx(tenant_id) as conn:
            fps = await source.fingerprints(conn, tenant_id, start, end)
        manifests: dict[tuple[str, dt.date], DayManifest] = {}
        touched: set[tuple[str, dt.date, int]] = set()
        for hour in sorted(fps):
            day, hh = hour_of(hour)
            stale = []
            for ds in targets:
                m = manifests.get((ds.name, day))
                if m is None:
                    m = manifests[(ds.name, day)] = await asyncio.to_thread(
                        load_manifest, self.store, ds.name, tenant_id, day
                    )
                part = m.hours.get(hh)
                if not m.dropped and newer(ds, fps[hour], part.fingerprint if part else ""):
                    stale.append(ds)
            if not stale:
                continue
            async with self.db.tenant_tx(tenant_id) as conn:
                table, fp = await source.extract(conn, tenant_id, hour)
            for ds in stale:
                rows = (
                    table
                    if ds is source.dataset
                    else next(d.transform(table) for d in source.derived if d.dataset is ds)
                )
                committed = await asyncio.to_thread(self._commit_hour, tenant_id, ds, hour, rows, fp)
                manifests.pop((ds.name, day), None)
                stats.exported[ds.name] = stats.exported.get(ds.name, 0) + committed
                stats.commits += 1
                touched.add((ds.name, day, hh))
        for name, day, hh in sorted(touched):
            if await asyncio.to_thread(self.compact_partition, tenant_id, DATASETS[name], day, hh):
                stats.compacted += 1
        # closed days with source rows in the window: merged into one day file when they hold 2+ files
        closed = sorted({d for d in (hour_of(h)[0] for h in fps) if _day_ns(d) + DAY_NS <= end})
        for ds in targets:
            if not ds.compact_days:
                continue
            for day in closed:
                known = manifests.get((ds.name, day))  # loaded this round and not changed since
                if known is not None and len(known.files) < 2:
                    continue
                if await asyncio.to_thread(compact_day, self.store, self.keys, tenant_id, ds, day):
                    stats.compacted_days += 1

    def _commit_hour(self, tenant_id: uuid.UUID, ds: Dataset, hour: int, rows: pa.Table, fp: str) -> int:
        day, hh = hour_of(hour)
        if ds.append_only:
            m = load_manifest(self.store, ds.name, tenant_id, day)
            files = m.hour_files(hh)
            if files:
                cols = list(dict.fromkeys([*ds.key, ds.time_column]))
                existing = pa.concat_tables([self.reader.read_file(tenant_id, ds.name, f.path, cols) for f in files])
                if any(f.hours for f in files):  # a day file: only its rows of this hour matter
                    existing = existing.filter(pa.array(hours_column(ds, existing) == hh))
                rows = _anti_join(rows, existing, ds.key)
        result = write_batch(
            self.store,
            self.keys,
            tenant_id,
            ds.name,
            rows,
            batch_id=batch_id(tenant_id, ds.name, hour, fp),
            replace=not ds.append_only,
            fingerprints={(day, hh): fp},
            empty_hours=[(day, hh)],
        )
        return result.rows

    # -- compaction ---------------------------------------------------------------------------------
    def compact_partition(
        self, tenant_id: uuid.UUID, ds: Dataset, day: dt.date, hour: int, *, force: bool = False
    ) -> bool:
        """Merge an hour partition's hour files into one file (a manifest commit replacing them)."""
        min_files = 2 if force else self.settings.lake_compact_min_files
        return compact_hour(self.store, self.keys, tenant_id, ds, day, hour, min_files)

    def compact(self, tenant_id: uuid.UUID, dataset: str, *, force: bool = True) -> int:
        """Compact every day of a dataset now: whole days for ``compact_days`` datasets (except the current
        day, still being written), else each hour partition. Returns the days or partitions merged."""
        ds = DATASETS[dataset]
        today = dt.datetime.now(dt.UTC).date()
        n = 0
        for day in manifest_days(self.store, dataset, tenant_id):
            if ds.compact_days and day < today:
                n += compact_day(self.store, self.keys, tenant_id, ds, day)
                continue
            m = load_manifest(self.store, dataset, tenant_id, day)
            for hour in sorted(m.hours):
                n += self.compact_partition(tenant_id, ds, day, hour, force=force)
        return n

    # -- garbage collection -------------------------------------------------------------------------
    def collect_garbage(self, tenants: list[uuid.UUID] | None = None, *, grace_s: float | None = None) -> int:
        """Delete data files that no committed manifest lists, once older than the grace period."""
        grace = self.settings.lake_gc_grace_s if grace_s is None else grace_s
        cutoff = time.time() - grace
        deleted = 0
        for name in DATASETS:
            for tenant_id in tenants if tenants is not None else lake_tenants(self.store, name):
                listed = {
                    f.path
                    for day in manifest_days(self.store, name, tenant_id)
                    for f in load_manifest(self.store, name, tenant_id, day).files
                }
                for obj in self.store.list(tenant_prefix(name, tenant_id)):
                    if "/_manifest/" in obj.path or not obj.path.endswith(".parquet"):
                        continue
                    if obj.path not in listed and obj.mtime_s < cutoff:
                        self.store.delete(obj.path)
                        deleted += 1
        return deleted

    # -- status mirror ------------------------------------------------------------------------------
    async def record_state(self, tenant_id: uuid.UUID, dataset: str, through: int | None, error: str | None) -> None:
        summary: dict[str, Any] = await asyncio.to_thread(self.summary, tenant_id, dataset)
        async with self.db.tenant_tx(tenant_id) as conn:
            await conn.execute(
                """insert into lake_state (tenant_id, dataset, newest_ts, exported_through, oldest_day, rows, files,
                     bytes, last_commit_at, last_run_at, last_error)
                   values (%(t)s, %(d)s, %(newest)s, %(through)s, %(oldest)s, %(rows)s, %(files)s, %(bytes)s,
                     %(commit)s, now(), %(error)s)
                   on conflict (tenant_id, dataset) do update set newest_ts = excluded.newest_ts,
                     exported_through = coalesce(excluded.exported_through, lake_state.exported_through),
                     oldest_day = excluded.oldest_day, rows = excluded.rows, files = excluded.files,
                     bytes = excluded.bytes, last_commit_at = excluded.last_commit_at, last_run_at = now(),
                     last_error = excluded.last_error""",
                {"t": tenant_id, "d": dataset, "through": through, "error": error, **summary},
            )

    def summary(self, tenant_id: uuid.UUID, dataset: str) -> dict[str, Any]:
        """Totals over the committed manifests (newest record, rows, files, bytes)."""
        out: dict[str, Any] = {"newest": None, "oldest": None, "rows": 0, "files": 0, "bytes": 0, "commit": None}
        for day in manifest_days(self.store, dataset, tenant_id):
            m = load_manifest(self.store, dataset, tenant_id, day)
            if m.dropped or not m.files:
                continue
            out["oldest"] = out["oldest"] or day
            for f in m.files:
                out["rows"] += f.rows
                out["files"] += 1
                out["bytes"] += f.bytes
                out["newest"] = max(out["newest"] or f.max_ts, f.max_ts)
            if m.committed_at and (out["commit"] is None or m.committed_at > out["commit"]):
                out["commit"] = m.committed_at
        return out


async def run_lake_etl(db: Database, settings: Settings, stop: asyncio.Event) -> None:
    """The etl role: a round every ``lake_interval_s`` (the first at start)."""
    from mip.lake.reader import open_lake
    from mip.platform.periodic import run_periodic

    store, keys = open_lake(settings)
    etl = LakeEtl(db, store, keys, settings)
    await run_periodic("lake ETL round", etl.run_round, settings.lake_interval_s, stop)
