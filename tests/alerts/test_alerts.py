"""Threshold breaches open one alert per sensor and rule, arrive live on the WebSocket of that tenant only,
and can be acknowledged and resolved."""

from __future__ import annotations

import asyncio
import time
from typing import Any

import httpx
import orjson
import websockets

from tests.conftest import MachineFactory, TenantFactory, TenantKit, wait_for


async def _alerts(client: httpx.AsyncClient, tenant: TenantKit, **params: Any) -> list[dict[str, Any]]:
    r = await client.get("/api/v1/alerts", headers=tenant.auth, params=params)
    assert r.status_code == 200
    items: list[dict[str, Any]] = r.json()["items"]
    return items


async def _next_alert_event(ws: Any, timeout: float = 10.0) -> dict[str, Any]:
    while True:
        msg = orjson.loads(await asyncio.wait_for(ws.recv(), timeout))
        if msg["type"].startswith("alert."):
            return dict(msg)


async def test_given_breaches_then_one_open_alert_updated_not_duplicated(
    client: httpx.AsyncClient, tenant: TenantKit, make_machine: MachineFactory
) -> None:
    m = await make_machine(tenant.id)
    now = time.time_ns()
    for i in range(3):
        rows = [{"sensor": m.paths["temp"], "ts": now + i * 1000 + j, "value": 90.0 + i + j} for j in range(2)]
        assert (await client.post("/api/v1/ingest/readings", headers=tenant.device, json=rows)).status_code == 202

    async def settled() -> list[dict[str, Any]]:
        items = await _alerts(client, tenant)
        return items if items and items[0]["count"] == 6 else []

    items = await wait_for(settled)
    assert len(items) == 1
    a = items[0]
    assert a["rule"] == "high_limit"
    assert a["state"] == "open"
    assert a["severity"] == "critical"
    assert a["safety"] is True
    assert a["peak_value"] == 93.0
    assert a["threshold"] == 80.0


async def test_given_low_and_in_range_values_then_only_low_alert(
    client: httpx.AsyncClient, tenant: TenantKit, make_machine: MachineFactory
) -> None:
    m = await make_machine(tenant.id)
    now = time.time_ns()
    rows = [
        {"sensor": m.paths["pressure"], "ts": now, "value": 0.5},
        {"sensor": m.paths["pressure"], "ts": now + 1, "value": 5.0},
        {"sensor": m.paths["temp"], "ts": now, "value": 20.0},
    ]
    await client.post("/api/v1/ingest/readings", headers=tenant.device, json=rows)
    items = await wait_for(lambda: _alerts(client, tenant))
    await asyncio.sleep(0.3)
    items = await _alerts(client, tenant)
    assert [(a["rule"], a["peak_value"]) for a in items] == [("low_limit", 0.5)]


async def test_given_ws_subscribers_of_two_tenants_then_each_sees_only_its_own_alerts(
    client: httpx.AsyncClient, server_url: str, make_tenant: TenantFactory, make_machine: MachineFactory
) -> None:
    a = await make_tenant()
    b = await make_tenant()
    ma = await make_machine(a.id)
    ws_url = server_url.replace("http", "ws") + "/api/v1/ws?token="
    async with websockets.connect(ws_url + a.token) as wa, websockets.connect(ws_url + b.token) as wb:
        assert orjson.loads(await wa.recv())["type"] == "hello"
        assert orjson.loads(await wb.recv())["type"] == "hello"
        sent = time.time_ns()
        await client.post(
            "/api/v1/ingest/readings", headers=a.device, json=[{"sensor": ma.paths["temp"], "ts": sent, "value": 99.0}]
        )
        event = await _next_alert_event(wa)
        assert event["type"] == "alert.opened"
        assert event["alert"]["sensor_id"] == str(ma.sensors["temp"])
        assert event["ingest_received_ns"] >= sent
        # tenant b's socket receives nothing
        try:
            extra = await asyncio.wait_for(wb.recv(), 0.5)
        except TimeoutError:
            extra = None
        assert extra is None


async def test_given_bad_token_then_ws_closed(server_url: str) -> None:
    ws_url = server_url.replace("http", "ws") + "/api/v1/ws?token=bogus"
    try:
        async with websockets.connect(ws_url) as ws:
            await ws.recv()
        closed_code = None
    except websockets.exceptions.InvalidStatus as exc:
        closed_code = exc.response.status_code
    except websockets.exceptions.ConnectionClosed as exc:
        closed_code = exc.rcvd.code if exc.rcvd else -1
    assert closed_code in (403, 4401)


async def test_given_open_alert_when_ack_then_resolve_then_next_breach_opens_new(
    client: httpx.AsyncClient, make_tenant: TenantFactory, make_machine: MachineFactory
) -> None:
    kit = await make_tenant(roles=("viewer", "production"))
    m = await make_machine(kit.id)
    await client.post(
        "/api/v1/ingest/readings",
        headers=kit.device,
        json=[{"sensor": m.paths["temp"], "ts": time.time_ns(), "value": 85.0}],
    )
    first = (await wait_for(lambda: _alerts(client, kit)))[0]
    denied = await client.post(f"/api/v1/alerts/{first['id']}/acknowledge", headers=kit.as_role("viewer"))
    assert denied.status_code == 403
    ack = await client.post(f"/api/v1/alerts/{first['id']}/acknowledge", headers=kit.as_role("production"))
    assert ack.json()["state"] == "acknowledged"
    assert ack.json()["acknowledged_by"] is not None
    res = await client.post(f"/api/v1/alerts/{first['id']}/resolve", headers=kit.auth)
    assert res.json()["state"] == "resolved"
    conflict = await client.post(f"/api/v1/alerts/{first['id']}/acknowledge", headers=kit.auth)
    assert conflict.status_code == 409
    await client.post(
        "/api/v1/ingest/readings",
        headers=kit.device,
        json=[{"sensor": m.paths["temp"], "ts": time.time_ns(), "value": 86.0}],
    )

    async def two() -> list[dict[str, Any]]:
        items = await _alerts(client, kit)
        return items if len(items) == 2 else []

    items = await wait_for(two)
    assert {i["state"] for i in items} == {"open", "resolved"}
    only_open = await _alerts(client, kit, state="open")
    assert len(only_open) == 1
    assert (await client.get(f"/api/v1/alerts/{only_open[0]['id']}", headers=kit.auth)).status_code == 200
