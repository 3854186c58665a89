"""Every tenant table is audited by the trigger or excluded with a reason (future tables must choose)."""

from __future__ import annotations

import psycopg

from mip.audit.coverage import EXCLUDED, QUIET
from mip.platform.database_setup import DatabaseHandle
from mip.platform.rls import AUDIT_TRIGGER

TABLES_SQL = """
select c.relname, exists (select 1 from pg_trigger t where t.tgrelid = c.oid and t.tgname = %s) as audited
from pg_class c join pg_namespace n on n.oid = c.relnamespace
where n.nspname = 'public' and c.relkind in ('r', 'p') and not c.relispartition
  and exists (select 1 from pg_attribute a where a.attrelid = c.oid and a.attname = 'tenant_id' and not a.attisdropped)
"""
PARTITIONS_SQL = """
select c.relname, p.relname as parent,
  exists (select 1 from pg_trigger t where t.tgrelid = c.oid and t.tgname = %s) as audited
from pg_inherits i join pg_class c on c.oid = i.inhrelid join pg_class p on p.oid = i.inhparent
"""


def test_every_tenant_table_is_audited_or_excluded_with_a_reason(db_handle: DatabaseHandle) -> None:
    with psycopg.connect(db_handle.owner_url) as conn:
        tables = dict(conn.execute(TABLES_SQL, [AUDIT_TRIGGER]).fetchall())
        partitions = conn.execute(PARTITIONS_SQL, [AUDIT_TRIGGER]).fetchall()
        tenants_audited = conn.execute(
            "select count(*) from pg_trigger where tgrelid = 'tenants'::regclass and tgname = %s", [AUDIT_TRIGGER]
        ).fetchone()
    assert len(tables) >= 40
    neither = sorted(t for t, audited in tables.items() if not audited and t not in EXCLUDED)
    assert neither == [], f"tenant tables neither audited (rls.audit_table) nor in audit.coverage.EXCLUDED: {neither}"
    both = sorted(t for t, audited in tables.items() if audited and t in EXCLUDED)
    assert both == [], f"excluded but audited: {both}"
    assert all(reason.strip() for reason in EXCLUDED.values())
    assert tenants_audited == (1,)
    assert {"users", "api_keys", "assets", "sensors", "alerts", "detection_rules", "work_orders"} <= {
        t for t, audited in tables.items() if audited
    }
    assert set(QUIET) <= {t for t, audited in tables.items() if audited}
    for name, parent, audited in partitions:  # partitions inherit their parent's choice
        if parent in tables:
            assert audited == tables[parent], name
