"""Demo history: the simulated plant's last hours written once into the store (charts, OEE and the lake have
data from the first minute); a second call writes nothing."""

from __future__ import annotations

from mip.assets.importer import import_document, parse_yaml
from mip.platform.db import Database
from mip.sim.history import seed_history
from mip.sim.plant import build_plant
from tests.conftest import TenantKit


async def test_given_demo_plant_when_history_seeded_then_every_sensor_has_it_once(
    db: Database, tenant: TenantKit
) -> None:
    plant = build_plant(7)
    async with db.tenant_tx(tenant.id) as conn:
        await import_document(conn, tenant.id, parse_yaml(plant.to_asset_yaml()))
        written = await seed_history(conn, tenant.id, plant, hours=1.0, period_s=60.0)
    assert written == 60 * plant.sensor_count()
    async with db.tenant_tx(tenant.id) as conn:
        row = await (
            await conn.execute(
                "select count(distinct sensor_id) as s, count(*) as n, min(ts) < max(ts) as spread from readings"
            )
        ).fetchone()
        assert row is not None
        assert (row["s"], row["n"], row["spread"]) == (plant.sensor_count(), written, True)
        assert await seed_history(conn, tenant.id, plant, hours=1.0, period_s=60.0) == 0
