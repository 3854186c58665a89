"""Risk policies and maintenance recommendations.

A policy per machine class ('*' is the tenant default; built-in defaults otherwise): a recommendation is
raised when P(failure within horizon) exceeds the threshold or the RUL drops below the RUL threshold. One
open recommendation per machine and reason (a partial unique index); with ``auto_work_order`` it comes with
a work order right away. While a machine has an active work order for the reason nothing new is raised,
and for ``snooze_hours`` after a dismissal neither.
"""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime, timedelta
from typing import Any

from psycopg.types.json import Jsonb

from mip.maintenance import workorders
from mip.maintenance.errors import RecommendationNotFound, RecommendationStateConflict
from mip.maintenance.schemas import PolicyIn
from mip.platform.db import Conn
from mip.platform.ids import uuid7

REASON = "predicted_failure"
DEFAULT_CLASS = "*"
REC_COLUMNS = (
    "id, machine_id, model_id, reason, status, message, health_index, rul_hours, failure_probability, triggers,"
    " work_order_id, decided_by, decided_at, created_at, updated_at"
)
POLICY_FIELDS = tuple(PolicyIn.model_fields)


# -- policies -------------------------------------------------------------------------------------------------
async def list_policies(conn: Conn) -> list[dict[str, Any]]:
    cur = await conn.execute(
        f"select machine_class, {', '.join(POLICY_FIELDS)}, updated_at from maintenance_policies order by 1"
    )
    return await cur.fetchall()


async def put_policy(conn: Conn, tenant_id: uuid.UUID, machine_class: str, policy: PolicyIn) -> dict[str, Any]:
    values = policy.model_dump()
    cols = ", ".join(POLICY_FIELDS)
    cur = await conn.execute(
        f"insert into maintenance_policies (tenant_id, machine_class, {cols})"
        f" values (%(t)s, %(cls)s, {', '.join(f'%({f})s' for f in POLICY_FIELDS)})"
        " on conflict (tenant_id, machine_class) do update set "
        + ", ".join(f"{f} = excluded.{f}" for f in POLICY_FIELDS)
        + f", updated_at = now() returning machine_class, {cols}, updated_at",
        {"t": tenant_id, "cls": machine_class, **values},
    )
    row = await cur.fetchone()
    assert row is not None
    return row


async def effective_policy(conn: Conn, machine_class: str) -> PolicyIn:
    cur = await conn.execute(
        f"select {', '.join(POLICY_FIELDS)} from maintenance_policies where machine_class in (%s, %s)"
        " order by machine_class = %s desc limit 1",
        [machine_class, DEFAULT_CLASS, machine_class],
    )
    row = await cur.fetchone()
    return PolicyIn.model_validate(row) if row else PolicyIn()


# -- evaluation -------------------------------------------------------------------------------------------------
def triggers(policy: PolicyIn, rul_hours: float, failure_probability: float) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    if failure_probability > policy.failure_probability_threshold:
        out.append(
            {
                "metric": "failure_probability",
                "value": round(failure_probability, 4),
                "threshold": policy.failure_probability_threshold,
                "horizon_hours": policy.horizon_hours,
            }
        )
    if rul_hours < policy.rul_threshold_hours:
        out.append({"metric": "rul_hours", "value": round(rul_hours, 2), "threshold": policy.rul_threshold_hours})
    return out


def priority_for(rul_hours: float, failure_probability: float) -> str:
    if failure_probability >= 0.9 or rul_hours < 72:
        return "urgent"
    if failure_probability >= 0.7 or rul_hours < 168:
        return "high"
    return "medium"


def due_for(rul_hours: float) -> date:
    """Half the predicted remaining life from today (at least today)."""
    return (datetime.now(UTC) + timedelta(hours=max(0.0, rul_hours) / 2)).date()


async def raise_recommendation(
    conn: Conn,
    tenant_id: uuid.UUID,
    *,
    machine_id: uuid.UUID,
    machine_name: str,
    model_id: uuid.UUID,
    policy: PolicyIn,
    health_index: float,
    rul_hours: float,
    failure_probability: float,
    fired: list[dict[str, Any]],
) -> tuple[bool, bool]:
    """Raise (or refresh) the recommendation for a machine at risk. Returns (recommendation created,
    work order created)."""
    if await workorders.active_for(conn, machine_id, REASON) is not None:
        return False, False
    cur = await conn.execute(
        "select 1 from maintenance_recommendations where machine_id = %s and reason = %s and status = 'dismissed'"
        " and decided_at > now() - make_interval(secs => %s)",
        [machine_id, REASON, policy.snooze_hours * 3600],
    )
    if await cur.fetchone() is not None:
        return False, False
    message = (
        f"{machine_name}: predicted remaining life {rul_hours / 24:.1f} days, "
        f"failure probability within {policy.horizon_hours / 24:g} days {failure_probability:.0%}"
    )
    values = {
        "id": uuid7(),
        "t": tenant_id,
        "m": machine_id,
        "model": model_id,
        "reason": REASON,
        "msg": message,
        "hi": health_index,
        "rul": rul_hours,
        "p": failure_probability,
        "trig": Jsonb(fired),
    }
    cur = await conn.execute(
        "insert into maintenance_recommendations (id, tenant_id, machine_id, model_id, reason, message,"
        " health_index, rul_hours, failure_probability, triggers)"
        " values (%(id)s, %(t)s, %(m)s, %(model)s, %(reason)s, %(msg)s, %(hi)s, %(rul)s, %(p)s, %(trig)s)"
        " on conflict (tenant_id, machine_id, reason) where status = 'open' do update set"
        " model_id = excluded.model_id, message = excluded.message, health_index = excluded.health_index,"
        " rul_hours = excluded.rul_hours, failure_probability = excluded.failure_probability,"
        " triggers = excluded.triggers, updated_at = now()"
        " returning id, work_order_id, (xmax = 0) as created",
        values,
    )
    rec = await cur.fetchone()
    assert rec is not None
    wo_created = False
    if policy.auto_work_order and rec["work_order_id"] is None:
        wo = await _work_order_for(conn, tenant_id, rec["id"], machine_id, message, rul_hours, failure_probability)
        wo_created = wo is not None
    return bool(rec["created"]), wo_created


async def _work_order_for(
    conn: Conn,
    tenant_id: uuid.UUID,
    rec_id: uuid.UUID,
    machine_id: uuid.UUID,
    message: str,
    rul_hours: float,
    failure_probability: float,
    *,
    assigned_to: uuid.UUID | None = None,
    priority: str | None = None,
    due_date: date | None = None,
    created_by: uuid.UUID | None = None,
) -> dict[str, Any] | None:
    wo = await workorders.create(
        conn,
        tenant_id,
        machine_id=machine_id,
        title="Predictive maintenance: failure risk",
        description=message,
        kind="predictive",
        priority=priority or priority_for(rul_hours, failure_probability),
        due_date=due_date or due_for(rul_hours),
        assigned_to=assigned_to,
        created_by=created_by,
        reason=REASON,
        recommendation_id=rec_id,
    )
    if wo is not None:
        await conn.execute(
            "update maintenance_recommendations set work_order_id = %s, updated_at = now() where id = %s",
            [wo["id"], rec_id],
        )
    return wo


# -- API operations ---------------------------------------------------------------------------------------------
async def list_recommendations(
    conn: Conn, *, status: str | None, machine_id: uuid.UUID | None, limit: int, offset: int
) -> list[dict[str, Any]]:
    cur = await conn.execute(
        f"select {REC_COLUMNS} from maintenance_recommendations where (%(s)s::text is null or status = %(s)s)"
        " and (%(m)s::uuid is null or machine_id = %(m)s) order by created_at desc, id desc"
        " limit %(limit)s offset %(offset)s",
        {"s": status, "m": machine_id, "limit": limit, "offset": offset},
    )
    return await cur.fetchall()


async def get_recommendation(conn: Conn, rec_id: uuid.UUID, *, for_update: bool = False) -> dict[str, Any]:
    lock = " for update" if for_update else ""
    cur = await conn.execute(f"select {REC_COLUMNS} from maintenance_recommendations where id = %s{lock}", [rec_id])
    row = await cur.fetchone()
    if row is None:
        raise RecommendationNotFound(f"recommendation {rec_id} not found")
    return row


async def accept(
    conn: Conn,
    tenant_id: uuid.UUID,
    rec_id: uuid.UUID,
    user_id: uuid.UUID | None,
    *,
    assigned_to: uuid.UUID | None = None,
    priority: str | None = None,
    due_date: date | None = None,
) -> dict[str, Any]:
    """Accept an open recommendation: its work order (created now unless the policy already made one)."""
    rec = await get_recommendation(conn, rec_id, for_update=True)
    if rec["status"] != "open":
        raise RecommendationStateConflict(f"recommendation {rec_id} is {rec['status']}", status_now=rec["status"])
    wo: dict[str, Any] | None = None
    if rec["work_order_id"] is not None:
        wo = await workorders.get(conn, rec["work_order_id"])
        changes = {k: v for k, v in (("assigned_to", assigned_to), ("priority", priority), ("due_date", due_date)) if v}
        if changes:
            wo = await workorders.update(conn, wo["id"], changes)
    else:
        wo = await workorders.active_for(conn, rec["machine_id"], rec["reason"])
        if wo is None:
            wo = await _work_order_for(
                conn,
                tenant_id,
                rec_id,
                rec["machine_id"],
                rec["message"],
                rec["rul_hours"],
                rec["failure_probability"],
                assigned_to=assigned_to,
                priority=priority,
                due_date=due_date,
                created_by=user_id,
            )
        assert wo is not None
    await conn.execute(
        "update maintenance_recommendations set status = 'accepted', work_order_id = %s, decided_by = %s,"
        " decided_at = now(), updated_at = now() where id = %s",
        [wo["id"], user_id, rec_id],
    )
    return wo


async def dismiss(conn: Conn, rec_id: uuid.UUID, user_id: uuid.UUID | None) -> dict[str, Any]:
    """Dismiss an open recommendation; its automatic work order, if nobody started it, is cancelled."""
    rec = await get_recommendation(conn, rec_id, for_update=True)
    if rec["status"] != "open":
        raise RecommendationStateConflict(f"recommendation {rec_id} is {rec['status']}", status_now=rec["status"])
    if rec["work_order_id"] is not None:
        wo = await workorders.get(conn, rec["work_order_id"], for_update=True)
        if wo["status"] == "open":
            await workorders.update(conn, wo["id"], {"status": "cancelled"})
    await conn.execute(
        "update maintenance_recommendations set status = 'dismissed', decided_by = %s, decided_at = now(),"
        " updated_at = now() where id = %s",
        [user_id, rec_id],
    )
    return await get_recommendation(conn, rec_id)
