"""Work orders CRUD and status transitions, policies, permissions, and bad input → 4xx problem JSON."""

from __future__ import annotations

import uuid

import httpx

from tests.conftest import MachineFactory, TenantFactory
from tests.maintenance.plant import M

W = f"{M}/work-orders"


def _is_problem(r: httpx.Response, status: int) -> dict[str, object]:
    assert r.status_code == status, r.text
    assert r.headers["content-type"].startswith("application/problem+json")
    body: dict[str, object] = r.json()
    assert body["status"] == status
    assert body["code"]
    return body


async def test_work_order_lifecycle(
    client: httpx.AsyncClient, make_tenant: TenantFactory, make_machine: MachineFactory
) -> None:
    tenant = await make_tenant(roles=("maintenance", "viewer"))
    kit = await make_machine(tenant.id)
    me = (await client.get("/api/v1/me", headers=tenant.auth)).json()["id"]

    body = {"machine_id": str(kit.machine_id), "title": "Replace seal", "priority": "high", "due_date": "2030-01-31"}
    r = await client.post(W, headers=tenant.as_role("maintenance"), json=body)
    assert r.status_code == 201, r.text
    wo = r.json()
    assert wo["number"] >= 1
    assert wo["status"] == "open"
    assert wo["kind"] == "corrective"
    assert wo["due_date"] == "2030-01-31"
    second = (await client.post(W, headers=tenant.auth, json={**body, "title": "Inspect"})).json()
    assert second["number"] == wo["number"] + 1  # numbered per tenant

    r = await client.patch(f"{W}/{wo['id']}", headers=tenant.auth, json={"assigned_to": me, "status": "in_progress"})
    assert r.status_code == 200, r.text
    assert r.json()["assigned_to"] == me
    assert r.json()["started_at"]
    assert r.json()["status"] == "in_progress"
    r = await client.patch(f"{W}/{wo['id']}", headers=tenant.auth, json={"status": "done"})
    assert r.json()["status"] == "done"
    assert r.json()["completed_at"]
    _is_problem(await client.patch(f"{W}/{wo['id']}", headers=tenant.auth, json={"status": "open"}), 409)
    _is_problem(await client.delete(f"{W}/{wo['id']}", headers=tenant.auth), 409)  # done is the record

    listed = (await client.get(W, headers=tenant.as_role("viewer"), params={"status": "done"})).json()["items"]
    assert [x["id"] for x in listed] == [wo["id"]]
    mine = (await client.get(W, headers=tenant.auth, params={"assigned_to": me})).json()["items"]
    assert [x["id"] for x in mine] == [wo["id"]]

    r = await client.patch(f"{W}/{second['id']}", headers=tenant.auth, json={"status": "cancelled"})
    assert r.json()["status"] == "cancelled"
    assert (await client.delete(f"{W}/{second['id']}", headers=tenant.auth)).status_code == 204
    _is_problem(await client.get(f"{W}/{second['id']}", headers=tenant.auth), 404)

    # permissions: viewers read, only admin/engineer/maintenance write
    _is_problem(await client.post(W, headers=tenant.as_role("viewer"), json=body), 403)
    _is_problem(await client.patch(f"{W}/{wo['id']}", headers=tenant.as_role("viewer"), json={"title": "x"}), 403)


async def test_bad_input_is_a_4xx_problem(
    client: httpx.AsyncClient, make_tenant: TenantFactory, make_machine: MachineFactory
) -> None:
    tenant = await make_tenant()
    kit = await make_machine(tenant.id)
    ok = {"machine_id": str(kit.machine_id), "title": "t"}
    for bad in (
        {"machine_id": "not-a-uuid", "title": "t"},
        {**ok, "title": ""},
        {**ok, "priority": "whenever"},
        {**ok, "kind": "magic"},
        {**ok, "due_date": "31/01/2030"},
        {**ok, "unexpected": 1},
        {"title": "no machine"},
    ):
        _is_problem(await client.post(W, headers=tenant.auth, json=bad), 422)
    _is_problem(
        await client.post(
            W,
            headers=tenant.auth,
            content=b"{not json",
        ),
        422,
    )
    body = _is_problem(await client.post(W, headers=tenant.auth, json={**ok, "machine_id": str(uuid.uuid4())}), 404)
    assert body["code"] == "machine_not_found"
    _is_problem(await client.post(W, headers=tenant.auth, json={**ok, "machine_id": str(kit.site_id)}), 404)
    body = _is_problem(await client.post(W, headers=tenant.auth, json={**ok, "assigned_to": str(uuid.uuid4())}), 422)
    assert body["code"] == "unknown_assignee"

    wo = (await client.post(W, headers=tenant.auth, json=ok)).json()
    _is_problem(await client.patch(f"{W}/{wo['id']}", headers=tenant.auth, json={"status": "finished"}), 422)
    _is_problem(await client.get(f"{W}/not-a-uuid", headers=tenant.auth), 422)
    _is_problem(await client.get(W, headers=tenant.auth, params={"limit": 0}), 422)
    _is_problem(await client.get(f"{M}/models/{uuid.uuid4()}", headers=tenant.auth), 404)
    _is_problem(await client.post(f"{M}/models/{uuid.uuid4()}/promote", headers=tenant.auth), 404)
    _is_problem(await client.get(f"{M}/recommendations/{uuid.uuid4()}", headers=tenant.auth), 404)
    _is_problem(await client.get(f"{M}/models", headers=tenant.auth, params={"status": "bogus"}), 422)
    _is_problem(await client.get(f"{M}/machines/{uuid.uuid4()}/health", headers=tenant.auth), 404)
    bad_policy = {"failure_probability_threshold": 1.5}
    _is_problem(await client.put(f"{M}/policies/pump", headers=tenant.auth, json=bad_policy), 422)
    _is_problem(await client.put(f"{M}/policies/a%20b", headers=tenant.auth, json={}), 422)


async def test_policies_and_empty_health(
    client: httpx.AsyncClient, make_tenant: TenantFactory, make_machine: MachineFactory
) -> None:
    tenant = await make_tenant(roles=("viewer",))
    kit = await make_machine(tenant.id)
    assert (await client.get(f"{M}/policies", headers=tenant.auth)).json() == {"items": []}
    r = await client.put(f"{M}/policies/*", headers=tenant.auth, json={"rul_threshold_hours": 100})
    assert r.status_code == 200
    assert r.json()["rul_threshold_hours"] == 100
    assert r.json()["horizon_hours"] == 168
    r = await client.put(
        f"{M}/policies/*", headers=tenant.auth, json={"rul_threshold_hours": 50, "auto_work_order": False}
    )
    items = (await client.get(f"{M}/policies", headers=tenant.as_role("viewer"))).json()["items"]
    assert len(items) == 1
    assert items[0]["rul_threshold_hours"] == 50
    assert items[0]["auto_work_order"] is False
    _is_problem(await client.put(f"{M}/policies/*", headers=tenant.as_role("viewer"), json={}), 403)
    health = (await client.get(f"{M}/machines/{kit.machine_id}/health", headers=tenant.auth)).json()
    assert health == {"machine_id": str(kit.machine_id), "current": None, "history": []}
    assert (await client.get(f"{M}/health", headers=tenant.auth)).json() == {"items": []}
    assert (await client.get(f"{M}/models", headers=tenant.auth)).json()["items"] == []
    r = await client.post(f"{M}/score", headers=tenant.auth)
    assert r.status_code == 200
    assert r.json()["scored"] == 0
