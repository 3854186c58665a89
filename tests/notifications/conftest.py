"""Fixtures: a session consumer of the real bus, fast dispatchers bound to a test's tenants, the real SMTP server
and webhook receivers (tests/notifications/servers.py)."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from mip.notifications.consumer import NotificationConsumer
from mip.notifications.dispatcher import DeliveryConfig, NotificationDispatcher
from mip.notifications.mailer import SmtpConfig
from mip.platform.ids import uuid7
from mip.runtime import Runtime
from tests.notifications.servers import SmtpServer, WebhookReceiver, smtp_server

FAST = DeliveryConfig(
    max_attempts=3, backoff_base_s=0.05, backoff_max_s=0.3, webhook_timeout_s=2.0, poll_interval_s=0.05
)
SECRET = "whsec_test_secret_0123456789abcdef"


def alarm_event(
    tenant_id: Any,
    machine_id: Any,
    *,
    kind: str = "alert.opened",
    severity: str = "major",
    safety: bool = False,
    alert_id: uuid.UUID | None = None,
    version: str | None = None,
    message: str = "plant/area1/line1/m1/temp above limit 80: 91",
) -> dict[str, Any]:
    """The JSON form publish_alert_event() puts on the bus."""
    now = datetime.now(UTC)
    return {
        "type": kind,
        "tenant_id": str(tenant_id),
        "alert": {
            "id": str(alert_id or uuid7()),
            "tenant_id": str(tenant_id),
            "machine_id": str(machine_id),
            "sensor_id": str(uuid7()),
            "rule": "high_limit",
            "severity": severity,
            "safety": safety,
            "state": "open",
            "message": message,
            "threshold": 80.0,
            "first_ts": now.isoformat(),
            "last_ts": now.isoformat(),
            "count": 1,
            "updated_at": version or now.isoformat(),
        },
    }


@pytest.fixture(scope="session")
async def notify_consumer(runtime: Runtime) -> AsyncIterator[NotificationConsumer]:
    """A consumer of the runtime's bus in its own group (a runtime consumer in mip-notify would also see every
    event; the idempotent enqueue makes both harmless together)."""
    consumer = NotificationConsumer(runtime.db, runtime.bus, group="mip-notify-tests")
    await consumer.start()
    yield consumer
    await consumer.stop()


DispatcherFactory = Callable[..., Awaitable[NotificationDispatcher]]


@pytest.fixture
async def dispatcher(runtime: Runtime) -> AsyncIterator[DispatcherFactory]:
    started: list[NotificationDispatcher] = []

    async def make(
        *tenant_ids: Any, smtp: SmtpServer | None = None, config: DeliveryConfig = FAST
    ) -> NotificationDispatcher:
        cfg = SmtpConfig(host="127.0.0.1", port=smtp.port, from_addr="alarms@mip.test") if smtp else None
        d = NotificationDispatcher(runtime.db, smtp=cfg, config=config, tenant_ids=set(tenant_ids))
        await d.start()
        started.append(d)
        return d

    yield make
    for d in started:
        await d.stop()


@pytest.fixture
def smtp(tmp_path: Path) -> Iterator[SmtpServer]:
    with smtp_server(tmp_path) as server:
        yield server


ReceiverFactory = Callable[..., Awaitable[WebhookReceiver]]


@pytest.fixture
async def receiver() -> AsyncIterator[ReceiverFactory]:
    started: list[WebhookReceiver] = []

    async def make(**kwargs: Any) -> WebhookReceiver:
        r = WebhookReceiver(secret=kwargs.pop("secret", SECRET), **kwargs)
        await r.start()
        started.append(r)
        return r

    yield make
    for r in started:
        await r.stop()
