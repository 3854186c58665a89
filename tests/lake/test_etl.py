"""The ETL against the real PostgreSQL: export, idempotent rounds, late readings exactly once; API and CLI."""

from __future__ import annotations

import time
import uuid
from typing import Any

import httpx
import numpy as np
import pyarrow.compute as pc
from typer.testing import CliRunner

from mip.cli.lake import lake_app
from mip.lake.api import lake_for
from mip.lake.etl import LakeEtl
from mip.lake.reader import LakeReader
from mip.platform.db import Database
from mip.runtime import Runtime
from mip.telemetry.batch import ReadingBatch
from mip.telemetry.store import write_readings
from tests.conftest import MachineFactory, TenantFactory, TenantKit

HOUR_NS = 3_600_000_000_000
runner = CliRunner()


async def _write(
    db: Database, tenant_id: Any, machine_id: Any, sensors: list[Any], ts: np.ndarray, v: np.ndarray, idx: np.ndarray
) -> int:
    batch = ReadingBatch(
        tenant_id=tenant_id,
        machine_id=machine_id,
        batch_id=uuid.uuid4(),
        received_ns=time.time_ns(),
        sensors=tuple(sensors),
        sensor_idx=idx.astype(np.uint16),
        ts=ts.astype(np.int64),
        value=v.astype(np.float64),
        quality=np.zeros(ts.shape[0], np.int16),
    )
    async with db.tenant_tx(tenant_id) as conn:
        return await write_readings(conn, batch)


async def _setup(
    runtime: Runtime, make_tenant: TenantFactory, make_machine: MachineFactory
) -> tuple[TenantKit, Any, list[Any], int]:
    tenant = await make_tenant()
    m = await make_machine(tenant.id)
    sensors = list(m.sensors.values())
    now = time.time_ns()
    hour = now - now % HOUR_NS - 3 * HOUR_NS  # a closed hour
    ts = np.concatenate([hour + np.arange(600, dtype=np.int64) * 1_000_000_000] * 2)
    idx = np.repeat([0, 1], 600)
    await _write(runtime.db, tenant.id, m.machine_id, sensors, ts, np.round(np.sin(ts / 1e11) * 10, 4), idx)
    return tenant, m, sensors, hour


async def test_etl_exports_once_and_late_reading_exactly_once(
    runtime: Runtime, make_tenant: TenantFactory, make_machine: MachineFactory, client: httpx.AsyncClient
) -> None:
    tenant, m, sensors, hour = await _setup(runtime, make_tenant, make_machine)
    store, keys = lake_for(runtime.settings)
    etl = LakeEtl(runtime.db, store, keys, runtime.settings)
    stats = await etl.run_round(tenants=[tenant.id], gc=False)
    assert stats.errors == []
    assert stats.exported["readings"] == 1200
    reader = LakeReader(store, keys)
    assert reader.read(tenant.id, "readings").num_rows == 1200
    assert reader.read(tenant.id, "readings_1m").num_rows == 20
    again = await etl.run_round(tenants=[tenant.id], gc=False)
    assert again.exported == {}
    assert again.commits == 0

    late_ts = np.array([hour + 700 * 1_000_000_000, hour + 5 * 1_000_000_000], np.int64)  # new + duplicate
    assert (
        await _write(runtime.db, tenant.id, m.machine_id, sensors, late_ts, np.array([1.5, 9.9]), np.array([0, 0])) == 1
    )
    late = await etl.run_round(tenants=[tenant.id], gc=False)
    assert late.exported["readings"] == 1
    out = reader.read(tenant.id, "readings")
    assert out.num_rows == 1201
    keys_ = pc.binary_join_element_wise(out.column("sensor_id").cast("string"), out.column("ts").cast("string"), "|")
    assert pc.count_distinct(keys_).as_py() == 1201  # exactly once
    one_m = reader.read(tenant.id, "readings_1m")
    assert one_m.num_rows == 21
    assert pc.sum(one_m.column("count")).as_py() == 1201
    assert (await etl.run_round(tenants=[tenant.id], gc=False)).exported == {}

    r = await client.get("/api/v1/lake/status", headers=tenant.auth)
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["key"] == "present"
    ds = {d["dataset"]: d for d in body["datasets"]}
    assert ds["readings"]["rows"] == 1201
    assert ds["readings"]["freshness_lag_s"] > 3600
    assert ds["readings"]["exported_through"] is not None


async def test_retention_api_and_validation(client: httpx.AsyncClient, tenant: TenantKit) -> None:
    r = await client.get("/api/v1/lake/retention", headers=tenant.auth)
    assert r.status_code == 200
    assert {p["data_class"]: p["lake_days"] for p in r.json()}["raw"] == 7 * 365
    r = await client.put("/api/v1/lake/retention/raw", headers=tenant.auth, json={"lake_days": 30, "pg_days": 7})
    assert r.status_code == 200, r.text
    assert r.json()["lake_days"] == 30
    assert r.json()["lake_source"] == "tenant"
    bad = await client.put("/api/v1/lake/retention/nope", headers=tenant.auth, json={"lake_days": 1})
    assert bad.status_code == 400
    assert bad.json()["code"] == "lake_bad_request"
    neg = await client.put("/api/v1/lake/retention/raw", headers=tenant.auth, json={"lake_days": -1})
    assert neg.status_code == 422
    r = await client.put("/api/v1/lake/retention/raw", headers=tenant.auth, json={})
    assert r.json()["lake_source"] == "default"


async def test_shred_api_needs_confirmation_and_stops_exports(
    runtime: Runtime, make_tenant: TenantFactory, make_machine: MachineFactory, client: httpx.AsyncClient
) -> None:
    tenant, *_ = await _setup(runtime, make_tenant, make_machine)
    store, keys = lake_for(runtime.settings)
    etl = LakeEtl(runtime.db, store, keys, runtime.settings)
    await etl.run_round(tenants=[tenant.id], gc=False)
    files = LakeReader(store, keys).files(tenant.id, "readings")
    assert files
    r = await client.post("/api/v1/lake/shred", headers=tenant.auth, json={"confirm": str(uuid.uuid4())})
    assert r.status_code == 400
    r = await client.post("/api/v1/lake/shred", headers=tenant.auth, json={"confirm": str(tenant.id)})
    assert r.status_code == 200
    assert r.json()["had_key"] is True
    assert all(store.exists(f) for f in files)
    status = (await client.get("/api/v1/lake/status", headers=tenant.auth)).json()
    assert status["key"] == "shredded"
    assert status["shredded_at"]
    assert (await etl.run_round(tenants=[tenant.id], gc=False)).skipped_tenants == 1


def test_cli(runtime: Runtime, monkeypatch: Any, tenant: TenantKit) -> None:
    s = runtime.settings
    assert runtime.handle is not None
    monkeypatch.setenv("MIP_DATABASE_URL", runtime.handle.owner_url)
    monkeypatch.setenv("MIP_DATA_DIR", str(s.data_dir))
    monkeypatch.setenv("MIP_APP_DB_PASSWORD", s.app_db_password.get_secret_value())
    r = runner.invoke(lake_app, ["status", "--tenant", str(tenant.id)])
    assert r.exit_code == 0, r.stderr
    assert '"dataset": "readings"' in r.stdout
    r = runner.invoke(lake_app, ["retention", "--tenant", str(tenant.id), "--class", "rollup", "--lake-days", "400"])
    assert r.exit_code == 0, r.stderr
    assert '"lake_days": 400' in r.stdout
    r = runner.invoke(lake_app, ["retention", "--tenant", "nope"])
    assert r.exit_code == 2
    assert "lake_bad_request" in r.stderr
    r = runner.invoke(lake_app, ["compact", "--tenant", str(tenant.id), "--dataset", "readings_1m"])
    assert r.exit_code == 0, r.stderr
    assert '"unit": "days"' in r.stdout
    r = runner.invoke(lake_app, ["compact", "--tenant", str(tenant.id), "--dataset", "nope"])
    assert r.exit_code == 2
    assert "lake_unknown_dataset" in r.stderr
    r = runner.invoke(lake_app, ["shred-tenant", "--tenant", str(tenant.id)])
    assert r.exit_code == 2
    assert "--yes" in r.stderr
    r = runner.invoke(lake_app, ["shred-tenant", "--tenant", str(tenant.id), "--yes"])
    assert r.exit_code == 0, r.stderr
    assert lake_for(s)[1].is_shredded(tenant.id)
    r = runner.invoke(lake_app, ["run", "--tenant", str(tenant.id)])
    assert r.exit_code == 0, r.stderr
    assert '"skipped_tenants": 1' in r.stdout
