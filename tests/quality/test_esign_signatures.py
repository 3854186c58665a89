"""Electronic signatures: re-authentication, failed attempts, manifestation, validity against record changes, and
the ``sign()`` function other domains call."""

from __future__ import annotations

import uuid
from typing import Any

import httpx
import psycopg
import pytest

from mip.identity.permissions import Role
from mip.identity.service import Principal
from mip.platform.db import Conn, Database
from mip.platform.errors import NotFound
from mip.quality.trace import esign
from mip.quality.trace.errors import SignatureRejected
from tests.conftest import PASSWORD, TenantKit
from tests.quality.isolation_trace import Q, lot


def sign_body(record_type: str, record_id: str, password: str = PASSWORD, meaning: str = "approved") -> dict[str, Any]:
    return {"record_type": record_type, "record_id": record_id, "meaning": meaning, "password": password}


async def test_sign_verify_and_invalidate_on_change(client: httpx.AsyncClient, tenant: TenantKit) -> None:
    h = tenant.auth
    made = await lot(client, h, 10)
    r = await client.post(f"{Q}/signatures", headers=h, json={**sign_body("lot", made["id"]), "comment": "FAI ok"})
    assert r.status_code == 201, r.text
    sig = r.json()
    assert sig["meaning"] == "approved"
    assert sig["printed_name"] == tenant.admin_email  # no full name: the email is the printed name
    assert sig["valid"] is True
    assert len(sig["content_sha256"]) == 64
    params = {"record_type": "lot", "record_id": made["id"]}
    assert [s["valid"] for s in (await client.get(f"{Q}/signatures", headers=h, params=params)).json()] == [True]
    # lifecycle changes (consumption) keep it valid; a change to the record's content invalidates it
    await client.patch(f"{Q}/lots/{made['id']}", headers=h, json={"status": "quarantined"})
    assert (await client.get(f"{Q}/signatures", headers=h, params=params)).json()[0]["valid"] is True
    await client.patch(f"{Q}/lots/{made['id']}", headers=h, json={"quantity": 11})
    listed = (await client.get(f"{Q}/signatures", headers=h, params=params)).json()
    assert listed[0]["valid"] is False
    assert listed[0]["id"] == sig["id"]
    r = await client.post(f"{Q}/signatures", headers=h, json=sign_body("lot", made["id"], meaning="reviewed"))
    listed = (await client.get(f"{Q}/signatures", headers=h, params=params)).json()
    assert [(s["meaning"], s["valid"]) for s in listed] == [("approved", False), ("reviewed", True)]


async def test_wrong_password_is_rejected_recorded_and_locks_after_five(
    client: httpx.AsyncClient, tenant: TenantKit
) -> None:
    h = tenant.auth
    made = await lot(client, h, 10)
    for _ in range(5):
        r = await client.post(f"{Q}/signatures", headers=h, json=sign_body("lot", made["id"], "not-my-password"))
        assert r.status_code == 401
        assert r.json()["code"] == "signature_rejected"
    failures = (await client.get(f"{Q}/signatures/failures", headers=h)).json()
    assert len(failures) == 5
    assert failures[0]["record_id"] == made["id"]
    assert failures[0]["reason"] == "wrong password"
    assert (
        await client.get(f"{Q}/signatures", headers=h, params={"record_type": "lot", "record_id": made["id"]})
    ).json() == []
    r = await client.post(f"{Q}/signatures", headers=h, json=sign_body("lot", made["id"]))
    assert r.status_code == 403  # locked, even with the right password
    assert "locked" in r.json()["detail"]


async def test_signature_input_errors(client: httpx.AsyncClient, tenant: TenantKit) -> None:
    h = tenant.auth
    made = await lot(client, h, 10)
    r = await client.post(f"{Q}/signatures", headers=h, json=sign_body("invoice", made["id"]))
    assert r.status_code == 422
    assert "lot" in r.json()["allowed"]
    assert (
        await client.post(f"{Q}/signatures", headers=h, json=sign_body("lot", str(uuid.uuid4())))
    ).status_code == 404
    r = await client.post(f"{Q}/signatures", headers=h, json=sign_body("lot", made["id"], meaning="OK!"))
    assert r.status_code == 422
    assert (
        await client.post(f"{Q}/signatures", headers=tenant.device, json=sign_body("lot", made["id"]))
    ).status_code == 403
    r = await client.get(f"{Q}/signatures", headers=h, params={"record_type": "lot"})
    assert r.status_code == 422


async def test_sign_function_for_other_domains_and_immutability(db: Database, tenant: TenantKit) -> None:
    async def load_ncr(conn: Conn, record_id: uuid.UUID) -> dict[str, Any]:
        if record_id != ncr_id:
            raise NotFound("no such NCR")
        return {"id": record_id, "disposition": disposition}

    esign.register_record_type("test_ncr", load_ncr)
    ncr_id, disposition = uuid.uuid4(), "use as is"
    async with db.tenant_tx(tenant.id) as conn:
        cur = await conn.execute("select id from users where email = %s", [tenant.admin_email])
        user_id = (await cur.fetchone())["id"]
    me = Principal(tenant_id=tenant.id, role=Role.ADMIN, user_id=user_id)
    async with db.tenant_tx(tenant.id) as conn:
        content = await esign.record_content(conn, "test_ncr", ncr_id)
        sig = await esign.sign(conn, me, "test_ncr", ncr_id, "dispositioned", PASSWORD, content)
    assert sig["valid"] is True
    with pytest.raises(SignatureRejected):
        async with esign.recording_failures(db, me), db.tenant_tx(tenant.id) as conn:
            await esign.sign(conn, me, "test_ncr", ncr_id, "approved", "bad-password", content)
    async with db.tenant_tx(tenant.id) as conn:
        assert len(await esign.failures(conn, user_id=user_id, limit=10)) == 1  # recorded despite the rollback
        disposition = "scrap"
        assert [s["valid"] for s in await esign.signatures(conn, "test_ncr", ncr_id)] == [False]
    with pytest.raises(psycopg.errors.InsufficientPrivilege):  # signatures are append-only for the application
        async with db.tenant_tx(tenant.id) as conn:
            await conn.execute("update esign_signatures set meaning = 'forged'")


async def test_a_signer_cannot_be_deleted_but_the_whole_tenant_can(
    client: httpx.AsyncClient, make_tenant: Any, db: Database
) -> None:
    t = await make_tenant()
    made = await lot(client, t.auth, 1)
    assert (await client.post(f"{Q}/signatures", headers=t.auth, json=sign_body("lot", made["id"]))).status_code == 201
    with pytest.raises(psycopg.errors.ForeignKeyViolation):  # a signature keeps its signer (NO ACTION)
        async with db.tenant_tx(t.id) as conn:
            await conn.execute("delete from users")
    async with db.tenant_tx(t.id) as conn:  # offboarding a tenant removes everything, signatures included
        await conn.execute("delete from tenants where id = %s", [t.id])
    async with db.tenant_tx(t.id) as conn:
        cur = await conn.execute("select count(*) as n from esign_signatures")
        assert (await cur.fetchone())["n"] == 0
