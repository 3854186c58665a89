"""Inspection lots: a plan applied to a lot (Z1.4 sampling plan fixed at creation), results per sampled unit and
characteristic (measured values judged against LSL/USL, or attribute pass/fail), and the lot's automatic
decision: rejected as soon as a critical characteristic fails or the defective units reach Re; accepted when every
sampled unit is complete with at most Ac defectives (between Ac and Re under reduced inspection: accepted, the
switching rules return to normal). Variable results of characteristics linked to a manual SPC chart are appended
to that chart as subgroups."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any

from psycopg.types.json import Jsonb

from mip.alerts.lifecycle import Event
from mip.platform.db import Conn
from mip.platform.errors import MIPError
from mip.platform.ids import uuid7
from mip.quality.inspection.common import check_refs, fetch_one
from mip.quality.inspection.errors import InspectionClosed, InspectionInput, QualityConflict, UnknownReference
from mip.quality.inspection.plans import characteristics, usable_gauge
from mip.quality.inspection.sampling import lookup
from mip.quality.inspection.schemas import InspectionIn, ResultIn
from mip.quality.spc import store as spc_store

COLS = (
    "id, plan_id, item_id, kind, lot_ref, serial, lot_size, work_order_id, supplier_id, line_id, sampling, "
    "sample_size, status, decided_at, inspected_at, created_by"
)


async def create(conn: Conn, tenant_id: uuid.UUID, user_id: uuid.UUID | None, body: InspectionIn) -> dict[str, Any]:
    plan = await fetch_one(conn, "select * from inspection_plans where id = %s", [body.plan_id], "inspection plan")
    if not plan["active"]:
        raise QualityConflict(f"plan revision {plan['revision']} is superseded: inspect with the active revision")
    await check_refs(conn, {"supplier_id": body.supplier_id, "line_id": body.line_id,
                            "work_order_id": body.work_order_id})  # fmt: skip
    if body.kind == "receiving" and body.supplier_id is None:
        raise InspectionInput("a receiving inspection needs supplier_id")
    severity = body.severity or plan["severity"]
    if body.lot_size == 1:
        sampling = {"lot_size": 1, "aql": plan["aql"], "level": plan["level"], "severity": severity,
                    "code_letter": "-", "plan_letter": "-", "sample_size": 1, "ac": 0, "re": 1, "arrow": None,
                    "hundred_percent": True}  # fmt: skip
    else:
        sampling = lookup(body.lot_size, plan["aql"], plan["level"], severity).as_dict()
    inspection_id = uuid7()
    await conn.execute(
        "insert into inspections (id, tenant_id, plan_id, item_id, kind, lot_ref, serial, lot_size, work_order_id, "
        "supplier_id, line_id, sampling, sample_size, inspected_at, created_by) "
        "values (%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s)",
        [
            inspection_id,
            tenant_id,
            plan["id"],
            plan["item_id"],
            body.kind,
            body.lot_ref,
            body.serial,
            body.lot_size,
            body.work_order_id,
            body.supplier_id,
            body.line_id,
            Jsonb(sampling),
            sampling["sample_size"],
            body.inspected_at or datetime.now(UTC),
            user_id,
        ],  # fmt: skip
    )
    return await get(conn, inspection_id)


async def get(conn: Conn, inspection_id: uuid.UUID, *, lock: bool = False) -> dict[str, Any]:
    sql = f"select {COLS} from inspections where id = %s" + (" for update" if lock else "")
    row = await fetch_one(conn, sql, [inspection_id], "inspection")
    row["tally"] = await tally(conn, inspection_id)
    return row


async def list_inspections(
    conn: Conn, *, item_id: uuid.UUID | None, status: str | None, limit: int, offset: int
) -> list[dict[str, Any]]:
    cur = await conn.execute(
        f"select {COLS} from inspections where (%(i)s::uuid is null or item_id = %(i)s) "
        "and (%(s)s::text is null or status = %(s)s) order by inspected_at desc, id limit %(l)s offset %(o)s",
        {"i": item_id, "s": status, "l": limit, "o": offset},
    )
    return [dict(r) for r in await cur.fetchall()]


async def tally(conn: Conn, inspection_id: uuid.UUID) -> dict[str, int]:
    cur = await conn.execute(
        "with u as (select r.unit, count(*) as n, bool_or(not r.passed) as bad, "
        "  bool_or(not r.passed and c.classification = 'critical') as crit, count(*) filter (where not r.passed) as d "
        "  from inspection_results r join inspection_characteristics c on c.id = r.characteristic_id "
        "  where r.inspection_id = %(i)s group by r.unit), "
        "k as (select count(*) as chars from inspection_characteristics c join inspections i on i.plan_id = c.plan_id "
        "  where i.id = %(i)s) "
        "select count(*) filter (where u.n = k.chars) as complete, count(*) as inspected, "
        "count(*) filter (where u.bad) as defectives, count(*) filter (where u.crit) as critical, "
        "coalesce(sum(u.d), 0) as defects, coalesce(sum(u.n), 0) as results from u, k",
        {"i": inspection_id},
    )
    r = await cur.fetchone()
    assert r is not None
    return {"units_complete": int(r["complete"]), "units_inspected": int(r["inspected"]),
            "defectives": int(r["defectives"]), "critical_defectives": int(r["critical"]),
            "defects": int(r["defects"]), "results": int(r["results"])}  # fmt: skip


def decide(sampling: dict[str, Any], sample_size: int, t: dict[str, int]) -> str:
    if t["critical_defectives"] > 0 or t["defectives"] >= sampling["re"]:
        return "rejected"
    if t["units_complete"] >= sample_size:
        return "accepted"
    return "open"


async def record(
    conn: Conn,
    tenant_id: uuid.UUID,
    inspection_id: uuid.UUID,
    user_id: uuid.UUID | None,
    results: list[ResultIn],
    events: list[Event],
) -> dict[str, Any]:
    insp = await get(conn, inspection_id, lock=True)
    if insp["status"] != "open":
        raise InspectionClosed(f"the inspection is {insp['status']}: no more results")
    chars = await characteristics(conn, insp["plan_id"])
    by_id = {c["id"]: c for c in chars}
    by_number = {c["number"]: c for c in chars}
    checked: set[uuid.UUID] = set()
    spc_values: dict[uuid.UUID, list[float]] = {}
    rows = []
    for i, res in enumerate(results):
        c = by_id.get(res.characteristic_id) if res.characteristic_id else by_number.get(res.number or -1)
        if c is None:
            what = res.characteristic_id or f"number {res.number}"
            raise UnknownReference(f"result {i + 1}: characteristic {what} is not in the plan", field="characteristic")
        if res.unit > insp["sample_size"]:
            raise InspectionInput(f"result {i + 1}: unit {res.unit} is beyond the sample size {insp['sample_size']}")
        if res.gauge_id is not None and res.gauge_id not in checked:
            await usable_gauge(conn, res.gauge_id, c["gauge_type"])
            checked.add(res.gauge_id)
        passed = _judge(i, c, res)
        if c["kind"] == "variable" and c["spc_chart_id"] is not None and res.value is not None:
            spc_values.setdefault(c["spc_chart_id"], []).append(res.value)
        rows.append([uuid7(), tenant_id, inspection_id, c["id"], res.unit, res.serial, res.value, passed,
                     res.gauge_id, user_id])  # fmt: skip
    keys = [(r[3], r[4]) for r in rows]
    if len(set(keys)) != len(keys):
        raise InspectionInput("the same characteristic and unit appear twice")
    cur = await conn.execute(
        "select c.number, r.unit from inspection_results r join inspection_characteristics c "
        "on c.id = r.characteristic_id where r.inspection_id = %s and (r.characteristic_id, r.unit) in "
        "(select * from unnest(%s::uuid[], %s::int[]))",
        [inspection_id, [k[0] for k in keys], [k[1] for k in keys]],
    )
    dup = await cur.fetchone()
    if dup is not None:
        raise QualityConflict(f"characteristic {dup['number']} of unit {dup['unit']} already has a result")
    async with conn.cursor() as cursor:
        await cursor.executemany(
            "insert into inspection_results (id, tenant_id, inspection_id, characteristic_id, unit, serial, value, "
            "passed, gauge_id, recorded_by) values (%s,%s,%s,%s,%s,%s,%s,%s,%s,%s)",
            rows,
        )
    t = await tally(conn, inspection_id)
    status = decide(insp["sampling"], insp["sample_size"], t)
    if status != "open":
        await conn.execute(
            "update inspections set status = %s, decided_at = now(), updated_at = now() where id = %s",
            [status, inspection_id],
        )
    subgroups = await _feed_spc(conn, tenant_id, user_id, spc_values, events)
    return {"inspection": await get(conn, inspection_id), "recorded": len(rows), "spc_subgroups": subgroups}


def _judge(i: int, c: dict[str, Any], res: ResultIn) -> bool:
    if c["kind"] == "attribute":
        if res.passed is None:
            raise InspectionInput(f"result {i + 1}: attribute characteristic {c['number']} needs passed")
        return res.passed
    if res.value is None:
        raise InspectionInput(f"result {i + 1}: variable characteristic {c['number']} needs a measured value")
    if res.value != res.value or res.value in (float("inf"), float("-inf")):
        raise InspectionInput(f"result {i + 1}: value must be a finite number")
    ok = (c["lsl"] is None or res.value >= c["lsl"]) and (c["usl"] is None or res.value <= c["usl"])
    if res.passed is not None and res.passed != ok:
        raise InspectionInput(f"result {i + 1}: passed={res.passed} contradicts the limits of characteristic "
                              f"{c['number']} for value {res.value}")  # fmt: skip
    return ok


async def _feed_spc(
    conn: Conn, tenant_id: uuid.UUID, user_id: uuid.UUID | None, values: dict[uuid.UUID, list[float]],
    events: list[Event],
) -> int:  # fmt: skip
    """Append the measured values to the linked SPC charts (one subgroup per value for individuals charts, else
    one subgroup of this batch). A chart that refuses them (e.g. wrong subgroup size) does not lose the results."""
    added = 0
    for chart_id, vals in values.items():
        mark = len(events)
        try:
            async with conn.transaction():
                chart = await spc_store.get_chart(conn, chart_id, lock=True)
                if chart["source"] != "manual":
                    continue
                n = int(chart["subgroup_size"])
                items = [{"values": [v]} for v in vals] if n <= 1 else [{"values": vals, "note": "inspection"}]
                await spc_store.add_subgroups(conn, tenant_id, chart, items, user_id, events)
                added += len(items)
        except MIPError:
            del events[mark:]
            continue
    return added
