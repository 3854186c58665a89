"""Synthetic plant history for the maintenance tests: machines of a class whose hourly rollups degrade
exponentially towards recorded failures (work orders with ``failed_at``)."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any

import httpx
import numpy as np

from mip.platform.db import Database
from mip.platform.timeutil import now_ns
from tests.conftest import MachineFactory, MachineKit, TenantKit

HOUR = 3_600_000_000_000
SENSORS: dict[str, tuple[float | None, float | None]] = {
    "temperature": (None, None),
    "vibration": (None, None),
    "pressure": (None, None),
    "power": (None, None),
}
M = "/api/v1/maintenance"


def now_hour() -> int:
    n = now_ns()
    return n - n % HOUR


def life_values(hours: int, life: int, rng: np.random.Generator, start: int = 0) -> np.ndarray:
    """(hours, 4) sensor means for hours ``start .. start+hours-1`` of a life of ``life`` hours."""
    t = np.arange(start, start + hours, dtype=float)
    wear = np.exp((t - life) / 50.0)
    noise = rng.normal(0, 1, (hours, 4))
    return np.column_stack(
        [
            60 + 20 * wear + 0.8 * noise[:, 0],
            2 + 4 * wear + 0.15 * noise[:, 1],
            5 - 2 * wear + 0.1 * noise[:, 2],
            10 + 3 * wear + 0.3 * noise[:, 3],
        ]
    )


async def write_rollups(db: Database, tenant_id: Any, kit: MachineKit, first_bucket: int, values: np.ndarray) -> None:
    names = list(SENSORS)
    rows = []
    for i, row in enumerate(values):
        bucket = first_bucket + i * HOUR
        for j, name in enumerate(names):
            v = float(row[j])
            rows.append((tenant_id, kit.sensors[name], bucket, v, v, v, 1, bucket, v))
    async with db.tenant_tx(tenant_id) as conn, conn.cursor() as cur:
        await cur.executemany(
            "insert into rollup_1h (tenant_id, sensor_id, bucket, min, max, sum, count, last_ts, last_value)"
            " values (%s,%s,%s,%s,%s,%s,%s,%s,%s)",
            rows,
        )


async def class_machine(
    db: Database, make_machine: MachineFactory, tenant_id: Any, machine_class: str, site: str
) -> MachineKit:
    kit = await make_machine(tenant_id, sensors=SENSORS, safety=False, site=site)
    async with db.tenant_tx(tenant_id) as conn:
        await conn.execute(
            "update assets set attributes = jsonb_build_object('machine_class', %s::text) where id = %s",
            [machine_class, kit.machine_id],
        )
    return kit


async def record_failure(client: httpx.AsyncClient, tenant: TenantKit, machine_id: Any, at_ns: int) -> dict[str, Any]:
    failed_at = datetime.fromtimestamp(at_ns / 1e9, UTC).isoformat()
    r = await client.post(
        f"{M}/work-orders",
        headers=tenant.auth,
        json={"machine_id": str(machine_id), "title": "Bearing failure", "kind": "corrective", "failed_at": failed_at},
    )
    assert r.status_code == 201, r.text
    wo = r.json()
    r = await client.patch(f"{M}/work-orders/{wo['id']}", headers=tenant.auth, json={"status": "done"})
    assert r.status_code == 200, r.text
    return wo


async def training_fleet(
    db: Database,
    client: httpx.AsyncClient,
    make_machine: MachineFactory,
    tenant: TenantKit,
    machine_class: str = "pump",
    machines: int = 3,
    seed: int = 0,
) -> list[MachineKit]:
    """Machines with two failed lives each, then a healthy current life, ending at the current hour."""
    rng = np.random.default_rng(seed)
    end = now_hour()
    kits = []
    for m in range(machines):
        kit = await class_machine(db, make_machine, tenant.id, machine_class, site=f"{machine_class}-train-{m}")
        lives = [int(rng.integers(220, 330)) for _ in range(2)]
        tail = 300
        total = sum(lives) + tail
        start = end - (total - 1) * HOUR
        parts = [life_values(life, life, rng) for life in lives]
        parts.append(life_values(tail, 2000, rng))
        await write_rollups(db, tenant.id, kit, start, np.vstack(parts))
        t = start
        for life in lives:
            t += life * HOUR
            await record_failure(client, tenant, kit.machine_id, t - HOUR // 2)
        kits.append(kit)
    return kits


async def scoring_machine(
    db: Database,
    make_machine: MachineFactory,
    tenant: TenantKit,
    *,
    site: str,
    observed: int,
    life: int,
    machine_class: str = "pump",
    seed: int = 1,
) -> MachineKit:
    """A machine ``observed`` hours into a life of ``life`` hours, its last rollup in the current hour."""
    kit = await class_machine(db, make_machine, tenant.id, machine_class, site=site)
    values = life_values(observed, life, np.random.default_rng(seed))
    await write_rollups(db, tenant.id, kit, now_hour() - (observed - 1) * HOUR, values)
    return kit


async def train(
    client: httpx.AsyncClient, tenant: TenantKit, headers: dict[str, str] | None = None, **extra: Any
) -> httpx.Response:
    body = {"machine_class": "pump", "cap_hours": 240, "max_iter": 60, "folds": 3, **extra}
    return await client.post(f"{M}/models/train", headers=headers or tenant.auth, json=body)


def new_id() -> str:
    return str(uuid.uuid4())
