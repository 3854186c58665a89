"""Cross-tenant cases for every maintenance route, for the route table in tests/api/test_tenant_isolation.py
(same contract as tests/assets/isolation_cases.py).

B's objects are made through B's own API: work orders directly; a model by ingesting four days of hourly
readings for B's machine, recording two failures and training; a recommendation by promoting that model
with a policy every machine breaches and scoring.
"""

from __future__ import annotations

import time
from collections.abc import Awaitable, Callable
from typing import Any

from tests.conftest import wait_for

M = "/api/v1/maintenance"
W = f"{M}/work-orders"
HOUR = 3_600_000_000_000


async def _b_work_order(w: Any) -> dict[str, Any]:
    body = {"machine_id": str(w.b_ids["machine"]), "title": "B's job"}
    r = await w.client.post(W, headers=w.b.auth, json=body)
    assert r.status_code == 201, r.text
    out: dict[str, Any] = r.json()
    return out


async def _b_model(w: Any) -> dict[str, Any]:
    """B: 96 hourly readings per sensor over two failed lives and a running one, then a trained model."""
    now = time.time_ns()
    base = now - now % HOUR
    temp = w.b_ids["sensor_path"]
    pressure = temp.rsplit("/", 1)[0] + "/pressure"
    readings = []
    for k in range(96, 0, -1):
        frac = ((96 - k) % 32) / 32  # position within a 32-hour life
        ts = base - k * HOUR + 60_000_000_000
        readings.append({"sensor": temp, "ts": ts, "value": round(40 + 30 * frac + 0.3 * (k % 3), 3)})
        readings.append({"sensor": pressure, "ts": ts, "value": round(5 + 3 * frac + 0.1 * (k % 2), 3)})
    r = await w.client.post("/api/v1/ingest/readings", headers=w.b.device, json=readings)
    assert r.status_code == 202, r.text
    for hours_ago in (64, 32):
        failed = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime((base - hours_ago * HOUR) / 1e9))
        body = {"machine_id": str(w.b_ids["machine"]), "title": "failure", "failed_at": failed}
        assert (await w.client.post(W, headers=w.b.auth, json=body)).status_code == 201
    train = {"machine_class": "default", "cap_hours": 6, "folds": 2, "max_iter": 20}

    async def trained() -> dict[str, Any] | None:
        r = await w.client.post(f"{M}/models/train", headers=w.b.auth, json=train)
        return r.json() if r.status_code == 201 else None  # 422 until the stream stage stored the rollups

    model: dict[str, Any] = await wait_for(trained, timeout=60, interval=0.5)
    return model


async def _b_recommendation(w: Any) -> dict[str, Any]:
    model = await _b_model(w)
    assert (await w.client.post(f"{M}/models/{model['id']}/promote", headers=w.b.auth)).status_code == 200
    policy = {"rul_threshold_hours": 1000, "failure_probability_threshold": 0.5}
    assert (await w.client.put(f"{M}/policies/*", headers=w.b.auth, json=policy)).status_code == 200
    report = (await w.client.post(f"{M}/score", headers=w.b.auth)).json()
    assert report["recommendations"] == 1, report
    rec: dict[str, Any] = (await w.client.get(f"{M}/recommendations", headers=w.b.auth)).json()["items"][0]
    return rec


def register_maintenance_cases(
    case: Callable[[str, str], Callable[[Any], Any]], is_404: Callable[[Any], Awaitable[None]]
) -> None:
    # -- models ------------------------------------------------------------------------------------------------
    @case("GET", f"{M}/models")
    async def _list_models(w: Any) -> None:
        model = await _b_model(w)
        mine = (await w.client.get(f"{M}/models", headers=w.a.auth)).json()["items"]
        assert model["id"] not in {m["id"] for m in mine}

    @case("POST", f"{M}/models/train")
    async def _train(w: Any) -> None:
        await _b_model(w)  # B has data and failures for class 'default'; A sees none of them
        body = {"machine_class": "default", "cap_hours": 6, "folds": 2, "max_iter": 20}
        r = await w.client.post(f"{M}/models/train", headers=w.a.auth, json=body)
        assert r.status_code == 422
        assert r.json()["code"] == "insufficient_training_data"
        assert len((await w.client.get(f"{M}/models", headers=w.b.auth)).json()["items"]) == 1

    @case("GET", f"{M}/models/{{model_id}}")
    async def _get_model(w: Any) -> None:
        await is_404(await w.client.get(f"{M}/models/{(await _b_model(w))['id']}", headers=w.a.auth))

    @case("POST", f"{M}/models/{{model_id}}/promote")
    async def _promote(w: Any) -> None:
        model = await _b_model(w)
        await is_404(await w.client.post(f"{M}/models/{model['id']}/promote", headers=w.a.auth))
        assert (await w.client.get(f"{M}/models/{model['id']}", headers=w.b.auth)).json()["status"] == "candidate"

    @case("POST", f"{M}/models/{{model_id}}/retire")
    async def _retire(w: Any) -> None:
        model = await _b_model(w)
        await is_404(await w.client.post(f"{M}/models/{model['id']}/retire", headers=w.a.auth))
        assert (await w.client.get(f"{M}/models/{model['id']}", headers=w.b.auth)).json()["status"] == "candidate"

    # -- health and scoring --------------------------------------------------------------------------------------
    @case("GET", f"{M}/health")
    async def _health(w: Any) -> None:
        await _b_recommendation(w)
        assert (await w.client.get(f"{M}/health", headers=w.a.auth)).json()["items"] == []

    @case("GET", f"{M}/machines/{{machine_id}}/health")
    async def _machine_health(w: Any) -> None:
        await is_404(await w.client.get(f"{M}/machines/{w.b_ids['machine']}/health", headers=w.a.auth))

    @case("POST", f"{M}/score")
    async def _score(w: Any) -> None:
        await _b_recommendation(w)
        before = (await w.client.get(f"{M}/machines/{w.b_ids['machine']}/health", headers=w.b.auth)).json()
        report = (await w.client.post(f"{M}/score", headers=w.a.auth)).json()
        assert report["models"] == 0
        assert report["scored"] == 0
        after = (await w.client.get(f"{M}/machines/{w.b_ids['machine']}/health", headers=w.b.auth)).json()
        assert len(after["history"]) == len(before["history"]) == 1

    # -- policies ----------------------------------------------------------------------------------------------
    @case("GET", f"{M}/policies")
    async def _policies(w: Any) -> None:
        await w.client.put(f"{M}/policies/pump", headers=w.b.auth, json={"rul_threshold_hours": 1})
        assert (await w.client.get(f"{M}/policies", headers=w.a.auth)).json()["items"] == []

    @case("PUT", f"{M}/policies/{{machine_class}}")
    async def _put_policy(w: Any) -> None:
        await w.client.put(f"{M}/policies/pump", headers=w.b.auth, json={"rul_threshold_hours": 1})
        r = await w.client.put(f"{M}/policies/pump", headers=w.a.auth, json={"rul_threshold_hours": 99})
        assert r.status_code == 200
        theirs = (await w.client.get(f"{M}/policies", headers=w.b.auth)).json()["items"]
        assert [p["rul_threshold_hours"] for p in theirs] == [1]

    # -- recommendations -----------------------------------------------------------------------------------------
    @case("GET", f"{M}/recommendations")
    async def _recs(w: Any) -> None:
        await _b_recommendation(w)
        assert (await w.client.get(f"{M}/recommendations", headers=w.a.auth)).json()["items"] == []
        r = await w.client.get(f"{M}/recommendations", headers=w.a.auth, params={"machine_id": str(w.b_ids["machine"])})
        assert r.json()["items"] == []

    @case("GET", f"{M}/recommendations/{{rec_id}}")
    async def _rec(w: Any) -> None:
        await is_404(await w.client.get(f"{M}/recommendations/{(await _b_recommendation(w))['id']}", headers=w.a.auth))

    @case("POST", f"{M}/recommendations/{{rec_id}}/accept")
    async def _accept(w: Any) -> None:
        rec = await _b_recommendation(w)
        await is_404(await w.client.post(f"{M}/recommendations/{rec['id']}/accept", headers=w.a.auth, json={}))
        assert (await w.client.get(f"{M}/recommendations/{rec['id']}", headers=w.b.auth)).json()["status"] == "open"

    @case("POST", f"{M}/recommendations/{{rec_id}}/dismiss")
    async def _dismiss(w: Any) -> None:
        rec = await _b_recommendation(w)
        await is_404(await w.client.post(f"{M}/recommendations/{rec['id']}/dismiss", headers=w.a.auth, json={}))
        assert (await w.client.get(f"{M}/recommendations/{rec['id']}", headers=w.b.auth)).json()["status"] == "open"

    # -- work orders ----------------------------------------------------------------------------------------------
    @case("GET", W)
    async def _list_wo(w: Any) -> None:
        wo = await _b_work_order(w)
        assert wo["id"] not in {x["id"] for x in (await w.client.get(W, headers=w.a.auth)).json()["items"]}
        r = await w.client.get(W, headers=w.a.auth, params={"machine_id": str(w.b_ids["machine"])})
        assert r.json()["items"] == []

    @case("POST", W)
    async def _create_wo(w: Any) -> None:
        body = {"machine_id": str(w.b_ids["machine"]), "title": "sneaky"}
        await is_404(await w.client.post(W, headers=w.a.auth, json=body))
        assert (await w.client.get(W, headers=w.b.auth)).json()["items"] == []

    @case("GET", f"{W}/{{wo_id}}")
    async def _get_wo(w: Any) -> None:
        await is_404(await w.client.get(f"{W}/{(await _b_work_order(w))['id']}", headers=w.a.auth))

    @case("PATCH", f"{W}/{{wo_id}}")
    async def _patch_wo(w: Any) -> None:
        wo = await _b_work_order(w)
        await is_404(await w.client.patch(f"{W}/{wo['id']}", headers=w.a.auth, json={"status": "cancelled"}))
        assert (await w.client.get(f"{W}/{wo['id']}", headers=w.b.auth)).json()["status"] == "open"

    @case("DELETE", f"{W}/{{wo_id}}")
    async def _delete_wo(w: Any) -> None:
        wo = await _b_work_order(w)
        await is_404(await w.client.delete(f"{W}/{wo['id']}", headers=w.a.auth))
        assert (await w.client.get(f"{W}/{wo['id']}", headers=w.b.auth)).status_code == 200
