"""``mip bench pipeline``: end-to-end throughput and alert latency of ingest -> bus -> stream -> alerts -> WS.

The benchmark starts a real ``mip serve --role all`` (embedded PostgreSQL, in-process bus) on a fresh
data directory, sets up a tenant and a simulated plant, subscribes to the alert WebSocket, and runs the
factory simulator in its own process at the target rate with a high fault rate. It reports the
sustained accepted rate, the readings actually stored once the stream has drained, and the latency from
the ingest request's arrival (``ingest_received_ns`` in each alert event) to the event's arrival on the
WebSocket.
"""

from __future__ import annotations

import asyncio
import collections
import contextlib
import os
import platform
import shutil
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import numpy as np
import orjson
import yaml
from websockets.asyncio.client import connect
from websockets.exceptions import ConnectionClosed

from mip.bench.pipeline_storage import measure_storage
from mip.bench.stack import BenchError, LocalStack, Tenant, mip_command
from mip.platform.errors import ConfigurationError
from mip.platform.timeutil import NS_PER_S, parse_ts
from mip.sim.plant import build_plant

ALERT_TYPES = ("alert.opened", "alert.updated")


@dataclass(frozen=True)
class PipelineBenchConfig:
    rate: float  # target readings per second
    duration_s: float
    seed: int = 7
    bus: str = "memory"
    fault_rate_per_hour: float = 360.0  # per machine: one every ~10 s, so alerts fire continually
    sites: int = 1
    lines: int = 2
    machines: int = 3
    drain_timeout_s: float = 120.0
    keep_data: bool = False
    wire_format: str = "json"  # json | arrow: the simulator's request bodies
    workers: int = 1  # stream worker processes (Kafka bus only; the memory bus has the one in `serve --role all`)
    rules_file: Path | None = None  # detection rules installed before the load (alarm latency includes them)


@dataclass
class AlertListener:
    """Records, for each alert event on the WebSocket, now - ``ingest_received_ns``."""

    url: str
    latencies_ms: list[float] = field(default_factory=list)
    from_reading_ms: list[float] = field(default_factory=list)  # from the breaching reading's own timestamp
    safety_ms: list[float] = field(default_factory=list)  # safety alarms only (sensor safety limits, safety rules)
    standard_ms: list[float] = field(default_factory=list)  # the others
    types: collections.Counter[str] = field(default_factory=collections.Counter)
    ready: asyncio.Event = field(default_factory=asyncio.Event)
    last_event: float = 0.0

    async def run(self) -> None:
        async with connect(self.url, proxy=None, max_queue=None, open_timeout=30) as ws:
            with contextlib.suppress(ConnectionClosed):
                async for raw in ws:
                    now_ns = time.time_ns()
                    event = orjson.loads(raw)
                    kind = event.get("type", "")
                    if kind == "hello":
                        self.ready.set()
                        continue
                    self.types[kind] += 1
                    received = event.get("ingest_received_ns")
                    if kind in ALERT_TYPES and isinstance(received, int):
                        self.latencies_ms.append((now_ns - received) / 1e6)
                        alert = event.get("alert") or {}
                        (self.safety_ms if alert.get("safety") else self.standard_ms).append(self.latencies_ms[-1])
                        with contextlib.suppress(KeyError, TypeError, ValueError):
                            self.from_reading_ms.append((now_ns - parse_ts(event["alert"]["last_ts"])) / 1e6)
                        self.last_event = time.monotonic()

    @staticmethod
    def _pct(values: list[float]) -> dict[str, float | None]:
        lat = np.asarray(values, dtype=np.float64)
        pct: dict[str, float | None] = {k: None for k in ("p50", "p95", "p99", "max", "mean")}
        if lat.size:
            p50, p95, p99 = np.percentile(lat, [50, 95, 99]).tolist()
            pct = {"p50": p50, "p95": p95, "p99": p99, "max": float(lat.max()), "mean": float(lat.mean())}
        return {k: (round(v, 2) if v is not None else None) for k, v in pct.items()}

    def summary(self) -> dict[str, Any]:
        return {
            "events": int(sum(self.types[t] for t in ALERT_TYPES)),
            "opened": self.types["alert.opened"],
            "updated": self.types["alert.updated"],
            "measured": len(self.latencies_ms),
            # from the ingest request's arrival, and from the breaching reading's timestamp (includes the
            # gateway's own batching delay, up to the simulator's tick of 200 ms)
            "latency_ms": self._pct(self.latencies_ms),
            "latency_from_reading_ms": self._pct(self.from_reading_ms),
            # safety alarms are raised on the stream stage's alarm path, the others on its storage path
            "safety_events": len(self.safety_ms),
            "safety_latency_ms": self._pct(self.safety_ms),
            "standard_latency_ms": self._pct(self.standard_ms),
        }


def machine_info() -> dict[str, Any]:
    cpu = platform.processor() or platform.machine()
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    mem_gb = None
    with contextlib.suppress(OSError, ValueError, IndexError):
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal"):
                mem_gb = round(int(line.split()[1]) / 1024 / 1024, 1)
    return {
        "cpu_count": os.cpu_count(),
        "cpu": cpu,
        "memory_gb": mem_gb,
        "python": platform.python_version(),
        "platform": platform.platform(),
    }


async def count_stored(client: httpx.AsyncClient, tenant: Tenant, since_ns: int) -> int:
    """Readings stored for the tenant's sensors since ``since_ns``: one bucket per sensor via the API."""
    end_ns = time.time_ns() + 600 * NS_PER_S
    params = {"start": str(since_ns), "end": str(end_ns), "bucket_s": str((end_ns - since_ns) / NS_PER_S)}
    auth = {"Authorization": f"Bearer {tenant.token}"}

    async def one(sensor_id: str) -> int:
        resp = await client.get(f"/api/v1/sensors/{sensor_id}/readings", params=params, headers=auth)
        if resp.status_code != 200:
            raise BenchError(f"counting readings: HTTP {resp.status_code}: {resp.text[:300]}")
        return sum(int(p["count"]) for p in resp.json()["points"])

    return sum(await asyncio.gather(*(one(s) for s in tenant.sensor_ids.values())))


async def run_load(stack: LocalStack, tenant: Tenant, cfg: PipelineBenchConfig) -> dict[str, Any]:
    """``mip simulate`` in its own process; returns its JSON summary."""
    cmd = mip_command(
        "simulate",
        *("--url", stack.base_url, "--rate", str(cfg.rate), "--duration", str(cfg.duration_s)),
        *("--seed", str(cfg.seed), "--fault-rate", str(cfg.fault_rate_per_hour)),
        *("--sites", str(cfg.sites), "--lines", str(cfg.lines), "--machines", str(cfg.machines)),
        *("--format", cfg.wire_format),
    )
    proc = await asyncio.create_subprocess_exec(
        *cmd,
        env={**stack.env, "MIP_API_KEY": tenant.api_key},
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    out, err = await proc.communicate()
    if proc.returncode != 0:
        raise BenchError(f"mip simulate failed ({proc.returncode}): {err.decode()[-2000:]}")
    summary: dict[str, Any] = orjson.loads(out)
    return summary


async def _drain(
    client: httpx.AsyncClient, tenant: Tenant, since_ns: int, expected: int, timeout_s: float
) -> tuple[int, float]:
    """Poll the stored count until it reaches ``expected`` or stops growing for 5 s."""
    start = time.monotonic()
    stored, last_change, last = 0, start, -1
    while time.monotonic() - start < timeout_s:
        stored = await count_stored(client, tenant, since_ns)
        if stored != last:
            last, last_change = stored, time.monotonic()
        if stored >= expected or time.monotonic() - last_change > 5.0:
            break
        await asyncio.sleep(0.5)
    return stored, round(last_change - start, 2)


async def run_pipeline_bench(cfg: PipelineBenchConfig) -> dict[str, Any]:
    """Run the whole benchmark and return its result (see module docs)."""
    if cfg.bus == "memory" and cfg.workers != 1:
        raise ConfigurationError("--workers > 1 needs --bus kafka (the memory bus lives inside one process)")
    plant = build_plant(cfg.seed, sites=cfg.sites, lines_per_site=cfg.lines, machines_per_line=cfg.machines)
    root = Path(tempfile.mkdtemp(prefix="mip-bench-"))
    try:
        async with (
            LocalStack(root, bus=cfg.bus, workers=cfg.workers) as stack,
            httpx.AsyncClient(base_url=stack.base_url, timeout=60.0, trust_env=False) as client,
        ):
            tenant = await stack.setup_tenant(client, plant)
            rules = await install_rules(client, tenant.token, cfg.rules_file) if cfg.rules_file else 0
            listener = AlertListener(f"{stack.ws_url}?token={tenant.token}")
            listening = asyncio.create_task(listener.run(), name="bench-ws")
            try:
                await asyncio.wait_for(listener.ready.wait(), 30)
                since_ns = time.time_ns() - 5 * NS_PER_S
                cpu_before = stack.cpu_seconds()
                load = await run_load(stack, tenant, cfg)
                stored, drain_s = await _drain(client, tenant, since_ns, load["accepted"], cfg.drain_timeout_s)
                cpu_after = stack.cpu_seconds()
                cpu_parts = {k: round(v - cpu_before.get(k, 0.0), 2) for k, v in cpu_after.items()}
                cpu_used = sum(cpu_parts.values())
                storage = await measure_storage(stack.data_dir)
                drained = time.monotonic()  # let the last alert events arrive: 1 s without one
                while time.monotonic() - max(drained, listener.last_event) < 1.0:
                    if time.monotonic() - drained > 10.0:
                        break
                    await asyncio.sleep(0.1)
            finally:
                listening.cancel()
                with contextlib.suppress(asyncio.CancelledError, ConnectionClosed, OSError):
                    await listening
    finally:
        if not cfg.keep_data:
            shutil.rmtree(root, ignore_errors=True)
    return {
        "benchmark": "pipeline",
        "bus": cfg.bus,
        "rate_target": cfg.rate,
        "duration_s": cfg.duration_s,
        "seed": cfg.seed,
        "fault_rate_per_machine_hour": cfg.fault_rate_per_hour,
        "plant": {"machines": len(plant.machines()), "sensors": plant.sensor_count()},
        "accepted": load["accepted"],
        "accepted_per_s": round(load["accepted"] / cfg.duration_s, 1),
        "throttled_429": load["throttled"],
        "readings_stored": stored,
        "drain_s": drain_s,
        "stored_per_s": round(stored / (cfg.duration_s + drain_s), 1),
        # kept up: >= 99 % of rate x duration accepted, all of it stored, the stream done <= 2 s after the load
        "kept_up": load["accepted"] >= 0.99 * cfg.rate * cfg.duration_s and stored >= load["accepted"] and drain_s <= 2,
        "alerts": listener.summary(),
        "wire_format": cfg.wire_format,
        "workers": cfg.workers,
        "detection_rules": rules,
        # server processes + PostgreSQL (+ broker), not the load generator
        "cpu_seconds": round(cpu_used, 2),
        "cpu_s_per_million_readings": round(cpu_used / stored * 1e6, 2) if stored else None,
        "cpu_seconds_by_process": cpu_parts,
        # after the load: the run's hours compressed; the same readings COPYed row-per-reading for comparison
        "storage": storage,
        "load": load,
        "machine": machine_info(),
        "data_dir": str(root) if cfg.keep_data else None,
    }


async def install_rules(client: httpx.AsyncClient, token: str, path: Path) -> int:
    """POST every rule of a YAML/JSON rules file (a list, or {"rules": [...]}) through the rules API."""
    doc = yaml.safe_load(await asyncio.to_thread(path.read_text))
    items = doc.get("rules", []) if isinstance(doc, dict) else doc
    for body in items:
        r = await client.post("/api/v1/rules", headers={"Authorization": f"Bearer {token}"}, json=body)
        if r.status_code != 201:
            raise ConfigurationError(f"rule {body.get('name')!r} refused: {r.text}")
    return len(items)


def render_text(result: dict[str, Any]) -> str:
    lat = result["alerts"]["latency_ms"]
    rl = result["alerts"]["latency_from_reading_ms"]
    sl = result["alerts"]["safety_latency_ms"]
    ol = result["alerts"]["standard_latency_ms"]

    def ms(v: float | None) -> str:
        return "-" if v is None else f"{v:.1f} ms"

    load = result["load"]
    st = result["storage"]
    lines = [
        f"pipeline benchmark  bus={result['bus']}  target={result['rate_target']:g} readings/s  "
        f"duration={result['duration_s']:g} s  plant={result['plant']['sensors']} sensors",
        f"  accepted        {result['accepted']} readings = {result['accepted_per_s']:g} readings/s",
        f"  stored          {result['readings_stored']} readings = {result['stored_per_s']:g} readings/s "
        f"(stream drained {result['drain_s']:g} s after the load)",
        f"  kept up         {'yes' if result['kept_up'] else 'NO'}",
        f"  back-pressure   {result['throttled_429']} x 429, {load['retries']} retries, {load['errors']} errors, "
        f"{load['dropped']} dropped, {load['skipped']} skipped by the generator",
        f"  alert events    {result['alerts']['events']} ({result['alerts']['opened']} opened)",
        f"  alert latency   p50 {ms(lat['p50'])}  p95 {ms(lat['p95'])}  p99 {ms(lat['p99'])}  max {ms(lat['max'])}",
        f"  from reading ts p50 {ms(rl['p50'])}  p95 {ms(rl['p95'])}  p99 {ms(rl['p99'])}  max {ms(rl['max'])}",
        f"  safety alarms   {result['alerts']['safety_events']} events, p50 {ms(sl['p50'])}  p99 {ms(sl['p99'])}  "
        f"max {ms(sl['max'])}; others p50 {ms(ol['p50'])}  p99 {ms(ol['p99'])}",
        f"  cpu             {result['cpu_seconds']:g} s = {result['cpu_s_per_million_readings']} s/million readings "
        f"(format {result['wire_format']}; by process: "
        + ", ".join(f"{k} {v:g} s" for k, v in result["cpu_seconds_by_process"].items())
        + ")",
        f"  storage         {st['bytes_per_reading']} B/reading compressed vs "
        f"{st['baseline_bytes_per_reading']} B/reading row-per-reading COPY baseline ({st['baseline_over_mip']}x)",
        f"  machine         {result['machine']['cpu_count']} CPUs ({result['machine']['cpu']}), "
        f"Python {result['machine']['python']}",
    ]
    return "\n".join(lines)
