"""Demo planning data: a pump with a 4-level BOM (phantom seal kit, scrap, a substitute), routings on the
demo machines, a two-shift calendar, sales orders, an MRP run and released work orders for the scheduler."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

from mip.planning import boms, calendars, items, mrp, orders, routings
from mip.planning.schemas import BomIn, BomLineIn, ItemIn, SubstituteIn
from mip.planning.schemas_ops import Alternate, CalendarIn, Holiday, OperationIn, RoutingIn, Shift, WorkCenterIn
from mip.planning.schemas_orders import DemandIn, SupplyPatch
from mip.platform.db import Conn

ITEMS: list[dict[str, Any]] = [
    {"part_number": "PUMP-100", "description": "Centrifugal pump", "make_buy": "make", "lead_time_days": 2},
    {"part_number": "HOUSING", "description": "Machined housing", "make_buy": "make", "lead_time_days": 3},
    {"part_number": "ROTOR-ASSY", "description": "Rotor assembly", "make_buy": "make", "lead_time_days": 2},
    {"part_number": "IMPELLER", "description": "Machined impeller", "make_buy": "make", "lead_time_days": 2},
    {"part_number": "SEAL-KIT", "description": "Seal kit (phantom)", "make_buy": "make"},
    {"part_number": "CASTING", "make_buy": "buy", "lead_time_days": 10, "standard_cost": 42.0, "on_hand": 4},
    {"part_number": "BLANK", "make_buy": "buy", "lead_time_days": 7, "standard_cost": 12.5},
    {"part_number": "SHAFT", "make_buy": "buy", "lead_time_days": 5, "standard_cost": 18.0, "safety_stock": 5},
    {"part_number": "SEAL", "make_buy": "buy", "lead_time_days": 4, "standard_cost": 3.2, "on_hand": 50},
    {"part_number": "O-RING", "make_buy": "buy", "lead_time_days": 3, "standard_cost": 0.15, "on_hand": 200},
    {"part_number": "O-RING-V", "description": "Viton O-ring", "make_buy": "buy", "standard_cost": 0.4},
    {"part_number": "BOLT-M8", "make_buy": "buy", "lead_time_days": 2, "standard_cost": 0.05, "on_hand": 500},
]

BOMS: list[tuple[str, list[tuple[str, float, float, bool]]]] = [  # parent, (component, qty, scrap %, phantom)
    ("PUMP-100", [("HOUSING", 1, 0, False), ("ROTOR-ASSY", 1, 0, False), ("SEAL-KIT", 1, 0, True),
                  ("BOLT-M8", 8, 2, False)]),
    ("HOUSING", [("CASTING", 1, 5, False)]),
    ("ROTOR-ASSY", [("IMPELLER", 1, 0, False), ("SHAFT", 1, 0, False)]),
    ("IMPELLER", [("BLANK", 1, 3, False)]),
    ("SEAL-KIT", [("SEAL", 2, 0, False), ("O-RING", 4, 10, False)]),
]  # fmt: skip


async def seed_planning_demo(conn: Conn, tenant_id: uuid.UUID, machine_ids: list[uuid.UUID]) -> None:
    """Seed the demo tenant's planning data (skipped if PUMP-100 exists). Needs at least one machine."""
    if not machine_ids:
        return
    if await items.ids_by_part(conn, ["PUMP-100"]):
        return
    for it in ITEMS:
        await items.create_item(conn, tenant_id, ItemIn(**it))
    for parent, lines in BOMS:
        body = BomIn(
            part_number=parent,
            revision="A",
            lines=[
                BomLineIn(
                    component=c,
                    qty_per=q,
                    scrap_pct=s,
                    phantom=ph,
                    substitutes=[SubstituteIn(part_number="O-RING-V")] if c == "O-RING" else [],
                )
                for c, q, s, ph in lines
            ],
        )
        await boms.create_bom(conn, tenant_id, body)
    today = datetime.now(UTC).date()
    weekdays = [Shift(weekday=d, start=a, end=b) for d in range(5) for a, b in (("06:00", "14:00"), ("14:00", "22:00"))]
    cal = await calendars.create_calendar(
        conn,
        tenant_id,
        CalendarIn(
            name="Two shifts",
            timezone="Europe/Berlin",
            shifts=weekdays,
            holidays=[Holiday(date=today + timedelta(days=20), name="Plant holiday")],
        ),
    )
    groups = {"MACH": machine_ids[0::2] or machine_ids, "ASSY": machine_ids[1::2] or machine_ids}
    for code, ms in groups.items():
        await routings.create_work_center(
            conn,
            tenant_id,
            WorkCenterIn(code=code, name=code.title(), calendar_id=cal["id"], cost_per_hour=75.0, machine_ids=ms),
        )
    ops = {
        "PUMP-100": [("ASSY", "Assemble", 30, 12, 0), ("ASSY", "Test", 10, 6, 0)],
        "HOUSING": [("MACH", "Rough mill", 45, 20, 30), ("MACH", "Finish bore", 30, 15, 0)],
        "ROTOR-ASSY": [("ASSY", "Press fit", 20, 5, 0)],
        "IMPELLER": [("MACH", "Turn", 40, 18, 60), ("MACH", "Balance", 15, 4, 0)],
    }
    alt = machine_ids[-1]
    for part, steps in ops.items():
        await routings.create_routing(
            conn,
            tenant_id,
            RoutingIn(
                part_number=part,
                revision="A",
                operations=[
                    OperationIn(
                        seq=10 * (i + 1),
                        name=name,
                        work_center=wc,
                        setup_min=setup,
                        run_min_per_unit=run,
                        transfer_min=transfer,
                        alternates=[Alternate(machine_id=alt, speed_factor=0.8)] if wc == "MACH" else [],
                    )
                    for i, (wc, name, setup, run, transfer) in enumerate(steps)
                ],
            ),
        )
    for no, qty, days, prio in (("SO-1001", 5, 14, 1), ("SO-1002", 8, 21, 0), ("SO-1003", 3, 10, 5)):
        await orders.create_demand(
            conn,
            tenant_id,
            DemandIn(
                order_no=no,
                part_number="PUMP-100",
                quantity=qty,
                due_date=today + timedelta(days=days),
                priority=prio,
                customer="ACME",
            ),
        )
    await mrp.run_mrp(conn, tenant_id, None, today)
    for wo in await orders.list_supply(conn, status="planned", kind="make"):
        await orders.update_supply(conn, wo["id"], SupplyPatch(status="released"))
