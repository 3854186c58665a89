"""A local single-node Kafka (KRaft, combined broker + controller) for development, tests and benchmarks,
run from the jars that ``scripts/kafka.sh fetch`` copies from Maven Central into ``.kafka/libs``.
Not for production: there a managed or operated Kafka cluster is given by ``MIP_KAFKA_BOOTSTRAP``."""

from __future__ import annotations

import base64
import ctypes
import os
import shutil
import signal
import socket
import subprocess
import time
import uuid
from pathlib import Path

from confluent_kafka.admin import AdminClient


def _repo_root() -> Path:
    """The checkout holding ``infra/kafka/pom.xml`` (MIP_REPO_ROOT overrides; default: found upwards from here)."""
    env = os.environ.get("MIP_REPO_ROOT")
    if env:
        return Path(env)
    for parent in Path(__file__).resolve().parents:
        if (parent / "infra" / "kafka" / "pom.xml").exists():
            return parent
    return Path.cwd()


ROOT = _repo_root()
LIBS = Path(os.environ.get("MIP_KAFKA_LIBS", str(ROOT / ".kafka" / "libs")))
PR_SET_PDEATHSIG = 1


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def ensure_jars() -> None:
    """Fetch the broker's jars if ``make services`` has not run yet."""
    if not any(LIBS.glob("kafka_2.13-*.jar")):
        subprocess.run(["bash", str(ROOT / "scripts" / "kafka.sh"), "fetch"], check=True)


def _die_with_parent() -> None:  # runs in the child between fork and exec
    ctypes.CDLL("libc.so.6", use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGTERM)


class KafkaServer:
    """One broker in ``workdir``; :meth:`stop` and :meth:`start` keep its ports and data (a restart)."""

    def __init__(self, workdir: Path, *, partitions: int = 4, heap: str = "512m") -> None:
        self.workdir = workdir
        self.port = _free_port()
        self.controller_port = _free_port()
        self.partitions = partitions
        self.heap = heap
        self.proc: subprocess.Popen[bytes] | None = None
        self._formatted = False

    @property
    def bootstrap(self) -> str:
        return f"127.0.0.1:{self.port}"

    @property
    def log_file(self) -> Path:
        return self.workdir / "broker.log"

    def _java(self, main: str, *args: str) -> list[str]:
        java = shutil.which("java")
        if java is None:
            raise RuntimeError("java (17+) is required to run the Kafka broker for the tests")
        return [
            java,
            f"-Xmx{self.heap}",
            "-Xms64m",
            "-XX:+UseSerialGC",
            "-XX:TieredStopAtLevel=1",  # C1 only: starts ~1.5 s sooner, plenty for test traffic
            "-Djava.awt.headless=true",
            f"-Dlog4j2.configurationFile={self.workdir / 'log4j2.properties'}",
            "-cp",
            f"{LIBS}/*",
            main,
            *args,
        ]

    def _write_config(self) -> Path:
        self.workdir.mkdir(parents=True, exist_ok=True)
        props = {
            "process.roles": "broker,controller",
            "node.id": "1",
            "controller.quorum.voters": f"1@127.0.0.1:{self.controller_port}",
            "listeners": f"PLAINTEXT://127.0.0.1:{self.port},CONTROLLER://127.0.0.1:{self.controller_port}",
            "advertised.listeners": f"PLAINTEXT://127.0.0.1:{self.port}",
            "controller.listener.names": "CONTROLLER",
            "inter.broker.listener.name": "PLAINTEXT",
            "listener.security.protocol.map": "CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT",
            "log.dirs": str(self.workdir / "data"),
            "num.partitions": str(self.partitions),
            "auto.create.topics.enable": "false",  # the bus creates its topics, as in production
            "offsets.topic.replication.factor": "1",
            "offsets.topic.num.partitions": "4",
            "transaction.state.log.replication.factor": "1",
            "transaction.state.log.min.isr": "1",
            "share.coordinator.state.topic.replication.factor": "1",
            "share.coordinator.state.topic.min.isr": "1",
            "min.insync.replicas": "1",
            "group.initial.rebalance.delay.ms": "0",
            "group.min.session.timeout.ms": "1000",
            "num.network.threads": "2",
            "num.io.threads": "4",
        }
        path = self.workdir / "server.properties"
        path.write_text("".join(f"{k}={v}\n" for k, v in props.items()))
        (self.workdir / "log4j2.properties").write_text(
            "status = warn\n"
            "appender.file.type = File\n"
            "appender.file.name = FILE\n"
            f"appender.file.fileName = {self.log_file}\n"
            "appender.file.layout.type = PatternLayout\n"
            "appender.file.layout.pattern = [%d] %p %m (%c)%n\n"
            f"rootLogger.level = {os.environ.get('MIP_TEST_KAFKA_LOG_LEVEL', 'WARN')}\n"
            "rootLogger.appenderRef.file.ref = FILE\n"
        )
        return path

    def format(self) -> None:
        """Format the KRaft storage (metadata log) with a fresh cluster id; once per data dir."""
        config = self._write_config()
        cluster_id = base64.urlsafe_b64encode(uuid.uuid4().bytes).decode().rstrip("=")
        out = subprocess.run(
            self._java("kafka.tools.StorageTool", "format", "-t", cluster_id, "-c", str(config)),
            capture_output=True,
            text=True,
            timeout=120,
        )
        if out.returncode != 0:
            raise RuntimeError(f"kafka storage format failed:\n{out.stdout}\n{out.stderr}")
        self._formatted = True

    def start(self, *, wait: bool = True, timeout: float = 60.0) -> None:
        """Start the broker (formatting the storage the first time). Call it from a thread that outlives
        the broker (the main thread): the broker is sent SIGTERM when that thread ends."""
        if self.proc is not None and self.proc.poll() is None:
            return
        if not self._formatted:
            self.format()
        config = self._write_config()
        with (self.workdir / "stdout.log").open("ab") as out:
            self.proc = subprocess.Popen(
                self._java("kafka.Kafka", str(config)),
                stdout=out,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
                preexec_fn=_die_with_parent,  # a killed pytest leaves no JVM behind
            )
        if wait:
            self.wait_ready(timeout)

    def wait_ready(self, timeout: float = 60.0) -> None:
        """Block until an AdminClient lists the cluster's topics."""
        deadline = time.monotonic() + timeout
        while not self._port_open():
            self._check_alive()
            if time.monotonic() > deadline:
                raise RuntimeError(f"kafka did not open port {self.port}:\n{self.tail()}")
            time.sleep(0.1)
        admin = AdminClient({"bootstrap.servers": self.bootstrap, "log_level": 0})
        while True:
            self._check_alive()
            try:
                md = admin.list_topics(timeout=2)
                if md.brokers:
                    return
            except Exception:  # noqa: S110 - not ready yet
                pass
            if time.monotonic() > deadline:
                raise RuntimeError(f"kafka did not become ready within {timeout}s:\n{self.tail()}")
            time.sleep(0.1)

    def stop(self, timeout: float = 30.0) -> None:
        """SIGTERM (a controlled shutdown), then SIGKILL if it takes too long."""
        proc, self.proc = self.proc, None
        if proc is None or proc.poll() is not None:
            return
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(10)

    def restart(self) -> None:
        self.stop()
        self.start()

    def _port_open(self) -> bool:
        with socket.socket() as s:
            s.settimeout(0.5)
            return s.connect_ex(("127.0.0.1", self.port)) == 0

    def _check_alive(self) -> None:
        if self.proc is None or self.proc.poll() is not None:
            raise RuntimeError(f"kafka exited:\n{self.tail()}")

    def tail(self, lines: int = 40) -> str:
        text = ""
        for f in (self.workdir / "stdout.log", self.log_file):
            if f.exists():
                text += f"--- {f.name}\n" + "\n".join(f.read_text(errors="replace").splitlines()[-lines:]) + "\n"
        return text
