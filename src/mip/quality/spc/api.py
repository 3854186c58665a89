"""SPC routes (mounted under /api/v1/quality): stateless chart and capability computation, stored charts with
subgroups, frozen Phase I limits, Phase II signals and alarms."""

from __future__ import annotations

import uuid
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Response

from mip.alerts.events import publish_alert_event
from mip.alerts.lifecycle import Event
from mip.api.deps import Ctx, require
from mip.identity.permissions import Permission
from mip.quality.spc import store
from mip.quality.spc.build import capability_request, run_request
from mip.quality.spc.errors import ChartConflict
from mip.quality.spc.schemas import CapabilityOut, CapabilityRequest, ChartOut, ChartRequest
from mip.quality.spc.store_schemas import (
    ChartCreate,
    ChartPage,
    ChartPatch,
    FreezeIn,
    PointsIn,
    PointsOut,
    SignalPage,
    StoredChartOut,
    SubgroupPage,
)

router = APIRouter(prefix="/api/v1/quality/spc", tags=["quality"])
Read = Annotated[Ctx, Depends(require(Permission.QUALITY_READ))]
Write = Annotated[Ctx, Depends(require(Permission.QUALITY_WRITE))]


def _out(chart: dict[str, Any]) -> dict[str, Any]:
    return {**chart, "type": chart["chart_type"], "status": "phase2" if chart["limits"] else "phase1"}


async def _publish(ctx: Ctx, events: list[Event]) -> None:
    for kind, row in events:
        await publish_alert_event(ctx.rt.bus, kind, row)


@router.post("/chart", summary="Compute a control chart from posted data", response_model=ChartOut,
             response_model_exclude_none=True)  # fmt: skip
async def compute_chart(body: ChartRequest, ctx: Read) -> dict[str, Any]:
    return run_request(body)


@router.post("/capability", summary="Process capability of posted data", response_model=CapabilityOut)
async def compute_capability(body: CapabilityRequest, ctx: Read) -> dict[str, Any]:
    return capability_request(body)


@router.get("/charts", summary="List stored SPC charts", response_model=ChartPage)
async def list_charts(
    ctx: Read,
    machine_id: uuid.UUID | None = None,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
    offset: Annotated[int, Query(ge=0)] = 0,
) -> dict[str, Any]:
    async with ctx.tx() as conn:
        rows = await store.list_charts(conn, machine_id=machine_id, limit=limit, offset=offset)
    return {"items": [_out(r) for r in rows], "limit": limit, "offset": offset}


@router.post("/charts", status_code=201, summary="Create a stored SPC chart", response_model=StoredChartOut)
async def create_chart(body: ChartCreate, ctx: Write) -> dict[str, Any]:
    async with ctx.tx() as conn:
        return _out(await store.create_chart(conn, ctx.principal.tenant_id, ctx.principal.user_id, body))


@router.get("/charts/{chart_id}", summary="Get a stored SPC chart", response_model=StoredChartOut)
async def get_chart(chart_id: uuid.UUID, ctx: Read) -> dict[str, Any]:
    async with ctx.tx() as conn:
        return _out(await store.get_chart(conn, chart_id))


@router.patch("/charts/{chart_id}", summary="Rename, re-describe or reconfigure a chart", response_model=StoredChartOut)
async def update_chart(chart_id: uuid.UUID, body: ChartPatch, ctx: Write) -> dict[str, Any]:
    async with ctx.tx() as conn:
        return _out(await store.update_chart(conn, chart_id, body))


@router.delete("/charts/{chart_id}", status_code=204, summary="Delete a chart with its subgroups and signals")
async def delete_chart(chart_id: uuid.UUID, ctx: Write) -> Response:
    async with ctx.tx() as conn:
        await store.delete_chart(conn, chart_id)
    return Response(status_code=204)


@router.post("/charts/{chart_id}/points", status_code=201, summary="Add subgroups (Phase II ones are evaluated)",
             response_model=PointsOut)  # fmt: skip
async def add_points(chart_id: uuid.UUID, body: PointsIn, ctx: Write) -> dict[str, Any]:
    events: list[Event] = []
    async with ctx.tx() as conn:
        chart = await store.get_chart(conn, chart_id, lock=True)
        if chart["source"] == "sensor":
            raise ChartConflict("a sensor-fed chart takes its subgroups from the sensor's readings")
        items = [s.model_dump() for s in body.subgroups]
        out = await store.add_subgroups(conn, ctx.principal.tenant_id, chart, items, ctx.principal.user_id, events)
    await _publish(ctx, events)
    return out


@router.get("/charts/{chart_id}/points", summary="The chart's subgroups in order", response_model=SubgroupPage)
async def list_points(
    chart_id: uuid.UUID,
    ctx: Read,
    phase: Annotated[int | None, Query(ge=1, le=2)] = None,
    after_seq: Annotated[int, Query(ge=0)] = 0,
    limit: Annotated[int, Query(ge=1, le=store.MAX_LIST)] = 1000,
) -> dict[str, Any]:
    async with ctx.tx() as conn:
        return {"items": await store.list_subgroups(conn, chart_id, phase=phase, after_seq=after_seq, limit=limit)}


@router.post(
    "/charts/{chart_id}/limits", summary="Estimate and freeze the Phase I limits", response_model=StoredChartOut
)
async def freeze_limits(chart_id: uuid.UUID, body: FreezeIn, ctx: Write) -> dict[str, Any]:
    events: list[Event] = []
    async with ctx.tx() as conn:
        chart = await store.freeze_limits(conn, ctx.principal.tenant_id, chart_id, body, ctx.principal.user_id, events)
    await _publish(ctx, events)
    return _out(chart)


@router.get("/charts/{chart_id}/chart", summary="The stored chart computed (points, limits, violations)",
            response_model=ChartOut, response_model_exclude_none=True)  # fmt: skip
async def view_chart(
    chart_id: uuid.UUID, ctx: Read, last: Annotated[int, Query(ge=1, le=store.MAX_LIST)] = 500
) -> dict[str, Any]:
    async with ctx.tx() as conn:
        return await store.chart_view(conn, chart_id, last=last)


@router.get("/charts/{chart_id}/signals", summary="Out-of-control signals, newest first", response_model=SignalPage)
async def list_signals(
    chart_id: uuid.UUID, ctx: Read, limit: Annotated[int, Query(ge=1, le=1000)] = 100
) -> dict[str, Any]:
    async with ctx.tx() as conn:
        await store.get_chart(conn, chart_id)
        cur = await conn.execute(
            "select g.id, g.subgroup_id, s.seq, s.ts, g.rule, g.description, g.value, g.alert_id, g.created_at "
            "from spc_signals g join spc_subgroups s on s.id = g.subgroup_id where g.chart_id = %s "
            "order by s.seq desc, g.rule limit %s",
            [chart_id, limit],
        )
        return {"items": [dict(r) for r in await cur.fetchall()]}
