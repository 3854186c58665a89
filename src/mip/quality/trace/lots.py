"""Lots and serial numbers: create, list, get, change; finding a lot or serial by id or by number."""

from __future__ import annotations

import uuid
from typing import Any

import psycopg

from mip.platform.db import Conn
from mip.platform.ids import uuid7
from mip.quality.trace.common import itar_violation, remaining
from mip.quality.trace.errors import TraceConflict, TraceInvalid, TraceNotFound

LOT_COLUMNS = (
    "id, tenant_id, item_id, part_number, revision, lot_number, quantity, consumed_qty, shipped_qty, uom, status, "
    "supplier, supplier_lot, cert_ref, work_order_id, itar, created_by, created_at, updated_at"
)
SERIAL_COLUMNS = (
    "id, tenant_id, item_id, part_number, revision, serial_number, status, work_order_id, itar, created_by, "
    "created_at, updated_at"
)
MANUAL_LOT_STATUSES = ("released", "quarantined")
MANUAL_SERIAL_STATUSES = ("released", "quarantined", "scrapped")


def _lot(row: dict[str, Any]) -> dict[str, Any]:
    out = dict(row)
    out["remaining_qty"] = remaining(out)
    return out


async def resolve_part(conn: Conn, item_id: uuid.UUID | None, part_number: str | None) -> tuple[str, uuid.UUID | None]:
    """The part number: given, or the planning item's (which must exist in this tenant)."""
    part = (part_number or "").strip()
    if item_id is not None:
        cur = await conn.execute("select part_number from plan_items where id = %s", [item_id])
        row = await cur.fetchone()
        if row is None:
            raise TraceNotFound(f"item {item_id} not found")
        if part and part != row["part_number"]:
            raise TraceInvalid(f"part_number {part!r} does not match item {item_id} ({row['part_number']!r})")
        part = row["part_number"]
    if not part:
        raise TraceInvalid("part_number (or item_id) is required")
    return part, item_id


async def create_lot(conn: Conn, tenant_id: uuid.UUID, actor: uuid.UUID | None, data: dict[str, Any]) -> dict[str, Any]:
    part, item_id = await resolve_part(conn, data.get("item_id"), data.get("part_number"))
    status = data.get("status") or "released"
    if status not in MANUAL_LOT_STATUSES:
        raise TraceInvalid(f"a new lot is released or quarantined, not {status!r}")
    try:
        async with conn.transaction():
            cur = await conn.execute(
                f"insert into trace_lots (id, tenant_id, item_id, part_number, revision, lot_number, quantity, uom, "
                f"status, supplier, supplier_lot, cert_ref, work_order_id, itar, created_by) "
                f"values (%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s) returning {LOT_COLUMNS}",
                [
                    uuid7(), tenant_id, item_id, part, data.get("revision") or "", data["lot_number"].strip(),
                    data["quantity"], data.get("uom") or "ea", status, data.get("supplier"), data.get("supplier_lot"),
                    data.get("cert_ref"), data.get("work_order_id"), bool(data.get("itar")), actor,
                ],
            )  # fmt: skip
            row = await cur.fetchone()
    except psycopg.errors.UniqueViolation:
        raise TraceConflict(f"lot {data['lot_number']!r} of part {part!r} already exists") from None
    except psycopg.errors.InsufficientPrivilege as exc:
        raise itar_violation(exc) from None
    assert row is not None
    return _lot(row)


async def create_serial(
    conn: Conn, tenant_id: uuid.UUID, actor: uuid.UUID | None, data: dict[str, Any]
) -> dict[str, Any]:
    part, item_id = await resolve_part(conn, data.get("item_id"), data.get("part_number"))
    status = data.get("status") or "released"
    if status not in MANUAL_SERIAL_STATUSES:
        raise TraceInvalid(f"a new serial is released, quarantined or scrapped, not {status!r}")
    try:
        async with conn.transaction():
            cur = await conn.execute(
                f"insert into trace_serials (id, tenant_id, item_id, part_number, revision, serial_number, status, "
                f"work_order_id, itar, created_by) values (%s,%s,%s,%s,%s,%s,%s,%s,%s,%s) returning {SERIAL_COLUMNS}",
                [
                    uuid7(), tenant_id, item_id, part, data.get("revision") or "", data["serial_number"].strip(),
                    status, data.get("work_order_id"), bool(data.get("itar")), actor,
                ],
            )  # fmt: skip
            row = await cur.fetchone()
    except psycopg.errors.UniqueViolation:
        raise TraceConflict(f"serial {data['serial_number']!r} of part {part!r} already exists") from None
    except psycopg.errors.InsufficientPrivilege as exc:
        raise itar_violation(exc) from None
    assert row is not None
    return dict(row)


def _filters(filters: dict[str, Any]) -> tuple[str, list[Any]]:
    where: list[str] = []
    args: list[Any] = []
    for col, value in filters.items():
        if value is not None:
            where.append(f"{col} = %s")
            args.append(value)
    return (" where " + " and ".join(where)) if where else "", args


async def list_rows(
    conn: Conn, kind: str, filters: dict[str, Any], limit: int, offset: int
) -> tuple[list[dict[str, Any]], int]:
    table, columns, number = (
        ("trace_lots", LOT_COLUMNS, "lot_number")
        if kind == "lot"
        else ("trace_serials", SERIAL_COLUMNS, "serial_number")
    )
    where, args = _filters(filters)
    cur = await conn.execute(f"select count(*) as n from {table}{where}", args)
    total = (await cur.fetchone() or {"n": 0})["n"]
    cur = await conn.execute(
        f"select {columns} from {table}{where} order by part_number, {number} limit %s offset %s",
        [*args, limit, offset],
    )
    rows = [dict(r) for r in await cur.fetchall()]
    return ([_lot(r) for r in rows] if kind == "lot" else rows), int(total)


async def get_lot(conn: Conn, lot_id: uuid.UUID, *, lock: bool = False) -> dict[str, Any]:
    cur = await conn.execute(
        f"select {LOT_COLUMNS} from trace_lots where id = %s{' for update' if lock else ''}", [lot_id]
    )
    row = await cur.fetchone()
    if row is None:
        raise TraceNotFound(f"lot {lot_id} not found")
    return _lot(row)


async def get_serial(conn: Conn, serial_id: uuid.UUID, *, lock: bool = False) -> dict[str, Any]:
    cur = await conn.execute(
        f"select {SERIAL_COLUMNS} from trace_serials where id = %s{' for update' if lock else ''}", [serial_id]
    )
    row = await cur.fetchone()
    if row is None:
        raise TraceNotFound(f"serial {serial_id} not found")
    return dict(row)


async def get_node(conn: Conn, node_id: uuid.UUID) -> tuple[str, dict[str, Any]]:
    """A lot or a serial by id (ids are unique across both)."""
    try:
        return "lot", await get_lot(conn, node_id)
    except TraceNotFound:
        pass
    try:
        return "serial", await get_serial(conn, node_id)
    except TraceNotFound:
        raise TraceNotFound(f"no lot or serial {node_id}") from None


async def find_node(conn: Conn, number: str, part_number: str | None = None) -> tuple[str, dict[str, Any]]:
    """A lot or serial by its number (a UUID is taken as an id); ambiguous numbers need the part number."""
    try:
        return await get_node(conn, uuid.UUID(number))
    except ValueError:
        pass
    part_filter = " and part_number = %s" if part_number else ""
    extra = [part_number] if part_number else []
    found: list[tuple[str, dict[str, Any]]] = []
    cur = await conn.execute(
        f"select {SERIAL_COLUMNS} from trace_serials where serial_number = %s{part_filter}", [number, *extra]
    )
    found += [("serial", dict(r)) for r in await cur.fetchall()]
    cur = await conn.execute(
        f"select {LOT_COLUMNS} from trace_lots where lot_number = %s{part_filter}", [number, *extra]
    )
    found += [("lot", _lot(r)) for r in await cur.fetchall()]
    if not found:
        raise TraceNotFound(f"no lot or serial {number!r}" + (f" of part {part_number!r}" if part_number else ""))
    if len(found) > 1:
        parts = sorted(f"{k} of {r['part_number']}" for k, r in found)
        raise TraceConflict(f"{number!r} is ambiguous: give the part number", matches=parts)
    return found[0]


async def update_lot(conn: Conn, lot_id: uuid.UUID, changes: dict[str, Any]) -> dict[str, Any]:
    lot = await get_lot(conn, lot_id, lock=True)
    status = changes.get("status")
    if status is not None and status not in MANUAL_LOT_STATUSES:
        raise TraceInvalid(
            f"status can be set to released or quarantined, not {status!r} (consumption and shipping set it)"
        )
    if status is not None and lot["status"] in ("consumed", "shipped"):
        raise TraceConflict(f"lot {lot['lot_number']} is {lot['status']}: its status can no longer change")
    qty = changes.get("quantity")
    if qty is not None and qty + 1e-9 < float(lot["consumed_qty"]) + float(lot["shipped_qty"]):
        used = float(lot["consumed_qty"]) + float(lot["shipped_qty"])
        raise TraceConflict(f"quantity {qty} is less than what is already used ({used})", used=used)
    return await _update(conn, "trace_lots", LOT_COLUMNS, lot_id, changes, _lot)


async def update_serial(conn: Conn, serial_id: uuid.UUID, changes: dict[str, Any]) -> dict[str, Any]:
    serial = await get_serial(conn, serial_id, lock=True)
    status = changes.get("status")
    if status is not None and status not in MANUAL_SERIAL_STATUSES:
        raise TraceInvalid(f"status can be set to released, quarantined or scrapped, not {status!r}")
    if status is not None and serial["status"] in ("consumed", "shipped"):
        raise TraceConflict(f"serial {serial['serial_number']} is {serial['status']}: its status can no longer change")
    return await _update(conn, "trace_serials", SERIAL_COLUMNS, serial_id, changes, dict)


async def _update(
    conn: Conn, table: str, columns: str, row_id: uuid.UUID, changes: dict[str, Any], shape: Any
) -> dict[str, Any]:
    sets = [f"{k} = %s" for k, v in changes.items() if v is not None]
    args = [v for v in changes.values() if v is not None]
    if not sets:
        cur = await conn.execute(f"select {columns} from {table} where id = %s", [row_id])
    else:
        try:
            async with conn.transaction():
                cur = await conn.execute(
                    f"update {table} set {', '.join(sets)}, updated_at = now() where id = %s returning {columns}",
                    [*args, row_id],
                )
        except psycopg.errors.InsufficientPrivilege as exc:
            raise itar_violation(exc) from None
    row = await cur.fetchone()
    if row is None:  # an unauthorised caller cannot even see an ITAR row, so it cannot get here; defensive
        raise TraceNotFound(f"{table} {row_id} not found")
    out: dict[str, Any] = shape(row)
    return out
