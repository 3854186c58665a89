"""`mip demo` as a subprocess on a fresh data dir, plus what the browser tests and the dashboard benchmark
need around it: a second tenant, a device key, a guard sensor for injected breaches.

Used by ``mip bench web`` and by the dashboard end-to-end test (the same path a person takes with
``make demo``)."""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx

from mip.cli.demo import DEMO_EMAIL, DEMO_PASSWORD, DEMO_TENANT
from mip.platform.errors import MIPError

WEB_DIR = Path(__file__).resolve().parents[3] / "web"
OTHER_EMAIL = "viewer@other.test"
OTHER_PASSWORD = "other-tenant-pw-2026"  # noqa: S105 - a throwaway tenant in a temporary data dir
GUARD_SENSOR = "e2e_guard"


class StackError(MIPError):
    code = "bench_stack_error"
    status = 500
    title = "Benchmark stack failed"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL" and not k.startswith("MIP_")}
    env.update({"MIP_LOG_LEVEL": "WARNING", "MIP_SECRET_KEY": "demo-stack-secret-not-for-prod"})
    return env


@dataclass
class DemoStack:
    rate: int = 300
    data_dir: Path = field(default_factory=lambda: Path(tempfile.mkdtemp(prefix="mip-demo-stack-")))
    port: int = field(default_factory=_free_port)
    proc: subprocess.Popen[str] | None = None
    info: dict[str, Any] = field(default_factory=dict)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def cli(self, *args: str) -> Any:
        out = subprocess.run(
            [sys.executable, "-m", "mip.cli.main", "--data-dir", str(self.data_dir), *args],
            capture_output=True,
            text=True,
            timeout=120,
            env=_env(),
        )
        if out.returncode != 0:
            raise StackError(f"mip {' '.join(args)} failed: {out.stderr.strip()}")
        return json.loads(out.stdout)

    def start(self) -> DemoStack:
        args = ["demo", "--port", str(self.port), "--rate", str(self.rate), "--data-dir", str(self.data_dir)]
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "mip.cli.main", *args], env=_env(), stderr=subprocess.PIPE, text=True
        )
        deadline = time.monotonic() + 120
        while True:
            try:
                if httpx.get(self.url + "/readyz", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if self.proc.poll() is not None or time.monotonic() > deadline:
                self.stop()
                raise StackError("mip demo did not become ready")
            time.sleep(0.2)
        self.info = self._prepare()
        return self

    def _prepare(self) -> dict[str, Any]:
        self.cli("tenant", "create", "other", "--name", "Other Works")
        self.cli(
            "user", "create", "--tenant", "other", "--email", OTHER_EMAIL, "--password", OTHER_PASSWORD,
            "--role", "admin",
        )  # fmt: skip
        key = self.cli("apikey", "create", "--tenant", DEMO_TENANT, "--name", "e2e injector")["key"]
        with httpx.Client(base_url=self.url, timeout=30) as c:
            token = c.post("/api/v1/auth/login", json={"email": DEMO_EMAIL, "password": DEMO_PASSWORD})
            auth = {"Authorization": f"Bearer {token.json()['access_token']}"}
            machines = c.get("/api/v1/assets", headers=auth, params={"kind": "machine", "limit": 1}).json()
            machine = machines["items"][0]
            sensor = c.post(
                "/api/v1/sensors",
                headers=auth,
                json={
                    "machine_id": machine["id"],
                    "name": GUARD_SENSOR,
                    "kind": "temperature",
                    "unit": "degC",
                    "high_limit": 100.0,
                    "safety": True,
                },
            )
            if sensor.status_code != 201:
                raise StackError(f"guard sensor: {sensor.text}")
        return {
            "A_EMAIL": DEMO_EMAIL,
            "A_PASSWORD": DEMO_PASSWORD,
            "B_EMAIL": OTHER_EMAIL,
            "B_PASSWORD": OTHER_PASSWORD,
            "A_DEVICE_KEY": key,
            "A_MACHINE_ID": machine["id"],
            "A_GUARD_SENSOR_ID": sensor.json()["id"],
            "A_GUARD_SENSOR_PATH": sensor.json()["path"],
        }

    def wait_for_data(self, timeout_s: float = 30) -> None:
        """Until the plant overview shows live values (the simulator is posting)."""
        with httpx.Client(base_url=self.url, timeout=10) as c:
            login = c.post("/api/v1/auth/login", json={"email": DEMO_EMAIL, "password": DEMO_PASSWORD}).json()
            auth = {"Authorization": f"Bearer {login['access_token']}"}
            deadline = time.monotonic() + timeout_s
            while time.monotonic() < deadline:
                o = c.get("/api/v1/plant/overview", headers=auth).json()
                if any(m["status"] != "no_data" for m in o["machines"]):
                    return
                time.sleep(0.5)
        raise StackError("the simulator's readings never reached the overview")

    def node(self, script: str, *, timeout_s: float = 300, extra_env: dict[str, str] | None = None) -> str:
        """Run a web/e2e script against this stack; returns its stdout, raises with its output on failure."""
        if shutil.which("node") is None:
            raise StackError("node is not installed")
        if not (WEB_DIR / "node_modules" / "playwright-core").is_dir():
            raise StackError("web/node_modules is missing: run `make web` (npm ci in web/)")
        env = {**os.environ, "MIP_URL": self.url, **self.info, **(extra_env or {})}
        out = subprocess.run(
            ["node", f"e2e/{script}"], cwd=WEB_DIR, env=env, capture_output=True, text=True, timeout=timeout_s
        )
        if out.returncode != 0:
            raise StackError(f"node e2e/{script} failed:\n{out.stdout}\n{out.stderr}")
        return out.stdout

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGINT)
            try:
                self.proc.wait(30)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        shutil.rmtree(self.data_dir, ignore_errors=True)

    def __enter__(self) -> DemoStack:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()
