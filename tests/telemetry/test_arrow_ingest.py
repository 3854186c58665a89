"""The Arrow IPC ingest format: same validation and error reporting as JSON."""

from __future__ import annotations

import time

import httpx
import pyarrow as pa

from mip.platform.db import Database
from mip.telemetry.arrow_format import ARROW_TYPE, encode_arrow
from tests.conftest import MachineFactory, TenantKit, wait_for


async def _post(client: httpx.AsyncClient, tenant: TenantKit, body: bytes) -> httpx.Response:
    return await client.post(
        "/api/v1/ingest/readings", headers={**tenant.device, "content-type": ARROW_TYPE}, content=body
    )


def _ipc(table: pa.Table) -> bytes:
    sink = pa.BufferOutputStream()
    with pa.ipc.new_stream(sink, table.schema) as w:
        w.write_table(table)
    return bytes(sink.getvalue().to_pybytes())


async def test_given_arrow_batch_when_ingested_then_stored(
    client: httpx.AsyncClient, tenant: TenantKit, make_machine: MachineFactory, db: Database
) -> None:
    m = await make_machine(tenant.id)
    t0 = time.time_ns()
    n = 1000
    sensors = [m.paths["temp"] if i % 2 else str(m.sensors["pressure"]) for i in range(n)]
    body = encode_arrow(sensors, [t0 + i for i in range(n)], [5.0] * n, [0] * n)
    r = await _post(client, tenant, body)
    assert r.status_code == 202, r.text
    assert r.json()["accepted"] == n

    async def stored() -> bool:
        async with db.tenant_tx(tenant.id) as conn:
            row = await (await conn.execute("select count(*) as n from readings")).fetchone()
        return bool(row and row["n"] == n)

    await wait_for(stored)


async def test_given_nulls_and_bad_values_then_rows_rejected_with_reasons(
    client: httpx.AsyncClient, tenant: TenantKit, make_machine: MachineFactory
) -> None:
    m = await make_machine(tenant.id)
    t = time.time_ns()
    table = pa.table(
        {
            "sensor": pa.array([m.paths["temp"], None, m.paths["temp"], "nope", m.paths["temp"], m.paths["temp"]]),
            "ts": pa.array([t, t + 1, None, t + 3, t + 4, t + 10**15], type=pa.int64()),
            "value": pa.array([1.0, 1.0, 1.0, 1.0, float("nan"), 1.0]),
        }
    )
    r = await _post(client, tenant, _ipc(table))
    body = r.json()
    assert body["accepted"] == 1
    reasons = {x["index"]: x["reason"] for x in body["rejected"]}
    assert "required" in reasons[1]
    assert "'ts' is required" in reasons[2]
    assert "unknown sensor" in reasons[3]
    assert "finite" in reasons[4]
    assert "future" in reasons[5]


async def test_given_timestamp_typed_column_then_accepted(
    client: httpx.AsyncClient, tenant: TenantKit, make_machine: MachineFactory
) -> None:
    m = await make_machine(tenant.id)
    table = pa.table(
        {
            "sensor": [m.paths["temp"]],
            "ts": pa.array([time.time_ns() // 1000], pa.timestamp("us", "UTC")),
            "value": pa.array([3], pa.int32()),
        }
    )
    r = await _post(client, tenant, _ipc(table))
    assert r.json()["accepted"] == 1


async def test_given_garbage_or_missing_columns_then_400_problem(client: httpx.AsyncClient, tenant: TenantKit) -> None:
    for body in (
        b"not arrow at all",
        _ipc(pa.table({"sensor": ["a"], "value": [1.0]})),
        _ipc(pa.table({"sensor": ["a"], "ts": ["yesterday"], "value": [1.0]})),
    ):
        r = await _post(client, tenant, body)
        assert r.status_code == 400, r.text
        assert r.headers["content-type"].startswith("application/problem+json")
