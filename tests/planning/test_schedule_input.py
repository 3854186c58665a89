"""The demo seed and the scheduler input adapter: released work orders become jobs with routing operations,
alternative machines, BOM precedence, calendar closures and unavailability windows."""

from __future__ import annotations

import math
import uuid
from datetime import UTC, datetime, timedelta

import pytest

from mip.planning import orders
from mip.planning.demo import seed_planning_demo
from mip.planning.errors import InvalidPlanningInput
from mip.planning.schedule_input import build_problem
from mip.platform.db import Database
from tests.conftest import MachineFactory, TenantKit


async def test_demo_seed_gives_a_valid_scheduling_problem(
    db: Database, tenant: TenantKit, make_machine: MachineFactory
) -> None:
    m1 = (await make_machine(tenant.id, site="s1")).machine_id
    m2 = (await make_machine(tenant.id, site="s2")).machine_id
    async with db.tenant_tx(tenant.id) as conn:
        await seed_planning_demo(conn, tenant.id, [m1, m2])
        await seed_planning_demo(conn, tenant.id, [m1, m2])  # idempotent
        wos = await orders.list_supply(conn, status="released", kind="make")
        start = datetime.now(UTC).replace(hour=0, minute=0, second=0, microsecond=0)
        await conn.execute(
            "insert into plan_unavailability (id, tenant_id, machine_id, start_at, end_at, kind)"
            " values (gen_random_uuid(), %s, %s, %s, %s, 'maintenance')",
            [tenant.id, m1, start + timedelta(days=2, hours=7), start + timedelta(days=2, hours=9)],
        )
        problem = await build_problem(conn, order_ids=None, horizon_start=start, horizon_days=28)
    by_part = {w["part_number"]: w for w in wos}
    assert set(by_part) == {"PUMP-100", "HOUSING", "ROTOR-ASSY", "IMPELLER"}
    assert {j.name for j in problem.jobs} == {w["number"] for w in wos}
    # HOUSING: rough mill on MACH (m1) at standard speed or on the alternate m2 at 0.8 speed
    housing = by_part["HOUSING"]
    op = problem.op(f"{housing['id']}:10")
    modes = {md.machine: (md.setup, md.duration) for md in op.modes}
    q = housing["quantity"]
    assert modes[str(m1)] == (45, math.ceil(20 * q))
    assert modes[str(m2)] == (45, math.ceil(20 * q / 0.8))
    # routing order with the 30 min transfer after the rough mill
    finish = problem.op(f"{housing['id']}:20")
    assert [(p.op, p.min_lag) for p in finish.predecessors] == [(op.id, 30)]
    # BOM precedence: IMPELLER's last operation (balance, no transfer time) before ROTOR-ASSY's first
    rotor_first = problem.op(f"{by_part['ROTOR-ASSY']['id']}:10")
    assert (f"{by_part['IMPELLER']['id']}:20", 0) in [(p.op, p.min_lag) for p in rotor_first.predecessors]
    pump_first = problem.op(f"{by_part['PUMP-100']['id']}:10")
    assert {p.op for p in pump_first.predecessors} == {
        f"{by_part['HOUSING']['id']}:20",
        f"{by_part['ROTOR-ASSY']['id']}:10",
    }
    # calendar: weekday two shifts in Europe/Berlin → closed nights and weekends; the maintenance window
    m1_windows = problem.machine(str(m1)).unavailable
    assert m1_windows, "nights and weekends are closed"
    maint = (2 * 24 * 60 + 7 * 60, 2 * 24 * 60 + 9 * 60)
    assert any(w.start <= maint[0] and w.end >= maint[1] for w in m1_windows)
    closed_minutes = sum(w.end - w.start for w in m1_windows)
    assert 28 * 24 * 60 * 0.45 < closed_minutes < 28 * 24 * 60 * 0.75
    # due dates and priorities come from the orders
    pump_job = problem.job(str(by_part["PUMP-100"]["id"]))
    assert pump_job.due is not None
    assert pump_job.due > 0


async def test_unknown_or_unroutable_orders_are_refused(
    db: Database, tenant: TenantKit, make_machine: MachineFactory
) -> None:
    m1 = (await make_machine(tenant.id)).machine_id
    async with db.tenant_tx(tenant.id) as conn:
        await seed_planning_demo(conn, tenant.id, [m1])
        with pytest.raises(Exception, match="not found"):
            await build_problem(conn, order_ids=[uuid.UUID(int=5)], horizon_start=datetime.now(UTC))
        await conn.execute(
            "delete from plan_routings where item_id = (select id from plan_items where part_number = 'IMPELLER')"
        )
        with pytest.raises(InvalidPlanningInput, match="no routing"):
            await build_problem(conn, order_ids=None, horizon_start=datetime.now(UTC))
