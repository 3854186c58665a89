"""Reading queries: raw ranges, downsampled buckets, latest per machine; site-scoped keys."""

from __future__ import annotations

import time

import httpx

from mip.platform.db import Database
from tests.conftest import MachineFactory, TenantKit, wait_for

S = 1_000_000_000


async def _ingest_series(client: httpx.AsyncClient, tenant: TenantKit, path: str, t0: int, n: int) -> None:
    rows = [{"sensor": path, "ts": t0 + i * S, "value": float(i)} for i in range(n)]
    r = await client.post("/api/v1/ingest/readings", headers=tenant.device, json=rows)
    assert r.status_code == 202


async def _stored(db: Database, tenant: TenantKit, n: int) -> bool:
    async with db.tenant_tx(tenant.id) as conn:
        cur = await conn.execute("select count(*) as n from readings")
        row = await cur.fetchone()
    return bool(row and row["n"] >= n)


async def test_given_readings_when_querying_raw_and_buckets_then_values_match(
    client: httpx.AsyncClient, tenant: TenantKit, make_machine: MachineFactory, db: Database
) -> None:
    m = await make_machine(tenant.id, sensors={"temp": (None, 1000.0)})
    t0 = (time.time_ns() // (60 * S)) * 60 * S - 3600 * S  # an hour ago, minute aligned
    await _ingest_series(client, tenant, m.paths["temp"], t0, 120)
    await wait_for(lambda: _stored(db, tenant, 120))
    sid = m.sensors["temp"]
    raw = await client.get(
        f"/api/v1/sensors/{sid}/readings", headers=tenant.auth, params={"start": str(t0), "end": str(t0 + 120 * S)}
    )
    assert raw.status_code == 200
    points = raw.json()["points"]
    assert [p["value"] for p in points] == [float(i) for i in range(120)]
    assert points[0]["ts"].endswith("Z")
    buckets = await client.get(
        f"/api/v1/sensors/{sid}/readings",
        headers=tenant.auth,
        params={"start": str(t0), "end": str(t0 + 120 * S), "bucket_s": 60},
    )
    b = buckets.json()["points"]
    assert len(b) == 2
    assert b[0]["count"] == 60
    assert b[0]["min"] == 0.0
    assert b[0]["max"] == 59.0
    assert b[0]["avg"] == 29.5
    assert b[1]["avg"] == 89.5
    limited = await client.get(
        f"/api/v1/sensors/{sid}/readings",
        headers=tenant.auth,
        params={"start": str(t0), "end": str(t0 + 120 * S), "limit": 5},
    )
    assert len(limited.json()["points"]) == 5


async def test_given_machine_when_latest_then_last_value_per_sensor(
    client: httpx.AsyncClient, tenant: TenantKit, make_machine: MachineFactory, db: Database
) -> None:
    m = await make_machine(tenant.id, sensors={"a": (None, None), "b": (None, None)})
    t0 = time.time_ns() - 10 * S
    await _ingest_series(client, tenant, m.paths["a"], t0, 5)
    await wait_for(lambda: _stored(db, tenant, 5))
    r = await client.get(f"/api/v1/machines/{m.machine_id}/latest", headers=tenant.auth)
    by_name = {s["name"]: s for s in r.json()["sensors"]}
    assert by_name["a"]["value"] == 4.0
    assert by_name["b"]["value"] is None


async def test_given_bad_query_params_then_422(
    client: httpx.AsyncClient, tenant: TenantKit, make_machine: MachineFactory
) -> None:
    m = await make_machine(tenant.id)
    sid = m.sensors["temp"]
    for params in (
        {"start": "garbage"},
        {"start": "2026-01-02T00:00:00Z", "end": "2026-01-01T00:00:00Z"},
        {"bucket_s": "-1"},
        {"limit": "0"},
        {"start": "1", "end": str(10**18), "bucket_s": "0.001"},
    ):
        r = await client.get(f"/api/v1/sensors/{sid}/readings", headers=tenant.auth, params=params)
        assert r.status_code == 422, params
        assert r.headers["content-type"].startswith("application/problem+json")
    r = await client.get("/api/v1/sensors/not-a-uuid/readings", headers=tenant.auth)
    assert r.status_code == 422


async def test_given_site_scoped_key_then_other_sites_sensors_rejected(
    client: httpx.AsyncClient, tenant: TenantKit, make_machine: MachineFactory
) -> None:
    north = await make_machine(tenant.id, site="north")
    south = await make_machine(tenant.id, site="south")
    key = await client.post(
        "/api/v1/api-keys", headers=tenant.auth, json={"name": "north gw", "site_id": str(north.site_id)}
    )
    assert key.status_code == 201
    dev = {"Authorization": f"Bearer {key.json()['key']}"}
    now = time.time_ns()
    r = await client.post(
        "/api/v1/ingest/readings",
        headers=dev,
        json=[
            {"sensor": north.paths["temp"], "ts": now, "value": 1.0},
            {"sensor": south.paths["temp"], "ts": now, "value": 1.0},
        ],
    )
    assert r.json()["accepted"] == 1
    assert "outside this API key's site" in r.json()["rejected"][0]["reason"]
