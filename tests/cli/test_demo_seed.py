"""``mip demo`` seeds a usable tenant: OEE shifts, detection rules and a planning data set, idempotently."""

from __future__ import annotations

from mip.assets.importer import import_document, parse_yaml
from mip.cli.demo import seed_operations
from mip.platform.db import Database
from mip.sim.plant import build_plant
from tests.conftest import TenantKit


async def _counts(db: Database, tenant: TenantKit) -> dict[str, int]:
    async with db.tenant_tx(tenant.id) as conn:
        out = {}
        for table in ("oee_shifts", "detection_rules", "plan_items", "plan_boms", "plan_routings", "plan_mrp_runs"):
            row = await (await conn.execute(f"select count(*) as n from {table}")).fetchone()  # noqa: S608
            assert row is not None
            out[table] = int(row["n"])
        return out


async def test_given_demo_plant_when_seeded_twice_then_operations_and_planning_exist_once(
    db: Database, tenant: TenantKit
) -> None:
    async with db.tenant_tx(tenant.id) as conn:
        await import_document(conn, tenant.id, parse_yaml(build_plant(7).to_asset_yaml()))
        await seed_operations(conn, tenant.id)
    first = await _counts(db, tenant)
    assert all(n > 0 for n in first.values()), first
    async with db.tenant_tx(tenant.id) as conn:
        await seed_operations(conn, tenant.id)
    assert await _counts(db, tenant) == first
