"""Work centres (groups of machines with a calendar and a rate) and routings (per item revision: ordered
operations on work centres, alternative machines with speed factors, transfer time), and routing labour
cost for the cost rollup."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Any

from mip.planning import calendars, common, items
from mip.planning.common import Row
from mip.planning.errors import Duplicate, EffectivityOverlap, InvalidPlanningInput, PlanningNotFound
from mip.planning.schemas_ops import RoutingIn, RoutingUpdate, WorkCenterIn, WorkCenterPatch
from mip.platform.db import Conn
from mip.platform.ids import uuid7

# --- work centres ---------------------------------------------------------------------------------------


async def _set_machines(conn: Conn, tenant_id: uuid.UUID, wc_id: uuid.UUID, machine_ids: list[uuid.UUID]) -> None:
    await calendars.require_machines(conn, machine_ids)
    await conn.execute("delete from plan_work_center_machines where work_center_id = %s", [wc_id])
    for m in dict.fromkeys(machine_ids):
        await conn.execute(
            "insert into plan_work_center_machines (id, tenant_id, work_center_id, machine_id) values (%s,%s,%s,%s)",
            [uuid7(), tenant_id, wc_id, m],
        )


async def _check_calendar(conn: Conn, cal_id: uuid.UUID | None) -> None:
    if cal_id is not None:
        await calendars.get_calendar(conn, cal_id)


async def create_work_center(conn: Conn, tenant_id: uuid.UUID, body: WorkCenterIn) -> Row:
    await _check_calendar(conn, body.calendar_id)
    values = body.model_dump(exclude={"machine_ids"})
    row = await common.insert(
        conn, "plan_work_centers", {"tenant_id": tenant_id, **values}, duplicate=f"work centre {body.code!r} exists"
    )
    await _set_machines(conn, tenant_id, row["id"], body.machine_ids)
    return await get_work_center(conn, row["id"])


async def update_work_center(conn: Conn, tenant_id: uuid.UUID, wc_id: uuid.UUID, body: WorkCenterPatch) -> Row:
    changes = body.model_dump(exclude_unset=True, exclude={"expected_version", "machine_ids"})
    if "calendar_id" in changes:
        await _check_calendar(conn, changes["calendar_id"])
    await common.update(
        conn,
        "plan_work_centers",
        wc_id,
        changes,
        body.expected_version,
        what="work centre",
        duplicate=f"work centre {changes.get('code')!r} exists",
    )
    if body.machine_ids is not None:
        await _set_machines(conn, tenant_id, wc_id, body.machine_ids)
    return await get_work_center(conn, wc_id)


async def list_work_centers(conn: Conn, wc_id: uuid.UUID | None = None) -> list[Row]:
    cur = await conn.execute(
        "select w.*, coalesce(array_agg(m.machine_id order by m.machine_id) filter (where m.machine_id is not null),"
        " '{}') as machine_ids from plan_work_centers w left join plan_work_center_machines m"
        " on m.work_center_id = w.id where (%s::uuid is null or w.id = %s) group by w.id order by w.code",
        [wc_id, wc_id],
    )
    return await cur.fetchall()


async def get_work_center(conn: Conn, wc_id: uuid.UUID) -> Row:
    rows = await list_work_centers(conn, wc_id)
    if not rows:
        raise PlanningNotFound(f"work centre {wc_id} not found")
    return rows[0]


async def delete_work_center(conn: Conn, wc_id: uuid.UUID) -> None:
    await common.delete(
        conn, "plan_work_centers", wc_id, what="work centre", in_use="a routing uses the work centre; change it first"
    )


async def work_center_availability(conn: Conn, wc_id: uuid.UUID, start: datetime, end: datetime) -> dict[str, Any]:
    wc = await get_work_center(conn, wc_id)
    cal = await calendars.get_calendar(conn, wc["calendar_id"]) if wc["calendar_id"] else None
    open_spans = calendars.shift_intervals(cal, start, end)
    windows = await calendars.windows_by_machine(conn, wc["machine_ids"], start, end)
    machines = []
    for m in wc["machine_ids"]:
        spans = calendars.subtract(open_spans, [(w["start_at"], w["end_at"]) for w in windows.get(m, [])])
        hours = sum((b - a).total_seconds() for a, b in spans) / 3600
        machines.append(
            {"machine_id": m, "available": [{"start": a, "end": b} for a, b in spans], "available_hours": hours}
        )
    tz = cal["timezone"] if cal else None
    return {"work_center_id": wc_id, "timezone": tz, "start": start, "end": end, "machines": machines}


# --- routings -------------------------------------------------------------------------------------------


async def _validate_routing(
    conn: Conn, item_id: uuid.UUID, body: RoutingIn | RoutingUpdate, routing_id: uuid.UUID | None
) -> dict[str, uuid.UUID]:
    item = await items.get_item(conn, item_id)
    if item["make_buy"] != "make":
        raise InvalidPlanningInput(f"{item['part_number']} is a buy item: only make items have a routing")
    codes = sorted({o.work_center for o in body.operations})
    cur = await conn.execute("select id, code from plan_work_centers where code = any(%s)", [codes])
    wcs = {r["code"]: r["id"] for r in await cur.fetchall()}
    missing = [c for c in codes if c not in wcs]
    if missing:
        raise InvalidPlanningInput(f"unknown work centre(s): {', '.join(missing)}", work_centers=missing)
    await calendars.require_machines(conn, [a.machine_id for o in body.operations for a in o.alternates])
    cur = await conn.execute(
        "select revision, effective_from, effective_to from plan_routings where item_id = %s and id <> %s",
        [item_id, routing_id or uuid.UUID(int=0)],
    )
    for r in await cur.fetchall():
        if r["revision"] == body.revision:
            raise Duplicate(f"{item['part_number']} already has routing revision {body.revision!r}")
        lo = max(r["effective_from"] or date.min, body.effective_from or date.min)
        hi = min(r["effective_to"] or date.max, body.effective_to or date.max)
        if lo < hi:
            raise EffectivityOverlap(
                f"{item['part_number']} routing {body.revision!r} overlaps revision {r['revision']!r}"
            )
    return wcs


async def _write_ops(
    conn: Conn, tenant_id: uuid.UUID, routing_id: uuid.UUID, body: RoutingIn | RoutingUpdate, wcs: dict[str, uuid.UUID]
) -> None:
    await conn.execute("delete from plan_routing_ops where routing_id = %s", [routing_id])
    for o in sorted(body.operations, key=lambda o: o.seq):
        await common.insert(
            conn,
            "plan_routing_ops",
            {
                "tenant_id": tenant_id,
                "routing_id": routing_id,
                "seq": o.seq,
                "name": o.name,
                "work_center_id": wcs[o.work_center],
                "setup_min": o.setup_min,
                "run_min_per_unit": o.run_min_per_unit,
                "transfer_min": o.transfer_min,
                "alternates": [{"machine_id": str(a.machine_id), "speed_factor": a.speed_factor} for a in o.alternates],
            },
            duplicate=f"operation {o.seq} twice",
        )


async def create_routing(conn: Conn, tenant_id: uuid.UUID, body: RoutingIn) -> Row:
    item = (await items.require_parts(conn, [body.part_number]))[body.part_number]
    wcs = await _validate_routing(conn, item, body, None)
    values = {"tenant_id": tenant_id, "item_id": item, **body.model_dump(include={"revision", "effective_from"})}
    values["effective_to"] = body.effective_to
    row = await common.insert(conn, "plan_routings", values, duplicate="routing revision exists")
    await _write_ops(conn, tenant_id, row["id"], body, wcs)
    return await get_routing(conn, row["id"])


async def replace_routing(conn: Conn, tenant_id: uuid.UUID, routing_id: uuid.UUID, body: RoutingUpdate) -> Row:
    current = await common.fetch(conn, "plan_routings", routing_id, "routing", lock=True)
    common.check_version(current, body.expected_version, "routing")
    wcs = await _validate_routing(conn, current["item_id"], body, routing_id)
    changes = body.model_dump(include={"revision", "effective_from", "effective_to"})
    await common.update(conn, "plan_routings", routing_id, changes, body.expected_version, what="routing")
    await _write_ops(conn, tenant_id, routing_id, body, wcs)
    return await get_routing(conn, routing_id)


async def list_routings(
    conn: Conn, *, item_id: uuid.UUID | None = None, routing_id: uuid.UUID | None = None
) -> list[Row]:
    cur = await conn.execute(
        "select r.*, i.part_number from plan_routings r join plan_items i on i.id = r.item_id"
        " where (%s::uuid is null or r.item_id = %s) and (%s::uuid is null or r.id = %s)"
        " order by i.part_number, r.effective_from nulls first, r.revision",
        [item_id, item_id, routing_id, routing_id],
    )
    heads = await cur.fetchall()
    if not heads:
        return heads
    cur = await conn.execute(
        "select o.*, w.code as work_center from plan_routing_ops o join plan_work_centers w on w.id = o.work_center_id"
        " where o.routing_id = any(%s) order by o.seq",
        [[h["id"] for h in heads]],
    )
    ops: dict[uuid.UUID, list[Row]] = {}
    for o in await cur.fetchall():
        ops.setdefault(o["routing_id"], []).append(o)
    for h in heads:
        h["operations"] = ops.get(h["id"], [])
    return heads


async def get_routing(conn: Conn, routing_id: uuid.UUID) -> Row:
    rows = await list_routings(conn, routing_id=routing_id)
    if not rows:
        raise PlanningNotFound(f"routing {routing_id} not found")
    return rows[0]


async def delete_routing(conn: Conn, routing_id: uuid.UUID) -> None:
    await common.delete(conn, "plan_routings", routing_id, what="routing", in_use="in use")


def effective(routings: list[Row], on: date) -> Row | None:
    for r in routings:
        if (r["effective_from"] is None or r["effective_from"] <= on) and (
            r["effective_to"] is None or on < r["effective_to"]
        ):
            return r
    return None


async def routings_by_item(conn: Conn) -> dict[uuid.UUID, list[Row]]:
    out: dict[uuid.UUID, list[Row]] = {}
    for r in await list_routings(conn):
        out.setdefault(r["item_id"], []).append(r)
    return out


async def labour_costs(conn: Conn, on: date) -> dict[uuid.UUID, tuple[float, float]]:
    """item → (setup cost per lot, run cost per unit) of its routing effective on ``on``."""
    cur = await conn.execute("select id, cost_per_hour from plan_work_centers")
    rate = {r["id"]: float(r["cost_per_hour"]) for r in await cur.fetchall()}
    out: dict[uuid.UUID, tuple[float, float]] = {}
    for item_id, rs in (await routings_by_item(conn)).items():
        r = effective(rs, on)
        if r is None:
            continue
        setup = sum(o["setup_min"] / 60 * rate[o["work_center_id"]] for o in r["operations"])
        run = sum(o["run_min_per_unit"] / 60 * rate[o["work_center_id"]] for o in r["operations"])
        out[item_id] = (setup, run)
    return out
