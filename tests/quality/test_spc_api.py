"""SPC API against the real server: stateless chart/capability, stored charts (Phase I → frozen limits →
Phase II), out-of-control signals raising one alarm that counts repeats, sensor-fed charts, 4xx."""

from __future__ import annotations

import time
from typing import Any

import httpx

from mip.platform.db import Database
from mip.quality.spc.sensor import evaluate_sensor_charts
from tests.conftest import MachineFactory, TenantFactory, TenantKit, wait_for
from tests.quality.helpers import pistonrings, sig

Q = "/api/v1/quality/spc"
S = 1_000_000_000


async def _chart(client: httpx.AsyncClient, t: TenantKit, machine_id: Any, **settings: Any) -> dict[str, Any]:
    body = {"name": f"bore {time.time_ns()}", "machine_id": str(machine_id),
            "settings": {"type": "xbar", "rules": "limits", "constants": "table", "lsl": 73.95, "usl": 74.05,
                         **settings}}  # fmt: skip
    r = await client.post(f"{Q}/charts", headers=t.auth, json=body)
    assert r.status_code == 201, r.text
    return dict(r.json())


async def test_stateless_chart_and_capability(client: httpx.AsyncClient, tenant: TenantKit) -> None:
    groups, labels, k = pistonrings()
    body = {"type": "xbar", "subgroups": groups, "labels": labels, "phase1": k, "constants": "table",
            "rules": "limits", "lsl": 73.95, "usl": 74.05}  # fmt: skip
    r = await client.post(f"{Q}/chart", headers=tenant.auth, json=body)
    assert r.status_code == 200, r.text
    out = r.json()
    assert sig(out["sigma"], 7) == sig(0.009785039, 7)
    assert sig(out["limits"]["ucl"], 6) == sig(74.0143, 6)
    assert round(out["capability"]["cpk"], 3) == 1.663
    ew = await client.post(f"{Q}/chart", headers=tenant.auth, json={"type": "ewma", "values": [1.0, 2.0, 1.5, 1.7],
                                                                     "lambda": 0.3})  # fmt: skip
    assert ew.status_code == 200, ew.text
    assert ew.json()["lambda"] == 0.3
    cap_body = {"subgroups": groups[:k], "lsl": 73.95, "usl": 74.05, "constants": "table"}
    cap = await client.post(f"{Q}/capability", headers=tenant.auth, json=cap_body)
    assert cap.status_code == 200, cap.text
    assert round(cap.json()["cp"], 3) == 1.703


async def test_stateless_bad_input_is_4xx(client: httpx.AsyncClient, tenant: TenantKit) -> None:
    bad = [
        {"type": "r", "values": [1.0, 2.0, 3.0]},  # subgroups of 1
        {"type": "p", "counts": [1, 2, 3]},  # no sizes
        {"type": "xbar", "subgroups": [[1.0, 2.0]]},  # one subgroup
        {"type": "xbar", "subgroups": [[1.0, 2.0], [2.0, 3.0]], "lsl": 5, "usl": 1},
        {"type": "xbar", "subgroups": [[1.0, 2.0], [2.0, 3.0]], "phase1": 5},
        {"type": "xbar", "subgroups": [[1.0, 1.0], [1.0, 1.0]]},  # zero sigma
    ]
    for body in bad:
        r = await client.post(f"{Q}/chart", headers=tenant.auth, json=body)
        assert r.status_code == 400, (body, r.text)
        assert r.json()["code"] == "spc_bad_input"
    r = await client.post(f"{Q}/chart", headers=tenant.auth, json={"type": "nope", "values": [1.0]})
    assert r.status_code == 422
    r = await client.post(f"{Q}/capability", headers=tenant.auth, json={"values": [1.0, 2.0, 3.0]})
    assert r.status_code == 400


async def test_stored_chart_phase1_freeze_phase2_raises_one_alarm(
    client: httpx.AsyncClient, tenant: TenantKit, make_machine: MachineFactory
) -> None:
    m = await make_machine(tenant.id, sensors={})
    chart = await _chart(client, tenant, m.machine_id)
    assert chart["status"] == "phase1"
    groups, _, k = pistonrings()
    url = f"{Q}/charts/{chart['id']}"
    r = await client.post(f"{url}/points", headers=tenant.auth, json={"subgroups": [{"values": g} for g in groups[:k]]})
    assert r.status_code == 201, r.text
    assert r.json()["phase"] == 1
    assert r.json()["signals"] == []
    trial = (await client.get(f"{url}/chart", headers=tenant.auth)).json()  # trial limits while in Phase I
    assert sig(trial["center"], 7) == sig(74.00118, 7)
    frozen = await client.post(f"{url}/limits", headers=tenant.auth, json={})
    assert frozen.status_code == 200, frozen.text
    f = frozen.json()
    assert f["status"] == "phase2"
    assert f["frozen_by"] is not None
    assert f["frozen_at"] is not None
    assert sig(f["limits"]["limits"]["ucl"], 6) == sig(74.0143, 6)
    # Phase II: subgroups 26..36 are in control, 37, 38, 39 are above the UCL (the shift in Montgomery's data)
    r = await client.post(
        f"{url}/points", headers=tenant.auth, json={"subgroups": [{"values": g} for g in groups[25:36]]}
    )
    assert r.json()["signals"] == []
    alarms: list[Any] = []
    for i in (36, 37, 38):
        r = await client.post(f"{url}/points", headers=tenant.auth, json={"subgroups": [{"values": groups[i]}]})
        assert r.status_code == 201, r.text
        sigs = r.json()["signals"]
        assert [(s["seq"], s["rule"]) for s in sigs] == [(i + 1, "nelson1")]
        alarms.append(sigs[0]["alert_id"])
    assert alarms[0] is not None
    assert len(set(alarms)) == 1  # repeats count into the one active alarm
    alerts = (await client.get("/api/v1/alerts", headers=tenant.auth, params={"machine_id": str(m.machine_id)})).json()
    mine = [a for a in alerts["items"] if a["rule"] == chart["id"]]
    assert len(mine) == 1
    assert mine[0]["count"] == 3
    assert mine[0]["id"] == alarms[0]
    assert "out of control" in mine[0]["message"]
    events = (await client.get(f"/api/v1/alerts/{alarms[0]}/events", headers=tenant.auth)).json()["items"]
    assert [e["kind"] for e in events].count("raised") == 1
    view = (await client.get(f"{url}/chart", headers=tenant.auth)).json()
    assert {v["label"] for v in view["violations"]} == {"37", "38", "39"}
    assert round(view["capability"]["cp"], 3) == 1.703
    stored = (await client.get(f"{url}/signals", headers=tenant.auth)).json()["items"]
    assert [s["seq"] for s in stored] == [39, 38, 37]
    pts = (await client.get(f"{url}/points", headers=tenant.auth, params={"phase": 2})).json()["items"]
    assert len(pts) == 14
    # after resolving, the next signal opens a new alarm
    await client.post(f"/api/v1/alerts/{alarms[0]}/resolve", headers=tenant.auth)
    r = await client.post(f"{url}/points", headers=tenant.auth, json={"subgroups": [{"values": [74.1] * 5}]})
    assert r.json()["signals"][0]["alert_id"] not in (None, alarms[0])


async def test_stored_chart_validation_and_permissions(
    client: httpx.AsyncClient, make_tenant: TenantFactory, make_machine: MachineFactory
) -> None:
    t = await make_tenant(roles=("viewer",))
    m = await make_machine(t.id, sensors={"bore": (None, None)})
    chart = await _chart(client, t, m.machine_id)
    url = f"{Q}/charts/{chart['id']}"
    dup = await client.post(f"{Q}/charts", headers=t.auth, json={"name": chart["name"], "machine_id": str(m.machine_id),
                                                                 "settings": {"type": "xbar"}})  # fmt: skip
    assert dup.status_code == 409
    attr = {"name": "x", "settings": {"type": "p"}, "source": "sensor", "sensor_id": str(m.sensors["bore"])}
    r = await client.post(f"{Q}/charts", headers=t.auth, json=attr)
    assert r.status_code == 400
    assert (
        await client.post(f"{Q}/charts", headers=t.auth, json={"name": "y", "settings": {"type": "xbar"}})
    ).status_code == 400
    assert (await client.post(f"{url}/limits", headers=t.auth, json={})).status_code == 409  # no subgroups yet
    assert (await client.get(f"{url}/chart", headers=t.auth)).status_code == 409
    r = await client.post(f"{url}/points", headers=t.auth, json={"subgroups": [{"count": 3, "size": 10}]})
    assert r.status_code == 400
    assert (await client.post(f"{url}/points", headers=t.auth, json={"subgroups": []})).status_code == 422
    viewer = t.as_role("viewer")
    assert (await client.get(url, headers=viewer)).status_code == 200
    assert (
        await client.post(f"{url}/points", headers=viewer, json={"subgroups": [{"values": [1.0]}]})
    ).status_code == 403
    assert (await client.patch(url, headers=viewer, json={"name": "z"})).status_code == 403
    p = await client.patch(
        url, headers=t.auth, json={"name": "renamed", "settings": {"type": "xbar", "rules": "nelson"}}
    )
    assert p.status_code == 200, p.text
    assert p.json()["name"] == "renamed"
    assert p.json()["settings"]["rules"] == "nelson"
    await client.post(f"{url}/points", headers=t.auth, json={"subgroups": [{"values": [1.0, 2.0]}]})
    assert (await client.patch(url, headers=t.auth, json={"settings": {"type": "p"}})).status_code == 409
    assert (await client.patch(url, headers=t.auth, json={"name": None})).status_code == 422
    listed = (await client.get(f"{Q}/charts", headers=t.auth)).json()["items"]
    assert [c["name"] for c in listed] == ["renamed"]
    assert (await client.delete(url, headers=t.auth)).status_code == 204
    assert (await client.get(url, headers=t.auth)).status_code == 404


async def test_sensor_fed_chart_forms_subgroups_from_readings_and_raises_alarm(
    client: httpx.AsyncClient, tenant: TenantKit, make_machine: MachineFactory, db: Database
) -> None:
    m = await make_machine(tenant.id, sensors={"bore": (None, None)})
    t0 = time.time_ns() - 600 * S
    body = {"name": "bore gauge", "source": "sensor", "sensor_id": str(m.sensors["bore"]), "subgroup_size": 5,
            "start_ts": t0, "settings": {"type": "xbar", "rules": "limits"}}  # fmt: skip
    r = await client.post(f"{Q}/charts", headers=tenant.auth, json=body)
    assert r.status_code == 201, r.text
    chart = r.json()
    assert chart["machine_id"] == str(m.machine_id)
    groups, _, _ = pistonrings()
    values = [v for g in groups[:25] for v in g] + [74.0]  # 125 readings + 1 of an incomplete subgroup
    rows = [{"sensor": m.paths["bore"], "ts": t0 + i * S, "value": v} for i, v in enumerate(values)]
    assert (await client.post("/api/v1/ingest/readings", headers=tenant.device, json=rows)).status_code == 202

    async def stored() -> bool:
        async with db.tenant_tx(tenant.id) as conn:
            cur = await conn.execute("select count(*) as n from readings where sensor_id = %s", [m.sensors["bore"]])
            row = await cur.fetchone()
        return bool(row and row["n"] >= len(values))

    await wait_for(stored)
    async with db.tenant_tx(tenant.id) as conn:
        assert await evaluate_sensor_charts(conn, tenant.id) == 25
    async with db.tenant_tx(tenant.id) as conn:
        assert await evaluate_sensor_charts(conn, tenant.id) == 0  # nothing new; the partial subgroup waits
    url = f"{Q}/charts/{chart['id']}"
    assert (await client.get(url, headers=tenant.auth)).json()["watermark_ts"] == t0 + 124 * S
    assert (
        await client.post(f"{url}/points", headers=tenant.auth, json={"subgroups": [{"values": [1.0]}]})
    ).status_code == 409
    assert (await client.post(f"{url}/limits", headers=tenant.auth, json={})).status_code == 200
    t1 = t0 + 126 * S
    shifted = [{"sensor": m.paths["bore"], "ts": t1 + i * S, "value": 74.05} for i in range(9)]  # completes 2
    assert (await client.post("/api/v1/ingest/readings", headers=tenant.device, json=shifted)).status_code == 202

    async def charted() -> bool:
        async with db.tenant_tx(tenant.id) as conn:
            events: list[Any] = []
            n = await evaluate_sensor_charts(conn, tenant.id, events=events)
        return n > 0

    await wait_for(charted)
    alerts = (
        await client.get("/api/v1/alerts", headers=tenant.auth, params={"sensor_id": str(m.sensors["bore"])})
    ).json()
    mine = [a for a in alerts["items"] if a["rule"] == chart["id"]]
    assert len(mine) == 1
    assert mine[0]["count"] >= 1
