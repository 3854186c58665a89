"""The plant overview: every machine with its site and line, status, current values and alarm counts,
from set-based queries, scoped to the caller's tenant."""

from __future__ import annotations

import time
from typing import Any

import httpx

from mip.platform.timeutil import NS_PER_S
from tests.conftest import MachineFactory, TenantKit, wait_for


async def _overview(client: httpx.AsyncClient, tenant: TenantKit) -> dict[str, Any]:
    r = await client.get("/api/v1/plant/overview", headers=tenant.auth)
    assert r.status_code == 200, r.text
    return dict(r.json())


async def test_given_machines_then_site_line_and_statuses(
    client: httpx.AsyncClient, tenant: TenantKit, make_machine: MachineFactory
) -> None:
    running = await make_machine(tenant.id, site="north", safety=False)
    quiet = await make_machine(tenant.id, site="south")
    alarming = await make_machine(tenant.id, site="east")
    stale = await make_machine(tenant.id, site="west")
    now = time.time_ns()
    rows = [
        {"sensor": running.paths["temp"], "ts": now - NS_PER_S, "value": 40.0},
        {"sensor": running.paths["temp"], "ts": now, "value": 41.5},
        {"sensor": running.paths["pressure"], "ts": now, "value": 5.0},
        {"sensor": alarming.paths["temp"], "ts": now, "value": 95.0},
        {"sensor": stale.paths["temp"], "ts": now - 600 * NS_PER_S, "value": 30.0},
    ]
    assert (await client.post("/api/v1/ingest/readings", headers=tenant.device, json=rows)).status_code == 202

    async def settled() -> dict[str, Any] | None:
        o = await _overview(client, tenant)
        by = {m["id"]: m for m in o["machines"]}
        ok = by[str(alarming.machine_id)]["status"] == "alarm" and by[str(running.machine_id)]["status"] == "running"
        return by if ok else None

    by = await wait_for(settled)
    assert len(by) == 4
    r = by[str(running.machine_id)]
    assert r["site"]["name"] == "north"
    assert r["line"]["name"] == "line1"
    values = {s["name"]: s["value"] for s in r["sensors"]}
    assert values == {"temp": 41.5, "pressure": 5.0}
    assert r["open_alerts"] == 0
    assert r["worst_severity"] is None
    a = by[str(alarming.machine_id)]
    assert (a["open_alerts"], a["unacknowledged_alerts"], a["safety_alerts"]) == (1, 1, 1)
    assert a["worst_severity"] == "critical"
    assert by[str(quiet.machine_id)]["status"] == "no_data"
    assert by[str(quiet.machine_id)]["last_seen"] is None
    assert by[str(stale.machine_id)]["status"] == "stale"


async def test_given_acknowledged_then_counted_open_but_not_unacknowledged(
    client: httpx.AsyncClient, tenant: TenantKit, make_machine: MachineFactory
) -> None:
    m = await make_machine(tenant.id)
    row = {"sensor": m.paths["pressure"], "ts": time.time_ns(), "value": 50.0}
    await client.post("/api/v1/ingest/readings", headers=tenant.device, json=[row])

    async def alert_id() -> str | None:
        items = (await client.get("/api/v1/alerts", headers=tenant.auth)).json()["items"]
        return items[0]["id"] if items else None

    aid = await wait_for(alert_id)
    await client.post(f"/api/v1/alerts/{aid}/acknowledge", headers=tenant.auth)
    [machine] = (await _overview(client, tenant))["machines"]
    assert (machine["open_alerts"], machine["unacknowledged_alerts"]) == (1, 0)
    await client.post(f"/api/v1/alerts/{aid}/resolve", headers=tenant.auth)
    [machine] = (await _overview(client, tenant))["machines"]
    assert machine["open_alerts"] == 0
    assert machine["status"] == "running"


async def test_given_empty_tenant_then_no_machines_and_tenant_timezone(
    client: httpx.AsyncClient, tenant: TenantKit
) -> None:
    o = await _overview(client, tenant)
    assert o["machines"] == []
    assert o["timezone"] == "UTC"
