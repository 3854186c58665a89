"""End to end: `mip serve` as a subprocess on embedded PostgreSQL; tenant, user and API key via the CLI;
assets via the API; readings in; the alert arrives on the WebSocket; readings come back from the query API."""

from __future__ import annotations

import asyncio
import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import orjson
import pytest
import websockets

from tests.conftest import free_port

PASSWORD = "e2e-password-123"


def mip(data_dir: Path, *args: str) -> dict[str, object]:
    out = subprocess.run(
        [sys.executable, "-m", "mip.cli.main", "--data-dir", str(data_dir), *args],
        capture_output=True,
        text=True,
        timeout=120,
        env=_env(),
    )
    assert out.returncode == 0, out.stderr
    return dict(json.loads(out.stdout))


def _env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL" and not k.startswith("MIP_")}
    env.update({"MIP_LOG_LEVEL": "WARNING", "MIP_SECRET_KEY": "e2e-secret-key-not-for-prod"})
    return env


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path]]:
    data_dir = tmp_path_factory.mktemp("e2e")
    port = free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "mip.cli.main", "serve", "--data-dir", str(data_dir), "--port", str(port)],
        env=_env(),
        stderr=subprocess.PIPE,
        text=True,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 90
    while True:
        try:
            if httpx.get(url + "/readyz", timeout=1).status_code == 200:
                break
        except httpx.HTTPError:
            pass
        if proc.poll() is not None or time.monotonic() > deadline:
            proc.kill()
            raise AssertionError(f"mip serve did not become ready: {proc.stderr.read() if proc.stderr else ''}")
        time.sleep(0.2)
    yield url, data_dir
    proc.send_signal(signal.SIGTERM)
    assert proc.wait(30) == 0  # graceful shutdown ...
    assert not (data_dir / "pg" / "postmaster.pid").exists()  # ... that also stopped the embedded PostgreSQL


async def test_given_served_platform_when_reading_breaches_limit_then_alert_on_websocket(
    served: tuple[str, Path],
) -> None:
    url, data_dir = served
    tenant = mip(data_dir, "tenant", "create", "e2e", "--name", "E2E Works")
    assert tenant["slug"] == "e2e"
    mip(
        data_dir,
        "user",
        "create",
        "--tenant",
        "e2e",
        "--email",
        "ops@e2e.test",
        "--password",
        PASSWORD,
        "--role",
        "admin",
    )
    key = mip(data_dir, "apikey", "create", "--tenant", "e2e", "--name", "gw")["key"]
    assert isinstance(key, str)

    async with httpx.AsyncClient(base_url=url, timeout=30) as c:
        login = await c.post("/api/v1/auth/login", json={"email": "ops@e2e.test", "password": PASSWORD})
        token = login.json()["access_token"]
        auth = {"Authorization": f"Bearer {token}"}
        parent = None
        for kind, name in (("site", "works"), ("area", "hall"), ("line", "l1"), ("machine", "press")):
            r = await c.post("/api/v1/assets", headers=auth, json={"kind": kind, "name": name, "parent_id": parent})
            assert r.status_code == 201, r.text
            parent = r.json()["id"]
        sensor = await c.post(
            "/api/v1/sensors",
            headers=auth,
            json={
                "machine_id": parent,
                "name": "oil_temp",
                "kind": "temperature",
                "unit": "degC",
                "sample_rate_hz": 10,
                "high_limit": 90.0,
                "safety": True,
            },
        )
        assert sensor.status_code == 201, sensor.text
        sensor_id = sensor.json()["id"]

        ws_url = url.replace("http", "ws") + f"/api/v1/ws?token={token}"
        async with websockets.connect(ws_url) as ws:
            assert orjson.loads(await ws.recv())["type"] == "hello"
            t0 = time.time_ns()
            rows = [
                {"sensor": "works/hall/l1/press/oil_temp", "ts": t0 + i * 100_000_000, "value": 60.0 + i}
                for i in range(40)
            ]
            r = await c.post("/api/v1/ingest/readings", headers={"Authorization": f"Bearer {key}"}, json=rows)
            assert r.status_code == 202
            assert r.json()["accepted"] == 40
            event = orjson.loads(await asyncio.wait_for(ws.recv(), 15))
            while event["type"] == "readings":  # live value snapshots come on the same socket
                event = orjson.loads(await asyncio.wait_for(ws.recv(), 15))
        assert event["type"] == "alert.opened"
        assert event["alert"]["sensor_id"] == sensor_id
        assert event["alert"]["rule"] == "high_limit"
        assert event["alert"]["peak_value"] == 99.0

        async def stored() -> list[dict[str, object]]:
            q = await c.get(
                f"/api/v1/sensors/{sensor_id}/readings",
                headers=auth,
                params={"start": str(t0), "end": str(t0 + 10_000_000_000)},
            )
            return list(q.json()["points"])

        deadline = time.monotonic() + 15
        points = await stored()
        while len(points) < 40 and time.monotonic() < deadline:
            await asyncio.sleep(0.2)
            points = await stored()
        assert [p["value"] for p in points] == [60.0 + i for i in range(40)]
