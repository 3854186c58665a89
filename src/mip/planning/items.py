"""Items (part numbers): CRUD and look-ups by part number."""

from __future__ import annotations

import uuid
from collections.abc import Iterable

from mip.planning import common
from mip.planning.common import Row
from mip.planning.errors import UnknownItem
from mip.planning.schemas import ItemIn, ItemPatch
from mip.platform.db import Conn


async def create_item(conn: Conn, tenant_id: uuid.UUID, body: ItemIn) -> Row:
    return await common.insert(
        conn,
        "plan_items",
        {"tenant_id": tenant_id, **body.model_dump()},
        duplicate=f"part number {body.part_number!r} already exists",
    )


async def get_item(conn: Conn, item_id: uuid.UUID) -> Row:
    return await common.fetch(conn, "plan_items", item_id, "item")


async def list_items(
    conn: Conn, *, q: str | None, make_buy: str | None, limit: int, offset: int
) -> tuple[list[Row], int]:
    where, args = ["true"], []
    if q:
        where.append("(part_number ilike %s or description ilike %s)")
        args += [f"%{q}%", f"%{q}%"]
    if make_buy:
        where.append("make_buy = %s")
        args.append(make_buy)
    w = " and ".join(where)
    cur = await conn.execute(f"select count(*) as n from plan_items where {w}", args)
    total = (await cur.fetchone() or {"n": 0})["n"]
    cur = await conn.execute(
        f"select * from plan_items where {w} order by part_number limit %s offset %s", [*args, limit, offset]
    )
    return await cur.fetchall(), int(total)


async def update_item(conn: Conn, item_id: uuid.UUID, body: ItemPatch) -> Row:
    changes = body.model_dump(exclude_unset=True, exclude={"expected_version"})
    if changes.get("make_buy") == "buy":
        cur = await conn.execute("select 1 from plan_boms where item_id = %s limit 1", [item_id])
        if await cur.fetchone():
            from mip.planning.errors import InvalidPlanningInput

            raise InvalidPlanningInput("the item has a BOM: delete its BOMs before making it a buy item")
    return await common.update(
        conn,
        "plan_items",
        item_id,
        changes,
        body.expected_version,
        what="item",
        duplicate=f"part number {changes.get('part_number')!r} already exists",
    )


async def delete_item(conn: Conn, item_id: uuid.UUID) -> None:
    await common.delete(
        conn,
        "plan_items",
        item_id,
        what="item",
        in_use="the item is used by a BOM, routing or order; remove those first",
    )


async def ids_by_part(conn: Conn, part_numbers: Iterable[str]) -> dict[str, uuid.UUID]:
    parts = sorted(set(part_numbers))
    if not parts:
        return {}
    cur = await conn.execute("select id, part_number from plan_items where part_number = any(%s)", [parts])
    return {r["part_number"]: r["id"] for r in await cur.fetchall()}


async def require_parts(conn: Conn, part_numbers: Iterable[str]) -> dict[str, uuid.UUID]:
    """Part number → id; 422 ``unknown_item`` naming every unknown part number."""
    parts = set(part_numbers)
    found = await ids_by_part(conn, parts)
    missing = sorted(parts - set(found))
    if missing:
        raise UnknownItem(f"unknown part number(s): {', '.join(missing)}", part_numbers=missing)
    return found


async def item_by_ref(conn: Conn, ref: str) -> Row:
    """An item by id or part number (CLI and query parameters); 422 naming an unknown part number."""
    try:
        item_id = uuid.UUID(ref)
    except ValueError:
        item_id = None
    if item_id is not None:
        return await get_item(conn, item_id)
    cur = await conn.execute("select * from plan_items where part_number = %s", [ref])
    row = await cur.fetchone()
    if row is None:
        raise UnknownItem(f"unknown part number: {ref}", part_numbers=[ref])
    return row
