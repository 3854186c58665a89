"""Maintenance work orders: numbered per tenant, status open → in_progress → done (or cancelled).

Transitions: open → in_progress | done | cancelled; in_progress → open | done | cancelled; done and cancelled
are final. At most one open/in-progress work order per machine and reason (a partial unique index), so
automatic work orders are idempotent.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Any

from mip.maintenance.errors import MachineNotFound, UnknownAssignee, WorkOrderNotFound, WorkOrderTransitionConflict
from mip.platform.db import Conn
from mip.platform.ids import uuid7

TRANSITIONS: dict[str, frozenset[str]] = {
    "open": frozenset({"in_progress", "done", "cancelled"}),
    "in_progress": frozenset({"open", "done", "cancelled"}),
    "done": frozenset(),
    "cancelled": frozenset(),
}
COLUMNS = (
    "id, number, machine_id, title, description, kind, priority, status, due_date, assigned_to, reason,"
    " recommendation_id, failed_at, created_by, started_at, completed_at, created_at, updated_at"
)


async def ensure_machine(conn: Conn, machine_id: uuid.UUID) -> None:
    cur = await conn.execute("select 1 from assets where id = %s and kind = 'machine'", [machine_id])
    if await cur.fetchone() is None:
        raise MachineNotFound(f"machine {machine_id} not found")


async def ensure_user(conn: Conn, user_id: uuid.UUID | None) -> None:
    if user_id is None:
        return
    cur = await conn.execute("select 1 from users where id = %s", [user_id])
    if await cur.fetchone() is None:
        raise UnknownAssignee(f"user {user_id} is not a user of this tenant", field="assigned_to")


async def create(
    conn: Conn,
    tenant_id: uuid.UUID,
    *,
    machine_id: uuid.UUID,
    title: str,
    description: str = "",
    kind: str = "corrective",
    priority: str = "medium",
    due_date: date | None = None,
    assigned_to: uuid.UUID | None = None,
    failed_at: datetime | None = None,
    created_by: uuid.UUID | None = None,
    reason: str | None = None,
    recommendation_id: uuid.UUID | None = None,
) -> dict[str, Any] | None:
    """Insert a work order; with a ``reason``, None when that machine already has an active one for it."""
    await ensure_machine(conn, machine_id)
    await ensure_user(conn, assigned_to)
    await conn.execute("select pg_advisory_xact_lock(hashtextextended(%s, 8))", [f"work_orders:{tenant_id}"])
    cur = await conn.execute(
        "insert into work_orders (id, tenant_id, number, machine_id, title, description, kind, priority, due_date,"
        " assigned_to, failed_at, created_by, reason, recommendation_id)"
        " values (%(id)s, %(t)s, (select coalesce(max(number), 0) + 1 from work_orders), %(m)s, %(title)s,"
        " %(desc)s, %(kind)s, %(prio)s, %(due)s, %(to)s, %(failed)s, %(by)s, %(reason)s, %(rec)s)"
        f" on conflict do nothing returning {COLUMNS}",
        {
            "id": uuid7(),
            "t": tenant_id,
            "m": machine_id,
            "title": title,
            "desc": description,
            "kind": kind,
            "prio": priority,
            "due": due_date,
            "to": assigned_to,
            "failed": failed_at,
            "by": created_by,
            "reason": reason,
            "rec": recommendation_id,
        },
    )
    return await cur.fetchone()


async def active_for(conn: Conn, machine_id: uuid.UUID, reason: str) -> dict[str, Any] | None:
    cur = await conn.execute(
        f"select {COLUMNS} from work_orders where machine_id = %s and reason = %s and status in ('open','in_progress')",
        [machine_id, reason],
    )
    return await cur.fetchone()


async def get(conn: Conn, wo_id: uuid.UUID, *, for_update: bool = False) -> dict[str, Any]:
    cur = await conn.execute(
        f"select {COLUMNS} from work_orders where id = %s{' for update' if for_update else ''}", [wo_id]
    )
    row = await cur.fetchone()
    if row is None:
        raise WorkOrderNotFound(f"work order {wo_id} not found")
    return row


async def list_orders(
    conn: Conn,
    *,
    status: str | None = None,
    machine_id: uuid.UUID | None = None,
    assigned_to: uuid.UUID | None = None,
    limit: int = 100,
    offset: int = 0,
) -> list[dict[str, Any]]:
    cur = await conn.execute(
        f"select {COLUMNS} from work_orders where (%(s)s::text is null or status = %(s)s)"
        " and (%(m)s::uuid is null or machine_id = %(m)s) and (%(a)s::uuid is null or assigned_to = %(a)s)"
        " order by number desc limit %(limit)s offset %(offset)s",
        {"s": status, "m": machine_id, "a": assigned_to, "limit": limit, "offset": offset},
    )
    return await cur.fetchall()


async def update(conn: Conn, wo_id: uuid.UUID, changes: dict[str, Any]) -> dict[str, Any]:
    """Apply a patch (only the keys present). A status change must be an allowed transition."""
    current = await get(conn, wo_id, for_update=True)
    sets: dict[str, Any] = {}
    for key in ("title", "description", "priority", "due_date", "failed_at"):
        if key in changes:
            if key in ("title", "priority") and changes[key] is None:
                continue
            sets[key] = changes[key]
    if "assigned_to" in changes:
        await ensure_user(conn, changes["assigned_to"])
        sets["assigned_to"] = changes["assigned_to"]
    extra = ""
    new_status = changes.get("status")
    if new_status is not None and new_status != current["status"]:
        if new_status not in TRANSITIONS[current["status"]]:
            raise WorkOrderTransitionConflict(
                f"work order {current['number']} cannot go from {current['status']} to {new_status}",
                status_now=current["status"],
                allowed=sorted(TRANSITIONS[current["status"]]),
            )
        sets["status"] = new_status
        if new_status == "in_progress":
            extra = ", started_at = coalesce(started_at, now())"
        elif new_status in ("done", "cancelled"):
            extra = ", completed_at = now()"
        elif new_status == "open":
            extra = ", started_at = null"
    if not sets and not extra:
        return current
    assignments = ", ".join(f"{k} = %({k})s" for k in sets)
    cur = await conn.execute(
        f"update work_orders set {assignments}{',' if assignments else ''} updated_at = now(){extra}"
        f" where id = %(id)s returning {COLUMNS}",
        {**sets, "id": wo_id},
    )
    row = await cur.fetchone()
    assert row is not None
    if sets.get("status") in ("done", "cancelled") and row["recommendation_id"] is not None:
        # the recommendation behind an automatic work order is decided with it
        await conn.execute(
            "update maintenance_recommendations set status = %s, decided_at = now(), updated_at = now()"
            " where id = %s and status = 'open'",
            ["accepted" if sets["status"] == "done" else "dismissed", row["recommendation_id"]],
        )
    return row


async def delete(conn: Conn, wo_id: uuid.UUID) -> None:
    """Only work orders nobody worked on (open or cancelled) can be deleted; the rest are the record."""
    current = await get(conn, wo_id, for_update=True)
    if current["status"] not in ("open", "cancelled") or current["started_at"] is not None:
        raise WorkOrderTransitionConflict(
            f"work order {current['number']} is {current['status']}: cancel it instead of deleting",
            status_now=current["status"],
        )
    await conn.execute("update maintenance_recommendations set work_order_id = null where work_order_id = %s", [wo_id])
    await conn.execute("delete from work_orders where id = %s", [wo_id])
