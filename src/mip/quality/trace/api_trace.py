"""Routes: lots, serials, genealogy (consume), backward/forward trace, recall impact."""

from __future__ import annotations

import uuid
from typing import Annotated, Any

from fastapi import Depends, Query

from mip.api.deps import Ctx, require
from mip.identity.permissions import Permission
from mip.quality.trace import genealogy, lots
from mip.quality.trace.common import marked
from mip.quality.trace.errors import ItarNotAuthorized
from mip.quality.trace.routing import router
from mip.quality.trace.schemas import (
    ConsumeIn,
    ConsumeOut,
    LotIn,
    LotOut,
    LotPage,
    LotPatch,
    LotStatus,
    RecallOut,
    SerialIn,
    SerialOut,
    SerialPage,
    SerialPatch,
    SerialStatus,
    TraceOut,
)

Read = Annotated[Ctx, Depends(require(Permission.QUALITY_READ))]
Write = Annotated[Ctx, Depends(require(Permission.QUALITY_WRITE))]
Limit = Annotated[int, Query(ge=1, le=1000)]
Offset = Annotated[int, Query(ge=0)]
Part = Annotated[str | None, Query(max_length=100, description="Needed when a number is used by several parts")]


def check_itar(ctx: Ctx, itar: bool | None) -> None:
    if itar and not ctx.principal.itar_authorized:
        raise ItarNotAuthorized("only ITAR-authorised users may create or mark ITAR-controlled records")


@router.post("/lots", response_model=LotOut, status_code=201, summary="Create a lot")
async def create_lot(body: LotIn, ctx: Write) -> dict[str, Any]:
    check_itar(ctx, body.itar)
    async with ctx.tx() as conn:
        return marked(await lots.create_lot(conn, ctx.principal.tenant_id, ctx.principal.user_id, body.model_dump()))


@router.get("/lots", response_model=LotPage, summary="List lots (ITAR lots only for authorised users)")
async def list_lots(
    ctx: Read,
    part_number: Annotated[str | None, Query(max_length=100)] = None,
    lot_number: Annotated[str | None, Query(max_length=100)] = None,
    status: LotStatus | None = None,
    itar: bool | None = None,
    limit: Limit = 100,
    offset: Offset = 0,
) -> dict[str, Any]:
    filters = {"part_number": part_number, "lot_number": lot_number, "status": status, "itar": itar}
    async with ctx.tx() as conn:
        rows, total = await lots.list_rows(conn, "lot", filters, limit, offset)
    return {"items": [marked(r) for r in rows], "total": total, "limit": limit, "offset": offset}


@router.get("/lots/{lot_id}", response_model=LotOut, summary="Get a lot")
async def get_lot(lot_id: uuid.UUID, ctx: Read) -> dict[str, Any]:
    async with ctx.tx() as conn:
        return marked(await lots.get_lot(conn, lot_id))


@router.patch("/lots/{lot_id}", response_model=LotOut, summary="Change a lot (quantity, status, refs, ITAR flag)")
async def patch_lot(lot_id: uuid.UUID, body: LotPatch, ctx: Write) -> dict[str, Any]:
    check_itar(ctx, body.itar is not None)
    async with ctx.tx() as conn:
        return marked(await lots.update_lot(conn, lot_id, body.model_dump(exclude_none=True)))


@router.post("/serials", response_model=SerialOut, status_code=201, summary="Create a serial number")
async def create_serial(body: SerialIn, ctx: Write) -> dict[str, Any]:
    check_itar(ctx, body.itar)
    async with ctx.tx() as conn:
        return marked(await lots.create_serial(conn, ctx.principal.tenant_id, ctx.principal.user_id, body.model_dump()))


@router.get("/serials", response_model=SerialPage, summary="List serial numbers (ITAR ones only for authorised users)")
async def list_serials(
    ctx: Read,
    part_number: Annotated[str | None, Query(max_length=100)] = None,
    serial_number: Annotated[str | None, Query(max_length=100)] = None,
    status: SerialStatus | None = None,
    itar: bool | None = None,
    limit: Limit = 100,
    offset: Offset = 0,
) -> dict[str, Any]:
    filters = {"part_number": part_number, "serial_number": serial_number, "status": status, "itar": itar}
    async with ctx.tx() as conn:
        rows, total = await lots.list_rows(conn, "serial", filters, limit, offset)
    return {"items": [marked(r) for r in rows], "total": total, "limit": limit, "offset": offset}


@router.get("/serials/{serial_id}", response_model=SerialOut, summary="Get a serial number")
async def get_serial(serial_id: uuid.UUID, ctx: Read) -> dict[str, Any]:
    async with ctx.tx() as conn:
        return marked(await lots.get_serial(conn, serial_id))


@router.patch("/serials/{serial_id}", response_model=SerialOut, summary="Change a serial (status, revision, ITAR)")
async def patch_serial(serial_id: uuid.UUID, body: SerialPatch, ctx: Write) -> dict[str, Any]:
    check_itar(ctx, body.itar is not None)
    async with ctx.tx() as conn:
        return marked(await lots.update_serial(conn, serial_id, body.model_dump(exclude_none=True)))


@router.post(
    "/genealogy/consume",
    response_model=ConsumeOut,
    status_code=201,
    summary="Record that a serial/lot (made by a work order) consumed component lots and serials",
    description="All or nothing. 409 `insufficient_quantity` when a lot has less remaining than requested, "
    "409 `genealogy_cycle` when the parent is already part of a child, 409 for consumed/shipped/quarantined items.",
)
async def consume(body: ConsumeIn, ctx: Write) -> dict[str, Any]:
    async with ctx.tx() as conn:
        return await genealogy.consume(
            conn,
            ctx.principal.tenant_id,
            ctx.principal.user_id,
            parent_id=body.parent_id,
            children=[c.model_dump() for c in body.children],
            work_order_id=body.work_order_id,
        )


async def _trace(ctx: Ctx, node: str, part_number: str | None, direction: str, max_depth: int) -> dict[str, Any]:
    async with ctx.tx() as conn:
        _, row = await lots.find_node(conn, node, part_number)
        return await genealogy.trace(conn, row["id"], direction, max_depth=max_depth)


Depth = Annotated[int, Query(ge=1, le=genealogy.MAX_DEPTH, description="Levels to follow")]


@router.get("/trace/backward/{node}", response_model=TraceOut, summary="What went into this serial/lot, all levels")
async def trace_backward(
    node: str, ctx: Read, part_number: Part = None, max_depth: Depth = genealogy.MAX_DEPTH
) -> dict[str, Any]:
    return await _trace(ctx, node, part_number, "backward", max_depth)


@router.get("/trace/forward/{node}", response_model=TraceOut, summary="Where this lot/serial went, all levels")
async def trace_forward(
    node: str, ctx: Read, part_number: Part = None, max_depth: Depth = genealogy.MAX_DEPTH
) -> dict[str, Any]:
    return await _trace(ctx, node, part_number, "forward", max_depth)


@router.get(
    "/trace/recall/{lot}",
    response_model=RecallOut,
    summary="Recall impact: shipments (customers, dates) containing a suspect lot (or serial); what is in house",
)
async def recall(lot: str, ctx: Read, part_number: Part = None) -> dict[str, Any]:
    async with ctx.tx() as conn:
        _, row = await lots.find_node(conn, lot, part_number)
        return await genealogy.recall(conn, row["id"])
