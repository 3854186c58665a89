"""Training from the time-series store, the registry (versions, promotion, schedule), online scoring:
health history, exactly one recommendation + work order per machine at risk and none below the threshold."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

import httpx

from mip.maintenance import registry
from mip.maintenance.scoring import MaintenanceScorer
from mip.maintenance.training import run_due_retraining
from mip.platform.db import Database
from tests.conftest import MachineFactory, TenantFactory, TenantKit, wait_for
from tests.maintenance.plant import M, scoring_machine, train, training_fleet

POLICY = {"failure_probability_threshold": 0.5, "rul_threshold_hours": 48, "horizon_hours": 72, "snooze_hours": 24}


async def _items(client: httpx.AsyncClient, tenant: TenantKit, path: str, **params: Any) -> list[dict[str, Any]]:
    r = await client.get(f"{M}/{path}", headers=tenant.auth, params=params)
    assert r.status_code == 200, r.text
    items: list[dict[str, Any]] = r.json()["items"]
    return items


async def test_train_promote_score_recommend_once(
    db: Database, client: httpx.AsyncClient, make_tenant: TenantFactory, make_machine: MachineFactory
) -> None:
    tenant = await make_tenant()
    await training_fleet(db, client, make_machine, tenant)

    # -- registry: two trained versions, promotion retires the previous active one
    r = await train(client, tenant, retrain_every_days=7, auto_promote=True)
    assert r.status_code == 201, r.text
    v1 = r.json()
    assert (v1["version"], v1["status"], v1["kind"], v1["machine_class"]) == (1, "candidate", "rul", "pump")
    assert v1["metrics"]["grouped_by"] == "unit"
    assert v1["metrics"]["truncated"]["rmse"] > 0
    data = v1["training_data"]
    assert data["failures"] == 6
    assert data["rows"] > 1000
    assert len(data["sha256"]) == 64
    assert data["sensors"] == ["power", "pressure", "temperature", "vibration"]
    assert v1["artifact_bytes"] > 1000
    assert v1["trained_by"] is not None
    v2 = (await train(client, tenant)).json()
    assert v2["version"] == 2
    assert v2["name"] == v1["name"] == "rul-pump"
    assert v2["training_data"]["sha256"] == v1["training_data"]["sha256"]  # same data, same table

    r = await client.post(f"{M}/models/{v1['id']}/promote", headers=tenant.auth)
    assert r.status_code == 200
    assert r.json()["status"] == "active"
    assert r.json()["next_retrain_at"]
    r = await client.post(f"{M}/models/{v2['id']}/promote", headers=tenant.auth)
    assert r.json()["status"] == "active"
    assert (await client.get(f"{M}/models/{v1['id']}", headers=tenant.auth)).json()["status"] == "retired"
    active = await _items(client, tenant, "models", status="active")
    assert [m["id"] for m in active] == [v2["id"]]
    r = await client.post(f"{M}/models/{v1['id']}/promote", headers=tenant.auth)  # roll back to v1
    assert r.json()["status"] == "active"
    assert [m["id"] for m in await _items(client, tenant, "models", status="active")] == [v1["id"]]

    # -- policy and the machines to score: one about to fail, one healthy
    r = await client.put(f"{M}/policies/pump", headers=tenant.auth, json=POLICY)
    assert r.status_code == 200
    assert r.json()["machine_class"] == "pump"
    sick = await scoring_machine(db, make_machine, tenant, site="sick", observed=300, life=320)
    well = await scoring_machine(db, make_machine, tenant, site="well", observed=80, life=900, seed=2)

    r = await client.post(f"{M}/score", headers=tenant.auth)
    assert r.status_code == 200, r.text
    report = r.json()
    assert report["models"] == 1
    assert report["scored"] == 5
    assert report["recommendations"] == 1
    assert report["work_orders"] == 1

    sick_health = (await client.get(f"{M}/machines/{sick.machine_id}/health", headers=tenant.auth)).json()
    well_health = (await client.get(f"{M}/machines/{well.machine_id}/health", headers=tenant.auth)).json()
    s, w = sick_health["current"], well_health["current"]
    assert (s["rul_hours"] < 48, s["failure_probability"] > 0.5, s["health_index"] < 25) == (True,) * 3, s
    assert (w["rul_hours"] > 150, w["failure_probability"] < 0.2, w["health_index"] > 60) == (True,) * 3, w
    assert s["model_id"] == v1["id"]
    assert s["horizon_hours"] == 72

    recs = await _items(client, tenant, "recommendations")
    assert len(recs) == 1
    assert recs[0]["machine_id"] == str(sick.machine_id)
    assert recs[0]["status"] == "open"
    assert {t["metric"] for t in recs[0]["triggers"]} <= {"failure_probability", "rul_hours"}
    orders = await _items(client, tenant, "work-orders", machine_id=str(sick.machine_id))
    assert len(orders) == 1
    wo = orders[0]
    assert wo["recommendation_id"] == recs[0]["id"]
    assert wo["reason"] == "predicted_failure"
    assert wo["kind"] == "predictive"
    assert wo["status"] == "open"
    assert wo["priority"] in ("high", "urgent")
    assert recs[0]["work_order_id"] == wo["id"]

    # -- idempotent: scoring again adds health history, not recommendations or work orders
    again = await MaintenanceScorer(db).run_once(tenant.id)
    assert (again.scored, again.recommendations, again.work_orders) == (5, 0, 0)
    assert len(await _items(client, tenant, "recommendations")) == 1
    assert len(await _items(client, tenant, "work-orders", machine_id=str(sick.machine_id))) == 1
    history = (await client.get(f"{M}/machines/{sick.machine_id}/health", headers=tenant.auth)).json()["history"]
    assert len(history) == 2
    latest = await _items(client, tenant, "health")
    assert len(latest) == 5
    assert {h["machine_id"] for h in latest} >= {str(sick.machine_id), str(well.machine_id)}

    # -- dismissing cancels the untouched automatic work order and snoozes the machine
    r = await client.post(f"{M}/recommendations/{recs[0]['id']}/dismiss", headers=tenant.auth, json={})
    assert r.status_code == 200
    assert r.json()["status"] == "dismissed"
    assert (await client.get(f"{M}/work-orders/{wo['id']}", headers=tenant.auth)).json()["status"] == "cancelled"
    snoozed = await MaintenanceScorer(db).run_once(tenant.id)
    assert (snoozed.recommendations, snoozed.work_orders) == (0, 0)
    r = await client.post(f"{M}/recommendations/{recs[0]['id']}/accept", headers=tenant.auth, json={})
    assert r.status_code == 409

    # -- scheduled retraining: due once next_retrain_at has passed; auto_promote keeps a not-worse version
    async with db.tenant_tx(tenant.id) as conn:
        assert await registry.retrain_due(conn, tenant.id) == []
        await conn.execute(
            "update ml_models set next_retrain_at = now() - interval '1 minute' where id = %s", [v1["id"]]
        )
        due = await registry.retrain_due(conn, tenant.id)
        assert [str(d["id"]) for d in due] == [v1["id"]]
    assert (tenant.id, True) in await registry.maintenance_tenants(db)
    retrained = await run_due_retraining(db, tenant.id)
    assert len(retrained) == 1
    assert retrained[0]["version"] == 3
    assert retrained[0]["trained_by"] is None
    async with db.tenant_tx(tenant.id) as conn:
        assert await registry.retrain_due(conn, tenant.id) == []  # the schedule moved on


async def test_without_auto_work_order_accept_creates_it(
    db: Database, client: httpx.AsyncClient, make_tenant: TenantFactory, make_machine: MachineFactory
) -> None:
    tenant = await make_tenant(roles=("maintenance", "viewer"))
    await training_fleet(db, client, make_machine, tenant, machines=3, seed=5)
    model = (await train(client, tenant)).json()
    assert (await client.post(f"{M}/models/{model['id']}/promote", headers=tenant.auth)).status_code == 200
    await client.put(f"{M}/policies/*", headers=tenant.auth, json={**POLICY, "auto_work_order": False})
    sick = await scoring_machine(db, make_machine, tenant, site="sick", observed=280, life=295, seed=7)

    report = await MaintenanceScorer(db).run_once(tenant.id)
    assert (report.recommendations, report.work_orders) == (1, 0)
    rec = (await _items(client, tenant, "recommendations", status="open"))[0]
    assert rec["machine_id"] == str(sick.machine_id)
    assert rec["work_order_id"] is None

    r = await client.post(f"{M}/recommendations/{rec['id']}/accept", headers=tenant.as_role("viewer"), json={})
    assert r.status_code == 403
    r = await client.post(
        f"{M}/recommendations/{rec['id']}/accept", headers=tenant.as_role("maintenance"), json={"priority": "urgent"}
    )
    assert r.status_code == 200, r.text
    wo = r.json()
    assert wo["priority"] == "urgent"
    assert wo["recommendation_id"] == rec["id"]
    assert wo["machine_id"] == str(sick.machine_id)
    got = (await client.get(f"{M}/recommendations/{rec['id']}", headers=tenant.auth)).json()
    assert got["status"] == "accepted"
    assert got["work_order_id"] == wo["id"]
    assert got["decided_by"]
    assert (
        await client.post(f"{M}/recommendations/{rec['id']}/accept", headers=tenant.auth, json={})
    ).status_code == 409

    # while the work order is active the machine raises nothing new
    again = await MaintenanceScorer(db).run_once(tenant.id)
    assert (again.recommendations, again.work_orders) == (0, 0)

    # the periodic loop (as the stream role runs it) scores this tenant again
    async def history() -> int:
        r = await client.get(f"{M}/machines/{sick.machine_id}/health", headers=tenant.auth)
        return len(r.json()["history"])

    seen = await history()
    scorer = MaintenanceScorer(db, interval_s=0.2, retrain=True, tenant_ids={tenant.id})
    await scorer.start()
    try:
        await wait_for(lambda: _more(history, seen), timeout=30)
    finally:
        await scorer.stop()
    # the maintenance role may not train or promote
    r = await train(client, tenant, headers=tenant.as_role("maintenance"))
    assert r.status_code == 403
    r = await client.post(f"{M}/models/{model['id']}/retire", headers=tenant.as_role("maintenance"))
    assert r.status_code == 403


async def _more(count: Callable[[], Awaitable[int]], than: int) -> bool:
    return await count() > than


async def test_training_without_failures_is_a_clear_422(
    db: Database, client: httpx.AsyncClient, make_tenant: TenantFactory, make_machine: MachineFactory
) -> None:
    tenant = await make_tenant()
    r = await train(client, tenant)
    assert r.status_code == 422
    assert r.json()["code"] == "insufficient_training_data"
    await scoring_machine(db, make_machine, tenant, site="lonely", observed=50, life=400)
    r = await train(client, tenant)
    assert r.status_code == 422
    assert "failure" in r.json()["detail"]
    r = await client.post(f"{M}/models/train", headers=tenant.auth, json={"machine_class": "pump", "cap_hours": -1})
    assert r.status_code == 422
    assert r.headers["content-type"].startswith("application/problem+json")
    r = await client.post(f"{M}/models/train", headers=tenant.auth, json={"machine_class": "a b"})
    assert r.status_code == 422
    report = await MaintenanceScorer(db).run_once(tenant.id)  # no active model: nothing to do
    assert report.models == 0
    assert report.scored == 0
