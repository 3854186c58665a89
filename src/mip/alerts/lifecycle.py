"""Alarms from detection rules: raise (one active alarm per originator and rule), update counts, clear,
flood control and escalation. Runs inside the stream stage's tenant transaction; the returned events are
published by the caller after commit."""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from typing import Any

from mip.alerts.service import ALERT_COLUMNS, DEFAULT_ESCALATION_S, record_event
from mip.detection.engine import Activity, EngineResult, Transition
from mip.detection.spec import RuleSpec
from mip.platform.db import Conn
from mip.platform.ids import uuid7

Event = tuple[str, dict[str, Any]]  # (event kind, alert row)

_ACTIVE = "state <> 'resolved' and cleared_at is null"

_RAISE = f"""
insert into alerts (id, tenant_id, sensor_id, machine_id, originator_id, rule, rule_id, rule_version, severity,
                    safety, message, threshold, first_ts, last_ts, last_value, peak_value, count, escalate_after_s)
values (%(id)s, %(tenant)s, %(sensor)s, %(machine)s, %(originator)s, %(rule)s, %(rule_id)s, %(version)s,
        %(severity)s, %(safety)s, %(message)s, %(threshold)s, %(ts)s, %(ts)s, %(value)s, %(value)s, %(count)s,
        %(escalate)s)
on conflict (tenant_id, originator_id, rule) where {_ACTIVE} do update set
    last_ts = greatest(alerts.last_ts, excluded.last_ts), updated_at = now()
returning {ALERT_COLUMNS}, (xmax = 0) as opened
"""

_ACTIVITY = f"""
update alerts set count = count + %(count)s, last_ts = greatest(last_ts, %(last_ts)s),
    last_value = case when %(last_ts)s >= last_ts then %(last_value)s else last_value end,
    peak_value = case when %(score)s > coalesce(peak_score, '-infinity') then %(peak)s else peak_value end,
    peak_score = greatest(coalesce(peak_score, '-infinity'), %(score)s), updated_at = now()
where originator_id = %(originator)s and rule = %(rule)s and {_ACTIVE}
returning {ALERT_COLUMNS}
"""

_CLEAR = f"""
update alerts set cleared_at = now(), cleared_ts = %(ts)s, updated_at = now()
where originator_id = %(originator)s and rule = %(rule)s and {_ACTIVE}
returning {ALERT_COLUMNS}
"""


def _originator(machine_id: uuid.UUID, sensor_id: uuid.UUID | None) -> uuid.UUID:
    return sensor_id if sensor_id is not None else machine_id


async def apply_engine_result(
    conn: Conn, tenant_id: uuid.UUID, result: EngineResult, rules: Mapping[uuid.UUID, RuleSpec]
) -> list[Event]:
    events: list[Event] = []
    raised_without_activity: set[tuple[uuid.UUID, str]] = set()
    # in time order: an alarm's breaching readings belong to it before its clear, and an alarm that clears
    # and raises again within one batch gets each episode's activity (raise < activity < clear at equal ts)
    steps: list[tuple[int, int, Transition | Activity]] = [
        (t.ts, 0 if t.kind == "raise" else 2, t) for t in result.transitions
    ]
    steps += [(a.first_ts or a.last_ts, 1, a) for a in result.activity]
    steps.sort(key=lambda s: (s[0], s[1]))
    for _, _, step in steps:
        if isinstance(step, Activity):
            key = (_originator(step.machine_id, step.sensor_id), str(step.rule_id))
            raised_without_activity.discard(key)
            row2 = await _activity(conn, step, key)
            if row2 is not None:
                events.append(("alert.updated", row2))
        elif step.kind == "raise":
            events.extend(await _on_raise(conn, tenant_id, step, rules.get(step.rule_id), raised_without_activity))
        else:
            cur = await conn.execute(
                _CLEAR,
                {"ts": step.ts, "originator": _originator(step.machine_id, step.sensor_id), "rule": str(step.rule_id)},
            )
            for row in await cur.fetchall():
                details = {"value": step.value, **step.details}
                await record_event(conn, tenant_id, row["id"], "cleared", details=details)
                events.append(("alert.cleared", dict(row)))
    for originator, rule_key in raised_without_activity:  # the raising reading counts once
        await conn.execute(
            f"update alerts set count = 1 where originator_id = %s and rule = %s and {_ACTIVE} and count = 0",
            [originator, rule_key],
        )
    return events


async def _on_raise(
    conn: Conn,
    tenant_id: uuid.UUID,
    t: Transition,
    rule: RuleSpec | None,
    raised_without_activity: set[tuple[uuid.UUID, str]],
) -> list[Event]:
    if rule is not None and not t.safety and await _flooded(conn, tenant_id, rule):
        return await _fold_into_flood_alarm(conn, tenant_id, t, rule)
    row = await _raise(conn, tenant_id, t, rule)
    if not row.pop("opened"):
        return []
    await record_event(conn, tenant_id, row["id"], "raised", details={"value": t.value, **t.details})
    raised_without_activity.add((row["originator_id"], row["rule"]))
    return [("alert.opened", row)]


async def _raise(conn: Conn, tenant_id: uuid.UUID, t: Transition, rule: RuleSpec | None) -> dict[str, Any]:
    escalate = rule.escalate_after_s if rule is not None and rule.escalate_after_s else None
    threshold = t.details.get("threshold")
    cur = await conn.execute(
        _RAISE,
        {
            "id": uuid7(),
            "tenant": tenant_id,
            "sensor": t.sensor_id,
            "machine": t.machine_id,
            "originator": _originator(t.machine_id, t.sensor_id),
            "rule": str(t.rule_id),
            "rule_id": t.rule_id,
            "version": t.rule_version,
            "severity": t.severity,
            "safety": t.safety,
            "message": t.message,
            "threshold": float(threshold) if isinstance(threshold, (int, float)) else float("nan"),
            "ts": t.ts,
            "value": t.value if t.value is not None else float("nan"),
            "count": 0,
            "escalate": escalate if escalate is not None else DEFAULT_ESCALATION_S[t.severity],
        },
    )
    row = await cur.fetchone()
    assert row is not None
    return dict(row)


async def _activity(conn: Conn, a: Activity, key: tuple[uuid.UUID, str]) -> dict[str, Any] | None:
    cur = await conn.execute(
        _ACTIVITY,
        {
            "count": a.count,
            "last_ts": a.last_ts,
            "last_value": a.last_value,
            "peak": a.peak_value,
            "score": a.peak_score,
            "originator": key[0],
            "rule": key[1],
        },
    )
    row = await cur.fetchone()
    return dict(row) if row is not None else None


async def _flooded(conn: Conn, tenant_id: uuid.UUID, rule: RuleSpec) -> bool:
    if rule.max_alarms_per_hour is None:
        return False
    cur = await conn.execute(
        "select count(*) as n from alerts where rule_id = %s and rule = %s and created_at > now() - interval '1 hour'",
        [rule.id, str(rule.id)],
    )
    row = await cur.fetchone()
    return row is not None and int(row["n"]) >= rule.max_alarms_per_hour


async def _fold_into_flood_alarm(conn: Conn, tenant_id: uuid.UUID, t: Transition, rule: RuleSpec) -> list[Event]:
    """Group the alarms a rule raises beyond its hourly limit into one active flood alarm for the rule."""
    cur = await conn.execute(
        _RAISE,
        {
            "id": uuid7(),
            "tenant": tenant_id,
            "sensor": None,
            "machine": t.machine_id,
            "originator": rule.id,
            "rule": f"flood:{rule.id}",
            "rule_id": rule.id,
            "version": rule.version,
            "severity": t.severity,
            "safety": False,
            "message": f"Flood control: rule '{rule.name}' raised more than {rule.max_alarms_per_hour} alarms "
            "in an hour; further alarms are grouped here",
            "threshold": float("nan"),
            "ts": t.ts,
            "value": t.value if t.value is not None else float("nan"),
            "count": 1,
            "escalate": DEFAULT_ESCALATION_S[t.severity],
        },
    )
    row = await cur.fetchone()
    assert row is not None
    opened = bool(row["opened"])
    cur = await conn.execute(
        f"update alerts set suppressed = suppressed + 1, count = count + %s, updated_at = now() where id = %s "
        f"returning {ALERT_COLUMNS}",
        [0 if opened else 1, row["id"]],
    )
    updated = await cur.fetchone()
    assert updated is not None
    await record_event(
        conn,
        tenant_id,
        row["id"],
        "raised" if opened else "suppressed",
        details={"sensor_id": str(t.sensor_id) if t.sensor_id else None, "value": t.value},
    )
    return [("alert.opened" if opened else "alert.updated", dict(updated))]


_ESCALATE = f"""
update alerts set escalation_level = escalation_level + 1, escalated_at = now(), updated_at = now(),
    severity = case severity when 'warning' then 'minor' when 'minor' then 'major' else 'critical' end
where state = 'open' and cleared_at is null and escalate_after_s is not null and escalation_level < 3
  and coalesce(escalated_at, created_at) + make_interval(secs => escalate_after_s) <= now()
returning {ALERT_COLUMNS}
"""


async def escalate_due(conn: Conn) -> list[Event]:
    """Escalate the tenant's unacknowledged alarms past their time (at most 3 levels; severity steps up)."""
    cur = await conn.execute(_ESCALATE)
    events: list[Event] = []
    for row in await cur.fetchall():
        await record_event(conn, row["tenant_id"], row["id"], "escalated", details={"level": row["escalation_level"]})
        events.append(("alert.escalated", dict(row)))
    return events
