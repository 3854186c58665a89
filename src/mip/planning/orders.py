"""Demand orders (sales / production orders for custom parts) and supply orders (work orders and purchase
orders / requisitions: planned by MRP, firmed, released, completed) with their pegging."""

from __future__ import annotations

import uuid
from typing import Any

from mip.planning import common, items
from mip.planning.common import Row
from mip.planning.errors import InvalidTransition
from mip.planning.schemas_orders import DemandIn, DemandPatch, SupplyIn, SupplyPatch
from mip.platform.db import Conn
from mip.platform.ids import uuid7

TRANSITIONS = {
    "planned": {"firm", "released", "cancelled"},
    "firm": {"released", "cancelled"},
    "released": {"completed", "cancelled"},
    "completed": set(),
    "cancelled": set(),
}

# --- demand ---------------------------------------------------------------------------------------------


async def create_demand(conn: Conn, tenant_id: uuid.UUID, body: DemandIn) -> Row:
    item = (await items.require_parts(conn, [body.part_number]))[body.part_number]
    values = body.model_dump(exclude={"part_number"})
    row = await common.insert(
        conn,
        "plan_demand_orders",
        {"tenant_id": tenant_id, "item_id": item, **values},
        duplicate=f"order {body.order_no!r} already exists",
    )
    return await get_demand(conn, row["id"])


async def list_demand(conn: Conn, *, status: str | None = None, demand_id: uuid.UUID | None = None) -> list[Row]:
    cur = await conn.execute(
        "select d.*, i.part_number from plan_demand_orders d join plan_items i on i.id = d.item_id"
        " where (%s::text is null or d.status = %s) and (%s::uuid is null or d.id = %s)"
        " order by d.due_date, d.priority desc, d.order_no",
        [status, status, demand_id, demand_id],
    )
    return await cur.fetchall()


async def get_demand(conn: Conn, demand_id: uuid.UUID) -> Row:
    rows = await list_demand(conn, demand_id=demand_id)
    if not rows:
        from mip.planning.errors import PlanningNotFound

        raise PlanningNotFound(f"order {demand_id} not found")
    return rows[0]


async def update_demand(conn: Conn, demand_id: uuid.UUID, body: DemandPatch) -> Row:
    changes = body.model_dump(exclude_unset=True, exclude={"expected_version"})
    await common.update(conn, "plan_demand_orders", demand_id, changes, body.expected_version, what="order")
    return await get_demand(conn, demand_id)


async def delete_demand(conn: Conn, demand_id: uuid.UUID) -> None:
    await common.delete(conn, "plan_demand_orders", demand_id, what="order", in_use="in use")


# --- supply ---------------------------------------------------------------------------------------------


async def create_supply(conn: Conn, tenant_id: uuid.UUID, body: SupplyIn) -> Row:
    item = await items.item_by_ref(conn, body.part_number)
    prefix = "WO" if item["make_buy"] == "make" else "PO"
    number = body.number or f"{prefix}-{uuid7().hex[-8:].upper()}"
    values = body.model_dump(exclude={"part_number", "number"})
    row = await common.insert(
        conn,
        "plan_supply_orders",
        {"tenant_id": tenant_id, "item_id": item["id"], "kind": item["make_buy"], "number": number, **values},
        duplicate=f"order {number!r} already exists",
    )
    return await get_supply(conn, row["id"])


async def update_supply(conn: Conn, supply_id: uuid.UUID, body: SupplyPatch) -> Row:
    current = await common.fetch(conn, "plan_supply_orders", supply_id, "supply order", lock=True)
    changes = body.model_dump(exclude_unset=True, exclude={"expected_version"})
    new = changes.get("status")
    if new is not None and new != current["status"] and new not in TRANSITIONS[current["status"]]:
        allowed = ", ".join(sorted(TRANSITIONS[current["status"]])) or "none"
        raise InvalidTransition(
            f"{current['number']}: cannot go from {current['status']} to {new} (allowed: {allowed})"
        )
    start = changes.get("start_date", current["start_date"])
    due = changes.get("due_date", current["due_date"])
    if due is not None and start is not None and due < start:
        from mip.planning.errors import InvalidPlanningInput

        raise InvalidPlanningInput("due_date must not be before start_date")
    await common.update(conn, "plan_supply_orders", supply_id, changes, body.expected_version, what="supply order")
    return await get_supply(conn, supply_id)


async def list_supply(
    conn: Conn,
    *,
    status: str | None = None,
    kind: str | None = None,
    item_id: uuid.UUID | None = None,
    supply_id: uuid.UUID | None = None,
) -> list[Row]:
    cur = await conn.execute(
        "select s.*, i.part_number from plan_supply_orders s join plan_items i on i.id = s.item_id"
        " where (%(st)s::text is null or s.status = %(st)s) and (%(k)s::text is null or s.kind = %(k)s)"
        " and (%(i)s::uuid is null or s.item_id = %(i)s) and (%(s)s::uuid is null or s.id = %(s)s)"
        " order by s.start_date, s.number",
        {"st": status, "k": kind, "i": item_id, "s": supply_id},
    )
    rows = await cur.fetchall()
    await attach_pegging(conn, rows)
    return rows


async def get_supply(conn: Conn, supply_id: uuid.UUID) -> Row:
    rows = await list_supply(conn, supply_id=supply_id)
    if not rows:
        from mip.planning.errors import PlanningNotFound

        raise PlanningNotFound(f"supply order {supply_id} not found")
    return rows[0]


async def attach_pegging(conn: Conn, rows: list[Row]) -> None:
    """Each supply order's pegs, each traced up to the top-level demand order numbers."""
    if not rows:
        return
    cur = await conn.execute(
        "select p.*, d.order_no as demand_order_no, s.number as parent_number from plan_pegging p"
        " left join plan_demand_orders d on d.id = p.demand_order_id"
        " left join plan_supply_orders s on s.id = p.parent_supply_id order by p.required_date, p.id"
    )
    pegs = await cur.fetchall()
    by_supply: dict[uuid.UUID, list[Row]] = {}
    for p in pegs:
        by_supply.setdefault(p["supply_id"], []).append(p)
    memo: dict[uuid.UUID, list[str]] = {}

    def tops(supply_id: uuid.UUID, depth: int = 0) -> list[str]:
        if supply_id in memo:
            return memo[supply_id]
        out: set[str] = set()
        for p in by_supply.get(supply_id, []):
            if p["demand_order_no"]:
                out.add(p["demand_order_no"])
            elif p["parent_supply_id"] and depth < 64:
                out.update(tops(p["parent_supply_id"], depth + 1))
        memo[supply_id] = sorted(out)
        return memo[supply_id]

    for r in rows:
        r["pegging"] = [_peg(p, tops) for p in by_supply.get(r["id"], [])]


def _peg(p: Row, tops: Any) -> dict[str, Any]:
    if p["demand_order_no"]:
        top = [p["demand_order_no"]]
    elif p["parent_supply_id"]:
        top = tops(p["parent_supply_id"])
    else:
        top = []
    return {
        "quantity": p["quantity"],
        "required_date": p["required_date"],
        "demand_order_id": p["demand_order_id"],
        "demand_order_no": p["demand_order_no"],
        "parent_supply_id": p["parent_supply_id"],
        "parent_number": p["parent_number"],
        "safety_stock": p["demand_order_id"] is None and p["parent_supply_id"] is None,
        "top_orders": top,
    }
