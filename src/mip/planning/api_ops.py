"""HTTP API: calendars, machine unavailability windows, work centres (+ availability) and routings."""

from __future__ import annotations

import uuid
from typing import Annotated, Any

from fastapi import Query, Response
from pydantic import AwareDatetime

from mip.planning import calendars, routings
from mip.planning.api_base import Read, Write, router
from mip.planning.schemas_ops import (
    Availability,
    CalendarIn,
    CalendarOut,
    CalendarUpdate,
    RoutingIn,
    RoutingOut,
    RoutingUpdate,
    UnavailabilityIn,
    UnavailabilityOut,
    WorkCenterIn,
    WorkCenterOut,
    WorkCenterPatch,
)

# --- calendars ------------------------------------------------------------------------------------------


@router.get("/calendars", summary="Work calendars", response_model=list[CalendarOut])
async def list_calendars(ctx: Read) -> list[dict[str, Any]]:
    async with ctx.tx() as conn:
        return await calendars.list_calendars(conn)


@router.post(
    "/calendars",
    status_code=201,
    summary="Create a calendar (shifts in its time zone, holidays)",
    response_model=CalendarOut,
)
async def create_calendar(body: CalendarIn, ctx: Write) -> dict[str, Any]:
    async with ctx.tx() as conn:
        return await calendars.create_calendar(conn, ctx.principal.tenant_id, body)


@router.get("/calendars/{calendar_id}", summary="Get a calendar", response_model=CalendarOut)
async def get_calendar(calendar_id: uuid.UUID, ctx: Read) -> dict[str, Any]:
    async with ctx.tx() as conn:
        return await calendars.get_calendar(conn, calendar_id)


@router.put("/calendars/{calendar_id}", summary="Replace a calendar (409 stale_version)", response_model=CalendarOut)
async def put_calendar(calendar_id: uuid.UUID, body: CalendarUpdate, ctx: Write) -> dict[str, Any]:
    async with ctx.tx() as conn:
        return await calendars.update_calendar(conn, calendar_id, body)


@router.delete("/calendars/{calendar_id}", status_code=204, summary="Delete an unused calendar")
async def delete_calendar(calendar_id: uuid.UUID, ctx: Write) -> Response:
    async with ctx.tx() as conn:
        await calendars.delete_calendar(conn, calendar_id)
    return Response(status_code=204)


# --- unavailability -------------------------------------------------------------------------------------


@router.get(
    "/unavailability",
    summary="Machine unavailability windows (maintenance, breakdowns)",
    response_model=list[UnavailabilityOut],
)
async def list_windows(
    ctx: Read,
    machine_id: uuid.UUID | None = None,
    start: Annotated[AwareDatetime | None, Query(alias="from")] = None,
    end: Annotated[AwareDatetime | None, Query(alias="to")] = None,
) -> list[dict[str, Any]]:
    async with ctx.tx() as conn:
        return await calendars.list_windows(conn, machine_id=machine_id, start=start, end=end)


@router.post(
    "/unavailability",
    status_code=201,
    summary="Add an unavailability window to a machine",
    response_model=UnavailabilityOut,
)
async def create_window(body: UnavailabilityIn, ctx: Write) -> dict[str, Any]:
    async with ctx.tx() as conn:
        return await calendars.create_window(conn, ctx.principal.tenant_id, body)


@router.delete("/unavailability/{window_id}", status_code=204, summary="Remove an unavailability window")
async def delete_window(window_id: uuid.UUID, ctx: Write) -> Response:
    async with ctx.tx() as conn:
        await calendars.delete_window(conn, window_id)
    return Response(status_code=204)


# --- work centres ---------------------------------------------------------------------------------------


@router.get("/work-centers", summary="Work centres with their machines", response_model=list[WorkCenterOut])
async def list_work_centers(ctx: Read) -> list[dict[str, Any]]:
    async with ctx.tx() as conn:
        return await routings.list_work_centers(conn)


@router.post("/work-centers", status_code=201, summary="Create a work centre", response_model=WorkCenterOut)
async def create_work_center(body: WorkCenterIn, ctx: Write) -> dict[str, Any]:
    async with ctx.tx() as conn:
        return await routings.create_work_center(conn, ctx.principal.tenant_id, body)


@router.get("/work-centers/{work_center_id}", summary="Get a work centre", response_model=WorkCenterOut)
async def get_work_center(work_center_id: uuid.UUID, ctx: Read) -> dict[str, Any]:
    async with ctx.tx() as conn:
        return await routings.get_work_center(conn, work_center_id)


@router.patch(
    "/work-centers/{work_center_id}", summary="Change a work centre (409 stale_version)", response_model=WorkCenterOut
)
async def patch_work_center(work_center_id: uuid.UUID, body: WorkCenterPatch, ctx: Write) -> dict[str, Any]:
    async with ctx.tx() as conn:
        return await routings.update_work_center(conn, ctx.principal.tenant_id, work_center_id, body)


@router.delete("/work-centers/{work_center_id}", status_code=204, summary="Delete a work centre no routing uses")
async def delete_work_center(work_center_id: uuid.UUID, ctx: Write) -> Response:
    async with ctx.tx() as conn:
        await routings.delete_work_center(conn, work_center_id)
    return Response(status_code=204)


@router.get(
    "/work-centers/{work_center_id}/availability",
    summary="Available intervals of each machine: calendar open time minus unavailability windows",
    response_model=Availability,
)
async def availability(
    work_center_id: uuid.UUID,
    ctx: Read,
    start: Annotated[AwareDatetime, Query(alias="from")],
    end: Annotated[AwareDatetime, Query(alias="to")],
) -> dict[str, Any]:
    async with ctx.tx() as conn:
        return await routings.work_center_availability(conn, work_center_id, start, end)


# --- routings -------------------------------------------------------------------------------------------


@router.get("/routings", summary="Routings (all revisions), optionally of one item", response_model=list[RoutingOut])
async def list_routings(ctx: Read, item_id: uuid.UUID | None = None) -> list[dict[str, Any]]:
    async with ctx.tx() as conn:
        return await routings.list_routings(conn, item_id=item_id)


@router.post("/routings", status_code=201, summary="Create a routing revision", response_model=RoutingOut)
async def create_routing(body: RoutingIn, ctx: Write) -> dict[str, Any]:
    async with ctx.tx() as conn:
        return await routings.create_routing(conn, ctx.principal.tenant_id, body)


@router.get("/routings/{routing_id}", summary="Get a routing", response_model=RoutingOut)
async def get_routing(routing_id: uuid.UUID, ctx: Read) -> dict[str, Any]:
    async with ctx.tx() as conn:
        return await routings.get_routing(conn, routing_id)


@router.put(
    "/routings/{routing_id}", summary="Replace a routing revision (409 stale_version)", response_model=RoutingOut
)
async def put_routing(routing_id: uuid.UUID, body: RoutingUpdate, ctx: Write) -> dict[str, Any]:
    async with ctx.tx() as conn:
        return await routings.replace_routing(conn, ctx.principal.tenant_id, routing_id, body)


@router.delete("/routings/{routing_id}", status_code=204, summary="Delete a routing revision")
async def delete_routing(routing_id: uuid.UUID, ctx: Write) -> Response:
    async with ctx.tx() as conn:
        await routings.delete_routing(conn, routing_id)
    return Response(status_code=204)
