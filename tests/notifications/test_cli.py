"""``mip notify`` (typer app ``notify_app``) as a real subprocess against the test database."""

from __future__ import annotations

import asyncio
import os
import sys
from typing import Any

import httpx
import orjson

from mip.notifications.dispatcher import DeliveryConfig
from mip.notifications.outbox import enqueue_for_event
from mip.platform.database_setup import DatabaseHandle
from mip.platform.db import Database
from tests.conftest import MachineFactory, TenantKit, wait_for
from tests.notifications.conftest import SECRET, DispatcherFactory, ReceiverFactory, alarm_event

N = "/api/v1/notifications"


async def _cli(handle: DatabaseHandle, *args: str) -> tuple[int, Any, Any]:
    env = {**os.environ, "DATABASE_URL": handle.owner_url, "MIP_LOG_LEVEL": "WARNING"}
    proc = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "mip.cli.notify",
        *args,
        env=env,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    out, err = await asyncio.wait_for(proc.communicate(), 120)
    parse = lambda b: orjson.loads(b) if b.strip().startswith((b"{", b"[")) else b.decode()  # noqa: E731
    assert proc.returncode is not None
    return proc.returncode, parse(out), parse(err)


async def test_given_dead_letter_then_cli_lists_retries_and_tests_the_endpoint(
    db_handle: DatabaseHandle,
    client: httpx.AsyncClient,
    tenant: TenantKit,
    make_machine: MachineFactory,
    db: Database,
    receiver: ReceiverFactory,
    dispatcher: DispatcherFactory,
) -> None:
    m = await make_machine(tenant.id)
    rx = await receiver(always_fail=True)
    r = await client.post(f"{N}/webhooks", headers=tenant.auth, json={"name": "rx", "url": rx.url, "secret": SECRET})
    hook = r.json()
    async with db.tenant_tx(tenant.id) as conn:
        [delivery] = await enqueue_for_event(conn, tenant.id, alarm_event(tenant.id, m.machine_id))
    d = await dispatcher(tenant.id, config=DeliveryConfig(max_attempts=1, poll_interval_s=0.05))

    async def dead() -> bool:
        got = await client.get(f"{N}/deliveries/{delivery['id']}", headers=tenant.auth)
        return bool(got.json()["status"] == "dead")

    await wait_for(dead)
    await d.stop()

    code, out, _ = await _cli(db_handle, "dead-letters", "--tenant", tenant.slug)
    assert code == 0
    assert [x["id"] for x in out] == [str(delivery["id"])]
    assert out[0]["last_error"] == "HTTP 500: receiver says no"

    code, out, err = await _cli(db_handle, "test-webhook", "--tenant", tenant.slug, hook["id"], "--timeout", "5")
    assert code == 1
    assert err["code"] == "delivery_failed"
    assert err["status_code"] == 500
    rx.always_fail = False
    code, out, _ = await _cli(db_handle, "test-webhook", "--tenant", tenant.slug, hook["id"])
    assert code == 0
    assert (out["ok"], out["status_code"]) == (True, 200)
    assert rx.received[-1].signature_ok
    assert rx.received[-1].headers["x-mip-event"] == "notification.test"

    code, out, _ = await _cli(db_handle, "retry", "--tenant", tenant.slug, str(delivery["id"]))
    assert code == 0
    assert (out["status"], out["attempts"]) == ("pending", 0)
    code, out, _ = await _cli(db_handle, "deliveries", "--tenant", tenant.slug, "--status", "pending")
    assert [x["id"] for x in out] == [str(delivery["id"])]

    code, _, err = await _cli(db_handle, "retry", "--tenant", tenant.slug, str(delivery["id"]))
    assert code == 2
    assert err["code"] == "delivery_not_retryable"
    code, _, err = await _cli(db_handle, "deliveries", "--tenant", tenant.slug, "--status", "lost")
    assert code == 2
    assert err["code"] == "bad_request"
    code, _, err = await _cli(db_handle, "dead-letters", "--tenant", "no-such-tenant-x")
    assert code == 2
    assert err["status"] == 404
