"""Detection rules in the running stream stage: created through the API, applied to ingested readings without
a restart, raise and clear alarms once, survive as engine snapshots, and changes take effect at once."""

from __future__ import annotations

import time
from typing import Any

import httpx

from mip.platform.timeutil import NS_PER_S
from mip.runtime import Runtime
from tests.conftest import MachineFactory, TenantKit, wait_for


async def _ingest(client: httpx.AsyncClient, tenant: TenantKit, path: str, values: list[float], t0: int) -> None:
    rows = [{"sensor": path, "ts": t0 + i * NS_PER_S, "value": v} for i, v in enumerate(values)]
    r = await client.post("/api/v1/ingest/readings", headers=tenant.device, json=rows)
    assert r.status_code == 202, r.text


async def _rule_alarms(client: httpx.AsyncClient, tenant: TenantKit, rule_id: str) -> list[dict[str, Any]]:
    r = await client.get("/api/v1/alerts", headers=tenant.auth, params={"rule_id": rule_id})
    return list(r.json()["items"])


async def test_given_threshold_rule_when_breached_then_one_alarm_raised_then_cleared_with_hysteresis(
    client: httpx.AsyncClient, runtime: Runtime, tenant: TenantKit, make_machine: MachineFactory
) -> None:
    m = await make_machine(tenant.id, sensors={"temp": (None, None)})
    body = {
        "name": "hot",
        "severity": "critical",
        "safety": True,
        "scope": {"machine_id": str(m.machine_id), "sensor_name": "temp"},
        "condition": {"type": "threshold", "op": ">", "value": 80, "deadband": 5},
    }
    rule = (await client.post("/api/v1/rules", headers=tenant.auth, json=body)).json()
    t0 = time.time_ns() - 60 * NS_PER_S
    await _ingest(client, tenant, m.paths["temp"], [70, 85, 90, 88], t0)
    alarms = await wait_for(lambda: _rule_alarms(client, tenant, rule["id"]))
    assert len(alarms) == 1
    assert alarms[0]["status"] == "active_unack"
    assert alarms[0]["safety"] is True
    await _ingest(client, tenant, m.paths["temp"], [78, 77], t0 + 4 * NS_PER_S)  # inside the deadband: stays

    async def settled_count() -> list[dict[str, Any]] | None:
        a = await _rule_alarms(client, tenant, rule["id"])
        return a if a and a[0]["count"] >= 3 else None

    alarms = await wait_for(settled_count)
    assert alarms[0]["cleared_at"] is None
    await _ingest(client, tenant, m.paths["temp"], [74], t0 + 6 * NS_PER_S)  # past the deadband: clears

    async def cleared() -> list[dict[str, Any]] | None:
        a = await _rule_alarms(client, tenant, rule["id"])
        return a if a and a[0]["cleared_at"] else None

    [alarm] = await wait_for(cleared)
    assert alarm["status"] == "cleared_unack"
    assert alarm["count"] == 3
    async with runtime.db.tenant_tx(tenant.id) as conn:
        cur = await conn.execute("select state from detection_state where machine_id = %s", [m.machine_id])
        assert await cur.fetchone() is not None  # the engine state is kept with the alarms


async def test_given_rule_changed_then_new_threshold_applies_without_restart(
    client: httpx.AsyncClient, tenant: TenantKit, make_machine: MachineFactory
) -> None:
    m = await make_machine(tenant.id, sensors={"temp": (None, None)})
    body: dict[str, Any] = {
        "name": "warm",
        "severity": "minor",
        "scope": {"sensor_id": str(m.sensors["temp"])},
        "condition": {"type": "threshold", "op": ">", "value": 100},
    }
    rule = (await client.post("/api/v1/rules", headers=tenant.auth, json=body)).json()
    t0 = time.time_ns() - 60 * NS_PER_S
    await _ingest(client, tenant, m.paths["temp"], [60, 61], t0)
    await wait_for(lambda: _stored(client, tenant, m.sensors["temp"], 2))
    assert await _rule_alarms(client, tenant, rule["id"]) == []
    body["condition"]["value"] = 50
    r = await client.put(f"/api/v1/rules/{rule['id']}", headers=tenant.auth, json=body)
    assert r.json()["version"] == 2
    await _ingest(client, tenant, m.paths["temp"], [62], t0 + 2 * NS_PER_S)
    [alarm] = await wait_for(lambda: _rule_alarms(client, tenant, rule["id"]))
    assert alarm["rule_version"] == 2


async def _stored(client: httpx.AsyncClient, tenant: TenantKit, sensor: Any, n: int) -> bool:
    r = await client.get(
        f"/api/v1/sensors/{sensor}/readings",
        headers=tenant.auth,
        params={"start": str(time.time_ns() - 3600 * NS_PER_S)},
    )
    return len(r.json()["points"]) >= n
