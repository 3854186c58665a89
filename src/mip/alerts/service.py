"""Alert actions: open-or-update on breach (one open alert per sensor and rule), list, acknowledge, resolve."""

from __future__ import annotations

import uuid
from typing import Any

from mip.alerts.errors import AlertNotFound, AlertStateConflict, UnknownAssignee
from mip.platform.db import Conn
from mip.platform.ids import uuid7
from mip.streaming.rules import HIGH, Breach

ALERT_COLUMNS = (
    "id, tenant_id, sensor_id, machine_id, rule, severity, safety, state, message, threshold, first_ts, last_ts, "
    "last_value, peak_value, count, acknowledged_by, acknowledged_at, resolved_by, resolved_at, assigned_to, "
    "assigned_at, created_at, updated_at"
)

_UPSERT = f"""
insert into alerts (id, tenant_id, sensor_id, machine_id, rule, severity, safety, message, threshold,
                    first_ts, last_ts, last_value, peak_value, count)
values (%(id)s, %(tenant)s, %(sensor)s, %(machine)s, %(rule)s, %(severity)s, %(safety)s, %(message)s,
        %(threshold)s, %(first_ts)s, %(last_ts)s, %(last_value)s, %(peak)s, %(count)s)
on conflict (tenant_id, sensor_id, rule) where state <> 'resolved' do update set
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
        cur = await conn.execute(
            _UPSERT,
            {
                "id": uuid7(),
                "tenant": tenant_id,
                "sensor": b.sensor_id,
                "machine": machine_id,
                "rule": b.rule,
                "severity": "critical" if b.safety else "major",
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
        out.append(dict(row))
    return out


async def list_alerts(
    conn: Conn,
    *,
    state: str | None = None,
    sensor_id: uuid.UUID | None = None,
    machine_id: uuid.UUID | None = None,
    severity: str | None = None,
    safety: bool | None = None,
    assigned_to: uuid.UUID | None = None,
    limit: int = 100,
    offset: int = 0,
) -> list[dict[str, Any]]:
    where: list[str] = []
    args: dict[str, Any] = {"limit": limit, "offset": offset}
    for col, val in (
        ("state", state),
        ("sensor_id", sensor_id),
        ("machine_id", machine_id),
        ("severity", severity),
        ("safety", safety),
        ("assigned_to", assigned_to),
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
    cur = await conn.execute(
        f"update alerts set state = 'acknowledged', acknowledged_by = %s, acknowledged_at = now(), "
        f"updated_at = now() where id = %s returning {ALERT_COLUMNS}",
        [user_id, alert_id],
    )
    row = await cur.fetchone()
    assert row is not None
    return dict(row)


async def resolve(conn: Conn, alert_id: uuid.UUID, user_id: uuid.UUID | None) -> dict[str, Any]:
    alert = await get_alert(conn, alert_id)
    if alert["state"] == "resolved":
        return alert
    cur = await conn.execute(
        f"update alerts set state = 'resolved', resolved_by = %s, resolved_at = now(), updated_at = now() "
        f"where id = %s returning {ALERT_COLUMNS}",
        [user_id, alert_id],
    )
    row = await cur.fetchone()
    assert row is not None
    return dict(row)


async def assign(conn: Conn, alert_id: uuid.UUID, user_id: uuid.UUID | None) -> dict[str, Any]:
    """Assign to a user of the same tenant (RLS hides everyone else's users), or unassign with None."""
    await get_alert(conn, alert_id)
    if user_id is not None:
        cur = await conn.execute("select 1 from users where id = %s and active", [user_id])
        if await cur.fetchone() is None:
            raise UnknownAssignee(f"no active user {user_id} in this tenant")
    cur = await conn.execute(
        f"update alerts set assigned_to = %s, assigned_at = case when %s::uuid is null then null else now() end, "
        f"updated_at = now() where id = %s returning {ALERT_COLUMNS}",
        [user_id, user_id, alert_id],
    )
    row = await cur.fetchone()
    assert row is not None
    return dict(row)


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
    cur = await conn.execute(
        f"select {_COMMENT_COLUMNS} from alert_comments c left join users u on u.id = c.author_id where c.id = %s",
        [comment_id],
    )
    row = await cur.fetchone()
    assert row is not None
    return dict(row)
