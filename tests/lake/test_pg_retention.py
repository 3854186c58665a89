"""A tenant's own PostgreSQL retention: raw readings older than its ``pg_days`` leave PostgreSQL after the lake
holds them; other tenants (global retention) keep theirs, and the lake keeps everything."""

from __future__ import annotations

import time

import numpy as np

from mip.lake.api import lake_for
from mip.lake.datasets import DataClass
from mip.lake.etl import LakeEtl
from mip.lake.reader import LakeReader
from mip.lake.retention import set_policy
from mip.platform.db import Database
from mip.runtime import Runtime
from tests.conftest import MachineFactory, TenantFactory
from tests.lake.test_etl import HOUR_NS, _write

DAY_NS = 24 * HOUR_NS


async def _count(db: Database, tenant_id: object) -> int:
    async with db.tenant_tx(tenant_id) as conn:  # type: ignore[arg-type]
        row = await (await conn.execute("select count(*) as n from readings")).fetchone()
        assert row is not None
        return int(row["n"])


async def test_tenant_pg_retention_deletes_only_exported_old_raw_readings(
    runtime: Runtime, make_tenant: TenantFactory, make_machine: MachineFactory
) -> None:
    now = time.time_ns()
    old_hour = now - now % HOUR_NS - 10 * DAY_NS  # older than the ETL look-back (8 days)
    recent_hour = now - now % HOUR_NS - 3 * HOUR_NS
    tenants = []
    for _ in range(2):
        t = await make_tenant()
        m = await make_machine(t.id)
        sensors = list(m.sensors.values())[:1]
        for hour in (old_hour, recent_hour):
            ts = hour + np.arange(60, dtype=np.int64) * 1_000_000_000
            await _write(runtime.db, t.id, m.machine_id, sensors, ts, np.round(np.cos(ts / 1e10), 4), np.zeros(60))
        tenants.append(t)
    short, default = tenants
    async with runtime.db.tenant_tx(short.id) as conn:
        await set_policy(conn, short.id, DataClass.RAW, None, 9, None)
    store, keys = lake_for(runtime.settings)
    stats = await LakeEtl(runtime.db, store, keys, runtime.settings).run_round(tenants=[short.id, default.id], gc=False)
    assert stats.errors == []
    assert stats.pg_deleted.get("readings") == 60  # the old hour of the tenant with a 9-day policy
    assert await _count(runtime.db, short.id) == 60  # its recent hour stays
    assert await _count(runtime.db, default.id) == 120  # global retention (90 days) for the other tenant
    reader = LakeReader(store, keys)
    assert reader.read(short.id, "readings").num_rows == 120  # the lake has both hours
    again = await LakeEtl(runtime.db, store, keys, runtime.settings).run_round(tenants=[short.id], gc=False)
    assert again.errors == []
    assert again.exported == {}  # the deleted hour is not re-exported or rewritten
    assert reader.read(short.id, "readings").num_rows == 120
    assert reader.read(short.id, "readings_1m").num_rows == 2
