"""Retention and tiering per tenant and data class.

Data classes: ``raw`` (readings), ``rollup`` (readings_1m, oee_hourly), ``events`` (alarms, alarm events,
quality records). For each: how long the lake keeps it (``lake_days``, 0 = forever) and how long
PostgreSQL keeps it (``pg_days``). The telemetry compressor drops whole (shared) partitions after the global
``MIP_RAW_RETENTION_DAYS`` / ``MIP_ROLLUP_RETENTION_DAYS``; a tenant's shorter ``pg_days`` for ``raw`` and
``rollup`` is enforced by the ETL after each export round (``enforce_pg_retention``): it deletes that tenant's
raw readings (hot rows and compressed chunks) and hourly rollups older than the policy, and only what the lake
export has already passed and what is older than the ETL's look-back (``MIP_LAKE_LOOKBACK_DAYS``, at least the
ingest's maximum past age), so nothing leaves PostgreSQL before it is in the lake, late readings included.

The ETL drops whole lake days older than ``lake_days`` by committing a tombstone manifest for the day
(files are collected later), and only days that the export has already passed (``exported_through``).
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass

from mip.lake.datasets import DataClass, get_dataset
from mip.lake.manifest import DayManifest, load_manifest, manifest_days, save_manifest
from mip.lake.store import LakeStore
from mip.lake.writer import writer_lock
from mip.platform.db import Conn
from mip.platform.settings import Settings


@dataclass
class Policy:
    data_class: DataClass
    lake_days: int
    pg_days: int
    lake_source: str  # "tenant" or "default"
    pg_source: str


def defaults(settings: Settings) -> dict[DataClass, tuple[int, int]]:
    return {
        DataClass.RAW: (settings.lake_retention_raw_days, settings.raw_retention_days),
        DataClass.ROLLUP: (settings.lake_retention_rollup_days, settings.rollup_retention_days),
        DataClass.EVENTS: (settings.lake_retention_events_days, 0),
    }


async def policies(conn: Conn, settings: Settings) -> dict[DataClass, Policy]:
    """The effective policy per data class for the current tenant (RLS transaction)."""
    cur = await conn.execute("select data_class, lake_days, pg_days from lake_retention")
    rows = {r["data_class"]: r for r in await cur.fetchall()}
    out = {}
    for cls, (lake, pg) in defaults(settings).items():
        r = rows.get(cls.value)
        lake_t = r["lake_days"] if r else None
        pg_t = r["pg_days"] if r else None
        out[cls] = Policy(
            cls,
            lake_t if lake_t is not None else lake,
            pg_t if pg_t is not None else pg,
            "tenant" if lake_t is not None else "default",
            "tenant" if pg_t is not None else "default",
        )
    return out


async def set_policy(
    conn: Conn,
    tenant_id: uuid.UUID,
    data_class: DataClass,
    lake_days: int | None,
    pg_days: int | None,
    user_id: uuid.UUID | None,
) -> None:
    """Override (or with both None, reset to the defaults) one data class for the tenant."""
    if lake_days is None and pg_days is None:
        await conn.execute("delete from lake_retention where data_class = %s", [data_class.value])
        return
    await conn.execute(
        """insert into lake_retention (tenant_id, data_class, lake_days, pg_days, updated_by, updated_at)
           values (%s, %s, %s, %s, %s, now())
           on conflict (tenant_id, data_class) do update set lake_days = excluded.lake_days,
             pg_days = excluded.pg_days, updated_by = excluded.updated_by, updated_at = now()""",
        [tenant_id, data_class.value, lake_days, pg_days, user_id],
    )


def drop_days(
    store: LakeStore, tenant_id: uuid.UUID, dataset: str, lake_days: int, exported_through: int | None, today: dt.date
) -> list[str]:
    """Tombstone every day older than the policy that the export has passed; returns the days dropped."""
    if lake_days <= 0 or exported_through is None:
        return []
    get_dataset(dataset)
    cutoff = today - dt.timedelta(days=lake_days)
    exported_day = dt.datetime.fromtimestamp(exported_through // 1_000_000_000, dt.UTC).date()
    dropped = []
    for day in manifest_days(store, dataset, tenant_id):
        if day >= cutoff:
            break
        if day >= exported_day:  # never drop a day the export has not fully passed
            continue
        with writer_lock(dataset, tenant_id):
            m = load_manifest(store, dataset, tenant_id, day)
            if m.dropped:
                continue
            tomb = DayManifest(dataset=dataset, tenant_id=tenant_id, day=day, version=m.version, dropped=True)
            save_manifest(store, tomb)
        dropped.append(day.isoformat())
    return dropped


HOUR_NS = 3_600_000_000_000
DAY_NS = 24 * HOUR_NS


async def enforce_pg_retention(
    conn: Conn, policy: dict[DataClass, Policy], exported_through: dict[str, int | None], now_ns: int, keep_ns: int
) -> dict[str, int]:
    """In the tenant's transaction: delete raw readings and hourly rollups older than the tenant's ``pg_days``
    (tenant overrides only; the defaults are the global partition retention) that the lake already holds.

    Nothing younger than ``keep_ns`` (the ETL's look-back, which covers the ingest's maximum past age) is
    deleted: a late reading for such an hour still reaches the lake, and the hour's fingerprint stays exact."""
    deleted: dict[str, int] = {}
    raw = policy[DataClass.RAW]
    through = exported_through.get("readings")
    if raw.pg_source == "tenant" and raw.pg_days > 0 and through is not None:
        cutoff = min(now_ns - raw.pg_days * DAY_NS, now_ns - keep_ns, through)
        cur = await conn.execute("delete from readings where ts < %s", [cutoff])
        deleted["readings"] = cur.rowcount
        # a chunk holds one hour: drop the hours that end before the cutoff
        cur = await conn.execute("delete from reading_chunks where start_ts + %s <= %s", [HOUR_NS, cutoff])
        deleted["reading_chunks"] = cur.rowcount
    rollup = policy[DataClass.ROLLUP]
    through_1h = exported_through.get("readings_1h")
    if rollup.pg_source == "tenant" and rollup.pg_days > 0 and through_1h is not None:
        cutoff = min(now_ns - rollup.pg_days * DAY_NS, now_ns - keep_ns, through_1h)
        cur = await conn.execute("delete from rollup_1h where bucket + %s <= %s", [HOUR_NS, cutoff])
        deleted["rollup_1h"] = cur.rowcount
    return deleted
