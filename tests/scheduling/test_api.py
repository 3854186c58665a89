"""Schedules API against a real server and database."""

from __future__ import annotations

from typing import Any

import httpx

from mip.scheduling.codec import problem_to_dict
from tests.conftest import TenantFactory
from tests.scheduling.helpers import bom_problem

S = "/api/v1/schedules"


def problem_json() -> dict[str, Any]:
    d = problem_to_dict(bom_problem())
    d.pop("existing")
    d.pop("frozen_until")
    d["horizon_start"] = "2025-01-06T06:00:00+00:00"
    return d


async def test_solve_get_gantt_late_reschedule_publish(client: httpx.AsyncClient, make_tenant: TenantFactory) -> None:
    t = await make_tenant(roles=("viewer",))
    body = {"name": "week 2", "problem": problem_json(), "objective": "mix", "time_limit_s": 5}
    r = await client.post(S, headers=t.auth, json=body)
    assert r.status_code == 201, r.text
    s = r.json()
    assert s["solver_status"] == "OPTIMAL"
    assert s["state"] == "draft"
    assert s["greedy_makespan"] >= s["makespan"]
    sid = s["id"]
    full = (await client.get(f"{S}/{sid}", headers=t.as_role("viewer"))).json()
    assert {a["op"] for a in full["assignments"]} == {"S/10", "S/20", "A/10", "B/10", "B/20"}
    g = (await client.get(f"{S}/{sid}/gantt", headers=t.auth)).json()
    m1 = next(row for row in g["rows"] if row["machine"] == "M1")
    assert m1["unavailable"] == [{"start": 20, "end": 40, "reason": "break"}]
    for bar in m1["bars"]:
        assert bar["end"] <= 20 or bar["start"] >= 40
        assert bar["start_at"].startswith("2025-01-06")
    dues = {bar["order"]: (bar["due"], bar["due_at"]) for row in g["rows"] for bar in row["bars"]}
    assert dues["A"][0] == 100
    assert dues["A"][1].startswith("2025-01-06")
    assert dues["B"][0] == 30
    assert dues["A.1"] == (None, None)  # a sub-assembly job without its own due date
    late = (await client.get(f"{S}/{sid}/late", headers=t.auth)).json()
    assert late["schedule_id"] == sid
    listed = (await client.get(S, headers=t.auth)).json()["items"]
    assert sid in {x["id"] for x in listed}

    r = await client.post(
        f"{S}/{sid}/reschedule",
        headers=t.auth,
        json={"machine_down": [{"machine": "M2", "start": 0, "end": 30}], "time_limit_s": 5},
    )
    assert r.status_code == 201, r.text
    new = r.json()
    assert new["parent_id"] == sid
    assert new["disruption"]["machine_down"][0]["machine"] == "M2"
    after = (await client.get(f"{S}/{new['id']}", headers=t.auth)).json()["assignments"]
    for a in after:
        if a["machine"] == "M2":
            assert a["start"] >= 30

    assert (await client.post(f"{S}/{sid}/publish", headers=t.auth)).json()["state"] == "published"
    assert (await client.post(f"{S}/{new['id']}/publish", headers=t.auth)).json()["state"] == "published"
    assert (await client.get(f"{S}/{sid}", headers=t.auth)).json()["state"] == "superseded"
    r = await client.post(f"{S}/{sid}/publish", headers=t.auth)
    assert r.status_code == 409
    assert r.json()["code"] == "schedule_state_conflict"


async def test_permissions_and_bad_input(client: httpx.AsyncClient, make_tenant: TenantFactory) -> None:
    t = await make_tenant(roles=("viewer",))
    body = {"problem": problem_json(), "time_limit_s": 5}
    assert (await client.post(S, headers=t.as_role("viewer"), json=body)).status_code == 403
    r = await client.post(S, headers=t.auth, json={**body, "time_limit_s": 500})
    assert r.status_code == 422
    bad = problem_json()
    bad["operations"][0]["modes"][0]["machine"] = "nowhere"
    r = await client.post(S, headers=t.auth, json={"problem": bad, "time_limit_s": 2})
    assert r.status_code == 422
    assert r.json()["code"] == "bad_instance"
    assert "unknown machine" in r.json()["detail"]
    r = await client.post(S, headers=t.auth, json={"time_limit_s": 2})  # from planning data
    assert r.status_code == 422  # a fresh tenant has no open work orders: nothing to schedule
    assert r.json()["code"] in ("bad_instance", "validation_failed", "invalid_planning_input")
    r = await client.get(f"{S}/00000000-0000-0000-0000-000000000000", headers=t.auth)
    assert r.status_code == 404
    s = (await client.post(S, headers=t.auth, json=body)).json()
    r = await client.post(
        f"{S}/{s['id']}/reschedule", headers=t.auth, json={"machine_down": [{"machine": "M9", "start": 0, "end": 5}]}
    )
    assert r.status_code == 422
    assert "unknown machine" in r.json()["detail"]
