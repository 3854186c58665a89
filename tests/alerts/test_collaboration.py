"""Alarm collaboration: assign to a user of the tenant (never another tenant's), comment threads, and the
live events that tell every open dashboard."""

from __future__ import annotations

import asyncio
import time
from typing import Any

import httpx
import orjson
import websockets

from tests.conftest import MachineFactory, TenantFactory, TenantKit, wait_for


async def _open_alert(client: httpx.AsyncClient, tenant: TenantKit, make_machine: MachineFactory) -> dict[str, Any]:
    m = await make_machine(tenant.id)
    row = {"sensor": m.paths["temp"], "ts": time.time_ns(), "value": 120.0}
    assert (await client.post("/api/v1/ingest/readings", headers=tenant.device, json=[row])).status_code == 202

    async def opened() -> list[dict[str, Any]]:
        r = await client.get("/api/v1/alerts", headers=tenant.auth, params={"machine_id": str(m.machine_id)})
        return list(r.json()["items"])

    items = await wait_for(opened)
    return dict(items[0])


async def _me(client: httpx.AsyncClient, headers: dict[str, str]) -> dict[str, Any]:
    return dict((await client.get("/api/v1/me", headers=headers)).json())


async def test_given_alert_when_assigned_then_filterable_and_unassignable(
    client: httpx.AsyncClient, make_tenant: TenantFactory, make_machine: MachineFactory
) -> None:
    tenant = await make_tenant(roles=("production",))
    alert = await _open_alert(client, tenant, make_machine)
    operator = await _me(client, tenant.as_role("production"))
    r = await client.post(f"/api/v1/alerts/{alert['id']}/assign", headers=tenant.auth, json={"user_id": operator["id"]})
    assert r.status_code == 200, r.text
    assert r.json()["assigned_to"] == operator["id"]
    assert r.json()["assigned_at"] is not None
    mine = await client.get("/api/v1/alerts", headers=tenant.auth, params={"assigned_to": operator["id"]})
    assert [a["id"] for a in mine.json()["items"]] == [alert["id"]]
    r = await client.post(f"/api/v1/alerts/{alert['id']}/assign", headers=tenant.auth, json={"user_id": None})
    assert r.json()["assigned_to"] is None
    assert r.json()["assigned_at"] is None


async def test_given_other_tenants_user_when_assigned_then_422_and_unchanged(
    client: httpx.AsyncClient, make_tenant: TenantFactory, make_machine: MachineFactory
) -> None:
    a = await make_tenant()
    b = await make_tenant()
    alert = await _open_alert(client, a, make_machine)
    stranger = await _me(client, b.auth)
    r = await client.post(f"/api/v1/alerts/{alert['id']}/assign", headers=a.auth, json={"user_id": stranger["id"]})
    assert r.status_code == 422
    assert r.headers["content-type"].startswith("application/problem+json")
    assert r.json()["code"] == "unknown_assignee"
    got = await client.get(f"/api/v1/alerts/{alert['id']}", headers=a.auth)
    assert got.json()["assigned_to"] is None


async def test_given_bad_assign_body_then_422_json(
    client: httpx.AsyncClient, tenant: TenantKit, make_machine: MachineFactory
) -> None:
    alert = await _open_alert(client, tenant, make_machine)
    for body in ({"user_id": "not-a-uuid"}, {}, {"user_id": None, "extra": 1}):
        r = await client.post(f"/api/v1/alerts/{alert['id']}/assign", headers=tenant.auth, json=body)
        assert r.status_code == 422, body
        assert r.headers["content-type"].startswith("application/problem+json")


async def test_given_comments_then_thread_in_order_with_author_and_viewer_cannot_comment(
    client: httpx.AsyncClient, make_tenant: TenantFactory, make_machine: MachineFactory
) -> None:
    tenant = await make_tenant(roles=("viewer",))
    alert = await _open_alert(client, tenant, make_machine)
    url = f"/api/v1/alerts/{alert['id']}/comments"
    for text in ("Coolant pump checked", "Bearing replaced"):
        r = await client.post(url, headers=tenant.auth, json={"body": text})
        assert r.status_code == 201, r.text
        assert r.json()["author_name"] == tenant.admin_email
    thread = (await client.get(url, headers=tenant.auth)).json()["items"]
    assert [c["body"] for c in thread] == ["Coolant pump checked", "Bearing replaced"]
    assert (await client.get(url, headers=tenant.as_role("viewer"))).status_code == 200
    assert (await client.post(url, headers=tenant.as_role("viewer"), json={"body": "x"})).status_code == 403
    assert (await client.post(url, headers=tenant.auth, json={"body": ""})).status_code == 422


async def test_given_ws_subscriber_when_assigned_and_commented_then_events_arrive(
    client: httpx.AsyncClient, server_url: str, tenant: TenantKit, make_machine: MachineFactory
) -> None:
    alert = await _open_alert(client, tenant, make_machine)
    me = await _me(client, tenant.auth)
    async with websockets.connect(server_url.replace("http", "ws") + "/api/v1/ws?token=" + tenant.token) as ws:
        assert orjson.loads(await ws.recv())["type"] == "hello"
        await client.post(f"/api/v1/alerts/{alert['id']}/assign", headers=tenant.auth, json={"user_id": me["id"]})
        await client.post(f"/api/v1/alerts/{alert['id']}/comments", headers=tenant.auth, json={"body": "on it"})
        kinds: list[str] = []
        while len(kinds) < 2:
            event = orjson.loads(await asyncio.wait_for(ws.recv(), 10))
            if event["type"].startswith("alert."):
                assert event["alert"]["id"] == alert["id"]
                kinds.append(event["type"])
    assert kinds == ["alert.assigned", "alert.commented"]
