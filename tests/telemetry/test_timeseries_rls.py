"""Tenant isolation of the time-series tables: partitions, chunks and rollups, enforced by PostgreSQL."""

from __future__ import annotations

from typing import Any

import numpy as np
import psycopg
import pytest

from mip.platform.database_setup import DatabaseHandle
from mip.platform.db import Database
from mip.platform.ids import uuid7
from mip.platform.rls import APP_ROLE
from mip.telemetry.compressor import compress_ready
from mip.telemetry.partitions import ensure_partitions, list_partitions
from mip.telemetry.store import bucketed_readings, raw_readings
from tests.telemetry.ts_helpers import HOUR, S, future_hour, new_tenant, scalar, series, write

Owner = psycopg.AsyncConnection[Any]
TS_TABLES = ("readings", "rollup_1m", "rollup_1h", "reading_chunks")


async def test_given_partitions_then_each_has_forced_rls_and_the_app_role_has_no_privilege_on_it(
    owner: Owner,
) -> None:
    lo = future_hour()
    await ensure_partitions(owner, lo, lo + HOUR)
    for parent in TS_TABLES:
        names = [p.name for p in await list_partitions(owner, parent)] + [f"{parent}_default"]
        assert len(names) >= 2
        for name in names:
            cur = await owner.execute(
                "select c.relrowsecurity, c.relforcerowsecurity, "
                "exists (select 1 from pg_policies p where p.tablename = c.relname and p.policyname = "
                "'tenant_isolation'), has_table_privilege(%s, c.oid, 'select, insert, update, delete') "
                "from pg_class c where c.relname = %s",
                [APP_ROLE, name],
            )
            assert await cur.fetchone() == (True, True, True, False), name


async def test_given_the_app_role_then_partitions_are_reachable_only_through_the_parent(
    db: Database, owner: Owner
) -> None:
    lo = future_hour()
    await ensure_partitions(owner, lo, lo + HOUR)
    partition = next(p.name for p in await list_partitions(owner, "readings") if p.lo == lo)
    tenant = await new_tenant(db)
    with pytest.raises(psycopg.errors.InsufficientPrivilege):
        async with db.tenant_tx(tenant) as conn:
            await conn.execute(f"select count(*) from {partition}")
    with pytest.raises(psycopg.errors.InsufficientPrivilege):
        async with db.tenant_tx(tenant) as conn:
            await conn.execute("select mip_ensure_partitions(%s, %s)", [lo, lo + HOUR])


async def test_given_two_tenants_then_neither_sees_the_others_chunks_or_rollups(db: Database, owner: Owner) -> None:
    a, b = await new_tenant(db), await new_tenant(db)
    sa, sb = uuid7(), uuid7()
    lo = future_hour()
    await ensure_partitions(owner, lo, lo + 2 * HOUR)
    await write(db, series(a, sa, lo, 3600, S, np.full(3600, 1.0)))
    await write(db, series(b, sb, lo, 3600, S, np.full(3600, 2.0)))
    await write(db, series(b, sb, lo + HOUR, 60, S, np.full(60, 2.0)))  # b also has hot rows
    await compress_ready(owner, grace_s=0, now_ns=lo + HOUR, from_ns=lo)

    for table in TS_TABLES:
        assert await scalar(db, a, f"select count(*) from {table} where tenant_id = %s", [b]) == 0, table
        assert await scalar(db, b, f"select count(*) from {table} where tenant_id = %s", [a]) == 0, table
        assert await scalar(db, None, f"select count(*) from {table}") == 0, table  # no tenant context
    assert await scalar(db, a, "select count(*) from reading_chunks") == 1
    assert await scalar(db, b, "select count(*) from readings") == 60
    async with db.tenant_tx(a) as conn:
        assert await raw_readings(conn, sb, lo, lo + 2 * HOUR, 10) == []
        assert await bucketed_readings(conn, sb, lo, lo + 2 * HOUR, HOUR) == []
        assert len(await raw_readings(conn, sa, lo, lo + 2 * HOUR, 10_000)) == 3600


@pytest.mark.parametrize(
    "insert",
    [
        "insert into reading_chunks (tenant_id, sensor_id, start_ts, first_ts, last_ts, n, ts_codec, val_codec, "
        "val_scale, ts_data, val_data, min, max, sum, first_value, last_value, last_quality) "
        "values (%s, gen_random_uuid(), 0, 0, 0, 1, 0, 0, 0, '', '', 0, 0, 0, 0, 0, 0)",
        "insert into rollup_1h (tenant_id, sensor_id, bucket, min, max, sum, count, last_ts, last_value) "
        "values (%s, gen_random_uuid(), 0, 0, 0, 0, 1, 0, 0)",
        "insert into readings (tenant_id, sensor_id, ts, value) values (%s, gen_random_uuid(), 1, 1)",
    ],
)
async def test_given_tenant_a_context_then_writing_b_time_series_rows_is_refused(db: Database, insert: str) -> None:
    a, b = await new_tenant(db), await new_tenant(db)
    with pytest.raises(psycopg.errors.InsufficientPrivilege):
        async with db.tenant_tx(a) as conn:
            await conn.execute(insert, [b])


async def test_given_the_migrated_db_then_the_app_role_cannot_run_partition_ddl(db_handle: DatabaseHandle) -> None:
    async with await psycopg.AsyncConnection.connect(db_handle.app_url, autocommit=True) as conn:
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            await conn.execute("create table readings_p2999010100 partition of readings for values from (0) to (1)")
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            await conn.execute("truncate readings_default")
