"""Live value snapshots: the last reading per sensor, after commit, throttled, to the tenant's sockets only."""

from __future__ import annotations

import asyncio
import time
import uuid
from typing import Any

import httpx
import numpy as np
import orjson
import websockets

from mip.platform.bus import TOPIC_LIVE
from mip.platform.memory_bus import MemoryBus
from mip.streaming.live import LiveFeed
from mip.telemetry.batch import ReadingBatch
from tests.conftest import MachineFactory, TenantFactory


def _batch(tenant: uuid.UUID, sensors: tuple[uuid.UUID, ...], idx: list[int], ts: list[int], values: list[float]):
    return ReadingBatch(
        tenant_id=tenant,
        machine_id=uuid.uuid4(),
        batch_id=uuid.uuid4(),
        received_ns=0,
        sensors=sensors,
        sensor_idx=np.array(idx, np.uint16),
        ts=np.array(ts, np.int64),
        value=np.array(values, np.float64),
        quality=np.zeros(len(idx), np.int16),
    )


async def test_given_batches_then_one_snapshot_per_tenant_with_latest_per_sensor() -> None:
    bus = MemoryBus()
    sub = await bus.subscribe(TOPIC_LIVE, "t")
    feed = LiveFeed(bus, interval_s=60)
    t1, t2 = uuid.uuid4(), uuid.uuid4()
    s = (uuid.uuid4(), uuid.uuid4())
    feed.add([_batch(t1, s, [0, 1, 0, 1], [10, 11, 12, 13], [1.0, 2.0, 3.0, 4.0])])
    feed.add([_batch(t1, s, [0], [5], [9.0])])  # older than what we have: ignored
    feed.add([_batch(t2, s[:1], [0], [20], [float("nan")])])  # not finite: never sent as JSON
    await feed.maybe_flush()  # first flush is due
    feed.add([_batch(t1, s, [0], [30], [7.0])])
    await feed.maybe_flush()  # throttled: within interval
    messages = [orjson.loads(m.value) for m in await sub.poll(10, 0.1)]
    assert len(messages) == 2
    by_tenant = {m["tenant_id"]: m for m in messages}
    points = {p["sensor_id"]: p["value"] for p in by_tenant[str(t1)]["points"]}
    assert points == {str(s[0]): 3.0, str(s[1]): 4.0}
    assert by_tenant[str(t2)]["points"] == []
    await feed.maybe_flush(force=True)
    [late] = [orjson.loads(m.value) for m in await sub.poll(10, 0.1)]
    assert late["points"][0]["value"] == 7.0


async def test_given_full_bus_then_snapshot_dropped_not_raised() -> None:
    bus = MemoryBus(max_messages=1)
    feed = LiveFeed(bus)
    t = uuid.uuid4()
    s = (uuid.uuid4(),)
    for i in range(3):
        feed.add([_batch(t, s, [0], [i], [1.0])])
        await feed.maybe_flush(force=True)
    assert (feed.published, feed.dropped) == (1, 2)


async def test_given_ws_when_readings_arrive_then_live_values_for_own_tenant_only(
    client: httpx.AsyncClient, server_url: str, make_tenant: TenantFactory, make_machine: MachineFactory
) -> None:
    a = await make_tenant()
    b = await make_tenant()
    m = await make_machine(a.id)
    url = server_url.replace("http", "ws") + "/api/v1/ws?token="
    async with websockets.connect(url + a.token) as wa, websockets.connect(url + b.token) as wb:
        for ws in (wa, wb):
            assert orjson.loads(await ws.recv())["type"] == "hello"
        now = time.time_ns()
        rows = [{"sensor": m.paths["temp"], "ts": now + i, "value": 20.0 + i} for i in range(5)]
        assert (await client.post("/api/v1/ingest/readings", headers=a.device, json=rows)).status_code == 202
        event: dict[str, Any] = orjson.loads(await asyncio.wait_for(wa.recv(), 10))
        assert event["type"] == "readings"
        [point] = event["points"]
        assert point == {
            "sensor_id": str(m.sensors["temp"]),
            "machine_id": str(m.machine_id),
            "ts": point["ts"],
            "value": 24.0,
        }
        try:
            leaked = await asyncio.wait_for(wb.recv(), 0.6)
        except TimeoutError:
            leaked = None
        assert leaked is None
