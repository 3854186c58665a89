"""Delivery end to end against real servers: a webhook receiver that verifies signatures and fails on purpose,
an SMTP server process, the outbox in PostgreSQL, the dispatcher and the bus consumer."""

from __future__ import annotations

import asyncio
import time
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import orjson

from mip.notifications.consumer import NotificationConsumer
from mip.notifications.dispatcher import DeliveryConfig
from mip.notifications.outbox import claim_due, enqueue_for_event
from mip.platform.db import Database
from mip.runtime import Runtime
from tests.conftest import MachineFactory, TenantFactory, TenantKit, wait_for
from tests.notifications.conftest import FAST, SECRET, DispatcherFactory, ReceiverFactory, alarm_event
from tests.notifications.servers import SmtpServer

N = "/api/v1/notifications"


async def _webhook(client: httpx.AsyncClient, kit: TenantKit, url: str, **extra: Any) -> dict[str, Any]:
    body = {"name": "receiver", "url": url, "secret": SECRET, **extra}
    r = await client.post(f"{N}/webhooks", headers=kit.auth, json=body)
    assert r.status_code == 201, r.text
    return dict(r.json())


async def _enqueue(db: Database, kit: TenantKit, event: dict[str, Any], **kw: Any) -> list[dict[str, Any]]:
    async with db.tenant_tx(kit.id) as conn:
        return await enqueue_for_event(conn, kit.id, event, **kw)


async def _delivery(client: httpx.AsyncClient, kit: TenantKit, delivery_id: Any) -> dict[str, Any]:
    r = await client.get(f"{N}/deliveries/{delivery_id}", headers=kit.auth)
    assert r.status_code == 200, r.text
    return dict(r.json())


async def _settled(client: httpx.AsyncClient, kit: TenantKit, delivery_id: Any, status: str) -> dict[str, Any]:
    async def check() -> dict[str, Any] | None:
        d = await _delivery(client, kit, delivery_id)
        return d if d["status"] == status else None

    result: dict[str, Any] = await wait_for(check, timeout=20)
    return result


async def test_given_flaky_receiver_then_signed_webhook_retried_until_delivered_with_one_delivery_id(
    client: httpx.AsyncClient,
    tenant: TenantKit,
    make_machine: MachineFactory,
    db: Database,
    receiver: ReceiverFactory,
    dispatcher: DispatcherFactory,
) -> None:
    m = await make_machine(tenant.id)
    rx = await receiver(fail_first=2)
    await _webhook(client, tenant, rx.url)
    event = alarm_event(tenant.id, m.machine_id, severity="critical")
    [delivery] = await _enqueue(db, tenant, event)
    assert (delivery["channel"], delivery["status"], delivery["target"]) == ("webhook", "pending", rx.url)
    await dispatcher(tenant.id)
    done = await _settled(client, tenant, delivery["id"], "delivered")
    assert done["attempts"] == 3
    assert done["last_status_code"] == 200
    assert done["last_error"] is None
    assert [r.status for r in rx.received] == [500, 500, 200]
    assert all(r.signature_ok for r in rx.received), "every attempt carries a valid, fresh HMAC signature"
    assert rx.deliveries() == {str(delivery["id"])}  # the receiver can deduplicate retries on X-MIP-Delivery
    last = rx.received[-1]
    assert last.headers["x-mip-event"] == "alert.opened"
    assert last.headers["content-type"] == "application/json"
    sent = last.json()
    assert sent["delivery_id"] == str(delivery["id"])
    assert sent["type"] == "alert.opened"
    assert sent["tenant_id"] == str(tenant.id)
    assert sent["alert"]["id"] == event["alert"]["id"]
    assert sent["context"]["site_id"] == str(m.site_id)
    assert sent["context"]["machine"] == "plant/area1/line1/m1"


async def test_given_receiver_always_failing_then_dead_letter_visible_and_retry_delivers(
    client: httpx.AsyncClient,
    tenant: TenantKit,
    make_machine: MachineFactory,
    db: Database,
    receiver: ReceiverFactory,
    dispatcher: DispatcherFactory,
) -> None:
    m = await make_machine(tenant.id)
    rx = await receiver(always_fail=True)
    hook = await _webhook(client, tenant, rx.url)
    [delivery] = await _enqueue(db, tenant, alarm_event(tenant.id, m.machine_id))
    await dispatcher(tenant.id)
    dead = await _settled(client, tenant, delivery["id"], "dead")
    assert dead["attempts"] == FAST.max_attempts
    assert dead["last_status_code"] == 500
    assert dead["last_error"] == "HTTP 500: receiver says no"
    assert dead["dead_at"] is not None
    assert len(rx.received) == FAST.max_attempts
    letters = (await client.get(f"{N}/dead-letters", headers=tenant.auth)).json()["items"]
    assert [d["id"] for d in letters] == [str(delivery["id"])]
    by_endpoint = await client.get(f"{N}/deliveries", headers=tenant.auth, params={"endpoint_id": hook["id"]})
    assert [d["status"] for d in by_endpoint.json()["items"]] == ["dead"]

    rx.always_fail = False  # the receiver is repaired; an admin retries the dead letter
    r = await client.post(f"{N}/deliveries/{delivery['id']}/retry", headers=tenant.auth)
    assert r.status_code == 200, r.text
    assert (r.json()["status"], r.json()["attempts"]) == ("pending", 0)
    done = await _settled(client, tenant, delivery["id"], "delivered")
    assert done["attempts"] == 1
    assert rx.received[-1].status == 200
    assert (await client.get(f"{N}/dead-letters", headers=tenant.auth)).json()["items"] == []
    again = await client.post(f"{N}/deliveries/{delivery['id']}/retry", headers=tenant.auth)
    assert again.status_code == 409
    assert again.json()["code"] == "delivery_not_retryable"


async def test_given_receiver_too_slow_then_timeout_recorded_and_dead_lettered(
    client: httpx.AsyncClient,
    tenant: TenantKit,
    make_machine: MachineFactory,
    db: Database,
    receiver: ReceiverFactory,
    dispatcher: DispatcherFactory,
) -> None:
    m = await make_machine(tenant.id)
    rx = await receiver(delay_s=2.0)
    await _webhook(client, tenant, rx.url)
    [delivery] = await _enqueue(db, tenant, alarm_event(tenant.id, m.machine_id))
    started = time.monotonic()
    await dispatcher(tenant.id, config=DeliveryConfig(max_attempts=1, webhook_timeout_s=0.3, poll_interval_s=0.05))
    dead = await _settled(client, tenant, delivery["id"], "dead")
    assert dead["last_error"] == "timeout after 0.3 s"
    assert dead["last_status_code"] is None
    assert time.monotonic() - started < 1.9  # gave up after the timeout, not after the receiver's answer


async def test_given_admin_when_testing_endpoint_then_signed_test_event_arrives(
    client: httpx.AsyncClient, tenant: TenantKit, receiver: ReceiverFactory, dispatcher: DispatcherFactory
) -> None:
    rx = await receiver()
    hook = await _webhook(client, tenant, rx.url, event_kinds=["cleared"])
    r = await client.post(f"{N}/webhooks/{hook['id']}/test", headers=tenant.auth)
    assert r.status_code == 202, r.text
    await dispatcher(tenant.id)
    await _settled(client, tenant, r.json()["id"], "delivered")
    [got] = rx.received
    assert got.signature_ok
    assert got.headers["x-mip-event"] == "notification.test"
    assert got.json()["type"] == "notification.test"


async def test_given_endpoint_disabled_then_pending_deliveries_cancelled_and_none_added(
    client: httpx.AsyncClient, tenant: TenantKit, make_machine: MachineFactory, db: Database
) -> None:
    m = await make_machine(tenant.id)
    hook = await _webhook(client, tenant, "http://127.0.0.1:9/never")
    [delivery] = await _enqueue(db, tenant, alarm_event(tenant.id, m.machine_id))
    r = await client.patch(f"{N}/webhooks/{hook['id']}", headers=tenant.auth, json={"enabled": False})
    assert r.json()["enabled"] is False
    cancelled = await _delivery(client, tenant, delivery["id"])
    assert (cancelled["status"], cancelled["last_error"]) == ("cancelled", "endpoint disabled")
    assert await _enqueue(db, tenant, alarm_event(tenant.id, m.machine_id)) == []
    retry = await client.post(f"{N}/deliveries/{delivery['id']}/retry", headers=tenant.auth)
    assert retry.status_code == 409
    test = await client.post(f"{N}/webhooks/{hook['id']}/test", headers=tenant.auth)
    assert test.status_code == 409
    assert test.json()["code"] == "webhook_disabled"


async def test_given_subscriptions_with_filters_then_only_matching_users_notified(
    client: httpx.AsyncClient, make_tenant: TenantFactory, make_machine: MachineFactory, db: Database
) -> None:
    kit = await make_tenant(roles=("production", "viewer", "quality"))
    m1 = await make_machine(kit.id, site="s1")
    m2 = await make_machine(kit.id, site="s2")
    async with db.tenant_tx(kit.id) as conn:
        cur = await conn.execute("select id from assets where path = 's2/area1/line1'")
        line2 = str((await cur.fetchone())["id"])  # type: ignore[index]
    subs = {
        "production": {"site_ids": [str(m1.site_id)], "min_severity": "major"},
        "viewer": {"line_ids": [line2], "min_severity": "critical"},
        "quality": {"safety_only": True, "event_kinds": ["opened", "updated"]},
    }
    for role, body in subs.items():
        r = await client.post(f"{N}/subscriptions", headers=kit.as_role(role), json=body)
        assert r.status_code == 201, r.text

    async def who(event: dict[str, Any]) -> set[str]:
        rows = await _enqueue(db, kit, event)
        assert {r["channel"] for r in rows} <= {"email"}
        return {r["target"].split("@")[0] for r in rows}

    e = alarm_event
    assert await who(e(kit.id, m1.machine_id, severity="major")) == {"production"}
    assert await who(e(kit.id, m1.machine_id, severity="minor")) == set()
    assert await who(e(kit.id, m2.machine_id, severity="major")) == set()
    assert await who(e(kit.id, m2.machine_id, severity="critical")) == {"viewer"}
    assert await who(e(kit.id, m2.machine_id, severity="major", safety=True)) == {"viewer", "quality"}
    assert await who(e(kit.id, m1.machine_id, severity="critical", kind="alert.updated")) == set()
    assert await who(e(kit.id, m1.machine_id, severity="critical", safety=True, kind="alert.updated")) == {"quality"}
    assert await who(e(kit.id, m1.machine_id, severity="critical", kind="alert.acknowledged")) == set()
    # a disabled subscription is silent
    mine = (await client.get(f"{N}/subscriptions", headers=kit.as_role("production"))).json()["items"][0]
    await client.patch(f"{N}/subscriptions/{mine['id']}", headers=kit.as_role("production"), json={"enabled": False})
    assert await who(e(kit.id, m1.machine_id, severity="major")) == set()


async def test_given_quiet_hours_then_minor_alarm_suppressed_but_safety_alarm_emailed(
    client: httpx.AsyncClient,
    make_tenant: TenantFactory,
    make_machine: MachineFactory,
    db: Database,
    smtp: SmtpServer,
    dispatcher: DispatcherFactory,
) -> None:
    kit = await make_tenant(roles=("maintenance",))
    tech = kit.as_role("maintenance")
    address = f"maintenance@{kit.slug}.test"
    m = await make_machine(kit.id)
    assert (await client.post(f"{N}/subscriptions", headers=tech, json={})).status_code == 201
    now = datetime.now(UTC)
    quiet = {"start": (now - timedelta(hours=1)).strftime("%H:%M"), "end": (now + timedelta(hours=1)).strftime("%H:%M")}
    r = await client.put(f"{N}/quiet-hours", headers=tech, json={**quiet, "timezone": "UTC"})
    assert r.json()["active_now"] is True

    minor = alarm_event(kit.id, m.machine_id, severity="minor", message="m1/vibration above limit 4: 5.2")
    [suppressed] = await _enqueue(db, kit, minor)
    assert (suppressed["status"], suppressed["last_error"]) == ("suppressed", "suppressed by quiet hours")
    safety = alarm_event(
        kit.id, m.machine_id, severity="critical", safety=True, message="plant/area1/line1/m1/temp above limit 80: 97"
    )
    [loud] = await _enqueue(db, kit, safety)
    assert (loud["status"], loud["target"]) == ("pending", address)

    await dispatcher(kit.id, smtp=smtp)
    await _settled(client, kit, loud["id"], "delivered")
    [msg] = smtp.messages()
    assert msg["To"] == address
    assert msg["From"] == "alarms@mip.test"
    assert msg["Subject"] == "[MIP] SAFETY CRITICAL alarm opened: plant/area1/line1/m1/temp above limit 80: 97"
    assert msg["X-MIP-Delivery"] == str(loud["id"])
    body = msg.get_content()
    assert "Machine:   plant/area1/line1/m1" in body
    assert "Site:      plant" in body
    assert f"Alert id:  {safety['alert']['id']}" in body
    # nothing else arrives: the minor alarm stays suppressed
    await asyncio.sleep(0.3)
    assert len(smtp.messages()) == 1
    assert (await _delivery(client, kit, suppressed["id"]))["status"] == "suppressed"


async def test_given_smtp_down_then_email_retried_and_dead_lettered_with_error(
    client: httpx.AsyncClient,
    make_tenant: TenantFactory,
    make_machine: MachineFactory,
    db: Database,
    smtp: SmtpServer,
    dispatcher: DispatcherFactory,
) -> None:
    kit = await make_tenant()
    m = await make_machine(kit.id)
    assert (await client.post(f"{N}/subscriptions", headers=kit.auth, json={})).status_code == 201
    [delivery] = await _enqueue(db, kit, alarm_event(kit.id, m.machine_id))
    smtp.stop()
    await dispatcher(kit.id, smtp=smtp)
    dead = await _settled(client, kit, delivery["id"], "dead")
    assert dead["attempts"] == FAST.max_attempts
    assert dead["last_error"].startswith("SMTP: ConnectionRefusedError")


async def test_given_redelivered_event_then_one_delivery_per_target(
    client: httpx.AsyncClient, tenant: TenantKit, make_machine: MachineFactory, db: Database
) -> None:
    m = await make_machine(tenant.id)
    await _webhook(client, tenant, "http://127.0.0.1:9/a")
    await _webhook(client, tenant, "http://127.0.0.1:9/b")
    assert (await client.post(f"{N}/subscriptions", headers=tenant.auth, json={})).status_code == 201
    event = alarm_event(tenant.id, m.machine_id)
    first = await _enqueue(db, tenant, event)
    assert sorted(d["channel"] for d in first) == ["email", "webhook", "webhook"]
    assert await _enqueue(db, tenant, orjson.loads(orjson.dumps(event))) == []
    # a later change of the same alarm is a new event
    newer = {**event, "alert": {**event["alert"], "updated_at": "2099-01-01T00:00:00+00:00"}}
    assert len(await _enqueue(db, tenant, newer)) == 3
    items = (
        await client.get(f"{N}/deliveries", headers=tenant.auth, params={"alert_id": event["alert"]["id"]})
    ).json()["items"]
    assert len(items) == 6


async def test_given_event_published_twice_on_bus_then_consumer_enqueues_once(
    runtime: Runtime, client: httpx.AsyncClient, tenant: TenantKit, make_machine: MachineFactory
) -> None:
    m = await make_machine(tenant.id)
    await _webhook(client, tenant, "http://127.0.0.1:9/x")
    consumer = NotificationConsumer(runtime.db, runtime.bus, group="notify-dup-test")
    event = alarm_event(tenant.id, m.machine_id)
    payload = orjson.dumps(event)
    assert await consumer.handle([payload, b"not json", payload]) == 1
    assert await consumer.handle([payload]) == 0  # redelivery after a crash before the offset commit
    items = (await client.get(f"{N}/deliveries", headers=tenant.auth)).json()["items"]
    assert len(items) == 1
    foreign = {**event, "tenant_id": "0190a0c0-0000-7000-8000-000000000001"}
    assert await consumer.handle([orjson.dumps(foreign)]) == 0  # another tenant's context sees nothing of ours


async def test_given_breaching_reading_then_bus_event_becomes_an_email(
    client: httpx.AsyncClient,
    make_tenant: TenantFactory,
    make_machine: MachineFactory,
    notify_consumer: NotificationConsumer,
    smtp: SmtpServer,
    dispatcher: DispatcherFactory,
) -> None:
    kit = await make_tenant(roles=("production",))
    m = await make_machine(kit.id)
    r = await client.post(f"{N}/subscriptions", headers=kit.as_role("production"), json={"min_severity": "critical"})
    assert r.status_code == 201
    await dispatcher(kit.id, smtp=smtp)
    reading = [{"sensor": m.paths["temp"], "ts": time.time_ns(), "value": 99.5}]
    assert (await client.post("/api/v1/ingest/readings", headers=kit.device, json=reading)).status_code == 202

    async def arrived() -> list[Any]:
        return smtp.messages(to=f"production@{kit.slug}.test")

    [msg] = await wait_for(arrived, timeout=20)
    assert msg["Subject"].startswith("[MIP] SAFETY CRITICAL alarm opened: plant/area1/line1/m1/temp above limit 80")
    alert = (await client.get("/api/v1/alerts", headers=kit.auth)).json()["items"][0]
    assert f"Alert id:  {alert['id']}" in msg.get_content()


async def test_given_two_dispatchers_then_each_delivery_sent_once(
    client: httpx.AsyncClient,
    tenant: TenantKit,
    make_machine: MachineFactory,
    db: Database,
    receiver: ReceiverFactory,
    dispatcher: DispatcherFactory,
) -> None:
    m = await make_machine(tenant.id)
    rx = await receiver(delay_s=0.05)
    await _webhook(client, tenant, rx.url)
    ids = []
    for _ in range(24):
        [d] = await _enqueue(db, tenant, alarm_event(tenant.id, m.machine_id))
        ids.append(str(d["id"]))
    cfg = DeliveryConfig(concurrency=4, claim_batch=3, poll_interval_s=0.02, webhook_timeout_s=5)
    await dispatcher(tenant.id, config=cfg)
    await dispatcher(tenant.id, config=cfg)

    async def all_delivered() -> bool:
        items = (await client.get(f"{N}/deliveries", headers=tenant.auth, params={"status": "delivered"})).json()
        return len(items["items"]) == 24

    await wait_for(all_delivered, timeout=20)
    assert len(rx.received) == 24
    assert rx.deliveries() == set(ids)


async def test_given_no_tenant_context_then_due_function_gives_counts_and_table_gives_nothing(
    db: Database, make_tenant: TenantFactory, make_machine: MachineFactory
) -> None:
    kit = await make_tenant()
    m = await make_machine(kit.id)
    async with db.tenant_tx(kit.id) as conn:
        await conn.execute(
            "insert into webhook_endpoints (id, tenant_id, name, url, secret) "
            "values (gen_random_uuid(), %s, 'x', 'http://127.0.0.1:9/', 'whsec_xxxxxxxxxxxxxxxx')",
            [kit.id],
        )
        await enqueue_for_event(conn, kit.id, alarm_event(kit.id, m.machine_id))
        await enqueue_for_event(conn, kit.id, alarm_event(kit.id, m.machine_id))
    async with db.system_tx() as conn:
        cur = await conn.execute("select * from mip_notify_due_tenants()")
        rows = {r["tenant_id"]: r for r in await cur.fetchall()}
        assert set(rows[kit.id]) == {"tenant_id", "due"}  # counts only, never a row
        assert rows[kit.id]["due"] == 2
        cur = await conn.execute("select count(*) as n from notification_deliveries")
        assert (await cur.fetchone())["n"] == 0  # type: ignore[index]


async def test_given_sender_died_after_claiming_then_delivery_resent_after_its_lease(
    client: httpx.AsyncClient,
    tenant: TenantKit,
    make_machine: MachineFactory,
    db: Database,
    receiver: ReceiverFactory,
    dispatcher: DispatcherFactory,
) -> None:
    m = await make_machine(tenant.id)
    rx = await receiver()
    await _webhook(client, tenant, rx.url)
    [delivery] = await _enqueue(db, tenant, alarm_event(tenant.id, m.machine_id))
    async with db.tenant_tx(tenant.id) as conn:  # a dispatcher claims it, then its process dies
        [claimed] = await claim_due(conn, 10, lease_s=0.5)
    assert (claimed.id, claimed.attempt) == (delivery["id"], 1)
    await dispatcher(tenant.id)
    await asyncio.sleep(0.2)
    assert rx.received == []  # leased: nobody else takes it
    done = await _settled(client, tenant, delivery["id"], "delivered")
    assert done["attempts"] == 2
    assert rx.deliveries() == {str(delivery["id"])}
