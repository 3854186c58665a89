"""BOM headers (parent item + revision, effectivity) and lines (with substitutes): write with validation
(unknown parts, buy parents, effectivity overlap, cycles), read, delete."""

from __future__ import annotations

import uuid
from datetime import date
from typing import Any

from mip.planning import bomdata, common, items
from mip.planning.common import Row
from mip.planning.errors import EffectivityOverlap, InvalidPlanningInput
from mip.planning.schemas import BomIn, BomLineIn, BomUpdate
from mip.platform.db import Conn
from mip.platform.ids import uuid7


def _overlap(a_from: date | None, a_to: date | None, b_from: date | None, b_to: date | None) -> bool:
    lo = max(a_from or date.min, b_from or date.min)
    hi = min(a_to or date.max, b_to or date.max)
    return lo < hi


def numbered(lines: list[BomLineIn]) -> list[tuple[int, BomLineIn]]:
    out = [(ln.line_no or 10 * (i + 1), ln) for i, ln in enumerate(lines)]
    seen: set[int] = set()
    for no, _ in out:
        if no in seen:
            raise InvalidPlanningInput(f"line number {no} appears twice")
        seen.add(no)
    return out


def validate_structure(
    data: bomdata.BomData,
    parent: uuid.UUID,
    revision: str,
    eff: tuple[date | None, date | None],
    lines: list[tuple[int, BomLineIn]],
    ids: dict[str, uuid.UUID],
    *,
    bom_id: uuid.UUID | None,
) -> None:
    """Everything but unknown parts: buy parent, substitutes, effectivity overlap, cycles."""
    if data.items[parent]["make_buy"] != "make":
        raise InvalidPlanningInput(f"{data.part(parent)} is a buy item: only make items have a BOM")
    for no, ln in lines:
        for s in ln.substitutes:
            if s.part_number in (ln.component, data.part(parent)):
                raise InvalidPlanningInput(f"line {no}: {s.part_number} cannot substitute itself or the parent")
    bomdata.check_no_cycle(data, parent, [ids[ln.component] for _, ln in lines], skip_bom=bom_id)
    for other in data.boms.get(parent, []):
        if other.id == bom_id:
            continue
        if other.revision == revision:
            from mip.planning.errors import Duplicate

            raise Duplicate(f"{data.part(parent)} already has BOM revision {revision!r}")
        if _overlap(eff[0], eff[1], other.effective_from, other.effective_to):
            raise EffectivityOverlap(
                f"{data.part(parent)} revision {revision!r} overlaps revision {other.revision!r} "
                f"({other.effective_from or '-∞'} … {other.effective_to or '∞'}): give them disjoint effectivity"
            )


async def write_lines(
    conn: Conn, tenant_id: uuid.UUID, bom_id: uuid.UUID, lines: list[tuple[int, BomLineIn]], ids: dict[str, uuid.UUID]
) -> None:
    await conn.execute("delete from plan_bom_lines where bom_id = %s", [bom_id])
    for no, ln in lines:
        line_id = uuid7()
        await conn.execute(
            "insert into plan_bom_lines (id, tenant_id, bom_id, line_no, component_id, qty_per, scrap_pct, phantom,"
            " ref_des) values (%s,%s,%s,%s,%s,%s,%s,%s,%s)",
            [line_id, tenant_id, bom_id, no, ids[ln.component], ln.qty_per, ln.scrap_pct, ln.phantom, ln.ref_des],
        )
        for s in ln.substitutes:
            await conn.execute(
                "insert into plan_bom_substitutes (id, tenant_id, line_id, item_id, priority) values (%s,%s,%s,%s,%s)",
                [uuid7(), tenant_id, line_id, ids[s.part_number], s.priority],
            )


def _parts(body: BomIn | BomUpdate) -> set[str]:
    return {ln.component for ln in body.lines} | {s.part_number for ln in body.lines for s in ln.substitutes}


async def create_bom(conn: Conn, tenant_id: uuid.UUID, body: BomIn) -> Row:
    ids = await items.require_parts(conn, {body.part_number} | _parts(body))
    lines = numbered(body.lines)
    data = await bomdata.load(conn)
    parent = ids[body.part_number]
    validate_structure(data, parent, body.revision, (body.effective_from, body.effective_to), lines, ids, bom_id=None)
    row = await common.insert(
        conn,
        "plan_boms",
        {
            "tenant_id": tenant_id,
            "item_id": parent,
            "revision": body.revision,
            "effective_from": body.effective_from,
            "effective_to": body.effective_to,
        },
        duplicate=f"{body.part_number} already has BOM revision {body.revision!r}",
    )
    await write_lines(conn, tenant_id, row["id"], lines, ids)
    return await get_bom(conn, row["id"])


async def replace_bom(conn: Conn, tenant_id: uuid.UUID, bom_id: uuid.UUID, body: BomUpdate) -> Row:
    current = await common.fetch(conn, "plan_boms", bom_id, "BOM", lock=True)
    common.check_version(current, body.expected_version, "BOM")
    ids = await items.require_parts(conn, _parts(body))
    data = await bomdata.load(conn)
    ids[data.part(current["item_id"])] = current["item_id"]
    lines = numbered(body.lines)
    eff = (body.effective_from, body.effective_to)
    validate_structure(data, current["item_id"], body.revision, eff, lines, ids, bom_id=bom_id)
    await common.update(
        conn,
        "plan_boms",
        bom_id,
        {"revision": body.revision, "effective_from": eff[0], "effective_to": eff[1]},
        body.expected_version,
        what="BOM",
    )
    await write_lines(conn, tenant_id, bom_id, lines, ids)
    return await get_bom(conn, bom_id)


async def delete_bom(conn: Conn, bom_id: uuid.UUID) -> None:
    await common.delete(conn, "plan_boms", bom_id, what="BOM", in_use="the BOM is in use")


async def _bom_rows(conn: Conn, where: str, args: list[Any]) -> list[Row]:
    cur = await conn.execute(
        "select b.*, i.part_number from plan_boms b join plan_items i on i.id = b.item_id"
        f" where {where} order by i.part_number, b.effective_from nulls first, b.revision",
        args,
    )
    heads = await cur.fetchall()
    if not heads:
        return []
    ids = [h["id"] for h in heads]
    cur = await conn.execute(
        "select l.*, i.part_number as component from plan_bom_lines l join plan_items i on i.id = l.component_id"
        " where l.bom_id = any(%s) order by l.line_no",
        [ids],
    )
    lines = await cur.fetchall()
    cur = await conn.execute(
        "select s.line_id, s.item_id, s.priority, i.part_number from plan_bom_substitutes s"
        " join plan_items i on i.id = s.item_id join plan_bom_lines l on l.id = s.line_id"
        " where l.bom_id = any(%s) order by s.priority, i.part_number",
        [ids],
    )
    subs: dict[uuid.UUID, list[Row]] = {}
    for s in await cur.fetchall():
        subs.setdefault(s.pop("line_id"), []).append(s)
    by_bom: dict[uuid.UUID, list[Row]] = {}
    for ln in lines:
        ln["substitutes"] = subs.get(ln["id"], [])
        by_bom.setdefault(ln["bom_id"], []).append(ln)
    for h in heads:
        h["lines"] = by_bom.get(h["id"], [])
    return heads


async def get_bom(conn: Conn, bom_id: uuid.UUID) -> Row:
    rows = await _bom_rows(conn, "b.id = %s", [bom_id])
    if not rows:
        from mip.planning.errors import PlanningNotFound

        raise PlanningNotFound(f"BOM {bom_id} not found")
    return rows[0]


async def list_boms(conn: Conn, item_id: uuid.UUID | None = None) -> list[Row]:
    if item_id is not None:
        return await _bom_rows(conn, "b.item_id = %s", [item_id])
    return await _bom_rows(conn, "true", [])
