"""For every API route: a user or API key of tenant A gets 404/403 for tenant B's objects and cannot
create objects in B. The route table below must cover every route the app serves (a new route without a
case fails this test)."""

from __future__ import annotations

import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

import httpx
import pytest
from fastapi.routing import APIRoute, APIWebSocketRoute

from mip.api.app import create_app
from tests.conftest import MachineFactory, TenantFactory, TenantKit, wait_for


@dataclass
class World:
    client: httpx.AsyncClient
    a: TenantKit
    b: TenantKit
    b_ids: dict[str, Any]


Case = Callable[[World], Awaitable[None]]
CASES: dict[tuple[str, str], Case | None] = {}
PUBLIC = {
    ("GET", "/healthz"),
    ("GET", "/readyz"),
    ("POST", "/api/v1/auth/login"),
    ("POST", "/api/v1/auth/refresh"),
    ("POST", "/api/v1/auth/logout"),
}


def case(method: str, path: str) -> Callable[[Case], Case]:
    def deco(fn: Case) -> Case:
        CASES[(method, path)] = fn
        return fn

    return deco


async def _is_404(r: httpx.Response) -> None:
    assert r.status_code == 404, r.text
    assert r.headers["content-type"].startswith("application/problem+json")


@case("GET", "/api/v1/me")
async def _me(w: World) -> None:
    assert (await w.client.get("/api/v1/me", headers=w.a.auth)).json()["tenant_id"] == str(w.a.id)


@case("GET", "/api/v1/tenant")
async def _tenant(w: World) -> None:
    assert (await w.client.get("/api/v1/tenant", headers=w.a.auth)).json()["id"] == str(w.a.id)


@case("GET", "/api/v1/users")
async def _users(w: World) -> None:
    users = (await w.client.get("/api/v1/users", headers=w.a.auth)).json()
    assert {u["tenant_id"] for u in users} == {str(w.a.id)}


@case("POST", "/api/v1/users")
async def _create_user(w: World) -> None:
    r = await w.client.post(
        "/api/v1/users",
        headers=w.a.auth,
        json={
            "email": f"sneaky@{w.a.slug}.test",
            "password": "long-enough-pw",
            "role": "viewer",
            "tenant_id": str(w.b.id),
        },
    )
    assert r.json()["tenant_id"] == str(w.a.id)  # the tenant comes from the credentials, never the payload


@case("GET", "/api/v1/users/{user_id}")
async def _get_user(w: World) -> None:
    await _is_404(await w.client.get(f"/api/v1/users/{w.b_ids['user']}", headers=w.a.auth))


@case("PATCH", "/api/v1/users/{user_id}")
async def _patch_user(w: World) -> None:
    await _is_404(await w.client.patch(f"/api/v1/users/{w.b_ids['user']}", headers=w.a.auth, json={"active": False}))


@case("GET", "/api/v1/api-keys")
async def _keys(w: World) -> None:
    keys = (await w.client.get("/api/v1/api-keys", headers=w.a.auth)).json()
    assert str(w.b.api_key_id) not in {k["id"] for k in keys}


@case("POST", "/api/v1/api-keys")
async def _create_key(w: World) -> None:
    r = await w.client.post("/api/v1/api-keys", headers=w.a.auth, json={"name": "x", "site_id": str(w.b_ids["site"])})
    await _is_404(r)


@case("DELETE", "/api/v1/api-keys/{key_id}")
async def _revoke_key(w: World) -> None:
    await _is_404(await w.client.delete(f"/api/v1/api-keys/{w.b.api_key_id}", headers=w.a.auth))


@case("POST", "/api/v1/ingest/readings")
async def _ingest(w: World) -> None:
    rows = [
        {"sensor": w.b_ids["sensor_path"], "ts": time.time_ns(), "value": 1.0},
        {"sensor": str(w.b_ids["sensor"]), "ts": time.time_ns(), "value": 1.0},
    ]
    r = await w.client.post("/api/v1/ingest/readings", headers=w.a.device, json=rows)
    assert r.status_code == 422
    assert all("unknown sensor" in x["reason"] for x in r.json()["rejected"])


@case("GET", "/api/v1/sensors/{sensor_id}/readings")
async def _readings(w: World) -> None:
    await _is_404(await w.client.get(f"/api/v1/sensors/{w.b_ids['sensor']}/readings", headers=w.a.auth))


@case("GET", "/api/v1/machines/{machine_id}/latest")
async def _latest(w: World) -> None:
    await _is_404(await w.client.get(f"/api/v1/machines/{w.b_ids['machine']}/latest", headers=w.a.auth))


@case("GET", "/api/v1/alerts")
async def _alerts(w: World) -> None:
    items = (await w.client.get("/api/v1/alerts", headers=w.a.auth)).json()["items"]
    assert str(w.b_ids["alert"]) not in {i["id"] for i in items}


@case("GET", "/api/v1/alerts/{alert_id}")
async def _alert(w: World) -> None:
    await _is_404(await w.client.get(f"/api/v1/alerts/{w.b_ids['alert']}", headers=w.a.auth))


@case("POST", "/api/v1/alerts/{alert_id}/acknowledge")
async def _ack(w: World) -> None:
    await _is_404(await w.client.post(f"/api/v1/alerts/{w.b_ids['alert']}/acknowledge", headers=w.a.auth))


@case("POST", "/api/v1/alerts/{alert_id}/assign")
async def _assign(w: World) -> None:
    await _is_404(
        await w.client.post(f"/api/v1/alerts/{w.b_ids['alert']}/assign", headers=w.a.auth, json={"user_id": None})
    )


@case("GET", "/api/v1/alerts/{alert_id}/comments")
async def _comments(w: World) -> None:
    await _is_404(await w.client.get(f"/api/v1/alerts/{w.b_ids['alert']}/comments", headers=w.a.auth))


@case("POST", "/api/v1/alerts/{alert_id}/comments")
async def _comment(w: World) -> None:
    r = await w.client.post(f"/api/v1/alerts/{w.b_ids['alert']}/comments", headers=w.a.auth, json={"body": "x"})
    await _is_404(r)


@case("GET", "/api/v1/alerts/{alert_id}/events")
async def _alarm_events(w: World) -> None:
    await _is_404(await w.client.get(f"/api/v1/alerts/{w.b_ids['alert']}/events", headers=w.a.auth))


@case("GET", "/api/v1/plant/overview")
async def _overview(w: World) -> None:
    machines = (await w.client.get("/api/v1/plant/overview", headers=w.a.auth)).json()["machines"]
    assert str(w.b_ids["machine"]) not in {m["id"] for m in machines}
    assert machines, "tenant A sees its own machines"


@case("POST", "/api/v1/alerts/{alert_id}/resolve")
async def _resolve(w: World) -> None:
    await _is_404(await w.client.post(f"/api/v1/alerts/{w.b_ids['alert']}/resolve", headers=w.a.auth))


@case("WS", "/api/v1/ws")
async def _ws(w: World) -> None:
    """Covered by tests/alerts/test_alerts.py (each socket sees only its own tenant's alerts)."""


from tests.api.isolation_assets import register_asset_cases  # noqa: E402

register_asset_cases(case, _is_404)

from tests.analytics.isolation_cases import register_analytics_cases  # noqa: E402
from tests.audit.isolation_cases import register_audit_cases  # noqa: E402
from tests.detection.isolation_cases import register_detection_cases  # noqa: E402
from tests.lake.isolation_cases import register_lake_cases  # noqa: E402
from tests.maintenance.isolation_cases import register_maintenance_cases  # noqa: E402
from tests.notifications.isolation_cases import register_notifications_cases  # noqa: E402
from tests.oee.isolation_cases import register_oee_cases  # noqa: E402
from tests.planning.isolation_cases import register_planning_cases  # noqa: E402
from tests.quality.isolation_cases import register_quality_cases  # noqa: E402
from tests.quality.isolation_inspection import register_quality_inspection_cases  # noqa: E402
from tests.quality.isolation_trace import register_quality_trace_cases  # noqa: E402
from tests.scheduling.isolation_cases import register_scheduling_cases  # noqa: E402

for _register in (
    register_detection_cases,
    register_notifications_cases,
    register_oee_cases,
    register_maintenance_cases,
    register_planning_cases,
    register_scheduling_cases,
    register_quality_cases,
    register_quality_inspection_cases,
    register_quality_trace_cases,
    register_audit_cases,
    register_lake_cases,
    register_analytics_cases,
):
    _register(case, _is_404)


def _walk(routes: list[Any], out: set[tuple[str, str]]) -> None:
    for r in routes:
        if isinstance(r, APIRoute):
            out |= {(m, r.path) for m in r.methods if m != "HEAD"}
        elif isinstance(r, APIWebSocketRoute):
            out.add(("WS", r.path))
        elif hasattr(r, "original_router"):  # FastAPI keeps included routers as wrappers
            _walk(r.original_router.routes, out)


def app_routes() -> set[tuple[str, str]]:
    out: set[tuple[str, str]] = set()
    _walk(list(create_app(None).routes), out)
    return out


def test_every_route_has_an_isolation_case() -> None:
    routes = app_routes()
    assert len(routes) > 30  # the walker really sees the mounted routers
    missing = routes - set(CASES) - PUBLIC
    assert not missing, f"routes without a cross-tenant case: {sorted(missing)}"
    assert not set(CASES) - routes, "cases for routes that no longer exist"


@pytest.fixture
async def world(client: httpx.AsyncClient, make_tenant: TenantFactory, make_machine: MachineFactory) -> World:
    a = await make_tenant()
    b = await make_tenant()
    await make_machine(a.id)
    mb = await make_machine(b.id, site="b-plant")
    await client.post(
        "/api/v1/ingest/readings",
        headers=b.device,
        json=[{"sensor": mb.paths["temp"], "ts": time.time_ns(), "value": 500.0}],
    )

    async def b_alert() -> Any:
        items = (await client.get("/api/v1/alerts", headers=b.auth)).json()["items"]
        return items[0]["id"] if items else None

    b_user = (await client.get("/api/v1/me", headers=b.auth)).json()["id"]
    ids = {
        "user": b_user,
        "site": mb.site_id,
        "machine": mb.machine_id,
        "sensor": mb.sensors["temp"],
        "sensor_path": mb.paths["temp"],
        "alert": await wait_for(b_alert),
    }
    return World(client, a, b, ids)


@pytest.mark.parametrize("route", sorted(set(CASES)), ids=lambda r: f"{r[0]} {r[1]}")
async def test_given_tenant_a_credentials_then_tenant_b_objects_unreachable(
    world: World, route: tuple[str, str]
) -> None:
    fn = CASES[route]
    assert fn is not None
    await fn(world)
    # and B's objects are untouched
    b_alert = await world.client.get(f"/api/v1/alerts/{world.b_ids['alert']}", headers=world.b.auth)
    assert b_alert.json()["state"] == "open"
    b_key_ok = await world.client.get("/api/v1/api-keys", headers=world.b.auth)
    assert all(k["revoked_at"] is None for k in b_key_ok.json())
