"""Rules API: versioned CRUD with history, optimistic concurrency, scope checks, permissions, clear 4xx."""

from __future__ import annotations

from typing import Any

import httpx

from tests.conftest import MachineFactory, TenantFactory, TenantKit

R = "/api/v1/rules"


def _rule(**over: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "name": "Spindle too hot",
        "severity": "critical",
        "safety": True,
        "scope": {"sensor_name": "temp"},
        "condition": {"type": "threshold", "op": ">", "value": 85.0, "deadband": 2.0, "min_duration_s": 3},
    }
    body.update(over)
    return body


async def test_given_rule_when_changed_then_versions_kept_with_who_and_when(
    client: httpx.AsyncClient, tenant: TenantKit
) -> None:
    r = await client.post(R, headers=tenant.auth, json=_rule())
    assert r.status_code == 201, r.text
    rule = r.json()
    assert rule["version"] == 1
    assert rule["condition"]["deadband"] == 2.0
    changed = await client.put(
        f"{R}/{rule['id']}",
        headers=tenant.auth,
        params={"expected_version": 1},
        json=_rule(condition={"type": "threshold", "op": ">", "value": 90.0}),
    )
    assert changed.status_code == 200, changed.text
    assert changed.json()["version"] == 2
    same = await client.put(
        f"{R}/{rule['id']}", headers=tenant.auth, json=_rule(condition={"type": "threshold", "op": ">", "value": 90.0})
    )
    assert same.json()["version"] == 2  # no change, no new version
    stale = await client.put(f"{R}/{rule['id']}", headers=tenant.auth, params={"expected_version": 1}, json=_rule())
    assert stale.status_code == 409
    assert stale.json()["code"] == "rule_version_conflict"
    deleted = await client.delete(f"{R}/{rule['id']}", headers=tenant.auth)
    assert deleted.json()["version"] == 3
    assert (await client.get(f"{R}/{rule['id']}", headers=tenant.auth)).status_code == 404
    versions = (await client.get(f"{R}/{rule['id']}/versions", headers=tenant.auth)).json()["items"]
    assert [(v["version"], v["change"]) for v in versions] == [(1, "created"), (2, "updated"), (3, "deleted")]
    assert versions[0]["spec"]["condition"]["value"] == 85.0
    assert versions[1]["spec"]["condition"]["value"] == 90.0
    me = (await client.get("/api/v1/me", headers=tenant.auth)).json()["id"]
    assert {v["changed_by"] for v in versions} == {me}
    listed = (await client.get(R, headers=tenant.auth)).json()["items"]
    assert rule["id"] not in {x["id"] for x in listed}


async def test_given_each_condition_type_then_accepted(client: httpx.AsyncClient, tenant: TenantKit) -> None:
    conditions = [
        {"type": "rate_of_change", "max_per_s": 2.0, "window_s": 10},
        {"type": "zscore", "window_s": 300, "z": 4},
        {"type": "ewma", "alpha": 0.2, "sigmas": 3},
        {"type": "window", "agg": "avg", "window_s": 60, "op": ">", "value": 70},
        {"type": "flatline", "window_s": 120, "tolerance": 0.01},
        {"type": "missing_data", "intervals": 5},
    ]
    for c in conditions:
        r = await client.post(R, headers=tenant.auth, json=_rule(name=f"r-{c['type']}", condition=c))
        assert r.status_code == 201, (c, r.text)
    combined = {
        "type": "combined",
        "window_s": 10,
        "all_of": [{"sensor_name": "temp", "op": ">", "value": 70}, {"sensor_name": "pressure", "op": "<", "value": 2}],
    }
    r = await client.post(
        R, headers=tenant.auth, json=_rule(name="combo", scope={"machine_class": "cnc"}, condition=combined)
    )
    assert r.status_code == 201, r.text
    assert len((await client.get(R, headers=tenant.auth)).json()["items"]) == 7


async def test_given_bad_rules_then_422_problem_with_location(client: httpx.AsyncClient, tenant: TenantKit) -> None:
    bad = [
        _rule(condition={"type": "threshold", "op": "!=", "value": 1}),
        _rule(condition={"type": "nope"}),
        _rule(scope={}),
        _rule(scope={"machine_class": "cnc"}),  # needs sensor_name or kind
        _rule(severity="apocalyptic"),
        _rule(extra_field=1),
        _rule(condition={"type": "combined", "all_of": [{"sensor_name": "a", "op": ">", "value": 1}]}),
    ]
    for body in bad:
        r = await client.post(R, headers=tenant.auth, json=body)
        assert r.status_code == 422, (body, r.text)
        assert r.headers["content-type"].startswith("application/problem+json")


async def test_given_scope_of_unknown_or_foreign_machine_then_422(
    client: httpx.AsyncClient, make_tenant: TenantFactory, make_machine: MachineFactory
) -> None:
    a = await make_tenant()
    b = await make_tenant()
    mb = await make_machine(b.id)
    for scope in ({"machine_id": str(mb.machine_id), "sensor_name": "temp"}, {"sensor_id": str(mb.sensors["temp"])}):
        r = await client.post(R, headers=a.auth, json=_rule(scope=scope))
        assert r.status_code == 422
        assert r.json()["code"] == "invalid_rule_scope"


async def test_given_viewer_then_reads_but_cannot_write(client: httpx.AsyncClient, make_tenant: TenantFactory) -> None:
    t = await make_tenant(roles=("viewer",))
    assert (await client.get(R, headers=t.as_role("viewer"))).status_code == 200
    assert (await client.post(R, headers=t.as_role("viewer"), json=_rule())).status_code == 403
