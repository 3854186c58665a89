"""Create a simulated plant's assets and sensors directly in the database (for tests of the runner)."""

from __future__ import annotations

import uuid

from mip.platform.db import Conn
from mip.platform.ids import uuid7
from mip.sim.plant import Plant


async def insert_plant(conn: Conn, tenant_id: uuid.UUID, plant: Plant) -> dict[str, uuid.UUID]:
    """Insert every asset and sensor of ``plant``; returns tag path -> sensor id."""

    async def asset(kind: str, parent: uuid.UUID | None, name: str, path: str) -> uuid.UUID:
        asset_id = uuid7()
        await conn.execute(
            "insert into assets (id, tenant_id, kind, parent_id, name, path) values (%s, %s, %s, %s, %s, %s)",
            [asset_id, tenant_id, kind, parent, name, path],
        )
        return asset_id

    sensors: dict[str, uuid.UUID] = {}
    for site in plant.sites:
        site_id = await asset("site", None, site.name, site.name)
        for area in site.areas:
            area_path = f"{site.name}/{area.name}"
            area_id = await asset("area", site_id, area.name, area_path)
            for line in area.lines:
                line_id = await asset("line", area_id, line.name, f"{area_path}/{line.name}")
                for machine in line.machines:
                    machine_id = await asset("machine", line_id, machine.name, machine.path)
                    for s in machine.sensors:
                        sensor_id = uuid7()
                        path = f"{machine.path}/{s.name}"
                        await conn.execute(
                            "insert into sensors (id, tenant_id, machine_id, name, path, kind, unit, "
                            "sample_rate_hz, low_limit, high_limit, safety) "
                            "values (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s)",
                            [sensor_id, tenant_id, machine_id, s.name, path, s.kind, s.unit]
                            + [s.sample_rate_hz, s.low_limit, s.high_limit, s.safety],
                        )
                        sensors[path] = sensor_id
    return sensors
