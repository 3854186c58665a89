"""The planning → scheduling seam: turn the tenant's work orders, routings, work-centre machines, calendars,
unavailability windows, material-available dates and due dates into a ``mip.scheduling.model.Problem``.

* one job per make supply order (id: the order's UUID, name: its number), weight ``1 + priority``;
* one operation per routing operation (routing effective on the order's start date), id ``<order id>:<seq>``;
  modes: every machine of the operation's work centre (standard speed) plus its alternative machines
  (``duration = ceil(run_min_per_unit × quantity / speed_factor)``, ``setup = ceil(setup_min)``);
* routing order: each operation follows the previous one plus its transfer/queue time;
* BOM precedence: when a sub-assembly order is pegged to a parent order (MRP pegging) and both are in the
  problem, the sub-assembly's last operation precedes the parent's first operation (plus its transfer time);
* release: the latest of the order's ``material_available_at`` and the due dates (start of day) of the open
  supply pegged to it that is not part of the problem (purchase orders, sub-assemblies scheduled elsewhere;
  start of the due date in UTC);
* due: end of the order's due date; dates are read in the time zone of the work centre of the order's first
  operation (UTC without a calendar);
* machine unavailability: the closed time of the machine's work-centre calendar within the horizon plus its
  unavailability windows. Beyond the horizon machines are treated as open: choose a horizon that covers the work.
"""

from __future__ import annotations

import math
import uuid
from collections import defaultdict
from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

from mip.planning import calendars, routings
from mip.planning.common import Row
from mip.planning.errors import InvalidPlanningInput, PlanningNotFound
from mip.platform.db import Conn
from mip.scheduling.model import Job, Machine, Mode, Operation, Predecessor, Problem, Window

DEFAULT_STATUSES = ("released", "firm", "planned")


def _minutes(at: datetime, origin: datetime) -> float:
    return (at - origin).total_seconds() / 60


async def _orders(conn: Conn, order_ids: list[uuid.UUID] | None, statuses: tuple[str, ...]) -> list[Row]:
    if order_ids is not None:
        cur = await conn.execute("select * from plan_supply_orders where id = any(%s)", [order_ids])
        rows = await cur.fetchall()
        missing = sorted({str(i) for i in order_ids} - {str(r["id"]) for r in rows})
        if missing:
            raise PlanningNotFound(f"work order(s) not found: {', '.join(missing)}", order_ids=missing)
        bad = [r["number"] for r in rows if r["kind"] != "make" or r["status"] in ("completed", "cancelled")]
        if bad:
            raise InvalidPlanningInput(f"not open work orders: {', '.join(bad)}", orders=bad)
    else:
        cur = await conn.execute(
            "select * from plan_supply_orders where kind = 'make' and status = any(%s) order by due_date, number",
            [list(statuses)],
        )
        rows = await cur.fetchall()
    return rows


async def build_problem(
    conn: Conn,
    *,
    order_ids: list[uuid.UUID] | None,
    horizon_start: datetime,
    horizon_days: int = 56,
    statuses: tuple[str, ...] = DEFAULT_STATUSES,
    name: str = "",
) -> Problem:
    """The scheduling problem of the given work orders (default: every open make order in ``statuses``)."""
    if horizon_start.tzinfo is None:
        raise InvalidPlanningInput("horizon_start needs a time zone")
    origin = horizon_start.astimezone(UTC)
    horizon_end = origin + timedelta(days=horizon_days)
    wos = await _orders(conn, order_ids, statuses)
    by_item = await routings.routings_by_item(conn)
    wcs = {w["id"]: w for w in await routings.list_work_centers(conn)}
    cals = {c["id"]: c for c in await calendars.list_calendars(conn)}
    cur = await conn.execute("select id, name from assets where kind = 'machine'")
    machine_names = {r["id"]: r["name"] for r in await cur.fetchall()}

    problems: list[str] = []
    jobs: list[Job] = []
    ops: list[Operation] = []
    first_last: dict[uuid.UUID, tuple[str, str, int]] = {}  # order -> (first op, last op, last transfer)
    used_machines: dict[uuid.UUID, uuid.UUID | None] = {}  # machine -> calendar id
    for wo in wos:
        routing = routings.effective(by_item.get(wo["item_id"], []), wo["start_date"])
        if routing is None or not routing["operations"]:
            problems.append(f"{wo['number']}: no routing effective on {wo['start_date']}")
            continue
        prev: tuple[str, int] | None = None
        op_ids: list[str] = []
        tz = _tz(cals.get(wcs[routing["operations"][0]["work_center_id"]]["calendar_id"]))
        for o in routing["operations"]:
            wc = wcs[o["work_center_id"]]
            speeds: dict[uuid.UUID, float] = {m: 1.0 for m in wc["machine_ids"]}
            for alt in o["alternates"]:
                speeds[uuid.UUID(alt["machine_id"])] = float(alt["speed_factor"])
            if not speeds:
                problems.append(f"{wo['number']} op {o['seq']}: work centre {wc['code']} has no machine")
                continue
            modes = []
            for m, speed in sorted(speeds.items(), key=lambda kv: str(kv[0])):
                used_machines.setdefault(m, wc["calendar_id"] if m in wc["machine_ids"] else None)
                run = math.ceil(o["run_min_per_unit"] * float(wo["quantity"]) / speed - 1e-9)
                modes.append(Mode(machine=str(m), duration=run, setup=math.ceil(o["setup_min"] - 1e-9)))
            op_id = f"{wo['id']}:{o['seq']}"
            preds = (Predecessor(prev[0], prev[1]),) if prev else ()
            ops.append(Operation(op_id, str(wo["id"]), tuple(modes), preds, f"{wo['number']}/{o['seq']} {o['name']}"))
            op_ids.append(op_id)
            prev = (op_id, math.ceil(o["transfer_min"] - 1e-9))
        if not op_ids or prev is None:
            continue
        first_last[wo["id"]] = (op_ids[0], op_ids[-1], prev[1])
        due = _minutes(datetime.combine(wo["due_date"] + timedelta(days=1), time(), tzinfo=tz), origin)
        jobs.append(
            Job(
                id=str(wo["id"]),
                release=0,
                due=max(0, math.floor(due)),
                weight=1 + int(wo["priority"]),
                priority=int(wo["priority"]),
                name=wo["number"],
            )
        )
        jobs[-1] = _with_release(jobs[-1], wo, tz, origin)
    if problems:
        raise InvalidPlanningInput("cannot schedule: " + "; ".join(problems), problems=problems)

    await _material_and_bom_links(conn, jobs, ops, first_last, wos, origin)
    machines = []
    for m, cal_id in sorted(used_machines.items(), key=lambda kv: str(kv[0])):
        windows = await calendars.windows_by_machine(conn, [m], origin, horizon_end)
        open_spans = calendars.available_intervals(
            cals.get(cal_id) if cal_id else None,
            [(w["start_at"], w["end_at"]) for w in windows.get(m, [])],
            origin,
            horizon_end,
        )
        closed = calendars.closed_intervals(open_spans, origin, horizon_end)
        wins = tuple(
            Window(math.floor(_minutes(a, origin)), math.ceil(_minutes(b, origin)), "closed")
            for a, b in closed
            if b > a
        )
        wc_code = next((w["code"] for w in wcs.values() if m in w["machine_ids"]), "")
        machines.append(Machine(str(m), machine_names.get(m, str(m)), wc_code, wins))
    return Problem(tuple(machines), tuple(jobs), tuple(ops), horizon_start=origin, name=name).validate()


def _tz(cal: Row | None) -> ZoneInfo:
    return ZoneInfo(cal["timezone"]) if cal else ZoneInfo("UTC")


def _with_release(job: Job, wo: Row, tz: ZoneInfo, origin: datetime) -> Job:
    at = wo["material_available_at"]
    rel = max(0, math.ceil(_minutes(at, origin))) if at else 0
    return Job(job.id, rel, job.due, job.weight, job.priority, job.name)


async def _material_and_bom_links(
    conn: Conn,
    jobs: list[Job],
    ops: list[Operation],
    first_last: dict[uuid.UUID, tuple[str, str, int]],
    wos: list[Row],
    origin: datetime,
) -> None:
    """Release from pegged supply outside the problem; precedence from pegged sub-assembly orders inside it."""
    ids = [wo["id"] for wo in wos]
    cur = await conn.execute(
        "select p.parent_supply_id, s.id, s.due_date, s.status from plan_pegging p"
        " join plan_supply_orders s on s.id = p.supply_id where p.parent_supply_id = any(%s)",
        [ids],
    )
    release: dict[str, int] = defaultdict(int)
    extra: dict[str, list[Predecessor]] = defaultdict(list)
    for r in await cur.fetchall():
        parent = first_last.get(r["parent_supply_id"])
        if parent is None or r["status"] in ("completed", "cancelled"):
            continue
        child = first_last.get(r["id"])
        if child is not None:
            extra[parent[0]].append(Predecessor(child[1], child[2]))
        else:
            at = datetime.combine(r["due_date"], time(), tzinfo=UTC)
            release[str(r["parent_supply_id"])] = max(
                release[str(r["parent_supply_id"])], math.ceil(_minutes(at, origin))
            )
    for i, j in enumerate(jobs):
        if release.get(j.id, 0) > j.release:
            jobs[i] = Job(j.id, release[j.id], j.due, j.weight, j.priority, j.name)
    for i, o in enumerate(ops):
        if o.id in extra:
            seen = {p.op for p in o.predecessors}
            more = tuple(p for p in dict.fromkeys(extra[o.id]) if p.op not in seen)
            ops[i] = Operation(o.id, o.job, o.modes, o.predecessors + more, o.name)
