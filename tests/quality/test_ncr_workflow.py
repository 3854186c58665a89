"""NCR numbering, workflow (409 on invalid transitions), MRB approval by the quality role, optimistic versions,
the events log; CAPA 8D fields and the close rule; `mip quality ncr list/show`."""

from __future__ import annotations

import asyncio
from typing import Any

import httpx
import orjson
from typer.testing import CliRunner

from mip.cli.quality import quality_app
from mip.platform.db import Database
from mip.quality.inspection import ncr as ncr_store
from mip.quality.inspection.schemas_ncr import NcrIn
from mip.runtime import Runtime
from tests.conftest import TenantFactory, TenantKit
from tests.quality.isolation_inspection import Q, make_item

runner = CliRunner()


async def _ncr(client: httpx.AsyncClient, t: TenantKit, **kw: Any) -> dict:
    r = await client.post(f"{Q}/ncrs", headers=t.auth, json={"title": "scratch", "quantity": 5, **kw})
    assert r.status_code == 201, r.text
    return dict(r.json())


async def _post(client: httpx.AsyncClient, auth: dict, ncr: dict, what: str, **body: Any) -> httpx.Response:
    return await client.post(f"{Q}/ncrs/{ncr['id']}/{what}", headers=auth, json=body)


async def test_ncr_workflow_with_mrb(client: httpx.AsyncClient, make_tenant: TenantFactory) -> None:
    t = await make_tenant(roles=("quality", "engineer"))
    item = await make_item(client, t)
    sup = (await client.post(f"{Q}/suppliers", headers=t.auth, json={"code": "ACME", "name": "Acme"})).json()
    a = await _ncr(client, t, item_id=item, supplier_id=sup["id"], lots=["L1"], serials=["S1", "S2"],
                   containment=[{"action": "quarantine stock", "owner": "QA"}])  # fmt: skip
    b = await _ncr(client, t)
    assert (a["ncr_number"], b["ncr_number"]) == ("NCR-000001", "NCR-000002")
    assert (a["status"], a["version"], a["lots"]) == ("open", 1, ["L1"])

    r = await _post(client, t.auth, a, "transition", to="closed", expected_version=1)
    assert (r.status_code, r.json()["code"]) == (409, "invalid_transition")
    r = await _post(client, t.auth, a, "transition", to="contained", expected_version=1)
    assert (r.json()["status"], r.json()["version"]) == ("contained", 2)
    r = await client.patch(f"{Q}/ncrs/{a['id']}", headers=t.auth, json={"expected_version": 1, "quantity": 4})
    assert (r.status_code, r.json()["code"], r.json()["current_version"]) == (409, "version_conflict", 2)

    r = await _post(client, t.auth, a, "disposition", disposition="use_as_is", expected_version=2)
    assert (r.json()["status"], r.json()["mrb_required"], r.json()["disposition_quantity"]) == ("pending_mrb", True, 5)
    for role in (t.auth, t.as_role("engineer")):  # admin and engineer may write, but are not the MRB
        r = await _post(client, role, a, "mrb", decision="approve", expected_version=3)
        assert (r.status_code, r.json()["code"]) == (403, "mrb_quality_role_required")
    r = await _post(client, t.as_role("quality"), a, "mrb", decision="reject", expected_version=3)
    assert (r.json()["status"], r.json()["disposition"]) == ("contained", None)
    await _post(client, t.auth, a, "disposition", disposition="repair", quantity=3, expected_version=4)
    r = await _post(client, t.as_role("quality"), a, "mrb", decision="approve", expected_version=5)
    out = r.json()
    quality_user = (await client.get("/api/v1/me", headers=t.as_role("quality"))).json()["id"]
    assert (out["status"], out["mrb_approved_by"]) == ("dispositioned", quality_user)
    assert out["mrb_approved_at"] is not None
    r = await _post(client, t.auth, a, "transition", to="closed", expected_version=6)
    assert r.json()["status"] == "closed"
    r = await client.patch(f"{Q}/ncrs/{a['id']}", headers=t.auth, json={"expected_version": 7, "title": "x"})
    assert r.status_code == 409

    evs = (await client.get(f"{Q}/ncrs/{a['id']}/events", headers=t.auth)).json()["items"]
    assert [(e["kind"], e["from_status"], e["to_status"]) for e in evs] == [
        ("created", None, "open"), ("transition", "open", "contained"), ("disposition", "contained", "pending_mrb"),
        ("mrb_rejected", "pending_mrb", "contained"), ("disposition", "contained", "pending_mrb"),
        ("mrb_approved", "pending_mrb", "dispositioned"), ("transition", "dispositioned", "closed")]  # fmt: skip
    assert all(e["actor_id"] for e in evs)

    r = await _post(client, t.auth, b, "disposition", disposition="scrap", expected_version=1)
    assert r.json()["status"] == "dispositioned"  # scrap needs no MRB
    r = await _post(client, t.auth, b, "disposition", disposition="bogus", expected_version=2)
    assert r.status_code == 422
    listed = (await client.get(f"{Q}/ncrs", headers=t.auth, params={"status": "closed"})).json()["items"]
    assert [n["ncr_number"] for n in listed] == ["NCR-000001"]
    r = await client.post(f"{Q}/ncrs", headers=t.auth, json={"title": "x", "quantity": 0})
    assert r.status_code == 422
    assert (await client.get(f"{Q}/ncrs/{t.id}", headers=t.auth)).status_code == 404


async def test_capa_8d_and_close_rule(client: httpx.AsyncClient, tenant: TenantKit) -> None:
    ncr = await _ncr(client, tenant)
    r = await client.post(f"{Q}/capas", headers=tenant.auth, json={
        "title": "scratches on brackets", "ncr_ids": [ncr["id"]], "team": [{"name": "Ann", "role": "lead"}],
        "problem": "scratches on 5% of parts"})  # fmt: skip
    capa = r.json()
    assert (capa["capa_number"], capa["ncr_ids"], capa["status"]) == ("CAPA-000001", [ncr["id"]], "open")
    assert (await client.get(f"{Q}/ncrs/{ncr['id']}", headers=tenant.auth)).json()["capa_ids"] == [capa["id"]]
    cid = capa["id"]

    async def move(to: str, v: int) -> httpx.Response:
        return await client.post(f"{Q}/capas/{cid}/transition", headers=tenant.auth,
                                 json={"to": to, "expected_version": v})  # fmt: skip

    async def patch(**body: Any) -> httpx.Response:
        return await client.patch(f"{Q}/capas/{cid}", headers=tenant.auth, json=body)

    assert (await move("closed", 1)).json()["code"] == "invalid_transition"
    root = {"method": "5why", "whys": ["fixture worn"], "category": "machine"}
    ca = [{"action": "replace fixture", "owner": "Bob", "due_date": "2030-01-31"}]
    pa = [{"action": "PM on fixtures", "owner": "Eve", "due_date": "2030-02-28"}]
    r = await patch(expected_version=1, root_cause=root, corrective_actions=ca, preventive_actions=pa)
    assert r.json()["root_cause"]["category"] == "machine"
    assert r.json()["version"] == 2
    assert (await patch(expected_version=1, problem="x")).status_code == 409
    assert (await move("implementing", 2)).json()["status"] == "implementing"
    assert (await move("verifying", 3)).json()["status"] == "verifying"
    r = await move("closed", 4)
    assert (r.status_code, r.json()["code"]) == (409, "capa_effectiveness_not_passed")
    r = await patch(expected_version=4, effectiveness_date="2030-03-01", effectiveness_result="failed")
    assert (await move("closed", 5)).json()["code"] == "capa_effectiveness_not_passed"
    r = await patch(expected_version=5, effectiveness_result="passed", closure_notes="team thanked")
    assert r.json()["effectiveness_checked_by"] is not None
    r = await move("closed", 6)
    assert (r.json()["status"], r.json()["closed_by"] is not None) == ("closed", True)
    evs = (await client.get(f"{Q}/capas/{cid}/events", headers=tenant.auth)).json()["items"]
    assert [e["to_status"] for e in evs if e["kind"] != "edited"] == ["open", "implementing", "verifying", "closed"]
    r = await client.post(f"{Q}/capas", headers=tenant.auth,
                          json={"title": "x", "ncr_ids": ["00000000-0000-7000-8000-000000000000"]})  # fmt: skip
    assert r.status_code == 422


def test_cli_ncr_list_show_and_metrics(runtime: Runtime, monkeypatch: Any, tenant: TenantKit) -> None:
    assert runtime.handle is not None
    handle = runtime.handle

    async def seed() -> None:  # its own pool: the runtime's belongs to the session's event loop
        db = Database(handle.app_url, min_size=1, max_size=1)
        await db.open()
        try:
            async with db.tenant_tx(tenant.id) as conn:
                await ncr_store.create(conn, tenant.id, None, NcrIn(title="cli ncr", quantity=2))
        finally:
            await db.close()

    asyncio.run(seed())
    s = runtime.settings
    monkeypatch.setenv("MIP_DATABASE_URL", handle.owner_url)
    monkeypatch.setenv("MIP_DATA_DIR", str(s.data_dir))
    monkeypatch.setenv("MIP_APP_DB_PASSWORD", s.app_db_password.get_secret_value())
    r = runner.invoke(quality_app, ["ncr", "list", "--tenant", str(tenant.id), "--json"])
    assert r.exit_code == 0, r.stderr
    assert [(n["ncr_number"], n["title"]) for n in orjson.loads(r.stdout)] == [("NCR-000001", "cli ncr")]
    r = runner.invoke(quality_app, ["ncr", "show", "--tenant", str(tenant.id), "1", "--json"])
    assert r.exit_code == 0, r.stderr
    assert [e["kind"] for e in orjson.loads(r.stdout)["events"]] == ["created"]
    r = runner.invoke(quality_app, ["ncr", "show", "--tenant", str(tenant.id), "NCR-000009"])
    assert r.exit_code == 2
    assert orjson.loads(r.stderr)["code"] == "quality_not_found"
    r = runner.invoke(quality_app, ["ncr", "list", "--tenant", "nope"])
    assert r.exit_code == 2
    r = runner.invoke(quality_app, ["metrics", "--tenant", str(tenant.id), "--days", "7", "--json"])
    assert r.exit_code == 0, r.stderr
    assert orjson.loads(r.stdout)["totals"]["units_inspected"] == 0
