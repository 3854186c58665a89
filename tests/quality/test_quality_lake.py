"""Quality records reach the data lake: NCRs (mutable: a changed NCR is re-exported, never duplicated) through
the registered ``mip.quality.lake`` datasets, queryable by the tenant's analytics."""

from __future__ import annotations

import time

import httpx

from mip.lake.api import lake_for
from mip.lake.etl import LakeEtl
from mip.lake.reader import LakeReader
from mip.lake.sources import load_plugins
from mip.runtime import Runtime
from tests.conftest import TenantKit
from tests.quality.isolation_inspection import Q

HOUR_NS = 3_600_000_000_000


async def test_ncrs_exported_once_and_reexported_when_changed(
    runtime: Runtime, client: httpx.AsyncClient, tenant: TenantKit
) -> None:
    load_plugins()
    ncr = (await client.post(f"{Q}/ncrs", headers=tenant.auth, json={"title": "porosity", "quantity": 3})).json()
    detected = time.time_ns() - 3 * HOUR_NS  # a closed hour: the ETL exports hours once they are over
    async with runtime.db.tenant_tx(tenant.id) as conn:
        await conn.execute("update ncrs set detected_at = to_timestamp(%s / 1e9) where id = %s", [detected, ncr["id"]])
    store, keys = lake_for(runtime.settings)
    etl = LakeEtl(runtime.db, store, keys, runtime.settings)
    first = await etl.run_round(tenants=[tenant.id], gc=False)
    assert first.errors == []
    assert first.exported.get("quality_ncrs") == 1
    reader = LakeReader(store, keys)
    table = reader.read(tenant.id, "quality_ncrs").to_pylist()
    assert [(r["id"], r["title"], str(r["status"])) for r in table] == [(ncr["id"], "porosity", "open")]
    assert (await etl.run_round(tenants=[tenant.id], gc=False)).exported.get("quality_ncrs") is None
    r = await client.post(
        f"{Q}/ncrs/{ncr['id']}/transition", headers=tenant.auth, json={"to": "contained", "expected_version": 1}
    )
    assert r.status_code == 200, r.text
    again = await etl.run_round(tenants=[tenant.id], gc=False)
    assert again.exported.get("quality_ncrs") == 1
    table = reader.read(tenant.id, "quality_ncrs").to_pylist()
    assert [(r["id"], str(r["status"])) for r in table] == [(ncr["id"], "contained")]
