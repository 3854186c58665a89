"""HTTP API of the planning domain: items, BOMs (explode, where-used, cost rollup, CSV), and the sub-routers
for routings/capacity (``api_ops``) and orders/MRP (``api_orders``)."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime
from typing import Annotated, Any

from fastapi import Query, Request, Response

from mip.identity.itar import require_itar
from mip.planning import api_ops as _ops  # noqa: F401  (registers its routes)
from mip.planning import api_orders as _orders  # noqa: F401
from mip.planning import bomdata, boms, csvio, explode, items, routings
from mip.planning import models as _models  # noqa: F401  (registers the planning tables on the shared metadata)
from mip.planning.api_base import Read, Write
from mip.planning.api_base import router as router
from mip.planning.errors import InvalidPlanningInput
from mip.planning.schemas import (
    BomIn,
    BomOut,
    BomPage,
    BomUpdate,
    CostRollup,
    Explosion,
    ImportResult,
    ItemIn,
    ItemOut,
    ItemPage,
    ItemPatch,
    WhereUsed,
)
from mip.platform.errors import PayloadTooLarge, UnsupportedMediaType

MAX_CSV_BYTES = 20_000_000


def today() -> date:
    return datetime.now(UTC).date()


# --- items ----------------------------------------------------------------------------------------------


@router.get("/items", summary="List items by part number", response_model=ItemPage)
async def list_items(
    ctx: Read,
    q: Annotated[str | None, Query(description="part number or description contains")] = None,
    make_buy: Annotated[str | None, Query(pattern="^(make|buy)$")] = None,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
    offset: Annotated[int, Query(ge=0)] = 0,
) -> dict[str, Any]:
    async with ctx.tx() as conn:
        rows, total = await items.list_items(conn, q=q, make_buy=make_buy, limit=limit, offset=offset)
    return {"items": rows, "total": total, "limit": limit, "offset": offset}


@router.post(
    "/items", status_code=201, summary="Create an item (409 if the part number exists)", response_model=ItemOut
)
async def create_item(body: ItemIn, ctx: Write) -> dict[str, Any]:
    if body.itar:
        require_itar(ctx.principal, "ITAR-controlled items")
    async with ctx.tx() as conn:
        return await items.create_item(conn, ctx.principal.tenant_id, body)


@router.get("/items/{item_id}", summary="Get an item", response_model=ItemOut)
async def get_item(item_id: uuid.UUID, ctx: Read) -> dict[str, Any]:
    async with ctx.tx() as conn:
        return await items.get_item(conn, item_id)


@router.patch(
    "/items/{item_id}", summary="Change an item (409 stale_version if expected_version is old)", response_model=ItemOut
)
async def patch_item(item_id: uuid.UUID, body: ItemPatch, ctx: Write) -> dict[str, Any]:
    if body.itar is not None:
        require_itar(ctx.principal, "ITAR-controlled items")
    async with ctx.tx() as conn:
        return await items.update_item(conn, item_id, body)


@router.delete("/items/{item_id}", status_code=204, summary="Delete an unused item (409 in_use otherwise)")
async def delete_item(item_id: uuid.UUID, ctx: Write) -> Response:
    async with ctx.tx() as conn:
        await items.delete_item(conn, item_id)
    return Response(status_code=204)


@router.get("/items/{item_id}/explode", summary="Indented and summarised BOM explosion", response_model=Explosion)
async def explode_item(
    item_id: uuid.UUID,
    ctx: Read,
    as_of: Annotated[date | None, Query(description="effectivity date (default today)")] = None,
    quantity: Annotated[float, Query(gt=0)] = 1.0,
    revision: Annotated[str | None, Query(description="top-level BOM revision (default: effective one)")] = None,
    include_phantoms: bool = False,
) -> dict[str, Any]:
    async with ctx.tx() as conn:
        await items.get_item(conn, item_id)
        data = await bomdata.load(conn)
    return explode.explode(
        data, item_id, as_of or today(), quantity=quantity, revision=revision, include_phantoms=include_phantoms
    )


@router.get("/items/{item_id}/where-used", summary="Indented where-used, all levels up", response_model=WhereUsed)
async def where_used(
    item_id: uuid.UUID,
    ctx: Read,
    as_of: Annotated[date | None, Query(description="only BOMs effective on this date (default: all)")] = None,
) -> dict[str, Any]:
    async with ctx.tx() as conn:
        await items.get_item(conn, item_id)
        data = await bomdata.load(conn)
    return explode.where_used(data, item_id, as_of)


@router.get(
    "/items/{item_id}/cost", summary="Rolled-up cost and cumulative lead time (longest path)", response_model=CostRollup
)
async def cost(
    item_id: uuid.UUID,
    ctx: Read,
    as_of: date | None = None,
    lot_size: Annotated[float, Query(gt=0, description="setup is spread over this quantity")] = 1.0,
) -> dict[str, Any]:
    on = as_of or today()
    async with ctx.tx() as conn:
        await items.get_item(conn, item_id)
        data = await bomdata.load(conn)
        labour = await routings.labour_costs(conn, on)
    return explode.rollup(data, item_id, on, labour, lot_size=lot_size)


# --- BOMs -----------------------------------------------------------------------------------------------


@router.get("/boms", summary="BOMs (all revisions), optionally of one parent item", response_model=BomPage)
async def list_boms(ctx: Read, item_id: uuid.UUID | None = None) -> dict[str, Any]:
    async with ctx.tx() as conn:
        return {"items": await boms.list_boms(conn, item_id)}


@router.post(
    "/boms",
    status_code=201,
    summary="Create a BOM revision (422 unknown_item / bom_cycle, 409 duplicate / effectivity_overlap)",
    response_model=BomOut,
)
async def create_bom(body: BomIn, ctx: Write) -> dict[str, Any]:
    async with ctx.tx() as conn:
        return await boms.create_bom(conn, ctx.principal.tenant_id, body)


@router.get(
    "/boms/export",
    summary="Items and BOMs as CSV (import of this file into an empty tenant reproduces it)",
    response_class=Response,
    responses={200: {"content": {"text/csv": {}}}},
)
async def export_boms(ctx: Read) -> Response:
    async with ctx.tx() as conn:
        text = await csvio.export_csv(conn)
    return Response(text, media_type="text/csv; charset=utf-8")


@router.post(
    "/boms/import",
    summary="Import items and BOMs from CSV: all or nothing (422 import_invalid lists every row problem)",
    response_model=ImportResult,
    openapi_extra={"requestBody": {"required": True, "content": {"text/csv": {"schema": {"type": "string"}}}}},
)
async def import_boms(request: Request, ctx: Write) -> dict[str, Any]:
    ctype = request.headers.get("content-type", "text/csv")
    if not ctype.startswith(("text/csv", "text/plain", "application/csv")):
        raise UnsupportedMediaType(f"send the CSV as text/csv, not {ctype}")
    raw = await request.body()
    if len(raw) > MAX_CSV_BYTES:
        raise PayloadTooLarge(f"CSV larger than {MAX_CSV_BYTES} bytes")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise InvalidPlanningInput("the CSV is not UTF-8") from None
    if csvio.marks_itar(text):
        require_itar(ctx.principal, "ITAR-controlled items")
    async with ctx.tx() as conn:
        return await csvio.import_csv(conn, ctx.principal.tenant_id, text)


@router.get("/boms/{bom_id}", summary="Get a BOM revision with its lines", response_model=BomOut)
async def get_bom(bom_id: uuid.UUID, ctx: Read) -> dict[str, Any]:
    async with ctx.tx() as conn:
        return await boms.get_bom(conn, bom_id)


@router.put(
    "/boms/{bom_id}",
    summary="Replace a BOM revision's header and lines (409 stale_version if expected_version is old)",
    response_model=BomOut,
)
async def replace_bom(bom_id: uuid.UUID, body: BomUpdate, ctx: Write) -> dict[str, Any]:
    async with ctx.tx() as conn:
        return await boms.replace_bom(conn, ctx.principal.tenant_id, bom_id, body)


@router.delete("/boms/{bom_id}", status_code=204, summary="Delete a BOM revision")
async def delete_bom(bom_id: uuid.UUID, ctx: Write) -> Response:
    async with ctx.tx() as conn:
        await boms.delete_bom(conn, bom_id)
    return Response(status_code=204)
