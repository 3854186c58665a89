"""MRP: gross requirements from open demand, netting against on hand, open supply and safety stock,
lot-for-lot per day, lead-time offsetting through every BOM level in low-level-code order (each item netted
once, after all its parents), planned work orders and purchase requisitions with pegging, and exceptions.

A run is one transaction under a per-tenant advisory lock: the previous run's planned orders and all pegging
are deleted and replaced, so readers see either the old plan or the new one."""

from __future__ import annotations

import datetime as dt
import uuid
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from mip.planning import bomdata
from mip.planning.bomdata import BomData
from mip.planning.common import Row
from mip.platform.db import Conn
from mip.platform.ids import uuid7

EPS = 1e-9


@dataclass
class Req:
    date: dt.date
    qty: float
    demand_id: uuid.UUID | None = None
    parent_supply: uuid.UUID | None = None

    @property
    def order_key(self) -> tuple[dt.date, int]:
        # safety stock first on its date, then independent, then dependent demand
        return (self.date, 0 if self.demand_id is None and self.parent_supply is None else 1)


@dataclass
class Receipt:
    row: Row
    remaining: float


class Plan:
    """The in-memory result of one run; ``write`` persists it."""

    def __init__(self, data: BomData, as_of: date, number: int) -> None:
        self.data = data
        self.as_of = as_of
        self.number = number
        self.reqs: dict[uuid.UUID, list[Req]] = defaultdict(list)
        self.orders: list[dict[str, Any]] = []
        self.pegs: list[dict[str, Any]] = []
        self.exceptions: list[dict[str, Any]] = []
        self._seq = {"make": 0, "buy": 0}

    def exception(self, kind: str, item: uuid.UUID, message: str, **extra: Any) -> None:
        self.exceptions.append({"kind": kind, "part_number": self.data.part(item), "message": message, **extra})

    def add_components(self, supply_id: uuid.UUID, number: str, item: uuid.UUID, qty: float, on: date) -> None:
        """Dependent demand of a make order at its start date; phantom lines are blown through."""
        bom = self.data.bom_for(item, on)
        if bom is None:
            self.exception("no_bom", item, f"{number}: no BOM effective on {on}", date=on, supply_number=number)
            return

        def walk(b: bomdata.Bom, q: float, stack: tuple[uuid.UUID, ...]) -> None:
            for ln in b.lines:
                need = q * ln.gross_per
                if ln.component_id in stack:
                    continue
                if ln.phantom:
                    sub = self.data.bom_for(ln.component_id, on)
                    if sub is not None:
                        walk(sub, need, (*stack, ln.component_id))
                        continue
                self.reqs[ln.component_id].append(Req(on, need, parent_supply=supply_id))

        walk(bom, qty, (item,))

    def net_item(self, item: uuid.UUID, receipts: list[Receipt]) -> None:
        it = self.data.items[item]
        reqs = list(self.reqs.get(item, []))
        if it["safety_stock"] > EPS:
            reqs.append(Req(self.as_of, float(it["safety_stock"])))
        reqs.sort(key=lambda r: r.order_key)
        stock = float(it["on_hand"])
        receipts.sort(key=lambda r: (r.row["due_date"], r.row["number"]))
        net: dict[date, list[tuple[Req, float]]] = defaultdict(list)
        for req in reqs:
            need = req.qty
            used = min(stock, need)
            stock -= used
            need -= used
            for rc in receipts:
                if need <= EPS:
                    break
                if rc.remaining <= EPS:
                    continue
                take = min(rc.remaining, need)
                rc.remaining -= take
                need -= take
                self.peg(rc.row["id"], item, take, req)
                if rc.row["due_date"] > req.date:
                    self.exception(
                        "reschedule_in",
                        item,
                        f"{rc.row['number']} is due {rc.row['due_date']} but needed {req.date}: expedite",
                        date=req.date,
                        supply_number=rc.row["number"],
                    )
            if need > EPS:
                net[req.date].append((req, need))
        for rc in receipts:
            if rc.remaining >= float(rc.row["quantity"]) - EPS:
                self.exception(
                    "excess_supply",
                    item,
                    f"{rc.row['number']} is not needed by any demand: cancel or defer",
                    supply_number=rc.row["number"],
                )
        for due, parts in sorted(net.items()):
            self.planned_order(item, due, parts)

    def planned_order(self, item: uuid.UUID, due: date, parts: list[tuple[Req, float]]) -> None:
        it = self.data.items[item]
        kind = it["make_buy"]
        self._seq[kind] += 1
        number = f"{'WO' if kind == 'make' else 'PR'}{self.number:04d}-{self._seq[kind]:03d}"
        qty = round(sum(q for _, q in parts), 9)
        start = due - timedelta(days=int(it["lead_time_days"]))
        sid = uuid7()
        self.orders.append(
            {
                "id": sid,
                "number": number,
                "kind": kind,
                "item_id": item,
                "quantity": qty,
                "start_date": start,
                "due_date": due,
            }
        )
        for req, q in parts:
            self.peg(sid, item, q, req)
        if start < self.as_of:
            self.exception(
                "past_due_start",
                item,
                f"{number} should have started {start} (due {due}, lead time {it['lead_time_days']} d)",
                date=start,
                supply_number=number,
            )
        if kind == "make":
            self.add_components(sid, number, item, qty, start)

    def peg(self, supply_id: uuid.UUID, item: uuid.UUID, qty: float, req: Req) -> None:
        self.pegs.append(
            {
                "supply_id": supply_id,
                "item_id": item,
                "quantity": round(qty, 9),
                "required_date": req.date,
                "demand_order_id": req.demand_id,
                "parent_supply_id": req.parent_supply,
            }
        )


async def run_mrp(conn: Conn, tenant_id: uuid.UUID, run_by: uuid.UUID | None, as_of: date) -> Row:
    await conn.execute("select pg_advisory_xact_lock(hashtextextended('mip.mrp:' || %s, 0))", [str(tenant_id)])
    data = await bomdata.load(conn)
    cur = await conn.execute("select * from plan_demand_orders where status = 'open' order by due_date, order_no")
    demand = await cur.fetchall()
    cur = await conn.execute(
        "select * from plan_supply_orders where status in ('firm','released') order by due_date, number"
    )
    supply = await cur.fetchall()
    cur = await conn.execute("select coalesce(max(number), 0) + 1 as n from plan_mrp_runs")
    number = int((await cur.fetchone() or {"n": 1})["n"])

    plan = Plan(data, as_of, number)
    for d in demand:
        plan.reqs[d["item_id"]].append(Req(d["due_date"], float(d["quantity"]), demand_id=d["id"]))
        if d["due_date"] < as_of:
            plan.exception(
                "past_due_demand",
                d["item_id"],
                f"order {d['order_no']} was due {d['due_date']}",
                date=d["due_date"],
                demand_order_no=d["order_no"],
            )
    receipts: dict[uuid.UUID, list[Receipt]] = defaultdict(list)
    for s in supply:
        receipts[s["item_id"]].append(Receipt(s, float(s["quantity"])))
        if s["kind"] == "make":
            plan.add_components(s["id"], s["number"], s["item_id"], float(s["quantity"]), s["start_date"])
    llc = data.low_level_codes()
    for item in sorted(data.items, key=lambda i: (llc[i], data.part(i))):
        if plan.reqs.get(item) or receipts.get(item) or data.items[item]["safety_stock"] > EPS:
            plan.net_item(item, receipts.get(item, []))

    await conn.execute("delete from plan_pegging")
    await conn.execute("delete from plan_supply_orders where status = 'planned'")
    run_id = uuid7()
    inputs = {
        "open_demand_orders": len(demand),
        "open_supply_orders": len(supply),
        "items": len(data.items),
        "boms": sum(len(b) for b in data.boms.values()),
    }
    outputs = {
        "planned_work_orders": sum(1 for o in plan.orders if o["kind"] == "make"),
        "purchase_requisitions": sum(1 for o in plan.orders if o["kind"] == "buy"),
        "pegs": len(plan.pegs),
        "exceptions": len(plan.exceptions),
    }
    from psycopg.types.json import Jsonb

    exc = [{k: (v.isoformat() if isinstance(v, date) else v) for k, v in e.items()} for e in plan.exceptions]
    await conn.execute(
        "insert into plan_mrp_runs (id, tenant_id, number, run_by, as_of, inputs, outputs, exceptions)"
        " values (%s,%s,%s,%s,%s,%s,%s,%s)",
        [run_id, tenant_id, number, run_by, as_of, Jsonb(inputs), Jsonb(outputs), Jsonb(exc)],
    )
    async with conn.cursor() as c:
        await c.executemany(
            "insert into plan_supply_orders (id, tenant_id, number, kind, item_id, quantity, start_date, due_date,"
            " status, source, mrp_run_id) values (%s,%s,%s,%s,%s,%s,%s,%s,'planned','mrp',%s)",
            [
                [
                    o["id"],
                    tenant_id,
                    o["number"],
                    o["kind"],
                    o["item_id"],
                    o["quantity"],
                    o["start_date"],
                    o["due_date"],
                    run_id,
                ]
                for o in plan.orders
            ],
        )
        await c.executemany(
            "insert into plan_pegging (id, tenant_id, mrp_run_id, supply_id, item_id, quantity, required_date,"
            " demand_order_id, parent_supply_id) values (%s,%s,%s,%s,%s,%s,%s,%s,%s)",
            [
                [
                    uuid7(),
                    tenant_id,
                    run_id,
                    p["supply_id"],
                    p["item_id"],
                    p["quantity"],
                    p["required_date"],
                    p["demand_order_id"],
                    p["parent_supply_id"],
                ]
                for p in plan.pegs
            ],
        )
    return await get_run(conn, run_id)


async def get_run(conn: Conn, run_id: uuid.UUID) -> Row:
    from mip.planning.common import fetch

    return await fetch(conn, "plan_mrp_runs", run_id, "MRP run")


async def list_runs(conn: Conn, limit: int = 50) -> list[Row]:
    cur = await conn.execute("select * from plan_mrp_runs order by number desc limit %s", [limit])
    return await cur.fetchall()
