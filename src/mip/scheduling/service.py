"""Persistence and use cases of schedules: solve, store, read, Gantt, late explanations, reschedule, publish."""

from __future__ import annotations

import asyncio
import uuid
from dataclasses import asdict
from datetime import UTC, datetime, timedelta
from typing import Any

from psycopg.types.json import Jsonb

from mip.platform.db import Conn
from mip.platform.errors import Conflict, NotFound
from mip.platform.ids import uuid7
from mip.scheduling.codec import problem_from_dict, problem_to_dict
from mip.scheduling.explain import explain_late
from mip.scheduling.model import MachineDown, Problem, RushOrder, Schedule
from mip.scheduling.reschedule import reschedule
from mip.scheduling.solver import SolveOptions, SolveResult, solve


class ScheduleNotFound(NotFound):
    code = "schedule_not_found"


class ScheduleStateConflict(Conflict):
    code = "schedule_state_conflict"


async def problem_from_planning(
    conn: Conn, *, order_ids: list[uuid.UUID] | None, horizon_start: datetime | None, horizon_days: int
) -> Problem:
    """Hook to the planning domain: ``mip.planning.schedule_input.build_problem`` returns the tenant's open work
    orders (or ``order_ids``) as a ``Problem`` from ``horizon_start`` (default: now, to the minute)."""
    from mip.planning.schedule_input import build_problem

    start = horizon_start or datetime.now(UTC).replace(second=0, microsecond=0)
    built = await build_problem(conn, order_ids=order_ids, horizon_start=start, horizon_days=horizon_days)
    return built.validate()


async def solve_in_thread(problem: Problem, options: SolveOptions) -> SolveResult:
    """CP-SAT runs in a worker thread (it releases the GIL), so the event loop keeps serving."""
    return await asyncio.to_thread(solve, problem, options)


async def store(
    conn: Conn,
    *,
    name: str,
    problem: Problem,
    result: SolveResult,
    options: SolveOptions,
    user_id: uuid.UUID | None,
    parent_id: uuid.UUID | None = None,
    disruption: dict[str, Any] | None = None,
) -> uuid.UUID:
    sid = uuid7()
    opts = {k: v for k, v in asdict(options).items() if k != "hint"}
    await conn.execute(
        """insert into schedules (id, tenant_id, name, objective, solver_status, source, horizon_start, makespan,
               weighted_tardiness, late_orders, objective_value, lower_bound, seconds, greedy_makespan,
               greedy_weighted_tardiness, problem, options, parent_id, disruption, created_by)
           values (%s, current_setting('app.tenant_id')::uuid, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s,
                   %s, %s, %s, %s, %s)""",
        [
            sid, name, options.objective, result.status, result.source, problem.horizon_start,
            result.metrics.makespan, result.metrics.weighted_tardiness, result.metrics.late_jobs, result.objective,
            result.lower_bound, result.seconds, result.greedy.makespan, result.greedy.weighted_tardiness,
            Jsonb(problem_to_dict(problem)), Jsonb(opts), parent_id, Jsonb(disruption) if disruption else None,
            user_id,
        ],
    )  # fmt: skip
    job_of = {o.id: o.job for o in problem.operations}
    async with conn.cursor() as cur:
        await cur.executemany(
            """insert into schedule_assignments (id, tenant_id, schedule_id, op_id, job_id, machine_id, start_min,
                   end_min) values (%s, current_setting('app.tenant_id')::uuid, %s, %s, %s, %s, %s, %s)""",
            [(uuid7(), sid, a.op, job_of[a.op], a.machine, a.start, a.end) for a in result.schedule.assignments],
        )
    return sid


def _improvement(row: dict[str, Any]) -> dict[str, Any]:
    def pct(base: int, new: int) -> float | None:
        return round(100.0 * (base - new) / base, 2) if base else None

    return {
        "makespan": row["greedy_makespan"] - row["makespan"],
        "makespan_pct": pct(row["greedy_makespan"], row["makespan"]),
        "weighted_tardiness": row["greedy_weighted_tardiness"] - row["weighted_tardiness"],
        "weighted_tardiness_pct": pct(row["greedy_weighted_tardiness"], row["weighted_tardiness"]),
    }


_COLS = """id, name, state, objective, solver_status, source, horizon_start, makespan, weighted_tardiness, late_orders,
    objective_value, lower_bound, seconds, greedy_makespan, greedy_weighted_tardiness, parent_id, disruption,
    created_at, published_at"""


def schedule_json(row: dict[str, Any], assignments: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    out = {k: row[k] for k in row if k != "problem"}
    out["improvement"] = _improvement(row)
    out["assignments"] = assignments
    return out


async def get_row(conn: Conn, schedule_id: uuid.UUID, *, with_problem: bool = False) -> dict[str, Any]:
    cols = _COLS + (", problem" if with_problem else "")
    cur = await conn.execute(f"select {cols} from schedules where id = %s", [schedule_id])
    row = await cur.fetchone()
    if row is None:
        raise ScheduleNotFound(f"schedule {schedule_id} not found")
    return row


async def list_schedules(conn: Conn, limit: int, offset: int) -> list[dict[str, Any]]:
    cur = await conn.execute(
        f"select {_COLS} from schedules order by created_at desc, id desc limit %s offset %s", [limit, offset]
    )
    return await cur.fetchall()


async def assignments(conn: Conn, schedule_id: uuid.UUID) -> list[dict[str, Any]]:
    cur = await conn.execute(
        """select op_id as op, job_id as job, machine_id as machine, start_min as start, end_min as "end"
           from schedule_assignments where schedule_id = %s order by machine_id, start_min, op_id""",
        [schedule_id],
    )
    return await cur.fetchall()


async def load_solved(conn: Conn, schedule_id: uuid.UUID) -> tuple[dict[str, Any], Problem, Schedule]:
    from mip.scheduling.model import Assignment

    row = await get_row(conn, schedule_id, with_problem=True)
    problem = problem_from_dict(row["problem"])
    rows = await assignments(conn, schedule_id)
    sched = Schedule(tuple(Assignment(r["op"], r["machine"], r["start"], r["end"]) for r in rows))
    return row, problem, sched


def gantt(row: dict[str, Any], problem: Problem, sched: Schedule) -> dict[str, Any]:
    from mip.scheduling.evaluate import metrics

    m = metrics(problem, sched)
    hs = problem.horizon_start

    def at(t: int) -> Any:
        return hs + timedelta(minutes=t) if hs else None

    bars: dict[str, list[dict[str, Any]]] = {mc.id: [] for mc in problem.machines}
    for a in sorted(sched.assignments, key=lambda a: (a.machine, a.start, a.op)):
        op = problem.op(a.op)
        job = problem.job(op.job)
        late = m.tardiness.get(op.job, 0) > 0
        bars[a.machine].append(
            {"op": a.op, "order": op.job, "order_name": job.name, "op_name": op.name, "start": a.start, "end": a.end,
             "start_at": at(a.start), "end_at": at(a.end), "due": job.due,
             "due_at": at(job.due) if job.due is not None else None, "late": late}
        )  # fmt: skip
    rows = [
        {
            "machine": mc.id,
            "name": mc.name,
            "work_center": mc.work_center,
            "bars": bars[mc.id],
            "unavailable": [{"start": w.start, "end": w.end, "reason": w.reason} for w in mc.unavailable],
        }
        for mc in problem.machines
    ]
    return {"schedule_id": row["id"], "horizon_start": hs, "makespan": m.makespan, "rows": rows}


def late(row: dict[str, Any], problem: Problem, sched: Schedule, limit: int) -> dict[str, Any]:
    items = [asdict(e) for e in explain_late(problem, sched, limit=limit)]
    return {"schedule_id": row["id"], "items": items}


async def do_reschedule(
    problem: Problem,
    previous: Schedule,
    *,
    now: int,
    machine_down: tuple[MachineDown, ...],
    rush_orders: tuple[RushOrder, ...],
    options: SolveOptions,
) -> tuple[Problem, SolveResult]:
    return await asyncio.to_thread(
        reschedule, problem, previous, now=now, machine_down=machine_down, rush_orders=rush_orders, options=options
    )


async def publish(conn: Conn, schedule_id: uuid.UUID, user_id: uuid.UUID | None) -> dict[str, Any]:
    row = await get_row(conn, schedule_id)
    if row["state"] == "superseded":
        raise ScheduleStateConflict("a superseded schedule cannot be published again; solve or reschedule anew")
    if row["state"] == "published":
        return row
    await conn.execute(
        "update schedules set state = 'superseded', updated_at = now() where state = 'published' and id <> %s",
        [schedule_id],
    )
    await conn.execute(
        """update schedules set state = 'published', published_at = now(), published_by = %s, updated_at = now()
           where id = %s""",
        [user_id, schedule_id],
    )
    return await get_row(conn, schedule_id)
