"""Subscriptions, quiet hours and webhook endpoints: CRUD in the caller's tenant transaction (RLS applies)."""

from __future__ import annotations

import secrets
import uuid
from datetime import UTC, datetime
from typing import Any

from mip.notifications.errors import (
    FilterAssetNotFound,
    InvalidFilter,
    QuietHoursNotFound,
    SubscriptionNotFound,
    WebhookNotFound,
)
from mip.notifications.filters import in_quiet_hours
from mip.platform.db import Conn
from mip.platform.ids import uuid7

SUB_COLUMNS = (
    "id, tenant_id, user_id, name, site_ids, line_ids, min_severity, safety_only, event_kinds, channels, enabled, "
    "created_at, updated_at"
)
HOOK_COLUMNS = (
    "id, tenant_id, name, url, site_ids, line_ids, min_severity, safety_only, event_kinds, enabled, created_by, "
    "created_at, updated_at"
)
QUIET_COLUMNS = "user_id, start_time, end_time, timezone, days, enabled, updated_at"
SECRET_PREFIX = "whsec_"  # noqa: S105 - a prefix, not a secret


def new_secret() -> str:
    return SECRET_PREFIX + secrets.token_urlsafe(32)


async def check_filter_assets(conn: Conn, site_ids: list[uuid.UUID] | None, line_ids: list[uuid.UUID] | None) -> None:
    """Every id must be an asset of the caller's tenant (else 404, like any other object of another tenant) and of
    the right kind (else 422)."""
    for kind, ids in (("site", site_ids), ("line", line_ids)):
        if not ids:
            continue
        cur = await conn.execute("select id, kind from assets where id = any(%s)", [ids])
        found = {r["id"]: r["kind"] for r in await cur.fetchall()}
        missing = [str(i) for i in ids if i not in found]
        if missing:
            raise FilterAssetNotFound(f"{kind} not found: {', '.join(missing)}", missing=missing)
        wrong = [str(i) for i in ids if found[i] != kind]
        if wrong:
            raise InvalidFilter(f"not a {kind}: {', '.join(wrong)}", field=f"{kind}_ids", invalid=wrong)


def _sets(fields: dict[str, Any]) -> tuple[str, list[Any]]:
    cols = [f"{k} = %s" for k in fields]
    return ", ".join([*cols, "updated_at = now()"]), list(fields.values())


# --- subscriptions ---------------------------------------------------------------------------------------------


async def create_subscription(
    conn: Conn, tenant_id: uuid.UUID, user_id: uuid.UUID, data: dict[str, Any]
) -> dict[str, Any]:
    await check_filter_assets(conn, data["site_ids"], data["line_ids"])
    cur = await conn.execute(
        f"insert into notification_subscriptions (id, tenant_id, user_id, name, site_ids, line_ids, min_severity, "
        f"safety_only, event_kinds, channels, enabled) values (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s) "
        f"returning {SUB_COLUMNS}",
        [
            uuid7(),
            tenant_id,
            user_id,
            data["name"],
            data["site_ids"],
            data["line_ids"],
            data["min_severity"],
            data["safety_only"],
            data["event_kinds"],
            data["channels"],
            data["enabled"],
        ],
    )
    row = await cur.fetchone()
    assert row is not None
    return dict(row)


async def list_subscriptions(conn: Conn, user_id: uuid.UUID | None) -> list[dict[str, Any]]:
    """A user's subscriptions, or (``user_id`` None, for admins) every subscription of the tenant."""
    where, args = ("where user_id = %s", [user_id]) if user_id is not None else ("", [])
    cur = await conn.execute(
        f"select {SUB_COLUMNS} from notification_subscriptions {where} order by created_at, id", args
    )
    return [dict(r) for r in await cur.fetchall()]


async def get_subscription(conn: Conn, sub_id: uuid.UUID, owner: uuid.UUID | None) -> dict[str, Any]:
    """``owner`` None: any subscription of the tenant (admins); else only that user's."""
    cur = await conn.execute(f"select {SUB_COLUMNS} from notification_subscriptions where id = %s", [sub_id])
    row = await cur.fetchone()
    if row is None or (owner is not None and row["user_id"] != owner):
        raise SubscriptionNotFound(f"subscription {sub_id} not found")
    return dict(row)


async def update_subscription(
    conn: Conn, sub_id: uuid.UUID, owner: uuid.UUID | None, changes: dict[str, Any]
) -> dict[str, Any]:
    current = await get_subscription(conn, sub_id, owner)
    changes = {k: v for k, v in changes.items() if v is not None}  # null means "unchanged"
    if not changes:
        return current
    await check_filter_assets(conn, changes.get("site_ids"), changes.get("line_ids"))
    sets, args = _sets(changes)
    cur = await conn.execute(
        f"update notification_subscriptions set {sets} where id = %s returning {SUB_COLUMNS}", [*args, sub_id]
    )
    row = await cur.fetchone()
    assert row is not None
    return dict(row)


async def delete_subscription(conn: Conn, sub_id: uuid.UUID, owner: uuid.UUID | None) -> None:
    await get_subscription(conn, sub_id, owner)
    await conn.execute("delete from notification_subscriptions where id = %s", [sub_id])


# --- quiet hours -----------------------------------------------------------------------------------------------


def quiet_json(row: dict[str, Any], now: datetime | None = None) -> dict[str, Any]:
    now = now or datetime.now(UTC)
    active = in_quiet_hours(
        now,
        start=row["start_time"],
        end=row["end_time"],
        timezone=row["timezone"],
        days=row["days"],
        enabled=row["enabled"],
    )
    return {
        "user_id": row["user_id"],
        "start": row["start_time"],
        "end": row["end_time"],
        "timezone": row["timezone"],
        "days": list(row["days"]),
        "enabled": row["enabled"],
        "active_now": active,
        "updated_at": row["updated_at"],
    }


async def get_quiet_hours(conn: Conn, user_id: uuid.UUID) -> dict[str, Any]:
    cur = await conn.execute(f"select {QUIET_COLUMNS} from notification_quiet_hours where user_id = %s", [user_id])
    row = await cur.fetchone()
    if row is None:
        raise QuietHoursNotFound("no quiet hours set")
    return dict(row)


async def put_quiet_hours(conn: Conn, tenant_id: uuid.UUID, user_id: uuid.UUID, data: dict[str, Any]) -> dict[str, Any]:
    cur = await conn.execute(
        "insert into notification_quiet_hours (id, tenant_id, user_id, start_time, end_time, timezone, days, enabled) "
        "values (%s, %s, %s, %s, %s, %s, %s, %s) on conflict (user_id) do update set start_time = excluded.start_time, "
        "end_time = excluded.end_time, timezone = excluded.timezone, days = excluded.days, enabled = excluded.enabled, "
        f"updated_at = now() returning {QUIET_COLUMNS}",
        [uuid7(), tenant_id, user_id, data["start"], data["end"], data["timezone"], data["days"], data["enabled"]],
    )
    row = await cur.fetchone()
    assert row is not None
    return dict(row)


async def delete_quiet_hours(conn: Conn, user_id: uuid.UUID) -> None:
    cur = await conn.execute("delete from notification_quiet_hours where user_id = %s", [user_id])
    if cur.rowcount == 0:
        raise QuietHoursNotFound("no quiet hours set")


# --- webhook endpoints -----------------------------------------------------------------------------------------


async def create_webhook(
    conn: Conn, tenant_id: uuid.UUID, created_by: uuid.UUID | None, data: dict[str, Any]
) -> dict[str, Any]:
    """Returns the endpoint with its ``secret`` (given, or generated); the only time the secret is returned."""
    await check_filter_assets(conn, data["site_ids"], data["line_ids"])
    secret = data.get("secret") or new_secret()
    cur = await conn.execute(
        f"insert into webhook_endpoints (id, tenant_id, name, url, secret, site_ids, line_ids, min_severity, "
        f"safety_only, event_kinds, enabled, created_by) values (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s) "
        f"returning {HOOK_COLUMNS}",
        [
            uuid7(),
            tenant_id,
            data["name"],
            str(data["url"]),
            secret,
            data["site_ids"],
            data["line_ids"],
            data["min_severity"],
            data["safety_only"],
            data["event_kinds"],
            data["enabled"],
            created_by,
        ],
    )
    row = await cur.fetchone()
    assert row is not None
    return {**row, "secret": secret}


async def list_webhooks(conn: Conn) -> list[dict[str, Any]]:
    cur = await conn.execute(f"select {HOOK_COLUMNS} from webhook_endpoints order by created_at, id")
    return [dict(r) for r in await cur.fetchall()]


async def get_webhook(conn: Conn, endpoint_id: uuid.UUID, *, with_secret: bool = False) -> dict[str, Any]:
    cols = HOOK_COLUMNS + (", secret" if with_secret else "")
    cur = await conn.execute(f"select {cols} from webhook_endpoints where id = %s", [endpoint_id])
    row = await cur.fetchone()
    if row is None:
        raise WebhookNotFound(f"webhook endpoint {endpoint_id} not found")
    return dict(row)


async def update_webhook(conn: Conn, endpoint_id: uuid.UUID, changes: dict[str, Any]) -> dict[str, Any]:
    """Returns the endpoint, with ``secret`` only when it changed (given or rotated)."""
    current = await get_webhook(conn, endpoint_id)
    rotate = changes.pop("rotate_secret", False)
    if rotate and not changes.get("secret"):
        changes["secret"] = new_secret()
    if changes.get("secret") is None:
        changes.pop("secret", None)
    if "url" in changes and changes["url"] is not None:
        changes["url"] = str(changes["url"])
    changes = {k: v for k, v in changes.items() if v is not None}
    if not changes:
        return current
    await check_filter_assets(conn, changes.get("site_ids"), changes.get("line_ids"))
    sets, args = _sets(changes)
    cur = await conn.execute(
        f"update webhook_endpoints set {sets} where id = %s returning {HOOK_COLUMNS}", [*args, endpoint_id]
    )
    row = await cur.fetchone()
    assert row is not None
    out = dict(row)
    if "secret" in changes:
        out["secret"] = changes["secret"]
    if changes.get("enabled") is False:
        await cancel_pending(conn, endpoint_id, "endpoint disabled")
    return out


async def delete_webhook(conn: Conn, endpoint_id: uuid.UUID) -> None:
    await get_webhook(conn, endpoint_id)
    await cancel_pending(conn, endpoint_id, "endpoint deleted")
    await conn.execute("delete from webhook_endpoints where id = %s", [endpoint_id])


async def cancel_pending(conn: Conn, endpoint_id: uuid.UUID, reason: str) -> None:
    await conn.execute(
        "update notification_deliveries set status = 'cancelled', last_error = %s, updated_at = now() "
        "where endpoint_id = %s and status = 'pending'",
        [reason, endpoint_id],
    )
