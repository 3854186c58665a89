"""ITAR marking: ITAR-controlled lots, serials and documents exist only for ITAR-authorised users — enforced by a
RESTRICTIVE RLS policy in PostgreSQL — and responses carry the marking."""

from __future__ import annotations

import base64

import httpx

from mip.platform.db import Database
from tests.conftest import PASSWORD, TenantFactory, TenantKit
from tests.quality.isolation_trace import Q, lot, post_ok, serial

MARK = "ITAR-CONTROLLED: export restricted under 22 CFR 120-130"


async def login(client: httpx.AsyncClient, email: str) -> dict[str, str]:
    r = await client.post("/api/v1/auth/login", json={"email": email, "password": PASSWORD})
    assert r.status_code == 200, r.text
    return {"Authorization": f"Bearer {r.json()['access_token']}"}


async def itar_user(client: httpx.AsyncClient, t: TenantKit, role: str = "engineer") -> tuple[dict[str, str], str]:
    """Flag the tenant's ``role`` user as ITAR-authorised (admin only) and log in again."""
    users = (await client.get("/api/v1/users", headers=t.auth)).json()
    user = next(u for u in users if u["email"].startswith(f"{role}@"))
    assert user["itar_authorized"] is False
    r = await client.patch(f"/api/v1/users/{user['id']}", headers=t.auth, json={"itar_authorized": True})
    assert r.status_code == 200
    assert r.json()["itar_authorized"] is True
    return await login(client, user["email"]), user["id"]


async def test_itar_records_are_invisible_to_unauthorised_users(
    client: httpx.AsyncClient, make_tenant: TenantFactory, db: Database
) -> None:
    t = await make_tenant(roles=("engineer", "quality"))
    cleared, _ = await itar_user(client, t)
    plain = t.as_role("quality")  # same tenant, same write permissions, not ITAR-authorised
    secret = await lot(client, cleared, 10, part_number="MISSILE-FIN", itar=True)
    assert secret["itar"] is True
    assert secret["marking"] == MARK
    open_lot = await lot(client, plain, 10, part_number="MISSILE-FIN")
    assert open_lot["marking"] is None
    # unauthorised: 404 on the row, absent from lists and counts
    assert (await client.get(f"{Q}/lots/{secret['id']}", headers=plain)).status_code == 404
    listed = (await client.get(f"{Q}/lots", headers=plain, params={"part_number": "MISSILE-FIN"})).json()
    assert [x["id"] for x in listed["items"]] == [open_lot["id"]]
    assert listed["total"] == 1
    assert (await client.patch(f"{Q}/lots/{secret['id']}", headers=plain, json={"quantity": 1})).status_code == 404
    # authorised: sees both, the ITAR one marked
    mine = (await client.get(f"{Q}/lots", headers=cleared, params={"part_number": "MISSILE-FIN"})).json()
    assert {x["id"]: x["marking"] for x in mine["items"]} == {secret["id"]: MARK, open_lot["id"]: None}
    # an unauthorised user can neither create nor mark ITAR records, nor unmark them
    r = await client.post(
        f"{Q}/lots", headers=plain, json={"part_number": "X", "lot_number": "L", "quantity": 1, "itar": True}
    )
    assert r.status_code == 403
    assert r.json()["code"] == "itar_not_authorized"
    r = await client.patch(f"{Q}/lots/{open_lot['id']}", headers=plain, json={"itar": True})
    assert r.status_code == 403
    # the database enforces it, not only Python: the same tenant without app.itar sees no ITAR row
    async with db.tenant_tx(t.id, itar=False) as conn:
        cur = await conn.execute("select count(*) as n from trace_lots where itar")
        assert (await cur.fetchone())["n"] == 0
    async with db.tenant_tx(t.id, itar=True) as conn:
        cur = await conn.execute("select count(*) as n from trace_lots where itar")
        assert (await cur.fetchone())["n"] == 1
    # devices are never ITAR-authorised
    assert (await client.get(f"{Q}/lots/{secret['id']}", headers=t.device)).status_code in (403, 404)


async def test_itar_components_in_traces_shipments_and_documents(
    client: httpx.AsyncClient, make_tenant: TenantFactory
) -> None:
    t = await make_tenant(roles=("engineer", "quality"))
    cleared, _ = await itar_user(client, t)
    plain = t.as_role("quality")
    guidance = await lot(client, cleared, 5, part_number="GUIDANCE", itar=True)
    housing = await lot(client, plain, 5, part_number="HOUSING")
    top = await serial(client, plain, part_number="UNIT")
    body = {
        "parent_id": top["id"],
        "children": [{"id": guidance["id"], "quantity": 1}, {"id": housing["id"], "quantity": 1}],
    }
    assert (await client.post(f"{Q}/genealogy/consume", headers=cleared, json=body)).status_code == 201
    seen = (await client.get(f"{Q}/trace/backward/{top['id']}", headers=plain)).json()
    assert [n["number"] for n in seen["nodes"]] == [housing["lot_number"]]
    assert seen["restricted_nodes"] == 1  # counted, never silently dropped
    assert seen["marking"] is None
    full = (await client.get(f"{Q}/trace/backward/{top['id']}", headers=cleared)).json()
    assert {n["number"] for n in full["nodes"]} == {housing["lot_number"], guidance["lot_number"]}
    assert full["restricted_nodes"] == 0
    assert full["marking"] == MARK
    # a CoC covering ITAR components must be issued by an authorised user
    ship = await post_ok(
        client, "/shipments", plain, {"shipment_number": "S-ITAR", "customer": "DoD", "lines": [{"id": top["id"]}]}
    )
    r = await client.get(f"{Q}/shipments/{ship['id']}/coc.pdf", headers=plain, params={"serial": top["serial_number"]})
    assert r.status_code == 403
    r = await client.get(
        f"{Q}/shipments/{ship['id']}/coc.pdf", headers=cleared, params={"serial": top["serial_number"]}
    )
    assert r.status_code == 200
    assert r.headers["x-export-control"] == MARK
    # documents
    content = base64.b64encode(b"drawing bytes").decode()
    doc = await post_ok(
        client, "/documents", cleared, {"kind": "drawing", "title": "Fin", "content_base64": content, "itar": True}
    )
    assert doc["marking"] == MARK
    assert (await client.get(f"{Q}/documents/{doc['id']}", headers=plain)).status_code == 404
    assert (await client.get(f"{Q}/documents/{doc['id']}/content", headers=plain)).status_code == 404
    assert doc["id"] not in {d["id"] for d in (await client.get(f"{Q}/documents", headers=plain)).json()["items"]}
    got = await client.get(f"{Q}/documents/{doc['id']}/content", headers=cleared)
    assert got.content == b"drawing bytes"
    assert got.headers["x-export-control"] == MARK
    coc_docs = (await client.get(f"{Q}/documents", headers=cleared, params={"kind": "coc"})).json()["items"]
    assert coc_docs[0]["itar"] is True  # the issued certificate is itself controlled


async def test_only_admins_grant_itar_and_withdrawal_ends_sessions(
    client: httpx.AsyncClient, make_tenant: TenantFactory
) -> None:
    t = await make_tenant(roles=("engineer", "quality"))
    users = (await client.get("/api/v1/users", headers=t.auth)).json()
    quality = next(u for u in users if u["email"].startswith("quality@"))
    r = await client.patch(
        f"/api/v1/users/{quality['id']}", headers=t.as_role("quality"), json={"itar_authorized": True}
    )
    assert r.status_code == 403
    r = await client.post("/api/v1/auth/login", json={"email": quality["email"], "password": PASSWORD})
    refresh = r.json()["refresh_token"]
    await client.patch(f"/api/v1/users/{quality['id']}", headers=t.auth, json={"itar_authorized": True})
    r = await client.post("/api/v1/auth/refresh", json={"refresh_token": refresh})
    assert r.status_code == 200  # granting keeps the session; the refreshed token carries the flag
    token = {"Authorization": f"Bearer {r.json()['access_token']}"}
    assert r.json()["user"]["itar_authorized"] is True
    secret = await lot(client, token, 1, itar=True)
    assert secret["itar"] is True
    refresh = r.json()["refresh_token"]
    await client.patch(f"/api/v1/users/{quality['id']}", headers=t.auth, json={"itar_authorized": False})
    assert (await client.post("/api/v1/auth/refresh", json={"refresh_token": refresh})).status_code == 401
    fresh = await login(client, quality["email"])
    assert (await client.get(f"{Q}/lots/{secret['id']}", headers=fresh)).status_code == 404
