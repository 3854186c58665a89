"""The trigger captures every mutation with its actor, redacts secrets, and the app role cannot touch the log."""

from __future__ import annotations

import httpx
import psycopg
import pytest

from mip.platform.db import Database
from mip.platform.ids import uuid7
from tests.audit.helpers import entries
from tests.conftest import MachineFactory, TenantFactory, TenantKit

AUDIT_TABLES = ("audit_log", "audit_chain", "audit_heads", "audit_checkpoints", "audit_sealer")


async def _admin_id(db: Database, t: TenantKit) -> str:
    async with db.tenant_tx(t.id) as conn:
        row = await (await conn.execute("select id from users where email = %s", [t.admin_email])).fetchone()
    assert row is not None
    return str(row["id"])


async def test_given_api_calls_then_insert_update_delete_are_logged_with_the_actor(
    client: httpx.AsyncClient, db: Database, tenant: TenantKit
) -> None:
    r = await client.post("/api/v1/assets", headers=tenant.auth, json={"kind": "site", "name": "plant-a"})
    assert r.status_code == 201, r.text
    site = r.json()["id"]
    r = await client.patch(f"/api/v1/assets/{site}", headers=tenant.auth, json={"name": "plant-b"})
    assert r.status_code == 200, r.text
    r = await client.delete(f"/api/v1/assets/{site}", headers=tenant.auth)
    assert r.status_code == 204, r.text

    rows = await entries(db, tenant.id, "assets", site)
    assert [e["action"] for e in rows] == ["insert", "update", "delete"]
    assert {e["actor"] for e in rows} == {f"user:{await _admin_id(db, tenant)}"}
    assert {e["tenant_id"] for e in rows} == {tenant.id}
    ins, upd, dele = rows
    assert ins["before"] is None
    assert (ins["after"]["name"], ins["after"]["kind"], ins["after"]["id"]) == ("plant-a", "site", site)
    assert upd["before"]["name"] == "plant-a"
    assert upd["after"]["name"] == "plant-b"
    assert "kind" not in upd["after"]  # an update keeps only the changed columns
    assert set(upd["before"]) == set(upd["after"])
    assert dele["before"]["name"] == "plant-b"
    assert dele["after"] is None
    assert ins["at"] <= upd["at"] <= dele["at"]
    assert ins["xid"] < upd["xid"] < dele["xid"]  # one transaction each


async def test_given_secrets_then_they_never_reach_the_log(
    client: httpx.AsyncClient, db: Database, make_tenant: TenantFactory
) -> None:
    t = await make_tenant()
    admin = await _admin_id(db, t)
    r = await client.patch(f"/api/v1/users/{admin}", headers=t.auth, json={"password": "another-long-password"})
    assert r.status_code == 200, r.text
    async with db.tenant_tx(t.id) as conn:
        user = await (await conn.execute("select password_hash from users where id = %s", [admin])).fetchone()
        key = await (await conn.execute("select secret_hash from api_keys where id = %s", [t.api_key_id])).fetchone()
        tokens = await (await conn.execute("select token_hash from refresh_tokens")).fetchall()
        secrets = [user["password_hash"], key["secret_hash"], *(x["token_hash"] for x in tokens)]
        assert len(secrets) >= 3
        for value in secrets:
            cur = await conn.execute(
                "select count(*) as n from audit_log where strpos(coalesce(before::text, '') || after::text, %s) > 0",
                [value],
            )
            assert (await cur.fetchone())["n"] == 0
    users = await entries(db, t.id, "users", admin)
    assert users[0]["after"]["password_hash"] == "[redacted]"
    assert users[0]["after"]["email"] == t.admin_email
    change = users[-1]
    assert change["action"] == "update"
    assert change["before"]["password_hash"] == change["after"]["password_hash"] == "[redacted]"  # still shows
    assert change["actor"] == f"user:{admin}"
    keys = await entries(db, t.id, "api_keys", t.api_key_id)
    assert keys[0]["after"]["secret_hash"] == "[redacted]"
    sessions = await entries(db, t.id, "refresh_tokens")
    assert sessions
    assert all(e["after"]["token_hash"] == "[redacted]" for e in sessions if e["action"] == "insert")


async def test_given_the_tenant_row_and_composite_keys_then_object_ids_name_them(
    db: Database, make_tenant: TenantFactory
) -> None:
    t = await make_tenant()
    created = await entries(db, t.id, "tenants", t.id)
    assert [e["action"] for e in created] == ["insert"]
    async with db.tenant_tx(t.id, actor="user:x") as conn:
        await conn.execute(
            "insert into lake_retention (tenant_id, data_class, lake_days) values (%s, 'raw', 30)", [t.id]
        )
    assert [e["object_id"] for e in await entries(db, t.id, "lake_retention")] == ["raw"]


async def test_given_counter_refreshes_by_the_system_then_summarised_but_decisions_logged(
    db: Database, tenant: TenantKit, make_machine: MachineFactory
) -> None:
    m = await make_machine(tenant.id)
    sensor = m.sensors["temp"]
    alert = uuid7()
    async with db.tenant_tx(tenant.id) as conn:  # the stream stage: no actor
        await conn.execute(
            "insert into alerts (id, tenant_id, sensor_id, machine_id, originator_id, rule, severity, safety, message,"
            " threshold, first_ts, last_ts, last_value, peak_value, count) values (%s, %s, %s, %s, %s, 'high_limit',"
            " 'critical', true, 'hot', 80, 1, 1, 81, 81, 1)",
            [alert, tenant.id, sensor, m.machine_id, sensor],
        )
        for i in range(5):
            await conn.execute(
                "update alerts set count = count + 1, last_ts = %s, last_value = 82, updated_at = now() where id = %s",
                [i + 2, alert],
            )
        await conn.execute("update alerts set escalation_level = 1, escalated_at = now() where id = %s", [alert])
        await conn.execute("update alerts set message = message where id = %s", [alert])  # no change: nothing
    async with db.tenant_tx(tenant.id, actor="user:someone") as conn:
        await conn.execute("update alerts set count = count + 1 where id = %s", [alert])
        await conn.execute("update alerts set state = 'acknowledged' where id = %s", [alert])
    rows = await entries(db, tenant.id, "alerts", alert)
    assert [(e["action"], e["actor"]) for e in rows] == [
        ("insert", None),
        ("update", None),
        ("update", "user:someone"),
        ("update", "user:someone"),
    ]
    assert rows[1]["after"]["escalation_level"] == 1
    assert rows[2]["before"] == {"count": 6}
    assert rows[2]["after"] == {"count": 7}


@pytest.mark.parametrize("table", AUDIT_TABLES)
async def test_given_the_app_role_then_audit_rows_cannot_be_changed_or_deleted(
    db: Database, make_tenant: TenantFactory, table: str
) -> None:
    t = await make_tenant()  # its creation wrote entries of its own tenant
    for stmt in (f"update {table} set tenant_id = tenant_id", f"delete from {table}", f"truncate {table}"):
        if table == "audit_sealer":
            stmt = stmt.replace("tenant_id = tenant_id", "last_id = 0")
        with pytest.raises(psycopg.errors.InsufficientPrivilege, match="permission denied"):
            async with db.tenant_tx(t.id, actor="user:x") as conn:
                await conn.execute(stmt)
    with pytest.raises(psycopg.errors.InsufficientPrivilege, match="permission denied"):
        async with db.tenant_tx(t.id) as conn:
            await conn.execute(f"insert into {table} select * from {table} limit 1")
    assert await entries(db, t.id)  # still there
