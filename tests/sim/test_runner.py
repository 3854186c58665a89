"""The simulation runner: rate control, back-off on 429, and a run against the real server."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable

import httpx
import orjson
import pytest

from mip.runtime import Runtime
from mip.sim.plant import build_plant
from mip.sim.runner import RunnerConfig, SimulationRunner, retry_after_s, run_simulation
from tests.conftest import TenantKit
from tests.sim.plant_db import insert_plant

Handler = Callable[[httpx.Request], httpx.Response]


def accept_all(seen: list[httpx.Request]) -> Handler:
    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        rows = orjson.loads(request.content)
        return httpx.Response(202, json={"accepted": len(rows), "rejected": [], "batches": []})

    return handler


def config(**kw: object) -> RunnerConfig:
    base: dict[str, object] = {"url": "http://mip.test", "api_key": "mip_test_key", "rate": 600.0, "seed": 3}
    base.update(kw)
    return RunnerConfig(**base)  # type: ignore[arg-type]


async def test_given_a_rate_and_duration_when_running_then_that_many_valid_readings_are_posted() -> None:
    plant = build_plant(3)  # 30 sensors
    seen: list[httpx.Request] = []
    before = time.time_ns()
    async with httpx.AsyncClient(transport=httpx.MockTransport(accept_all(seen))) as client:
        stats = await run_simulation(plant, config(rate=1500.0, duration_s=1.0), client=client)
    after = time.time_ns()
    assert stats.generated == stats.sent == stats.accepted == 1500
    assert stats.retries == stats.errors == stats.dropped == stats.skipped == 0
    rows = [r for req in seen for r in orjson.loads(req.content)]
    assert len(rows) == 1500
    assert {r["sensor"] for r in rows} == set(plant.sensor_paths())
    assert all(set(r) == {"sensor", "ts", "value"} and isinstance(r["ts"], int) for r in rows)
    assert all(before <= r["ts"] <= after for r in rows)
    assert len({(r["sensor"], r["ts"]) for r in rows}) == 1500
    assert all(req.headers["authorization"] == "Bearer mip_test_key" for req in seen)
    assert len({req.headers["idempotency-key"] for req in seen}) == len(seen)


async def test_given_429_with_retry_after_when_posting_then_the_same_batch_is_retried_with_its_key() -> None:
    seen: list[httpx.Request] = []
    ok = accept_all(seen)

    def handler(request: httpx.Request) -> httpx.Response:
        if not seen:
            seen.append(request)
            return httpx.Response(429, headers={"Retry-After": "0"}, json={"code": "overloaded"})
        return ok(request)

    async with httpx.AsyncClient(transport=httpx.MockTransport(handler)) as client:
        stats = await run_simulation(build_plant(3), config(rate=150.0, duration_s=0.5, tick_s=0.5), client=client)
    assert stats.throttled == 1
    assert stats.retries == 1
    assert stats.accepted == stats.generated == 60
    assert seen[0].headers["idempotency-key"] == seen[1].headers["idempotency-key"]
    assert seen[0].content == seen[1].content


async def test_given_a_refusing_server_when_posting_then_errors_and_dropped_readings_are_counted() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(401, json={"code": "unauthorized"})

    async with httpx.AsyncClient(transport=httpx.MockTransport(handler)) as client:
        stats = await run_simulation(build_plant(3), config(rate=300.0, duration_s=0.4), client=client)
    assert stats.accepted == 0
    assert stats.dropped == stats.sent == stats.generated > 0
    assert stats.errors == stats.batches
    assert stats.retries == 0
    assert "HTTP 401" in stats.error_samples[0]


async def test_given_a_failing_server_when_posting_then_a_batch_is_dropped_after_max_attempts() -> None:
    calls: list[int] = []

    def handler(request: httpx.Request) -> httpx.Response:
        calls.append(1)
        return httpx.Response(503, json={"code": "bus_error"})

    cfg = config(rate=30.0, duration_s=1.0, tick_s=1.0, max_error_attempts=2)
    async with httpx.AsyncClient(transport=httpx.MockTransport(handler)) as client:
        stats = await run_simulation(build_plant(3), cfg, client=client)
    assert stats.batches == 1
    assert len(calls) == 2
    assert stats.errors == 2
    assert stats.retries == 1
    assert stats.dropped == 30


async def test_given_no_duration_when_stopped_then_the_runner_returns_its_counts() -> None:
    seen: list[httpx.Request] = []
    async with httpx.AsyncClient(transport=httpx.MockTransport(accept_all(seen))) as client:
        runner = SimulationRunner(build_plant(3), config(rate=600.0), client=client)
        task = asyncio.create_task(runner.run())
        await asyncio.sleep(0.7)
        runner.stop()
        stats = await asyncio.wait_for(task, 10)
    assert stats.stopped
    assert stats.accepted == stats.generated > 0


def test_given_retry_after_headers_then_seconds_are_parsed() -> None:
    assert retry_after_s(httpx.Response(429, headers={"Retry-After": "3"})) == 3.0
    assert retry_after_s(httpx.Response(429)) == 1.0
    assert retry_after_s(httpx.Response(429, headers={"Retry-After": "Wed, 21 Oct 2015 07:28:00 GMT"})) == 0.0
    assert retry_after_s(httpx.Response(429, headers={"Retry-After": "soon"}), default=2.0) == 2.0


@pytest.mark.parametrize("wire_format", ["json", "arrow"])
async def test_given_the_real_server_when_simulating_then_readings_are_stored_and_faults_open_alerts(
    server_url: str, tenant: TenantKit, runtime: Runtime, wire_format: str
) -> None:
    plant = build_plant(11, lines_per_site=1, machines_per_line=2)  # 10 sensors
    async with runtime.db.tenant_tx(tenant.id) as conn:
        sensor_ids = await insert_plant(conn, tenant.id, plant)
    runtime.directory.invalidate(tenant.id)

    cfg = RunnerConfig(
        url=server_url,
        api_key=tenant.api_key,
        rate=2000.0,
        duration_s=2.0,
        seed=11,
        fault_rate_per_hour=7200.0,
        wire_format=wire_format,
    )
    stats = await run_simulation(plant, cfg)

    assert stats.errors == 0
    assert stats.dropped == 0
    assert stats.rejected == 0
    assert 3600 <= stats.generated <= 4000
    assert stats.accepted == stats.generated
    stored = -1
    for _ in range(150):  # the stream worker writes asynchronously
        async with runtime.db.tenant_tx(tenant.id) as conn:
            cur = await conn.execute("select count(*) as n, count(distinct (sensor_id, ts)) as d from readings")
            row = await cur.fetchone()
        assert row is not None
        stored = row["n"]
        if stored >= stats.accepted:
            break
        await asyncio.sleep(0.2)
    assert stored == row["d"] == stats.accepted
    async with runtime.db.tenant_tx(tenant.id) as conn:
        cur = await conn.execute("select sensor_id, count(*) as n from readings group by sensor_id")
        per_sensor = {r["sensor_id"]: r["n"] for r in await cur.fetchall()}
        cur = await conn.execute("select sensor_id, rule, peak_value, threshold from alerts")
        alerts = await cur.fetchall()
    assert set(per_sensor) == set(sensor_ids.values())
    assert len(set(per_sensor.values())) == 1  # every sensor got a reading at every timestamp
    assert alerts, "an injected fault should have opened an alert"
    assert all(a["rule"] == "high_limit" and a["peak_value"] > a["threshold"] for a in alerts)
