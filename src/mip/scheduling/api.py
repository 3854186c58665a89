"""HTTP API of the scheduling domain: solve, list, get, Gantt, late-order explanations, reschedule, publish."""

from __future__ import annotations

import uuid
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query

from mip.api.deps import Ctx, require
from mip.identity.permissions import Permission
from mip.scheduling import service
from mip.scheduling.codec import problem_from_dict
from mip.scheduling.model import Job, MachineDown, Mode, Operation, Predecessor, RushOrder
from mip.scheduling.schemas import (
    GanttOut,
    LatePage,
    RescheduleIn,
    RushOrderIn,
    ScheduleOut,
    SchedulePage,
    SolveIn,
)
from mip.scheduling.solver import SolveOptions

router = APIRouter(prefix="/api/v1/schedules", tags=["scheduling"])

ReadCtx = Annotated[Ctx, Depends(require(Permission.PLANNING_READ))]
WriteCtx = Annotated[Ctx, Depends(require(Permission.SCHEDULE_WRITE))]


def _rush(r: RushOrderIn) -> RushOrder:
    j = r.job
    job = Job(j.id, j.release, j.due, j.weight, j.priority, j.name)
    ops = tuple(
        Operation(
            o.id,
            o.job,
            tuple(Mode(m.machine, m.duration, m.setup) for m in o.modes),
            tuple(Predecessor(p.op, p.min_lag) for p in o.predecessors),
            o.name,
        )
        for o in r.operations
    )
    return RushOrder(job, ops)


@router.post("", summary="Solve a schedule (posted problem or the tenant's planning data)", status_code=201,
             response_model=ScheduleOut)  # fmt: skip
async def solve_schedule(body: SolveIn, ctx: WriteCtx) -> dict[str, Any]:
    if body.problem is not None:
        problem = problem_from_dict(body.problem.model_dump(mode="json"))
    else:
        async with ctx.tx() as conn:
            problem = await service.problem_from_planning(
                conn, order_ids=body.order_ids, horizon_start=body.horizon_start, horizon_days=body.horizon_days
            )
    options = SolveOptions(
        objective=body.objective,
        time_limit_s=body.time_limit_s,
        workers=body.workers,
        makespan_weight=body.makespan_weight,
        tardiness_weight=body.tardiness_weight,
    )
    result = await service.solve_in_thread(problem, options)
    async with ctx.tx() as conn:
        sid = await service.store(
            conn, name=body.name, problem=problem, result=result, options=options, user_id=ctx.principal.user_id
        )
        row = await service.get_row(conn, sid)
    return service.schedule_json(row)


@router.get("", summary="List schedules, newest first", response_model=SchedulePage)
async def list_schedules(
    ctx: ReadCtx,
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
    offset: Annotated[int, Query(ge=0)] = 0,
) -> dict[str, Any]:
    async with ctx.tx() as conn:
        rows = await service.list_schedules(conn, limit, offset)
    return {"items": [service.schedule_json(r) for r in rows], "limit": limit, "offset": offset}


@router.get("/{schedule_id}", summary="Get a schedule with its assignments", response_model=ScheduleOut)
async def get_schedule(schedule_id: uuid.UUID, ctx: ReadCtx) -> dict[str, Any]:
    async with ctx.tx() as conn:
        row = await service.get_row(conn, schedule_id)
        items = await service.assignments(conn, schedule_id)
    return service.schedule_json(row, items)


@router.get("/{schedule_id}/gantt", summary="Gantt rows per machine with bars", response_model=GanttOut)
async def gantt(schedule_id: uuid.UUID, ctx: ReadCtx) -> dict[str, Any]:
    async with ctx.tx() as conn:
        row, problem, sched = await service.load_solved(conn, schedule_id)
    return service.gantt(row, problem, sched)


@router.get("/{schedule_id}/late", summary="Late orders with their critical chains", response_model=LatePage)
async def late_orders(
    schedule_id: uuid.UUID, ctx: ReadCtx, limit: Annotated[int, Query(ge=1, le=1000)] = 50
) -> dict[str, Any]:
    async with ctx.tx() as conn:
        row, problem, sched = await service.load_solved(conn, schedule_id)
    return service.late(row, problem, sched, limit)


@router.post("/{schedule_id}/reschedule", summary="Reschedule after a disruption, keeping the plan stable",
             status_code=201, response_model=ScheduleOut)  # fmt: skip
async def reschedule_schedule(schedule_id: uuid.UUID, body: RescheduleIn, ctx: WriteCtx) -> dict[str, Any]:
    async with ctx.tx() as conn:
        row, problem, previous = await service.load_solved(conn, schedule_id)
    options = SolveOptions(
        objective=body.objective,
        time_limit_s=body.time_limit_s,
        workers=body.workers,
        stability_weight=max(body.stability_weight, 0),
        machine_change_penalty=body.machine_change_penalty,
    )
    new, result = await service.do_reschedule(
        problem,
        previous,
        now=body.now,
        machine_down=tuple(MachineDown(d.machine, d.start, d.end) for d in body.machine_down),
        rush_orders=tuple(_rush(r) for r in body.rush_orders),
        options=options,
    )
    disruption = body.model_dump(mode="json", include={"now", "machine_down", "rush_orders"})
    async with ctx.tx() as conn:
        sid = await service.store(
            conn,
            name=f"{row['name']} (rescheduled)",
            problem=new,
            result=result,
            options=options,
            user_id=ctx.principal.user_id,
            parent_id=schedule_id,
            disruption=disruption,
        )
        out = await service.get_row(conn, sid)
    return service.schedule_json(out)


@router.post("/{schedule_id}/publish", summary="Publish a schedule (the previous published one is superseded)",
             response_model=ScheduleOut)  # fmt: skip
async def publish(schedule_id: uuid.UUID, ctx: WriteCtx) -> dict[str, Any]:
    async with ctx.tx() as conn:
        row = await service.publish(conn, schedule_id, ctx.principal.user_id)
    return service.schedule_json(row)
