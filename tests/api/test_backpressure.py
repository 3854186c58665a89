"""A full bus answers ingest with 429 + Retry-After, as problem+json, and publishes nothing partial silently."""

from __future__ import annotations

import time

import httpx

from mip.alerts.hub import AlertHub
from mip.api.app import create_app
from mip.platform.memory_bus import MemoryBus
from mip.runtime import Role, Runtime
from tests.conftest import MachineFactory, TenantKit


async def test_given_full_bus_when_ingesting_then_429_with_retry_after(
    runtime: Runtime, tenant: TenantKit, make_machine: MachineFactory
) -> None:
    m = await make_machine(tenant.id)
    bus = MemoryBus(max_messages=1)  # no stream worker consumes from this bus
    rt = Runtime(
        settings=runtime.settings,
        role=Role.ALL,
        db=runtime.db,
        bus=bus,
        directory=runtime.directory,
        verifier=runtime.verifier,
        hub=AlertHub(bus),
        rules=runtime.rules,
        secret_key=runtime.secret_key,
    )
    transport = httpx.ASGITransport(app=create_app(rt))
    async with httpx.AsyncClient(transport=transport, base_url="http://mip") as c:
        rows = [{"sensor": m.paths["temp"], "ts": time.time_ns(), "value": 1.0}]
        first = await c.post("/api/v1/ingest/readings", headers=tenant.device, json=rows)
        assert first.status_code == 202
        second = await c.post("/api/v1/ingest/readings", headers=tenant.device, json=rows)
    assert second.status_code == 429
    assert int(second.headers["retry-after"]) >= 1
    assert second.headers["content-type"].startswith("application/problem+json")
    assert second.json()["code"] == "overloaded"
