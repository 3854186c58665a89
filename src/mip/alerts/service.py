"""Alert actions: open-or-update on breach (one open alert per sensor and rule), list, acknowledge, resolve."""

from __future__ import annotations

import uuid
from typing import Any

from psycopg.types.json import Jsonb

from mip.alerts.errors import AlertNotFound, AlertStateConflict, UnknownAssignee
from mip.platform.db import Conn
from mip.platform.ids import uuid7
from mip.streaming.rules import HIGH, Breach

ALERT_COLUMNS = (
    "id, tenant_id, sensor_id, machine_id, originator_id, rule, rule_id, rule_version, severity, safety, state, "
    "message, threshold, first_ts, last_ts, last_value, peak_value, count, acknowledged_by, acknowledged_at, "
    "resolved_by, resolved_at, assigned_to, assigned_at, cleared_at, cleared_ts, escalation_level, escalated_at, "
    "suppressed, created_at, updated_at"
)
# critical alarms not acknowledged within 5 min escalate, major within 15 min, minor within 1 h
DEFAULT_ESCALATION_S: dict[str, float | None] = {"critical": 300.0, "major": 900.0, "minor": 3600.0, "warning": None}

_UPSERT = f"""
insert into alerts (id, tenant_id, sensor_id, machine_id, originator_id, rule, severity, safety, message, threshold,
                    first_ts, last_ts, last_value, peak_value, count, escalate_after_s)
values (%(id)s, %(tenant)s, %(sensor)s, %(machine)s, %(sensor)s, %(rule)s, %(severity)s, %(safety)s, %(message)s,
        %(threshold)s, %(first_ts)s, %(last_ts)s, %(last_value)s, %(peak)s, %(count)s, %(escalate)s)
on conflict (tenant_id, originator_id, rule) where state <> 'resolved' and cleared_at is null do update set
    last_ts = greatest(alerts.last_ts, excluded.last_ts),
    last_value = case when excluded.last_ts >= alerts.last_ts then excluded.last_value else alerts.last_value end,
    peak_value = case when alerts.rule = '{HIGH}' then greatest(alerts.peak_value, excluded.peak_value)
                      else least(alerts.peak_value, excluded.peak_value) end,
    count = alerts.count + excluded.count,
    updated_at = now()
returning {ALERT_COLUMNS}, (xmax = 0) as opened
"""


def _message(b: Breach) -> str:
    word = "above" if b.rule == HIGH else "below"
    return f"{b.sensor_path} {word} limit {b.threshold:g}: {b.last_value:g}"


async def record_breaches(
    conn: Conn, tenant_id: uuid.UUID, machine_id: uuid.UUID, breaches: list[Breach]
) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    for b in breaches:
        severity = "critical" if b.safety else "major"
        cur = await conn.execute(
            _UPSERT,
            {
                "escalate": DEFAULT_ESCALATION_S[severity],
                "id": uuid7(),
                "tenant": tenant_id,
                "sensor": b.sensor_id,
                "machine": machine_id,
                "rule": b.rule,
                "severity": severity,
                "safety": b.safety,
                "message": _message(b),
                "threshold": b.threshold,
                "first_ts": b.first_ts,
                "last_ts": b.last_ts,
                "last_value": b.last_value,
                "peak": b.peak_value,
                "count": b.count,
            },
        )
        row = await cur.fetchone()
        assert row is not None
        if row["opened"]:
            await record_event(conn, tenant_id, row["id"], "raised", details={"value": b.last_value})
        out.append(dict(row))
    return out


async def record_event(
    conn: Conn,
    tenant_id: uuid.UUID,
    alert_id: uuid.UUID,
    kind: str,
    actor_id: uuid.UUID | None = None,
    details: dict[str, Any] | None = None,
) -> None:
    """Append one lifecycle transition (raised, acknowledged, cleared, escalated, ...) with who and when."""
    await conn.execute(
        "insert into alarm_events (id, tenant_id, alert_id, kind, actor_id, details) values (%s, %s, %s, %s, %s, %s)",
        [uuid7(), tenant_id, alert_id, kind, actor_id, Jsonb(details or {})],
    )


async def list_events(conn: Conn, alert_id: uuid.UUID) -> list[dict[str, Any]]:
    await get_alert(conn, alert_id)
    cur = await conn.execute(
        "select e.id, e.alert_id, e.kind, e.actor_id, coalesce(nullif(u.full_name, ''), u.email) as actor_name, "
        "e.at, e.details from alarm_events e left join users u on u.id = e.actor_id "
        "where e.alert_id = %s order by e.at, e.id",
        [alert_id],
    )
    return [dict(r) for r in await cur.fetchall()]


async def list_alerts(
    conn: Conn,
    *,
    state: str | None = None,
    sensor_id: uuid.UUID | None = None,
    machine_id: uuid.UUID | None = None,
    severity: str | None = None,
    safety: bool | None = None,
    assigned_to: uuid.UUID | None = None,
    active: bool | None = None,
    rule_id: uuid.UUID | None = None,
    limit: int = 100,
    offset: int = 0,
) -> list[dict[str, Any]]:
    where: list[str] = []
    if active is not None:
        where.append(("" if active else "not ") + "(state <> 'resolved' and cleared_at is null)")
    args: dict[str, Any] = {"limit": limit, "offset": offset}
    for col, val in (
        ("state", state),
        ("sensor_id", sensor_id),
        ("machine_id", machine_id),
        ("severity", severity),
        ("safety", safety),
        ("assigned_to", assigned_to),
        ("rule_id", rule_id),
    ):
        if val is not None:
            where.append(f"{col} = %({col})s")
            args[col] = val
    clause = ("where " + " and ".join(where)) if where else ""
    cur = await conn.execute(
        f"select {ALERT_COLUMNS} from alerts {clause} order by created_at desc, id desc "
        f"limit %(limit)s offset %(offset)s",
        args,
    )
    return [dict(r) for r in await cur.fetchall()]


async def get_alert(conn: Conn, alert_id: uuid.UUID) -> dict[str, Any]:
    cur = await conn.execute(f"select {ALERT_COLUMNS} from alerts where id = %s", [alert_id])
    row = await cur.fetchone()
    if row is None:
        raise AlertNotFound(f"alert {alert_id} not found")
    return dict(row)


async def acknowledge(conn: Conn, alert_id: uuid.UUID, user_id: uuid.UUID | None) -> dict[str, Any]:
    alert = await get_alert(conn, alert_id)
    if alert["state"] == "resolved":
        raise AlertStateConflict("a resolved alert cannot be acknowledged")
    if alert["state"] == "acknowledged":
        return alert
    return await _transition(
        conn,
        "update alerts set state = 'acknowledged', acknowledged_by = %s, acknowledged_at = now(), updated_at = now() "
        "where id = %s",
        [user_id, alert_id],
        "acknowledged",
        user_id,
    )


async def resolve(conn: Conn, alert_id: uuid.UUID, user_id: uuid.UUID | None) -> dict[str, Any]:
    alert = await get_alert(conn, alert_id)
    if alert["state"] == "resolved":
        return alert
    return await _transition(
        conn,
        "update alerts set state = 'resolved', resolved_by = %s, resolved_at = now(), updated_at = now() where id = %s",
        [user_id, alert_id],
        "resolved",
        user_id,
    )


async def _transition(
    conn: Conn, sql: str, args: list[Any], kind: str, actor: uuid.UUID | None, details: dict[str, Any] | None = None
) -> dict[str, Any]:
    cur = await conn.execute(f"{sql} returning {ALERT_COLUMNS}", args)
    row = await cur.fetchone()
    assert row is not None
    await record_event(conn, row["tenant_id"], row["id"], kind, actor, details)
    return dict(row)


async def assign(
    conn: Conn, alert_id: uuid.UUID, user_id: uuid.UUID | None, actor: uuid.UUID | None = None
) -> dict[str, Any]:
    """Assign to a user of the same tenant (RLS hides everyone else's users), or unassign with None."""
    await get_alert(conn, alert_id)
    if user_id is not None:
        cur = await conn.execute("select 1 from users where id = %s and active", [user_id])
        if await cur.fetchone() is None:
            raise UnknownAssignee(f"no active user {user_id} in this tenant")
    return await _transition(
        conn,
        "update alerts set assigned_to = %s, assigned_at = case when %s::uuid is null then null else now() end, "
        "updated_at = now() where id = %s",
        [user_id, user_id, alert_id],
        "assigned" if user_id else "unassigned",
        actor,
        {"assignee": str(user_id)} if user_id else {},
    )


_COMMENT_COLUMNS = (
    "c.id, c.alert_id, c.author_id, coalesce(nullif(u.full_name, ''), u.email) as author_name, c.body, c.created_at"
)


async def list_comments(conn: Conn, alert_id: uuid.UUID) -> list[dict[str, Any]]:
    await get_alert(conn, alert_id)
    cur = await conn.execute(
        f"select {_COMMENT_COLUMNS} from alert_comments c left join users u on u.id = c.author_id "
        "where c.alert_id = %s order by c.created_at, c.id",
        [alert_id],
    )
    return [dict(r) for r in await cur.fetchall()]


async def add_comment(
    conn: Conn, tenant_id: uuid.UUID, alert_id: uuid.UUID, author_id: uuid.UUID | None, body: str
) -> dict[str, Any]:
    await get_alert(conn, alert_id)
    comment_id = uuid7()
    await conn.execute(
        "insert into alert_comments (id, tenant_id, alert_id, author_id, body) values (%s, %s, %s, %s, %s)",
        [comment_id, tenant_id, alert_id, author_id, body],
    )
    await conn.execute("update alerts set updated_at = now() where id = %s", [alert_id])
    await record_event(conn, tenant_id, alert_id, "commented", author_id, {"comment_id": str(comment_id)})
    cur = await conn.execute(
        f"select {_COMMENT_COLUMNS} from alert_comments c left join users u on u.id = c.author_id where c.id = %s",
        [comment_id],
    )
    row = await cur.fetchone()
    assert row is not None
    return dict(row)
