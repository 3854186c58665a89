"""Ingestion over HTTP: formats, partial and atomic batches, dedup, limits, and clear 4xx problems."""

from __future__ import annotations

import asyncio
import time

import httpx
import orjson

from mip.platform.db import Database
from tests.conftest import MachineFactory, TenantKit, wait_for


def now_ns() -> int:
    return time.time_ns()


async def count_readings(db: Database, tenant: TenantKit) -> int:
    async with db.tenant_tx(tenant.id) as conn:
        cur = await conn.execute("select count(*) as n from readings")
        row = await cur.fetchone()
    assert row is not None
    return int(row["n"])


async def test_given_json_batch_when_ingested_then_stored_once(
    client: httpx.AsyncClient, tenant: TenantKit, make_machine: MachineFactory, db: Database
) -> None:
    m = await make_machine(tenant.id)
    t0 = now_ns()
    rows = [{"sensor": m.paths["temp"], "ts": t0 + i * 1_000_000, "value": 20.0 + i} for i in range(50)]
    rows.append({"sensor": str(m.sensors["pressure"]), "ts": t0, "value": 5.0})
    r = await client.post("/api/v1/ingest/readings", headers=tenant.device, json=rows)
    assert r.status_code == 202
    assert r.json()["accepted"] == 51
    assert r.json()["rejected"] == []
    await wait_for(lambda: _at_least(db, tenant, 51))
    # the same readings again (a client retry) are not stored twice
    again = await client.post("/api/v1/ingest/readings", headers=tenant.device, json={"readings": rows})
    assert again.status_code == 202
    await _drained(db, tenant)
    assert await count_readings(db, tenant) == 51


async def _at_least(db: Database, tenant: TenantKit, n: int) -> bool:
    return await count_readings(db, tenant) >= n


async def _drained(db: Database, tenant: TenantKit) -> None:
    """Wait until the count is stable for a moment (the stream stage is asynchronous)."""
    last = -1
    for _ in range(100):
        n = await count_readings(db, tenant)
        if n == last:
            return
        last = n
        await asyncio.sleep(0.1)


async def test_given_ndjson_and_rfc3339_when_ingested_then_accepted(
    client: httpx.AsyncClient, tenant: TenantKit, make_machine: MachineFactory, db: Database
) -> None:
    m = await make_machine(tenant.id)
    ts = time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime()) + ".123456789Z"
    body = b"\n".join(orjson.dumps({"sensor": m.paths["temp"], "ts": ts, "value": v, "quality": 1}) for v in (1, 2))
    r = await client.post(
        "/api/v1/ingest/readings",
        headers={**tenant.device, "content-type": "application/x-ndjson"},
        content=body + b"\n",
    )
    assert r.status_code == 202
    assert r.json()["accepted"] == 2
    await wait_for(lambda: _at_least(db, tenant, 1))
    async with db.tenant_tx(tenant.id) as conn:
        cur = await conn.execute("select ts, quality from readings")
        rows = await cur.fetchall()
    assert len(rows) == 1  # same sensor and ts: deduplicated
    assert rows[0]["ts"] % 1_000_000_000 == 123456789
    assert rows[0]["quality"] == 1


async def test_given_some_bad_rows_then_good_rows_accepted_and_each_bad_row_explained(
    client: httpx.AsyncClient, tenant: TenantKit, make_machine: MachineFactory
) -> None:
    m = await make_machine(tenant.id)
    t = now_ns()
    rows = [
        {"sensor": m.paths["temp"], "ts": t, "value": 1.0},
        {"sensor": "no/such/sensor", "ts": t, "value": 1.0},
        {"sensor": m.paths["temp"], "ts": t + 1, "value": "hot"},
        {"sensor": m.paths["temp"], "ts": "yesterday", "value": 1.0},
        {"sensor": m.paths["temp"], "ts": t + 2, "value": True},
        {"sensor": m.paths["temp"], "ts": t + 10**15, "value": 1.0},
        {"sensor": m.paths["temp"], "ts": t + 3, "value": 1.0, "quality": 999},
        "not an object",
        {"ts": t, "value": 1.0},
    ]
    r = await client.post("/api/v1/ingest/readings", headers=tenant.device, json=rows)
    assert r.status_code == 202
    body = r.json()
    assert body["accepted"] == 1
    reasons = {x["index"]: x["reason"] for x in body["rejected"]}
    assert set(reasons) == {1, 2, 3, 4, 5, 6, 7, 8}
    assert "unknown sensor" in reasons[1]
    assert "number" in reasons[2]
    assert "RFC 3339" in reasons[3]
    assert "future" in reasons[5]


async def test_given_atomic_batch_with_a_bad_row_then_nothing_accepted(
    client: httpx.AsyncClient, tenant: TenantKit, make_machine: MachineFactory, db: Database
) -> None:
    m = await make_machine(tenant.id)
    rows = [{"sensor": m.paths["temp"], "ts": now_ns(), "value": 1.0}, {"sensor": "x", "ts": now_ns(), "value": 1}]
    r = await client.post("/api/v1/ingest/readings?atomic=true", headers=tenant.device, json=rows)
    assert r.status_code == 422
    assert r.json()["code"] == "all_rows_rejected"
    assert r.json()["rejected"][0]["index"] == 1
    await asyncio.sleep(0.3)
    assert await count_readings(db, tenant) == 0


async def test_given_nan_or_infinity_then_rejected(
    client: httpx.AsyncClient, tenant: TenantKit, make_machine: MachineFactory
) -> None:
    m = await make_machine(tenant.id)
    body = b'[{"sensor": "%s", "ts": %d, "value": NaN}]' % (m.paths["temp"].encode(), now_ns())
    r = await client.post(
        "/api/v1/ingest/readings", headers={**tenant.device, "content-type": "application/json"}, content=body
    )
    assert r.status_code == 400
    assert r.json()["code"] == "invalid_payload"
    big = b'[{"sensor": "%s", "ts": %d, "value": 1e999}]' % (m.paths["temp"].encode(), now_ns())
    r = await client.post(
        "/api/v1/ingest/readings", headers={**tenant.device, "content-type": "application/json"}, content=big
    )
    assert r.status_code in (400, 422)
    assert r.headers["content-type"].startswith("application/problem+json")


async def test_given_bad_json_empty_or_wrong_type_then_4xx_problem(
    client: httpx.AsyncClient, tenant: TenantKit
) -> None:
    cases = [
        (b"{not json", "application/json", 400),
        (b"", "application/json", 400),
        (b"[]", "application/json", 400),
        (b'{"foo": 1}', "application/json", 400),
        (b"<xml/>", "application/xml", 415),
    ]
    for body, ctype, status in cases:
        r = await client.post("/api/v1/ingest/readings", headers={**tenant.device, "content-type": ctype}, content=body)
        assert r.status_code == status, (body, r.text)
        assert r.headers["content-type"].startswith("application/problem+json")
        assert r.json()["status"] == status


async def test_given_oversize_body_then_413(client: httpx.AsyncClient, tenant: TenantKit) -> None:
    body = b"[" + b",".join([b'{"sensor":"a/b/c/d/e","ts":1,"value":1.0}'] * 60_000) + b"]"
    assert len(body) > 2_000_000
    r = await client.post(
        "/api/v1/ingest/readings", headers={**tenant.device, "content-type": "application/json"}, content=body
    )
    assert r.status_code == 413
    assert r.json()["code"] == "payload_too_large"


async def test_given_idempotency_key_when_request_retried_then_same_batch_ids(
    client: httpx.AsyncClient, tenant: TenantKit, make_machine: MachineFactory
) -> None:
    m = await make_machine(tenant.id)
    rows = [{"sensor": m.paths["temp"], "ts": now_ns(), "value": 1.0}]
    h = {**tenant.device, "Idempotency-Key": "gw-17-batch-0001"}
    a = await client.post("/api/v1/ingest/readings", headers=h, json=rows)
    b = await client.post("/api/v1/ingest/readings", headers=h, json=rows)
    assert a.json()["batches"] == b.json()["batches"]


async def test_given_user_token_of_viewer_then_ingest_forbidden(client: httpx.AsyncClient, make_tenant: object) -> None:
    kit = await make_tenant(roles=("viewer",))  # type: ignore[operator]
    r = await client.post("/api/v1/ingest/readings", headers=kit.as_role("viewer"), json=[])
    assert r.status_code == 403
