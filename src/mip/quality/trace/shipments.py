"""Shipments: which lots and serials went to which customer, when. Shipping uses up lot quantity and ships serials."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any

import psycopg

from mip.platform.db import Conn
from mip.platform.ids import uuid7
from mip.quality.trace import lots as lots_svc
from mip.quality.trace.common import EPS, MARKING, remaining
from mip.quality.trace.errors import InsufficientQuantity, TraceConflict, TraceInvalid, TraceNotFound

SHIPMENT_COLUMNS = "id, tenant_id, shipment_number, customer, customer_po, ship_date, notes, created_by, created_at"

LINES_SQL = """
select l.id, l.shipment_id, l.node_kind, l.node_id, l.quantity,
       coalesce(lo.lot_number, se.serial_number) as number,
       coalesce(lo.part_number, se.part_number) as part_number,
       coalesce(lo.revision, se.revision) as revision,
       coalesce(lo.itar, se.itar) as itar
from trace_shipment_lines l
left join trace_lots lo on l.node_kind = 'lot' and lo.id = l.node_id
left join trace_serials se on l.node_kind = 'serial' and se.id = l.node_id
where l.shipment_id = any(%s::uuid[])
order by l.shipment_id, part_number, number
"""


async def _ship_lot(conn: Conn, lot_id: uuid.UUID, qty: float) -> None:
    cur = await conn.execute(
        f"""
        update trace_lots set shipped_qty = shipped_qty + %(q)s, updated_at = now(),
            status = case when quantity - consumed_qty - shipped_qty - %(q)s <= {EPS} then 'shipped' else status end
        where id = %(id)s and status = 'released' and quantity - consumed_qty - shipped_qty >= %(q)s - {EPS}
        returning id
        """,
        {"id": lot_id, "q": qty},
    )
    if await cur.fetchone() is not None:
        return
    lot = await lots_svc.get_lot(conn, lot_id)
    if lot["status"] != "released":
        raise TraceConflict(f"lot {lot['lot_number']} is {lot['status']}: only released lots can be shipped")
    raise InsufficientQuantity(
        f"lot {lot['lot_number']}: {qty} to ship but only {remaining(lot)} remaining",
        lot_id=str(lot_id),
        requested=qty,
        remaining=remaining(lot),
    )


async def _ship_serial(conn: Conn, serial_id: uuid.UUID) -> None:
    cur = await conn.execute(
        "update trace_serials set status = 'shipped', updated_at = now() where id = %s and status = 'released' "
        "returning id",
        [serial_id],
    )
    if await cur.fetchone() is None:
        serial = await lots_svc.get_serial(conn, serial_id)
        raise TraceConflict(
            f"serial {serial['serial_number']} is {serial['status']}: only a released serial can be shipped",
            serial_id=str(serial_id),
            status=serial["status"],
        )


async def create_shipment(
    conn: Conn, tenant_id: uuid.UUID, actor: uuid.UUID | None, data: dict[str, Any]
) -> dict[str, Any]:
    lines: list[dict[str, Any]] = data["lines"]
    if not lines:
        raise TraceInvalid("a shipment needs at least one line")
    ship_id = uuid7()
    try:
        async with conn.transaction():
            await conn.execute(
                "insert into trace_shipments (id, tenant_id, shipment_number, customer, customer_po, ship_date, notes,"
                " created_by) values (%s,%s,%s,%s,%s,%s,%s,%s)",
                [
                    ship_id, tenant_id, data["shipment_number"].strip(), data["customer"].strip(),
                    data.get("customer_po") or "", data.get("ship_date") or datetime.now(UTC).date(),
                    data.get("notes") or "", actor,
                ],
            )  # fmt: skip
    except psycopg.errors.UniqueViolation:
        raise TraceConflict(f"shipment {data['shipment_number']!r} already exists") from None
    for line in lines:
        kind, _ = await lots_svc.get_node(conn, line["id"])
        qty = line.get("quantity")
        if kind == "lot":
            if qty is None or qty <= 0:
                raise TraceInvalid(f"lot {line['id']}: a positive quantity to ship is required")
            await _ship_lot(conn, line["id"], float(qty))
        else:
            if qty is not None and abs(qty - 1.0) > EPS:
                raise TraceInvalid(f"serial {line['id']}: the quantity of a serial is 1")
            qty = 1.0
            await _ship_serial(conn, line["id"])
        await conn.execute(
            "insert into trace_shipment_lines (id, tenant_id, shipment_id, node_kind, node_id, quantity) "
            "values (%s,%s,%s,%s,%s,%s)",
            [uuid7(), tenant_id, ship_id, kind, line["id"], qty],
        )
    return await get_shipment(conn, ship_id)


def _with_lines(ship: dict[str, Any], lines: list[dict[str, Any]]) -> dict[str, Any]:
    visible = [ln for ln in lines if ln["number"] is not None]
    out = dict(ship)
    out["lines"] = visible
    out["restricted_lines"] = len(lines) - len(visible)  # ITAR lines the caller may not see
    out["itar"] = any(ln["itar"] for ln in visible)
    out["marking"] = MARKING if out["itar"] else None
    return out


async def get_shipment(conn: Conn, shipment_id: uuid.UUID) -> dict[str, Any]:
    cur = await conn.execute(f"select {SHIPMENT_COLUMNS} from trace_shipments where id = %s", [shipment_id])
    row = await cur.fetchone()
    if row is None:
        raise TraceNotFound(f"shipment {shipment_id} not found")
    cur = await conn.execute(LINES_SQL, [[shipment_id]])
    return _with_lines(dict(row), [dict(r) for r in await cur.fetchall()])


async def list_shipments(
    conn: Conn, *, customer: str | None, limit: int, offset: int
) -> tuple[list[dict[str, Any]], int]:
    where, args = (" where customer = %s", [customer]) if customer else ("", [])
    cur = await conn.execute(f"select count(*) as n from trace_shipments{where}", args)
    total = int((await cur.fetchone() or {"n": 0})["n"])
    cur = await conn.execute(
        f"select {SHIPMENT_COLUMNS} from trace_shipments{where} order by ship_date desc, shipment_number "
        f"limit %s offset %s",
        [*args, limit, offset],
    )
    ships = [dict(r) for r in await cur.fetchall()]
    cur = await conn.execute(LINES_SQL, [[s["id"] for s in ships]])
    by_ship: dict[uuid.UUID, list[dict[str, Any]]] = {}
    for r in await cur.fetchall():
        by_ship.setdefault(r["shipment_id"], []).append(dict(r))
    return [_with_lines(s, by_ship.get(s["id"], [])) for s in ships], total


async def find_shipment(conn: Conn, ref: str) -> dict[str, Any]:
    """A shipment by id or by shipment number."""
    try:
        return await get_shipment(conn, uuid.UUID(ref))
    except ValueError:
        pass
    cur = await conn.execute("select id from trace_shipments where shipment_number = %s", [ref])
    row = await cur.fetchone()
    if row is None:
        raise TraceNotFound(f"shipment {ref!r} not found")
    return await get_shipment(conn, row["id"])
