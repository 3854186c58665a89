"""The stream stage is an idempotent sink: a redelivered batch stores nothing twice and opens no second alert."""

from __future__ import annotations

import time

import numpy as np

from mip.platform.ids import uuid7
from mip.runtime import Runtime
from mip.streaming.rules import evaluate_limits
from mip.telemetry.batch import ReadingBatch
from mip.telemetry.directory import SensorInfo, TenantSensors
from tests.conftest import MachineFactory, TenantKit


def _batch(tenant_id: object, machine_id: object, sensor_id: object, values: list[float]) -> ReadingBatch:
    n = len(values)
    t = time.time_ns()
    return ReadingBatch(
        tenant_id=tenant_id,
        machine_id=machine_id,
        batch_id=uuid7(),
        received_ns=t,  # type: ignore[arg-type]
        sensors=(sensor_id,),
        sensor_idx=np.zeros(n, np.uint16),  # type: ignore[arg-type]
        ts=np.arange(t, t + n, dtype=np.int64),
        value=np.array(values, np.float64),
        quality=np.zeros(n, np.int16),
    )


def test_given_batch_when_encoded_then_decodes_identically() -> None:
    b = _batch(uuid7(), uuid7(), uuid7(), [1.0, 2.5, -3.0])
    d = ReadingBatch.decode(b.encode())
    assert d.batch_id == b.batch_id
    assert d.sensors == b.sensors
    assert d.ts.tolist() == b.ts.tolist()
    assert d.value.tolist() == b.value.tolist()


def test_given_limits_when_evaluated_then_breaches_per_sensor_and_rule() -> None:
    sid = uuid7()
    info = SensorInfo(sid, "p/a/l/m/s", "s", "u", uuid7(), None, 0.0, 10.0, False)
    sensors = TenantSensors(by_id={sid: info}, by_path={info.path: info})
    b = _batch(uuid7(), info.machine_id, sid, [5.0, 11.0, 12.0, -1.0, 5.0])
    breaches = {x.rule: x for x in evaluate_limits(b, sensors)}
    assert breaches["high_limit"].count == 2
    assert breaches["high_limit"].peak_value == 12.0
    assert breaches["low_limit"].count == 1
    assert breaches["low_limit"].last_value == -1.0


async def test_given_redelivered_batch_then_processed_once(
    runtime: Runtime, tenant: TenantKit, make_machine: MachineFactory
) -> None:
    m = await make_machine(tenant.id)
    worker = runtime.worker
    assert worker is not None
    batch = _batch(tenant.id, m.machine_id, m.sensors["temp"], [100.0, 101.0, 20.0])
    await worker.process(batch)
    await worker.process(ReadingBatch.decode(batch.encode()))  # the bus delivers it again
    async with runtime.db.tenant_tx(tenant.id) as conn:
        readings = await (await conn.execute("select count(*) as n from readings")).fetchone()
        alerts = await (await conn.execute("select count(*) as n, max(count) as c from alerts")).fetchone()
    assert readings is not None
    assert alerts is not None
    assert readings["n"] == 3
    assert alerts["n"] == 1
    assert alerts["c"] == 2
