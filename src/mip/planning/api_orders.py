"""HTTP API: demand orders, supply orders (work orders, purchase orders and requisitions) with pegging, MRP runs."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Annotated, Any, Literal

from fastapi import Query, Response

from mip.planning import mrp, orders
from mip.planning.api_base import Read, Write, router
from mip.planning.schemas_orders import (
    DemandIn,
    DemandOut,
    DemandPage,
    DemandPatch,
    MrpRunIn,
    MrpRunOut,
    MrpRunPage,
    SupplyIn,
    SupplyOut,
    SupplyPage,
    SupplyPatch,
)


@router.get("/orders", summary="Demand: sales and production orders, by due date", response_model=DemandPage)
async def list_orders(ctx: Read, status: Literal["open", "closed", "cancelled"] | None = None) -> dict[str, Any]:
    async with ctx.tx() as conn:
        return {"items": await orders.list_demand(conn, status=status)}


@router.post(
    "/orders",
    status_code=201,
    summary="Create a demand order (422 unknown_item, 409 duplicate)",
    response_model=DemandOut,
)
async def create_order(body: DemandIn, ctx: Write) -> dict[str, Any]:
    async with ctx.tx() as conn:
        return await orders.create_demand(conn, ctx.principal.tenant_id, body)


@router.get("/orders/{order_id}", summary="Get a demand order", response_model=DemandOut)
async def get_order(order_id: uuid.UUID, ctx: Read) -> dict[str, Any]:
    async with ctx.tx() as conn:
        return await orders.get_demand(conn, order_id)


@router.patch("/orders/{order_id}", summary="Change a demand order (409 stale_version)", response_model=DemandOut)
async def patch_order(order_id: uuid.UUID, body: DemandPatch, ctx: Write) -> dict[str, Any]:
    async with ctx.tx() as conn:
        return await orders.update_demand(conn, order_id, body)


@router.delete("/orders/{order_id}", status_code=204, summary="Delete a demand order (and its pegging)")
async def delete_order(order_id: uuid.UUID, ctx: Write) -> Response:
    async with ctx.tx() as conn:
        await orders.delete_demand(conn, order_id)
    return Response(status_code=204)


@router.get(
    "/supply-orders",
    summary="Work orders and purchase orders/requisitions (planned by MRP, firm, released …) with pegging",
    response_model=SupplyPage,
)
async def list_supply(
    ctx: Read,
    status: Literal["planned", "firm", "released", "completed", "cancelled"] | None = None,
    kind: Literal["make", "buy"] | None = None,
    item_id: uuid.UUID | None = None,
) -> dict[str, Any]:
    async with ctx.tx() as conn:
        return {"items": await orders.list_supply(conn, status=status, kind=kind, item_id=item_id)}


@router.post(
    "/supply-orders",
    status_code=201,
    summary="Enter an open work order or purchase order (firm or released): open supply for MRP",
    response_model=SupplyOut,
)
async def create_supply(body: SupplyIn, ctx: Write) -> dict[str, Any]:
    async with ctx.tx() as conn:
        return await orders.create_supply(conn, ctx.principal.tenant_id, body)


@router.get("/supply-orders/{supply_id}", summary="Get a supply order with its pegging", response_model=SupplyOut)
async def get_supply(supply_id: uuid.UUID, ctx: Read) -> dict[str, Any]:
    async with ctx.tx() as conn:
        return await orders.get_supply(conn, supply_id)


@router.patch(
    "/supply-orders/{supply_id}",
    summary="Firm, release, complete or cancel a supply order, or change it (409 invalid_transition / stale_version)",
    response_model=SupplyOut,
)
async def patch_supply(supply_id: uuid.UUID, body: SupplyPatch, ctx: Write) -> dict[str, Any]:
    async with ctx.tx() as conn:
        return await orders.update_supply(conn, supply_id, body)


@router.post(
    "/mrp/runs",
    status_code=201,
    summary="Run MRP: replaces the previous run's planned orders and pegging atomically",
    response_model=MrpRunOut,
)
async def run_mrp(ctx: Write, body: MrpRunIn | None = None) -> dict[str, Any]:
    as_of = (body.as_of if body else None) or datetime.now(UTC).date()
    async with ctx.tx() as conn:
        return await mrp.run_mrp(conn, ctx.principal.tenant_id, ctx.principal.user_id, as_of)


@router.get("/mrp/runs", summary="MRP runs, newest first", response_model=MrpRunPage)
async def list_runs(ctx: Read, limit: Annotated[int, Query(ge=1, le=500)] = 50) -> dict[str, Any]:
    async with ctx.tx() as conn:
        return {"items": await mrp.list_runs(conn, limit)}


@router.get(
    "/mrp/runs/{run_id}", summary="One MRP run: who, when, inputs, outputs, exceptions", response_model=MrpRunOut
)
async def get_run(run_id: uuid.UUID, ctx: Read) -> dict[str, Any]:
    async with ctx.tx() as conn:
        return await mrp.get_run(conn, run_id)
