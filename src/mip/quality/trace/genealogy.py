"""Genealogy: recording consumption (parent produced from child lots/serials) and tracing it.

A trace is one recursive CTE over ``trace_genealogy`` (indexed on both directions, one index probe per node).
``UNION`` drops a repeated (edge, depth) row and the depth cap bounds the walk, so even a cycle (rejected on
write) cannot loop forever.
Lots and serials are joined after the walk, under RLS: ITAR rows the caller may not see are counted as
``restricted_nodes`` and their edges left out, never silently dropped from the count.
"""

from __future__ import annotations

import time
import uuid
from typing import Any

import orjson

from mip.platform.db import Conn
from mip.platform.ids import uuid7
from mip.quality.trace import lots as lots_svc
from mip.quality.trace.common import EPS, MARKING, remaining
from mip.quality.trace.errors import GenealogyCycle, InsufficientQuantity, TraceConflict, TraceInvalid

MAX_DEPTH = 1000
BIG_WALK = 2000  # edges; above this the result joins are hash joins
DIRECTIONS = {"backward": ("parent_id", "child_id", "child_kind"), "forward": ("child_id", "parent_id", "parent_kind")}

WALK_SQL = """
create temp table _trace_walk on commit drop as
with recursive walk(edge_id, parent_id, parent_kind, child_id, child_kind, quantity, work_order_id, at,
                    node_id, node_kind, depth) as (
    select e.id, e.parent_id, e.parent_kind, e.child_id, e.child_kind, e.quantity, e.work_order_id, e.at,
           e.{next}, e.{next_kind}, 1
    from trace_genealogy e where e.{this} = %(root)s
  union
    select e.id, e.parent_id, e.parent_kind, e.child_id, e.child_kind, e.quantity, e.work_order_id, e.at,
           e.{next}, e.{next_kind}, w.depth + 1
    from walk w cross join lateral (
        select * from trace_genealogy g where g.{this} = w.node_id offset 0  -- always an index probe per node
    ) e
    where w.depth < %(max_depth)s
)
select * from walk
"""

RESULT_SQL = """
with hit as (select node_id, node_kind, min(depth) as depth from _trace_walk group by node_id, node_kind),
nodes as (
    select l.id, 'lot' as kind, l.lot_number as number, l.part_number, l.revision, l.status, l.itar,
           l.quantity, l.supplier, l.supplier_lot, l.cert_ref, h.depth
    from hit h join trace_lots l on l.id = h.node_id where h.node_kind = 'lot'
  union all
    select s.id, 'serial', s.serial_number, s.part_number, s.revision, s.status, s.itar,
           1.0, null, null, null, h.depth
    from hit h join trace_serials s on s.id = h.node_id where h.node_kind = 'serial'
),
edges as (
    select distinct on (edge_id) edge_id as id, parent_id, parent_kind, child_id, child_kind, quantity,
           work_order_id, at
    from _trace_walk order by edge_id
)
select (select count(*) from hit) as reached,
       (select coalesce(max(depth), 0) from _trace_walk) as max_depth,
       (select coalesce(json_agg(n order by n.depth, n.part_number collate "C",
                                         n.number collate "C"), '[]') from nodes n)::text as nodes,
       (select coalesce(json_agg(x), '[]') from edges x)::text as edges
"""


def node_summary(kind: str, row: dict[str, Any]) -> dict[str, Any]:
    return {
        "id": row["id"],
        "kind": kind,
        "number": row["lot_number"] if kind == "lot" else row["serial_number"],
        "part_number": row["part_number"],
        "revision": row["revision"],
        "status": row["status"],
        "itar": row["itar"],
        "quantity": float(row["quantity"]) if kind == "lot" else 1.0,
        "depth": 0,
    }


async def trace(conn: Conn, root_id: uuid.UUID, direction: str, *, max_depth: int = MAX_DEPTH) -> dict[str, Any]:
    """Every node below (backward: what went into it) or above (forward: where it went) the root, all levels."""
    if direction not in DIRECTIONS:
        raise TraceInvalid(f"direction must be backward or forward, not {direction!r}")
    kind, row = await lots_svc.get_node(conn, root_id)
    this, nxt, nxt_kind = DIRECTIONS[direction]
    started = time.perf_counter()
    # the walk goes to a temp table; knowing its size, the joins to lots/serials use hash joins for big trees
    # (RLS hides the per-tenant row count from the planner, which would otherwise probe the index per node)
    # the temp table is catalog churn only: its commit need not wait for a WAL flush
    await conn.execute("set local work_mem = '64MB'; set local synchronous_commit = off")
    await conn.execute("drop table if exists _trace_walk")
    cur = await conn.execute(
        WALK_SQL.format(this=this, next=nxt, next_kind=nxt_kind),  # column names from DIRECTIONS only
        {"root": root_id, "max_depth": max_depth},
    )
    big = cur.rowcount > BIG_WALK
    if big:
        await conn.execute("set local enable_nestloop = off")
    cur = await conn.execute(RESULT_SQL)
    res = await cur.fetchone()
    await conn.execute("drop table _trace_walk")
    if big:
        await conn.execute("set local enable_nestloop = on")
    assert res is not None
    nodes: list[dict[str, Any]] = orjson.loads(res["nodes"])
    edges: list[dict[str, Any]] = orjson.loads(res["edges"])
    visible = {n["id"] for n in nodes} | {str(root_id)}
    shown = [e for e in edges if e["parent_id"] in visible and e["child_id"] in visible]
    root = node_summary(kind, row)
    itar = root["itar"] or any(n["itar"] for n in nodes)
    return {
        "root": root,
        "direction": direction,
        "nodes": nodes,
        "edges": sorted(shown, key=lambda e: (e["at"], e["id"])),
        "node_count": len(nodes),
        "edge_count": len(shown),
        "restricted_nodes": int(res["reached"]) - len(nodes),
        "max_depth": int(res["max_depth"]),
        "truncated": int(res["max_depth"]) >= max_depth,
        "itar": itar,
        "marking": MARKING if itar else None,
        "elapsed_ms": round((time.perf_counter() - started) * 1000, 2),
    }


async def _would_cycle(conn: Conn, parent_id: uuid.UUID, child_ids: list[uuid.UUID]) -> bool:
    """Is the parent among the children or anything they were made from? (UNION on the node alone terminates.)"""
    cur = await conn.execute(
        """
        with recursive down(id) as (
            select unnest(%(children)s::uuid[])
          union
            select e.child_id from down d join trace_genealogy e on e.parent_id = d.id
        )
        select exists (select 1 from down where id = %(parent)s) as cycle
        """,
        {"children": child_ids, "parent": parent_id},
    )
    row = await cur.fetchone()
    return bool(row and row["cycle"])


async def _consume_lot(conn: Conn, lot_id: uuid.UUID, qty: float) -> dict[str, Any]:
    cur = await conn.execute(
        f"""
        update trace_lots set consumed_qty = consumed_qty + %(q)s, updated_at = now(),
            status = case when quantity - consumed_qty - shipped_qty - %(q)s <= {EPS} then 'consumed' else status end
        where id = %(id)s and status = 'released' and quantity - consumed_qty - shipped_qty >= %(q)s - {EPS}
        returning {lots_svc.LOT_COLUMNS}
        """,
        {"id": lot_id, "q": qty},
    )
    row = await cur.fetchone()
    if row is not None:
        return dict(row)
    lot = await lots_svc.get_lot(conn, lot_id)  # 404 if not visible
    if lot["status"] != "released":
        raise TraceConflict(f"lot {lot['lot_number']} is {lot['status']}: only released lots can be consumed")
    raise InsufficientQuantity(
        f"lot {lot['lot_number']}: {qty} requested but only {remaining(lot)} remaining",
        lot_id=str(lot_id),
        requested=qty,
        remaining=remaining(lot),
    )


async def _consume_serial(conn: Conn, serial_id: uuid.UUID) -> dict[str, Any]:
    cur = await conn.execute(
        f"update trace_serials set status = 'consumed', updated_at = now() where id = %s and status = 'released' "
        f"returning {lots_svc.SERIAL_COLUMNS}",
        [serial_id],
    )
    row = await cur.fetchone()
    if row is not None:
        return dict(row)
    serial = await lots_svc.get_serial(conn, serial_id)
    raise TraceConflict(
        f"serial {serial['serial_number']} is {serial['status']}: only a released serial can be consumed",
        serial_id=str(serial_id),
        status=serial["status"],
    )


async def consume(
    conn: Conn,
    tenant_id: uuid.UUID,
    actor: uuid.UUID | None,
    *,
    parent_id: uuid.UUID,
    children: list[dict[str, Any]],
    work_order_id: uuid.UUID | None = None,
) -> dict[str, Any]:
    """Record that ``parent`` (made by ``work_order_id``) consumed ``children``: all or nothing."""
    if not children:
        raise TraceInvalid("children must not be empty")
    # one genealogy writer per tenant at a time: two concurrent consumptions cannot close a cycle between them
    await conn.execute("select pg_advisory_xact_lock(hashtextextended('trace_genealogy:' || %s, 0))", [str(tenant_id)])
    parent_kind, parent = await lots_svc.get_node(conn, parent_id)
    if parent["status"] in ("shipped", "scrapped"):
        raise TraceConflict(f"the parent {parent_kind} is {parent['status']}: it cannot consume components")
    child_ids = [c["id"] for c in children]
    if parent_id in child_ids:
        raise GenealogyCycle("a lot or serial cannot consume itself", node_id=str(parent_id))
    if await _would_cycle(conn, parent_id, child_ids):
        raise GenealogyCycle(
            "the parent is already part of one of the children: consuming it would make a cycle",
            parent_id=str(parent_id),
        )
    edges: list[dict[str, Any]] = []
    for c in children:
        kind, _ = await lots_svc.get_node(conn, c["id"])
        qty = c.get("quantity")
        if kind == "lot":
            if qty is None or qty <= 0:
                raise TraceInvalid(f"child lot {c['id']}: a positive quantity is required")
            await _consume_lot(conn, c["id"], float(qty))
        else:
            if qty is not None and abs(qty - 1.0) > EPS:
                raise TraceInvalid(f"child serial {c['id']}: the quantity of a serial is 1")
            qty = 1.0
            await _consume_serial(conn, c["id"])
        cur = await conn.execute(
            "insert into trace_genealogy (id, tenant_id, parent_kind, parent_id, child_kind, child_id, quantity, "
            "work_order_id, created_by) values (%s,%s,%s,%s,%s,%s,%s,%s,%s) "
            "returning id, parent_id, parent_kind, child_id, child_kind, quantity, work_order_id, at",
            [uuid7(), tenant_id, parent_kind, parent_id, kind, c["id"], qty, work_order_id, actor],
        )
        edges.append(dict(await cur.fetchone() or {}))
    return {"parent_id": parent_id, "parent_kind": parent_kind, "work_order_id": work_order_id, "edges": edges}


async def recall(conn: Conn, lot_id: uuid.UUID, *, in_house_limit: int = 1000) -> dict[str, Any]:
    """Which shipped lots/serials contain the suspect lot (forward trace ∩ shipment lines), customers, dates."""
    kind, lot = await lots_svc.get_node(conn, lot_id)
    fwd = await trace(conn, lot_id, "forward")
    depth = {n["id"]: n["depth"] for n in fwd["nodes"]} | {str(lot_id): 0}
    numbers = {n["id"]: n for n in fwd["nodes"]} | {str(lot_id): node_summary(kind, lot)}
    cur = await conn.execute(
        """
        select s.id as shipment_id, s.shipment_number, s.customer, s.customer_po, s.ship_date,
               l.node_kind, l.node_id, l.quantity
        from trace_shipment_lines l join trace_shipments s on s.id = l.shipment_id
        where l.node_id = any(%s::uuid[])
        order by s.ship_date, s.shipment_number
        """,
        [list(depth)],
    )
    affected = []
    shipped_ids: set[str] = set()
    for r in await cur.fetchall():
        node = numbers.get(str(r["node_id"]))
        if node is None:
            continue
        shipped_ids.add(str(r["node_id"]))
        affected.append(
            {
                **{k: r[k] for k in ("shipment_id", "shipment_number", "customer", "customer_po", "ship_date")},
                "node_kind": r["node_kind"],
                "node_id": r["node_id"],
                "number": node["number"],
                "part_number": node["part_number"],
                "quantity": float(r["quantity"]),
                "depth": depth[str(r["node_id"])],
                "itar": node["itar"],
            }
        )
    # free-standing stock still here (consumed nodes are inside a parent that is itself in the forward set)
    in_house = [n for n in fwd["nodes"] if n["id"] not in shipped_ids and n["status"] in ("released", "quarantined")]
    customers = sorted({a["customer"] for a in affected})
    return {
        "suspect": node_summary(kind, lot),
        "shipments": affected,
        "customers": customers,
        "shipment_count": len({a["shipment_id"] for a in affected}),
        "affected_nodes": fwd["node_count"],
        "restricted_nodes": fwd["restricted_nodes"],
        "in_house_count": len(in_house),
        "in_house": in_house[:in_house_limit],
        "itar": fwd["itar"],
        "marking": fwd["marking"],
    }
