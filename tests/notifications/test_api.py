"""Subscriptions, quiet hours and webhook endpoints over HTTP: CRUD, ownership, permissions, 422 problems."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest

from mip.platform.db import Database
from tests.conftest import MachineFactory, TenantFactory, TenantKit

N = "/api/v1/notifications"
PROBLEM = "application/problem+json"


async def _line_id(db: Database, tenant_id: Any, path: str) -> str:
    async with db.tenant_tx(tenant_id) as conn:
        cur = await conn.execute("select id from assets where path = %s", [path])
        row = await cur.fetchone()
    assert row is not None
    return str(row["id"])


async def test_given_user_when_managing_own_subscriptions_then_crud_and_others_hidden(
    client: httpx.AsyncClient, make_tenant: TenantFactory, make_machine: MachineFactory, db: Database
) -> None:
    kit = await make_tenant(roles=("production", "viewer"))
    m = await make_machine(kit.id, site="s1")
    line = await _line_id(db, kit.id, "s1/area1/line1")
    prod, viewer = kit.as_role("production"), kit.as_role("viewer")
    body = {"name": "line 1", "site_ids": [str(m.site_id)], "line_ids": [line], "min_severity": "major"}
    r = await client.post(f"{N}/subscriptions", headers=prod, json=body)
    assert r.status_code == 201, r.text
    sub = r.json()
    assert sub["site_ids"] == [str(m.site_id)]
    assert sub["line_ids"] == [line]
    assert sub["event_kinds"] == ["opened", "escalated", "cleared"]
    assert sub["channels"] == ["email"]
    assert sub["safety_only"] is False
    me = (await client.get("/api/v1/me", headers=prod)).json()["id"]
    assert sub["user_id"] == me

    listed = (await client.get(f"{N}/subscriptions", headers=prod)).json()["items"]
    assert [s["id"] for s in listed] == [sub["id"]]
    patched = await client.patch(
        f"{N}/subscriptions/{sub['id']}", headers=prod, json={"safety_only": True, "event_kinds": ["opened"]}
    )
    assert patched.status_code == 200, patched.text
    assert (patched.json()["safety_only"], patched.json()["event_kinds"], patched.json()["name"]) == (
        True,
        ["opened"],
        "line 1",
    )
    # another user of the same tenant neither sees nor changes it; an admin does
    assert (await client.get(f"{N}/subscriptions", headers=viewer)).json()["items"] == []
    assert (await client.get(f"{N}/subscriptions/{sub['id']}", headers=viewer)).status_code == 404
    assert (await client.delete(f"{N}/subscriptions/{sub['id']}", headers=viewer)).status_code == 404
    forbidden = await client.get(f"{N}/subscriptions", headers=viewer, params={"user_id": me})
    assert forbidden.status_code == 403
    by_admin = await client.get(f"{N}/subscriptions", headers=kit.auth, params={"user_id": me})
    assert [s["id"] for s in by_admin.json()["items"]] == [sub["id"]]
    assert (await client.get(f"{N}/subscriptions/{sub['id']}", headers=kit.auth)).status_code == 200

    assert (await client.delete(f"{N}/subscriptions/{sub['id']}", headers=prod)).status_code == 204
    assert (await client.get(f"{N}/subscriptions/{sub['id']}", headers=prod)).status_code == 404
    # a device key is not a person
    assert (await client.get(f"{N}/subscriptions", headers=kit.device)).status_code == 403


@pytest.mark.parametrize(
    ("body", "loc"),
    [
        ({"min_severity": "catastrophic"}, "body.min_severity"),
        ({"event_kinds": []}, "body.event_kinds"),
        ({"event_kinds": ["exploded"]}, "body.event_kinds.0"),
        ({"channels": ["sms"]}, "body.channels.0"),
        ({"site_ids": ["not-a-uuid"]}, "body.site_ids.0"),
        ({"surprise": 1}, "body.surprise"),
        ({"name": "x" * 201}, "body.name"),
    ],
)
async def test_given_bad_subscription_then_422_problem(
    client: httpx.AsyncClient, tenant: TenantKit, body: dict[str, Any], loc: str
) -> None:
    r = await client.post(f"{N}/subscriptions", headers=tenant.auth, json=body)
    assert r.status_code == 422
    assert r.headers["content-type"].startswith(PROBLEM)
    assert r.json()["code"] == "validation_failed"
    assert loc in {e["loc"] for e in r.json()["errors"]}


async def test_given_unknown_or_wrong_kind_asset_in_filter_then_404_or_422(
    client: httpx.AsyncClient, tenant: TenantKit, make_machine: MachineFactory
) -> None:
    m = await make_machine(tenant.id)
    wrong_kind = await client.post(f"{N}/subscriptions", headers=tenant.auth, json={"site_ids": [str(m.machine_id)]})
    assert wrong_kind.status_code == 422
    assert wrong_kind.json()["code"] == "invalid_filter"
    unknown = "0190a0c0-0000-7000-8000-000000000001"
    missing = await client.post(
        f"{N}/webhooks", headers=tenant.auth, json={"name": "x", "url": "http://h/x", "line_ids": [unknown]}
    )
    assert missing.status_code == 404
    assert missing.json()["code"] == "asset_not_found"
    assert (await client.get(f"{N}/subscriptions/not-a-uuid", headers=tenant.auth)).status_code == 422


async def test_given_quiet_hours_when_set_then_reported_active_and_removable(
    client: httpx.AsyncClient, make_tenant: TenantFactory
) -> None:
    kit = await make_tenant(roles=("viewer",))
    viewer = kit.as_role("viewer")
    absent = await client.get(f"{N}/quiet-hours", headers=viewer)
    assert absent.status_code == 404
    assert absent.json()["code"] == "quiet_hours_not_found"
    now = datetime.now(UTC)
    around_now = {
        "start": (now - timedelta(hours=1)).strftime("%H:%M"),
        "end": (now + timedelta(hours=1)).strftime("%H:%M"),
        "timezone": "UTC",
    }
    r = await client.put(f"{N}/quiet-hours", headers=viewer, json=around_now)
    assert r.status_code == 200, r.text
    assert r.json()["active_now"] is True
    assert r.json()["days"] == [1, 2, 3, 4, 5, 6, 7]
    later = {
        "start": (now + timedelta(hours=2)).strftime("%H:%M"),
        "end": (now + timedelta(hours=3)).strftime("%H:%M"),
        "timezone": "Asia/Tokyo",
        "days": [7, 1, 1],
    }
    r = await client.put(f"{N}/quiet-hours", headers=viewer, json=later)
    assert r.json()["timezone"] == "Asia/Tokyo"
    assert r.json()["days"] == [1, 7]
    got = (await client.get(f"{N}/quiet-hours", headers=viewer)).json()
    assert got["start"] == later["start"] + ":00"
    assert (await client.get(f"{N}/quiet-hours", headers=kit.auth)).status_code == 404  # the admin has none
    assert (await client.delete(f"{N}/quiet-hours", headers=viewer)).status_code == 204
    assert (await client.delete(f"{N}/quiet-hours", headers=viewer)).status_code == 404


@pytest.mark.parametrize(
    ("body", "loc"),
    [
        ({"start": "22:00", "end": "06:00", "timezone": "Mars/Olympus_Mons"}, "body.timezone"),
        ({"start": "25:00", "end": "06:00", "timezone": "UTC"}, "body.start"),
        ({"start": "22:00", "end": "06:00", "timezone": "UTC", "days": [0, 8]}, "body.days"),
        ({"start": "22:00", "end": "06:00", "timezone": "UTC", "days": []}, "body.days"),
        ({"start": "22:00+02:00", "end": "06:00", "timezone": "UTC"}, "body.start"),
        ({"end": "06:00", "timezone": "UTC"}, "body.start"),
    ],
)
async def test_given_bad_quiet_hours_then_422_problem(
    client: httpx.AsyncClient, tenant: TenantKit, body: dict[str, Any], loc: str
) -> None:
    r = await client.put(f"{N}/quiet-hours", headers=tenant.auth, json=body)
    assert r.status_code == 422, r.text
    assert r.headers["content-type"].startswith(PROBLEM)
    assert loc in {e["loc"] for e in r.json()["errors"]}


async def test_given_admin_when_managing_webhooks_then_secret_shown_once_and_rotatable(
    client: httpx.AsyncClient, make_tenant: TenantFactory
) -> None:
    kit = await make_tenant(roles=("engineer",))
    r = await client.post(f"{N}/webhooks", headers=kit.auth, json={"name": "scada", "url": "https://example.test/in"})
    assert r.status_code == 201, r.text
    hook = r.json()
    assert hook["secret"].startswith("whsec_")
    assert hook["event_kinds"] == ["opened", "escalated", "cleared"]
    got = (await client.get(f"{N}/webhooks/{hook['id']}", headers=kit.auth)).json()
    assert "secret" not in got
    assert got["url"] == "https://example.test/in"
    assert [h["id"] for h in (await client.get(f"{N}/webhooks", headers=kit.auth)).json()["items"]] == [hook["id"]]
    renamed = (await client.patch(f"{N}/webhooks/{hook['id']}", headers=kit.auth, json={"name": "mes"})).json()
    assert renamed["name"] == "mes"
    assert renamed["secret"] is None
    rotated = (await client.patch(f"{N}/webhooks/{hook['id']}", headers=kit.auth, json={"rotate_secret": True})).json()
    assert rotated["secret"].startswith("whsec_")
    assert rotated["secret"] != hook["secret"]
    given = await client.patch(f"{N}/webhooks/{hook['id']}", headers=kit.auth, json={"secret": "my-own-secret-1234567"})
    assert given.json()["secret"] == "my-own-secret-1234567"
    # engineers are not notification admins
    assert (await client.get(f"{N}/webhooks", headers=kit.as_role("engineer"))).status_code == 403
    assert (await client.get(f"{N}/dead-letters", headers=kit.as_role("engineer"))).status_code == 403
    assert (await client.delete(f"{N}/webhooks/{hook['id']}", headers=kit.auth)).status_code == 204
    assert (await client.get(f"{N}/webhooks/{hook['id']}", headers=kit.auth)).status_code == 404


@pytest.mark.parametrize(
    ("body", "loc"),
    [
        ({"name": "x", "url": "ftp://example.test/x"}, "body.url"),
        ({"name": "x", "url": "not a url"}, "body.url"),
        ({"name": "x", "url": "https://example.test", "secret": "short"}, "body.secret"),
        ({"name": "", "url": "https://example.test"}, "body.name"),
        ({"url": "https://example.test"}, "body.name"),
        ({"name": "x", "url": "https://example.test", "min_severity": 3}, "body.min_severity"),
    ],
)
async def test_given_bad_webhook_then_422_problem(
    client: httpx.AsyncClient, tenant: TenantKit, body: dict[str, Any], loc: str
) -> None:
    r = await client.post(f"{N}/webhooks", headers=tenant.auth, json=body)
    assert r.status_code == 422, r.text
    assert r.headers["content-type"].startswith(PROBLEM)
    assert loc in {e["loc"] for e in r.json()["errors"]}


async def test_given_bad_delivery_queries_then_422(client: httpx.AsyncClient, tenant: TenantKit) -> None:
    for params in ({"status": "lost"}, {"channel": "pigeon"}, {"limit": 0}, {"offset": -1}):
        r = await client.get(f"{N}/deliveries", headers=tenant.auth, params=params)
        assert r.status_code == 422, params
        assert r.headers["content-type"].startswith(PROBLEM)
    missing = await client.post(f"{N}/deliveries/0190a0c0-0000-7000-8000-000000000001/retry", headers=tenant.auth)
    assert missing.status_code == 404
    assert missing.json()["code"] == "delivery_not_found"
