"""Pytest fixtures for a real Kafka broker (see :mod:`mip.platform.kafka_local`).

Fixtures: ``kafka_server`` (session; a :class:`KafkaServer`) and ``kafka_bootstrap`` (its ``host:port``).
:func:`make_kafka_server` starts a private broker for a test that stops and restarts it.
"""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from mip.platform.kafka_local import KafkaServer, ensure_jars

__all__ = ["KafkaServer", "kafka_bootstrap", "kafka_server", "make_kafka_server"]


def make_kafka_server(*, partitions: int = 4) -> Iterator[KafkaServer]:
    """A started broker in a temporary directory, stopped and removed afterwards (a generator for fixtures)."""
    ensure_jars()
    workdir = Path(tempfile.mkdtemp(prefix="mip-kafka-"))
    server = KafkaServer(workdir, partitions=partitions)
    try:
        server.start()
        yield server
    finally:
        server.stop()
        shutil.rmtree(workdir, ignore_errors=True)


@pytest.fixture(scope="session")
def kafka_server() -> Iterator[KafkaServer]:
    yield from make_kafka_server()


@pytest.fixture(scope="session")
def kafka_bootstrap(kafka_server: KafkaServer) -> str:
    return kafka_server.bootstrap
