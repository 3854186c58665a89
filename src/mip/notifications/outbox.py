"""The durable outbox: resolve an alarm event to deliveries (idempotently), claim due ones, record results.

``enqueue_for_event`` runs in the event's tenant transaction. One delivery per (event, target): the unique key
``(tenant_id, event_key, target_key)`` makes a redelivered bus event a no-op. The event key is the event's
``event_id`` when it has one, else ``<alert id>:<type>:<alert version>`` (``version``, else ``updated_at``): the
same alarm change published twice is one event; a later change of the same alarm is a new one.
"""

from __future__ import annotations

import logging
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from psycopg.types.json import Jsonb

from mip.notifications.errors import DeliveryNotFound, EndpointDisabled, NotRetryable
from mip.notifications.filters import EventFacts, event_kind, in_quiet_hours, matches
from mip.platform.db import Conn, Database
from mip.platform.ids import uuid7

log = logging.getLogger(__name__)

DELIVERY_COLUMNS = (
    "id, tenant_id, event_key, event_type, alert_id, channel, endpoint_id, user_id, subscription_id, target, status, "
    "attempts, next_attempt_at, last_error, last_status_code, delivered_at, dead_at, created_at, updated_at"
)
TEST_EVENT = "notification.test"

_ANCESTORS = """
with recursive up(id, parent_id, kind, name, path, depth) as (
    select id, parent_id, kind, name, path, 0 from assets where id = %s
  union all
    select a.id, a.parent_id, a.kind, a.name, a.path, up.depth + 1 from assets a join up on a.id = up.parent_id
    where up.depth < 16
)
select id, kind, name, path from up
"""

_WANTED = """
select exists(select 1 from notification_subscriptions where enabled and %(k)s = any(event_kinds)) as subs,
       exists(select 1 from webhook_endpoints where enabled and %(k)s = any(event_kinds)) as hooks
"""

_SUBSCRIBERS = """
select s.id, s.user_id, s.name, s.site_ids, s.line_ids, s.min_severity, s.safety_only, s.event_kinds, s.channels,
       u.email, q.start_time, q.end_time, q.timezone, q.days, q.enabled as quiet_enabled
from notification_subscriptions s
join users u on u.id = s.user_id and u.active
left join notification_quiet_hours q on q.user_id = s.user_id
where s.enabled and %(k)s = any(s.event_kinds)
order by s.created_at, s.id
"""

_ENDPOINTS = """
select id, url, site_ids, line_ids, min_severity, safety_only, event_kinds from webhook_endpoints
where enabled and %(k)s = any(event_kinds) order by created_at, id
"""

_INSERT = f"""
insert into notification_deliveries (id, tenant_id, event_key, event_type, alert_id, channel, endpoint_id, user_id,
    subscription_id, target_key, target, payload, status, last_error)
values (%(id)s, %(tenant)s, %(key)s, %(type)s, %(alert)s, %(channel)s, %(endpoint)s, %(user)s, %(sub)s,
    %(target_key)s, %(target)s, %(payload)s, %(status)s, %(error)s)
on conflict (tenant_id, event_key, target_key) do nothing
returning {DELIVERY_COLUMNS}
"""


def event_key(event: dict[str, Any]) -> str:
    if event.get("event_id"):
        return str(event["event_id"])
    alert = event["alert"]
    version = alert.get("version") or alert.get("updated_at") or f"{alert.get('last_ts')}/{alert.get('count')}"
    return f"{alert['id']}:{event['type']}:{version}"


def _uuid(value: Any) -> uuid.UUID | None:
    try:
        return uuid.UUID(str(value))
    except (TypeError, ValueError):
        return None


async def alarm_context(conn: Conn, machine_id: uuid.UUID | None) -> dict[str, Any]:
    """The machine's site and line (its ancestors) with names, for filters and message text."""
    ctx: dict[str, Any] = {"site_id": None, "site": None, "line_id": None, "line": None, "machine": None}
    if machine_id is None:
        return ctx
    cur = await conn.execute(_ANCESTORS, [machine_id])
    for row in await cur.fetchall():
        if row["kind"] in ("site", "line"):
            ctx[f"{row['kind']}_id"] = str(row["id"])
            ctx[row["kind"]] = row["name"]
        elif row["kind"] == "machine":
            ctx["machine"] = row["path"]
    return ctx


async def _insert(conn: Conn, **values: Any) -> dict[str, Any] | None:
    cur = await conn.execute(_INSERT, {"id": uuid7(), "error": None, "status": "pending", **values})
    row = await cur.fetchone()
    return dict(row) if row is not None else None


async def enqueue_for_event(
    conn: Conn, tenant_id: uuid.UUID, event: dict[str, Any], *, now: datetime | None = None
) -> list[dict[str, Any]]:
    """Insert the deliveries an alarm event asks for; returns the new ones (none when it was seen before).

    Matching subscriptions give one e-mail per user (the first matching subscription wins); a user in quiet hours
    gets a ``suppressed`` delivery instead, unless the alarm is a safety alarm. Matching enabled webhook
    endpoints get one delivery each. Must run in ``tenant_id``'s transaction.
    """
    etype = str(event.get("type", ""))
    alert = event.get("alert")
    if not etype.startswith("alert.") or not isinstance(alert, dict) or _uuid(alert.get("id")) is None:
        return []
    if str(event.get("tenant_id", tenant_id)) != str(tenant_id):
        log.error("notification event of tenant %s offered to tenant %s: ignored", event.get("tenant_id"), tenant_id)
        return []
    kind = event_kind(etype)
    cur = await conn.execute(_WANTED, {"k": kind})
    wanted = await cur.fetchone()
    if wanted is None or not (wanted["subs"] or wanted["hooks"]):
        return []
    context = await alarm_context(conn, _uuid(alert.get("machine_id")))
    facts = EventFacts(
        kind=kind,
        severity=str(alert.get("severity", "")),
        safety=bool(alert.get("safety")),
        site_id=_uuid(context["site_id"]),
        line_id=_uuid(context["line_id"]),
    )
    now = now or datetime.now(UTC)
    common = {
        "tenant": tenant_id,
        "key": event_key(event),
        "type": etype,
        "alert": _uuid(alert["id"]),
        "payload": Jsonb({"type": etype, "tenant_id": str(tenant_id), "alert": alert, "context": context}),
    }
    out: list[dict[str, Any]] = []
    if wanted["subs"]:
        cur = await conn.execute(_SUBSCRIBERS, {"k": kind})
        seen: set[uuid.UUID] = set()
        for sub in await cur.fetchall():
            if sub["user_id"] in seen or "email" not in sub["channels"] or not matches(sub, facts):
                continue
            seen.add(sub["user_id"])
            quiet = (
                sub["start_time"] is not None
                and not facts.safety
                and in_quiet_hours(
                    now,
                    start=sub["start_time"],
                    end=sub["end_time"],
                    timezone=sub["timezone"],
                    days=sub["days"],
                    enabled=sub["quiet_enabled"],
                )
            )
            row = await _insert(
                conn,
                **common,
                channel="email",
                endpoint=None,
                user=sub["user_id"],
                sub=sub["id"],
                target_key=f"user:{sub['user_id']}:email",
                target=sub["email"],
                status="suppressed" if quiet else "pending",
                error="suppressed by quiet hours" if quiet else None,
            )
            if row is not None:
                out.append(row)
    if wanted["hooks"]:
        cur = await conn.execute(_ENDPOINTS, {"k": kind})
        for hook in await cur.fetchall():
            if not matches(hook, facts):
                continue
            row = await _insert(
                conn,
                **common,
                channel="webhook",
                endpoint=hook["id"],
                user=None,
                sub=None,
                target_key=f"endpoint:{hook['id']}",
                target=hook["url"],
            )
            if row is not None:
                out.append(row)
    return out


async def enqueue_test(conn: Conn, tenant_id: uuid.UUID, endpoint: dict[str, Any]) -> dict[str, Any]:
    """A ``notification.test`` delivery to one endpoint (whatever its filters), sent by the dispatcher."""
    if not endpoint["enabled"]:
        raise EndpointDisabled(f"webhook endpoint {endpoint['id']} is disabled; enable it first")
    delivery_id = uuid7()
    payload = {"type": TEST_EVENT, "tenant_id": str(tenant_id), "message": "MIP webhook test", "alert": None}
    row = await _insert(
        conn,
        id=delivery_id,
        tenant=tenant_id,
        key=f"test:{delivery_id}",
        type=TEST_EVENT,
        alert=None,
        payload=Jsonb(payload),
        channel="webhook",
        endpoint=endpoint["id"],
        user=None,
        sub=None,
        target_key=f"endpoint:{endpoint['id']}",
        target=endpoint["url"],
    )
    assert row is not None
    return row


# --- the dispatcher's side ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Claimed:
    """A delivery taken for one attempt (``attempt`` is its 1-based number)."""

    id: uuid.UUID
    tenant_id: uuid.UUID
    channel: str
    event_type: str
    target: str
    payload: dict[str, Any]
    attempt: int
    endpoint: dict[str, Any] | None  # url, secret, enabled of a webhook delivery's endpoint (None: deleted)


async def due_tenants(db: Database) -> list[tuple[uuid.UUID, int]]:
    """Tenants with due deliveries, before any tenant context: counts only, through a SECURITY DEFINER function."""
    async with db.system_tx() as conn:
        cur = await conn.execute("select tenant_id, due from mip_notify_due_tenants()")
        return [(r["tenant_id"], int(r["due"])) for r in await cur.fetchall()]


async def claim_due(conn: Conn, limit: int, lease_s: float) -> list[Claimed]:
    """Take up to ``limit`` due deliveries of the current tenant (``FOR UPDATE SKIP LOCKED``: processes never take
    the same row). Claiming counts the attempt and pushes ``next_attempt_at`` out by the lease, so a delivery whose
    sender died becomes due again after the lease."""
    cur = await conn.execute(
        "update notification_deliveries d set attempts = d.attempts + 1, "
        "next_attempt_at = now() + make_interval(secs => %(lease)s), updated_at = now() "
        "from (select id from notification_deliveries where status = 'pending' and next_attempt_at <= now() "
        "      order by next_attempt_at limit %(limit)s for update skip locked) due "
        "where d.id = due.id "
        "returning d.id, d.tenant_id, d.channel, d.event_type, d.target, d.payload, d.attempts, d.endpoint_id",
        {"lease": lease_s, "limit": limit},
    )
    rows = [dict(r) for r in await cur.fetchall()]
    endpoint_ids = [r["endpoint_id"] for r in rows if r["endpoint_id"] is not None]
    endpoints: dict[uuid.UUID, dict[str, Any]] = {}
    if endpoint_ids:
        cur = await conn.execute(
            "select id, url, secret, enabled from webhook_endpoints where id = any(%s)", [endpoint_ids]
        )
        endpoints = {r["id"]: dict(r) for r in await cur.fetchall()}
    return [
        Claimed(
            id=r["id"],
            tenant_id=r["tenant_id"],
            channel=r["channel"],
            event_type=r["event_type"],
            target=r["target"],
            payload=r["payload"],
            attempt=r["attempts"],
            endpoint=endpoints.get(r["endpoint_id"]) if r["endpoint_id"] is not None else None,
        )
        for r in rows
    ]


_GUARD = "where id = %(id)s and attempts = %(attempt)s and status = 'pending'"


async def mark_delivered(conn: Conn, c: Claimed, status_code: int | None) -> None:
    await conn.execute(
        "update notification_deliveries set status = 'delivered', delivered_at = now(), last_status_code = %(code)s, "
        f"last_error = null, updated_at = now() {_GUARD}",
        {"id": c.id, "attempt": c.attempt, "code": status_code},
    )


async def mark_failed(conn: Conn, c: Claimed, error: str, status_code: int | None, retry_in_s: float | None) -> None:
    """Schedule the next attempt in ``retry_in_s``, or (None) dead-letter the delivery."""
    args = {"id": c.id, "attempt": c.attempt, "code": status_code, "error": error[:2000], "delay": retry_in_s}
    if retry_in_s is None:
        sql = "status = 'dead', dead_at = now()"
    else:
        sql = "next_attempt_at = now() + make_interval(secs => %(delay)s)"
    await conn.execute(
        f"update notification_deliveries set {sql}, last_error = %(error)s, last_status_code = %(code)s, "
        f"updated_at = now() {_GUARD}",
        args,
    )


async def mark_cancelled(conn: Conn, c: Claimed, reason: str) -> None:
    await conn.execute(
        f"update notification_deliveries set status = 'cancelled', last_error = %(error)s, updated_at = now() {_GUARD}",
        {"id": c.id, "attempt": c.attempt, "error": reason},
    )


# --- reading and retrying (API, CLI) -----------------------------------------------------------------------------


async def list_deliveries(
    conn: Conn,
    *,
    status: str | None = None,
    channel: str | None = None,
    endpoint_id: uuid.UUID | None = None,
    alert_id: uuid.UUID | None = None,
    user_id: uuid.UUID | None = None,
    limit: int = 100,
    offset: int = 0,
) -> list[dict[str, Any]]:
    where: list[str] = []
    args: dict[str, Any] = {"limit": limit, "offset": offset}
    for col, val in (
        ("status", status),
        ("channel", channel),
        ("endpoint_id", endpoint_id),
        ("alert_id", alert_id),
        ("user_id", user_id),
    ):
        if val is not None:
            where.append(f"{col} = %({col})s")
            args[col] = val
    clause = ("where " + " and ".join(where)) if where else ""
    cur = await conn.execute(
        f"select {DELIVERY_COLUMNS} from notification_deliveries {clause} order by created_at desc, id desc "
        "limit %(limit)s offset %(offset)s",
        args,
    )
    return [dict(r) for r in await cur.fetchall()]


async def get_delivery(conn: Conn, delivery_id: uuid.UUID) -> dict[str, Any]:
    cur = await conn.execute(f"select {DELIVERY_COLUMNS} from notification_deliveries where id = %s", [delivery_id])
    row = await cur.fetchone()
    if row is None:
        raise DeliveryNotFound(f"delivery {delivery_id} not found")
    return dict(row)


async def retry_delivery(conn: Conn, delivery_id: uuid.UUID) -> dict[str, Any]:
    """Put a dead letter back in the queue with a fresh attempt budget (the last error is kept until then)."""
    row = await get_delivery(conn, delivery_id)
    if row["status"] != "dead":
        raise NotRetryable(f"delivery {delivery_id} is {row['status']}; only dead letters can be retried")
    if row["channel"] == "webhook":
        if row["endpoint_id"] is None:
            raise NotRetryable(f"the webhook endpoint of delivery {delivery_id} was deleted")
        cur = await conn.execute("select enabled from webhook_endpoints where id = %s", [row["endpoint_id"]])
        endpoint = await cur.fetchone()
        if endpoint is not None and not endpoint["enabled"]:
            raise EndpointDisabled(f"webhook endpoint {row['endpoint_id']} is disabled; enable it first")
    cur = await conn.execute(
        "update notification_deliveries set status = 'pending', attempts = 0, next_attempt_at = now(), dead_at = null, "
        f"updated_at = now() where id = %s and status = 'dead' returning {DELIVERY_COLUMNS}",
        [delivery_id],
    )
    out = await cur.fetchone()
    if out is None:
        raise NotRetryable(f"delivery {delivery_id} changed concurrently")
    return dict(out)
