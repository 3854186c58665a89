"""Crash and restart on Kafka: the stream stage runs as a real ``mip serve --role stream`` process on the
test database. Killing it with SIGKILL mid-stream, or restarting the broker under it while readings are
produced, loses nothing and duplicates nothing: every reading is stored once and every alert counts each
breaching reading once. Results are read through the REST API, "done" is the consumer group having
committed the end of every partition."""

from __future__ import annotations

import asyncio
import collections
import contextlib
import os
import secrets
import signal
import subprocess
import sys
import time
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import numpy as np
import pytest
from confluent_kafka import Consumer, TopicPartition

from mip.platform.bus import TOPIC_READINGS
from mip.platform.database_setup import DatabaseHandle
from mip.platform.ids import uuid7
from mip.platform.kafka_bus import KafkaBus
from mip.platform.settings import Settings
from mip.telemetry.batch import ReadingBatch
from tests.conftest import MachineFactory, TenantFactory, TenantKit, free_port
from tests.kafka_server import KafkaServer, make_kafka_server

ROOT = Path(__file__).resolve().parents[2]
PARTITIONS = 4
GROUPS = ("mip-stream", "mip-alarms")  # the stream worker's consumer groups: storage path, alarm path
READINGS_PER_BATCH = 20
HIGH = {"temp": 80.0, "pressure": 10.0}
LOW = {"pressure": 1.0}


@dataclass
class Plant:
    """A tenant's machines, the batches produced for them, and what the stream stage must make of them."""

    tenant: TenantKit
    machines: list[Any]
    t0: int = field(default_factory=time.time_ns)
    produced: int = 0
    readings: collections.Counter[str] = field(default_factory=collections.Counter)  # sensor id -> count
    breaches: collections.Counter[tuple[str, str]] = field(default_factory=collections.Counter)  # (sensor, rule)

    def batch(self, machine: Any) -> ReadingBatch:
        """One machine's batch over both its sensors; every (sensor, ts) is new, some values breach a limit."""
        n = READINGS_PER_BATCH
        start = self.produced
        self.produced += n
        idx = np.arange(n, dtype=np.uint16) % 2  # temp, pressure, temp, ...
        i = np.arange(start, start + n)
        temp = np.where(i % 7 == 0, 95.0, 60.0)  # high_limit 80
        pressure = np.select([i % 5 == 0, i % 11 == 0], [12.0, 0.5], 5.0)  # high 10, low 1
        value = np.where(idx == 0, temp, pressure).astype(np.float64)
        sensors = (machine.sensors["temp"], machine.sensors["pressure"])
        for s, v in zip(idx.tolist(), value.tolist(), strict=True):
            name = ("temp", "pressure")[s]
            sid = str(sensors[s])
            self.readings[sid] += 1
            if v > HIGH[name]:
                self.breaches[(sid, "high_limit")] += 1
            if name in LOW and v < LOW[name]:
                self.breaches[(sid, "low_limit")] += 1
        return ReadingBatch(
            tenant_id=self.tenant.id,
            machine_id=machine.machine_id,
            batch_id=uuid7(),
            received_ns=time.time_ns(),
            sensors=sensors,
            sensor_idx=idx,
            ts=(self.t0 + i * 1000).astype(np.int64),  # 1 µs apart: unique per sensor
            value=value,
            quality=np.zeros(n, np.int16),
        )

    def batches(self, count: int) -> list[ReadingBatch]:
        return [self.batch(self.machines[k % len(self.machines)]) for k in range(count)]

    def sensor_ids(self) -> list[str]:
        return [str(s) for m in self.machines for s in m.sensors.values()]


@pytest.fixture
async def plant(make_tenant: TenantFactory, make_machine: MachineFactory) -> Plant:
    tenant = await make_tenant()
    sensors = {"temp": (None, HIGH["temp"]), "pressure": (LOW["pressure"], HIGH["pressure"])}
    machines = [await make_machine(tenant.id, sensors=sensors, site=f"plant{i}") for i in range(3)]
    return Plant(tenant, machines)


@pytest.fixture
def topic_prefix() -> str:
    return f"crash{secrets.token_hex(4)}."


@pytest.fixture
def private_kafka() -> Iterator[KafkaServer]:
    """A broker of this test's own: it is stopped and started again under the stream stage."""
    yield from make_kafka_server(partitions=PARTITIONS)


class StreamProcess:
    """``mip serve --role stream`` on the test database and a given broker."""

    def __init__(self, bootstrap: str, prefix: str, db_handle: DatabaseHandle, workdir: Path) -> None:
        self.workdir = workdir
        self.env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL" and not k.startswith("MIP_")}
        self.env.update(
            {
                "MIP_BUS": "kafka",
                "MIP_KAFKA_BOOTSTRAP": bootstrap,
                "MIP_KAFKA_TOPIC_PREFIX": prefix,
                "MIP_KAFKA_PARTITIONS": str(PARTITIONS),
                "MIP_KAFKA_SESSION_TIMEOUT_MS": "6000",  # a killed member's partitions move after 6 s
                "MIP_STREAM_POLL_MAX": "8",  # many small transactions and commits: a kill lands mid-stream
                "DATABASE_URL": db_handle.owner_url,
                "MIP_SECRET_KEY": "crash-test-secret-key",
                "MIP_DATA_DIR": str(workdir),
                "MIP_LOG_LEVEL": "WARNING",
                "MIP_LOG_JSON": "false",
            }
        )
        self.proc: subprocess.Popen[bytes] | None = None
        self.port = 0

    def start(self) -> None:
        self.port = free_port()
        with (self.workdir / "stream.log").open("ab") as log:
            self.proc = subprocess.Popen(
                [sys.executable, "-m", "mip.cli.main", "serve", "--role", "stream", "--port", str(self.port)],
                env=self.env,
                cwd=ROOT,
                stdout=log,
                stderr=subprocess.STDOUT,
            )

    async def wait_ready(self, timeout: float = 60.0) -> None:
        deadline = time.monotonic() + timeout
        async with httpx.AsyncClient(timeout=2) as c:
            while True:
                assert self.alive(), f"stream process exited:\n{self.log()}"
                with contextlib.suppress(httpx.HTTPError):
                    if (await c.get(f"http://127.0.0.1:{self.port}/readyz")).status_code == 200:
                        return
                assert time.monotonic() < deadline, f"stream process not ready:\n{self.log()}"
                await asyncio.sleep(0.1)

    def alive(self) -> bool:
        return self.proc is not None and self.proc.poll() is None

    def kill(self) -> None:
        assert self.proc is not None
        self.proc.send_signal(signal.SIGKILL)
        self.proc.wait(10)

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(30)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(10)

    def log(self) -> str:
        path = self.workdir / "stream.log"
        return "\n".join(path.read_text(errors="replace").splitlines()[-60:]) if path.exists() else ""


@pytest.fixture
def stream_factory(db_handle: DatabaseHandle, tmp_path: Path) -> Iterator[Any]:
    procs: list[StreamProcess] = []

    def make(bootstrap: str, prefix: str) -> StreamProcess:
        p = StreamProcess(bootstrap, prefix, db_handle, tmp_path)
        procs.append(p)
        return p

    yield make
    for p in procs:
        p.stop()


@contextlib.asynccontextmanager
async def producer(bootstrap: str, prefix: str) -> AsyncIterator[KafkaBus]:
    bus = KafkaBus(
        Settings(env="test", kafka_bootstrap=bootstrap, kafka_topic_prefix=prefix, kafka_partitions=PARTITIONS)
    )
    await bus.start()
    try:
        yield bus
    finally:
        await bus.stop()


async def publish(bus: KafkaBus, batches: list[ReadingBatch]) -> None:
    await asyncio.gather(*(bus.publish(TOPIC_READINGS, b.key, b.encode()) for b in batches))


def group_lag(bootstrap: str, topic: str, group: str) -> int:
    """Messages on ``topic`` ``group`` has not committed yet (-1: it has committed nothing there)."""
    probe = Consumer({"bootstrap.servers": bootstrap, "group.id": group, "enable.auto.commit": False, "log_level": 0})
    try:
        parts = [TopicPartition(topic, p) for p in range(PARTITIONS)]
        committed = probe.committed(parts, timeout=10)
        lag = 0
        for tp in committed:
            _low, high = probe.get_watermark_offsets(TopicPartition(topic, tp.partition), timeout=10)
            if high > 0 and tp.offset < 0:
                return -1
            lag += max(0, high - tp.offset) if high > 0 else 0
        return lag
    finally:
        probe.close()


async def wait_until_committed(bootstrap: str, prefix: str, stream: StreamProcess, timeout: float = 90.0) -> None:
    deadline = time.monotonic() + timeout
    while True:
        try:
            lags = [await asyncio.to_thread(group_lag, bootstrap, prefix + TOPIC_READINGS, g) for g in GROUPS]
            lag = -1 if -1 in lags else sum(lags)
        except Exception as exc:  # the broker may still be coming back
            lag = -2
            error = str(exc)
        else:
            error = ""
        if lag == 0:
            return
        assert stream.alive(), f"stream process exited:\n{stream.log()}"
        assert time.monotonic() < deadline, f"stream group lag {lag} {error}:\n{stream.log()}"
        await asyncio.sleep(0.2)


async def stored(client: httpx.AsyncClient, plant: Plant) -> dict[str, list[int]]:
    """Each sensor's stored reading timestamps, as the readings API returns them."""
    out: dict[str, list[int]] = {}
    for sid in plant.sensor_ids():
        r = await client.get(
            f"/api/v1/sensors/{sid}/readings",
            headers=plant.tenant.auth,
            params={"start": str(plant.t0), "end": str(plant.t0 + plant.produced * 1000 + 1), "limit": 100_000},
        )
        assert r.status_code == 200, r.text
        out[sid] = [p["ts"] for p in r.json()["points"]]
    return out


async def alert_counts(client: httpx.AsyncClient, plant: Plant) -> collections.Counter[tuple[str, str]]:
    r = await client.get("/api/v1/alerts", headers=plant.tenant.auth, params={"limit": 1000})
    assert r.status_code == 200, r.text
    items = r.json()["items"]
    keys = [(a["sensor_id"], a["rule"]) for a in items]
    assert len(keys) == len(set(keys)), "one alert per sensor and rule"
    return collections.Counter({(a["sensor_id"], a["rule"]): a["count"] for a in items})


async def assert_exactly_once(client: httpx.AsyncClient, plant: Plant) -> None:
    readings = await stored(client, plant)
    assert {sid: len(ts) for sid, ts in readings.items()} == dict(plant.readings)
    assert all(len(set(ts)) == len(ts) for ts in readings.values())
    assert await alert_counts(client, plant) == plant.breaches


async def test_given_stream_worker_killed_mid_stream_when_restarted_then_every_reading_and_breach_counts_once(
    plant: Plant, kafka_bootstrap: str, topic_prefix: str, stream_factory: Any, client: httpx.AsyncClient
) -> None:
    async with producer(kafka_bootstrap, topic_prefix) as bus:
        stream = stream_factory(kafka_bootstrap, topic_prefix)
        stream.start()
        await stream.wait_ready()
        await publish(bus, plant.batches(150))

        async def some_stored() -> bool:
            return sum(len(ts) for ts in (await stored(client, plant)).values()) > 0

        deadline = time.monotonic() + 60
        while not await some_stored():
            assert time.monotonic() < deadline, stream.log()
            await asyncio.sleep(0.02)
        stream.kill()  # SIGKILL: no graceful shutdown, no leaving the group, uncommitted offsets

        await publish(bus, plant.batches(60))  # produced while no worker runs
        total = sum(len(ts) for ts in (await stored(client, plant)).values())
        assert 0 < total < plant.produced  # the kill did happen mid-stream

        stream.start()
        await wait_until_committed(kafka_bootstrap, topic_prefix, stream)
    await assert_exactly_once(client, plant)


async def test_given_broker_restarted_while_producing_then_every_reading_and_breach_counts_once(
    plant: Plant, private_kafka: KafkaServer, topic_prefix: str, stream_factory: Any, client: httpx.AsyncClient
) -> None:
    bootstrap = private_kafka.bootstrap
    async with producer(bootstrap, topic_prefix) as bus:
        stream = stream_factory(bootstrap, topic_prefix)
        stream.start()
        await stream.wait_ready()
        old_broker = private_kafka.proc
        chunks = [plant.batches(10) for _ in range(24)]
        restart_now = asyncio.Event()

        async def produce() -> None:
            for n, chunk in enumerate(chunks):
                if n == 8:
                    restart_now.set()
                await publish(bus, chunk)  # waits for the broker's acknowledgement, across the restart
                await asyncio.sleep(0.05)

        async def restart_broker() -> None:
            await restart_now.wait()
            await asyncio.to_thread(private_kafka.stop)
            private_kafka.start(wait=False)  # from the main thread, which outlives the broker
            await asyncio.to_thread(private_kafka.wait_ready)

        await asyncio.gather(produce(), restart_broker())
        assert private_kafka.proc is not old_broker
        await wait_until_committed(bootstrap, topic_prefix, stream)
    await assert_exactly_once(client, plant)
