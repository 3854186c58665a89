"""GET /api/v1/audit/entries, /verify, /checkpoints."""

from __future__ import annotations

from pathlib import Path

import httpx

from mip.audit.service import checkpoint, seal
from mip.audit.signing import Keyring
from mip.identity.permissions import Role
from mip.platform.db import Database
from tests.conftest import TenantFactory

A = "/api/v1/audit"


async def test_given_changes_then_entries_filter_page_verify_and_checkpoints(
    client: httpx.AsyncClient, db: Database, make_tenant: TenantFactory, data_dir: Path
) -> None:
    t = await make_tenant()
    sites = []
    for i in range(3):
        r = await client.post("/api/v1/assets", headers=t.auth, json={"kind": "site", "name": f"p{i}"})
        assert r.status_code == 201, r.text
        sites.append(r.json()["id"])
    await client.patch(f"/api/v1/assets/{sites[0]}", headers=t.auth, json={"name": "renamed"})
    await seal(db)
    await checkpoint(db, Keyring.from_data_dir(data_dir), every=1, age_s=0)

    r = await client.get(f"{A}/entries", headers=t.auth, params={"table": "assets", "object_id": sites[0]})
    assert r.status_code == 200, r.text
    items = r.json()["items"]
    assert [x["action"] for x in items] == ["update", "insert"]  # newest first
    assert items[0]["after"]["name"] == "renamed"
    assert set(items[0]["after"]) == {"name", "path", "updated_at"}
    assert items[0]["actor"].startswith("user:")
    assert all(x["seq"] is not None and len(x["hash"]) == 64 for x in items)

    page1 = (await client.get(f"{A}/entries", headers=t.auth, params={"table": "assets", "limit": 2})).json()
    assert len(page1["items"]) == 2
    cursor = page1["next_before_id"]
    page2 = (
        await client.get(f"{A}/entries", headers=t.auth, params={"table": "assets", "limit": 2, "before_id": cursor})
    ).json()
    assert {x["id"] for x in page1["items"]}.isdisjoint({x["id"] for x in page2["items"]})
    assert len(page1["items"]) + len(page2["items"]) == 4
    system = (await client.get(f"{A}/entries", headers=t.auth, params={"actor": "system"})).json()["items"]
    assert {x["table"] for x in system} >= {"tenants"}  # created by the CLI/bootstrap path: no actor
    deletes = (await client.get(f"{A}/entries", headers=t.auth, params={"action": "delete"})).json()["items"]
    assert deletes == []
    future = (await client.get(f"{A}/entries", headers=t.auth, params={"since": "2999-01-01T00:00:00Z"})).json()
    assert future["items"] == []

    report = (await client.get(f"{A}/verify", headers=t.auth)).json()
    assert report["ok"], report["problems"]
    assert report["entries"] >= 5
    assert report["checkpoints_verified"] == report["checkpoints"] >= 1
    cps = (await client.get(f"{A}/checkpoints", headers=t.auth)).json()["items"]
    assert cps[0]["seq"] == report["last_checkpoint"]["seq"]
    assert len(cps[0]["signature"]) == 128


async def test_given_bad_input_or_a_role_without_audit_read_then_clear_4xx(
    client: httpx.AsyncClient, make_tenant: TenantFactory
) -> None:
    t = await make_tenant(roles=(Role.PRODUCTION.value,))
    for params in (
        {"since": "2026-01-01T00:00:00"},
        {"since": "2026-02-01T00:00:00Z", "until": "2026-01-01T00:00:00Z"},
        {"limit": 0},
        {"action": "truncate"},
        {"before_id": "x"},
    ):
        r = await client.get(f"{A}/entries", headers=t.auth, params=params)
        assert r.status_code in (400, 422), (params, r.text)
        assert r.headers["content-type"].startswith("application/problem+json")
    for path in ("entries", "verify", "checkpoints"):
        r = await client.get(f"{A}/{path}", headers=t.as_role(Role.PRODUCTION.value))
        assert r.status_code == 403, r.text
    assert (await client.get(f"{A}/entries")).status_code == 401
