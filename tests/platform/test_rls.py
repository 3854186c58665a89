"""Tenant isolation is enforced by PostgreSQL itself, not only by Python."""

from __future__ import annotations

import psycopg
import pytest

from mip.platform.database_setup import DatabaseHandle
from mip.platform.db import Database
from mip.platform.rls import APP_ROLE
from tests.conftest import TenantFactory

TENANT_TABLES_SQL = """
select c.relname, c.relrowsecurity, c.relforcerowsecurity
from pg_class c join pg_namespace n on n.oid = c.relnamespace
where n.nspname = 'public' and c.relkind in ('r', 'p')
  and exists (select 1 from pg_attribute a where a.attrelid = c.oid and a.attname = 'tenant_id' and not a.attisdropped)
"""


def test_every_tenant_table_has_rls_enabled_and_forced(db_handle: DatabaseHandle) -> None:
    with psycopg.connect(db_handle.owner_url) as conn:
        rows = conn.execute(TENANT_TABLES_SQL).fetchall()
        policies = {
            r[0]
            for r in conn.execute("select tablename from pg_policies where policyname = 'tenant_isolation'").fetchall()
        }
    assert len(rows) >= 8
    for name, enabled, forced in rows:
        assert enabled, f"{name}: RLS not enabled"
        assert forced, f"{name}: RLS not forced"
        assert name in policies, f"{name} has no tenant_isolation policy"


def test_app_role_is_not_superuser_nor_bypassrls_nor_owner(db_handle: DatabaseHandle) -> None:
    with psycopg.connect(db_handle.app_url) as conn:
        user, superuser, bypass = conn.execute(
            "select current_user, rolsuper, rolbypassrls from pg_roles where rolname = current_user"
        ).fetchone()
        owned = conn.execute(
            "select count(*) from pg_tables where schemaname = 'public' and tableowner = current_user"
        ).fetchone()
    assert user == APP_ROLE
    assert not superuser
    assert not bypass
    assert owned[0] == 0


async def test_given_no_tenant_context_when_querying_then_no_rows(db: Database, make_tenant: TenantFactory) -> None:
    await make_tenant()
    async with db.system_tx() as conn:
        for table in ("tenants", "users", "api_keys"):
            cur = await conn.execute(f"select count(*) as n from {table}")
            assert (await cur.fetchone())["n"] == 0, table


async def test_given_tenant_a_context_then_b_rows_are_invisible_and_unwritable(
    db: Database, make_tenant: TenantFactory
) -> None:
    a = await make_tenant()
    b = await make_tenant()
    async with db.tenant_tx(a.id) as conn:
        cur = await conn.execute("select tenant_id from users")
        assert {r["tenant_id"] for r in await cur.fetchall()} == {a.id}
        cur = await conn.execute("update users set full_name = 'x' where tenant_id = %s", [b.id])
        assert cur.rowcount == 0
    with pytest.raises(psycopg.errors.InsufficientPrivilege):
        async with db.tenant_tx(a.id) as conn:
            await conn.execute(
                "insert into assets (id, tenant_id, kind, name, path) values (gen_random_uuid(), %s, 'site', 'x', 'x')",
                [b.id],
            )
