"""Suppliers, inspection plans (per item and operation, versioned: a new revision supersedes the active one and
plans are immutable once written) with their characteristics, and gauges with calibrations."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

from psycopg.errors import UniqueViolation

from mip.platform.db import Conn
from mip.platform.ids import uuid7
from mip.quality.inspection.common import check_refs, fetch_one
from mip.quality.inspection.errors import GaugeOverdue, InspectionInput, QualityConflict, UnknownReference
from mip.quality.inspection.sampling import aql_index
from mip.quality.inspection.schemas import CalibrationIn, GaugeIn, PlanIn, SupplierIn

PLAN_COLS = "id, item_id, operation, revision, name, aql, level, severity, active, notes, created_by, created_at"
CHAR_COLS = (
    "id, number, bubble, name, kind, nominal, lsl, usl, unit, method, gauge_type, classification, "
    "designed_tooling, spc_chart_id"
)
GAUGE_COLS = (
    "id, code, name, gauge_type, interval_days, last_calibrated_at, due_at, status, version, "
    "(status <> 'active' or due_at is null or due_at < now()) as overdue"
)


async def create_supplier(conn: Conn, tenant_id: uuid.UUID, body: SupplierIn) -> dict[str, Any]:
    cur = await conn.execute(
        "insert into quality_suppliers (id, tenant_id, code, name) values (%s,%s,%s,%s) "
        "on conflict (tenant_id, code) do nothing returning id, code, name, created_at",
        [uuid7(), tenant_id, body.code, body.name],
    )
    row = await cur.fetchone()
    if row is None:
        raise QualityConflict(f"a supplier with code {body.code!r} exists")
    return dict(row)


async def list_suppliers(conn: Conn) -> list[dict[str, Any]]:
    cur = await conn.execute("select id, code, name, created_at from quality_suppliers order by code")
    return [dict(r) for r in await cur.fetchall()]


async def create_plan(conn: Conn, tenant_id: uuid.UUID, user_id: uuid.UUID | None, body: PlanIn) -> dict[str, Any]:
    """A new plan, or the next revision of the item's plan for that operation (the previous one is deactivated)."""
    aql_index(body.aql)
    await check_refs(conn, {"item_id": body.item_id})
    for c in body.characteristics:
        await check_refs(conn, {"spc_chart_id": c.spc_chart_id})
    await conn.execute("select pg_advisory_xact_lock(hashtext(%s))", [f"plan:{body.item_id}:{body.operation}"])
    cur = await conn.execute(
        "update inspection_plans set active = false, updated_at = now() where item_id = %s and operation = %s "
        "and active returning revision",
        [body.item_id, body.operation],
    )
    await cur.fetchall()
    cur = await conn.execute(
        "select coalesce(max(revision), 0) + 1 as r from inspection_plans where item_id = %s and operation = %s",
        [body.item_id, body.operation],
    )
    row = await cur.fetchone()
    assert row is not None
    plan_id = uuid7()
    await conn.execute(
        "insert into inspection_plans (id, tenant_id, item_id, operation, revision, name, aql, level, severity, notes,"
        " created_by) values (%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s)",
        [
            plan_id,
            tenant_id,
            body.item_id,
            body.operation,
            row["r"],
            body.name,
            body.aql,
            body.level,
            body.severity,
            body.notes,
            user_id,
        ],  # fmt: skip
    )
    for c in body.characteristics:
        await conn.execute(
            "insert into inspection_characteristics (id, tenant_id, plan_id, number, bubble, name, kind, nominal, lsl,"
            " usl, unit, method, gauge_type, classification, designed_tooling, spc_chart_id) values "
            "(%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s)",
            [
                uuid7(),
                tenant_id,
                plan_id,
                c.number,
                c.bubble,
                c.name,
                c.kind,
                c.nominal,
                c.lsl,
                c.usl,
                c.unit,
                c.method,
                c.gauge_type,
                c.classification,
                c.designed_tooling,
                c.spc_chart_id,
            ],  # fmt: skip
        )
    return await get_plan(conn, plan_id)


async def get_plan(conn: Conn, plan_id: uuid.UUID) -> dict[str, Any]:
    plan = await fetch_one(conn, f"select {PLAN_COLS} from inspection_plans where id = %s", [plan_id], "plan")
    plan["characteristics"] = await characteristics(conn, plan_id)
    return plan


async def characteristics(conn: Conn, plan_id: uuid.UUID) -> list[dict[str, Any]]:
    cur = await conn.execute(
        f"select {CHAR_COLS} from inspection_characteristics where plan_id = %s order by number", [plan_id]
    )
    return [dict(r) for r in await cur.fetchall()]


async def list_plans(
    conn: Conn, *, item_id: uuid.UUID | None, operation: str | None, active_only: bool, limit: int, offset: int
) -> list[dict[str, Any]]:
    cur = await conn.execute(
        f"select {PLAN_COLS} from inspection_plans where (%(i)s::uuid is null or item_id = %(i)s) "
        "and (%(o)s::text is null or operation = %(o)s) and (not %(a)s or active) "
        "order by item_id, operation, revision desc limit %(l)s offset %(off)s",
        {"i": item_id, "o": operation, "a": active_only, "l": limit, "off": offset},
    )
    return [dict(r) for r in await cur.fetchall()]


async def create_gauge(conn: Conn, tenant_id: uuid.UUID, body: GaugeIn) -> dict[str, Any]:
    due = None if body.last_calibrated_at is None else body.last_calibrated_at + timedelta(days=body.interval_days)
    gauge_id = uuid7()
    try:
        async with conn.transaction():
            await conn.execute(
                "insert into gauges (id, tenant_id, code, name, gauge_type, interval_days, last_calibrated_at, due_at)"
                " values (%s,%s,%s,%s,%s,%s,%s,%s)",
                [
                    gauge_id,
                    tenant_id,
                    body.code,
                    body.name,
                    body.gauge_type,
                    body.interval_days,
                    body.last_calibrated_at,
                    due,
                ],  # fmt: skip
            )
    except UniqueViolation:
        raise QualityConflict(f"a gauge with code {body.code!r} exists") from None
    return await get_gauge(conn, gauge_id)


async def get_gauge(conn: Conn, gauge_id: uuid.UUID, *, history: bool = True) -> dict[str, Any]:
    g = await fetch_one(conn, f"select {GAUGE_COLS} from gauges where id = %s", [gauge_id], "gauge")
    if history:
        cur = await conn.execute(
            "select id, calibrated_at, result, certificate, notes, recorded_by from gauge_calibrations "
            "where gauge_id = %s order by calibrated_at desc",
            [gauge_id],
        )
        g["calibrations"] = [dict(r) for r in await cur.fetchall()]
    return g


async def list_gauges(conn: Conn, *, overdue: bool | None) -> list[dict[str, Any]]:
    cur = await conn.execute(f"select {GAUGE_COLS} from gauges order by code")
    rows = [dict(r) for r in await cur.fetchall()]
    return rows if overdue is None else [r for r in rows if r["overdue"] == overdue]


async def calibrate(
    conn: Conn, tenant_id: uuid.UUID, gauge_id: uuid.UUID, user_id: uuid.UUID | None, body: CalibrationIn
) -> dict[str, Any]:
    """Record a calibration. A pass restarts the interval from its date; a fail takes the gauge out of use."""
    g = await fetch_one(conn, "select * from gauges where id = %s for update", [gauge_id], "gauge")
    if g["status"] == "retired":
        raise QualityConflict("the gauge is retired")
    if body.calibrated_at > datetime.now(UTC) + timedelta(minutes=5):
        raise InspectionInput("calibrated_at is in the future")
    await conn.execute(
        "insert into gauge_calibrations (id, tenant_id, gauge_id, calibrated_at, result, certificate, notes, "
        "recorded_by) values (%s,%s,%s,%s,%s,%s,%s,%s)",
        [uuid7(), tenant_id, gauge_id, body.calibrated_at, body.result, body.certificate, body.notes, user_id],
    )
    latest = g["last_calibrated_at"] is None or body.calibrated_at >= g["last_calibrated_at"]
    if latest and body.result == "pass":
        await conn.execute(
            "update gauges set last_calibrated_at = %s, due_at = %s, status = 'active', version = version + 1, "
            "updated_at = now() where id = %s",
            [body.calibrated_at, body.calibrated_at + timedelta(days=g["interval_days"]), gauge_id],
        )
    elif latest:
        await conn.execute(
            "update gauges set status = 'out_of_calibration', version = version + 1, updated_at = now() where id = %s",
            [gauge_id],
        )
    return await get_gauge(conn, gauge_id)


async def usable_gauge(conn: Conn, gauge_id: uuid.UUID, gauge_type: str | None) -> None:
    """Refuse a gauge that is overdue, out of calibration, retired or never calibrated (409), or unknown (422)."""
    cur = await conn.execute(f"select {GAUGE_COLS} from gauges where id = %s", [gauge_id])
    g = await cur.fetchone()
    if g is None:
        raise UnknownReference(f"unknown gauge {gauge_id}", field="gauge_id")
    if g["overdue"]:
        if g["status"] in ("out_of_calibration", "retired"):
            why = g["status"].replace("_", " ")
        else:
            why = "never calibrated" if g["due_at"] is None else f"calibration was due {g['due_at']:%Y-%m-%d}"
        raise GaugeOverdue(f"gauge {g['code']} may not be used: {why}", gauge_id=str(gauge_id))
    if gauge_type and g["gauge_type"] != gauge_type:
        raise UnknownReference(
            f"gauge {g['code']} is a {g['gauge_type']!r}, the characteristic needs a {gauge_type!r}", field="gauge_id"
        )
