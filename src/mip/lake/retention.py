"""Retention and tiering per tenant and data class.

Data classes: ``raw`` (readings), ``rollup`` (readings_1m, oee_hourly), ``events`` (alarms, alarm events,
quality records). For each: how long the lake keeps it (``lake_days``, 0 = forever) and how long
PostgreSQL should keep it (``pg_days``; reported - raw PostgreSQL retention is enforced globally by the
telemetry compressor with ``MIP_RAW_RETENTION_DAYS`` / ``MIP_ROLLUP_RETENTION_DAYS``).

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
