"""HTTP API: nonconformance reports (workflow, disposition, MRB), 8D CAPAs and quality metrics. Appended to the
inspection router (full paths under /api/v1/quality)."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Query

from mip.api.deps import Ctx, require
from mip.identity.permissions import Permission, Role
from mip.quality.inspection import capa, metrics, ncr
from mip.quality.inspection.common import events
from mip.quality.inspection.errors import MrbForbidden
from mip.quality.inspection.schemas_ncr import (
    CapaIn,
    CapaOut,
    CapaPage,
    CapaPatch,
    CapaStatus,
    DispositionIn,
    EventPage,
    MetricsOut,
    MrbIn,
    NcrIn,
    NcrOut,
    NcrPage,
    NcrPatch,
    NcrStatus,
    PpmOut,
    TransitionIn,
)

router = APIRouter(prefix="/api/v1/quality", tags=["quality-inspection"])
Read = Annotated[Ctx, Depends(require(Permission.QUALITY_READ))]
Write = Annotated[Ctx, Depends(require(Permission.QUALITY_WRITE))]
Limit = Annotated[int, Query(ge=1, le=1000)]
Offset = Annotated[int, Query(ge=0)]


@router.post("/ncrs", status_code=201, summary="Raise a nonconformance report", response_model=NcrOut)
async def create_ncr(body: NcrIn, ctx: Write) -> dict[str, Any]:
    async with ctx.tx() as conn:
        return await ncr.create(conn, ctx.principal.tenant_id, ctx.principal.user_id, body)


@router.get("/ncrs", summary="List NCRs, newest first", response_model=NcrPage)
async def list_ncrs(
    ctx: Read,
    status: NcrStatus | None = None,
    supplier_id: uuid.UUID | None = None,
    item_id: uuid.UUID | None = None,
    limit: Limit = 100,
    offset: Offset = 0,
) -> dict[str, Any]:
    async with ctx.tx() as conn:
        rows = await ncr.list_ncrs(conn, status=status, supplier_id=supplier_id, item_id=item_id, limit=limit,
                                   offset=offset)  # fmt: skip
    return {"items": rows}


@router.get("/ncrs/{ncr_id}", summary="An NCR", response_model=NcrOut)
async def get_ncr(ncr_id: uuid.UUID, ctx: Read) -> dict[str, Any]:
    async with ctx.tx() as conn:
        return await ncr.get(conn, ncr_id)


@router.patch("/ncrs/{ncr_id}", summary="Edit an NCR (expected_version; 409 when stale)", response_model=NcrOut)
async def patch_ncr(ncr_id: uuid.UUID, body: NcrPatch, ctx: Write) -> dict[str, Any]:
    async with ctx.tx() as conn:
        return await ncr.patch(conn, ctx.principal.tenant_id, ncr_id, ctx.principal.user_id, body)


@router.post("/ncrs/{ncr_id}/transition", summary="Move an NCR along its workflow (409 when not allowed)",
             response_model=NcrOut)  # fmt: skip
async def transition_ncr(ncr_id: uuid.UUID, body: TransitionIn, ctx: Write) -> dict[str, Any]:
    async with ctx.tx() as conn:
        return await ncr.transition(conn, ctx.principal.tenant_id, ncr_id, ctx.principal.user_id, body)


@router.post("/ncrs/{ncr_id}/disposition", response_model=NcrOut,
             summary="Disposition an NCR (use as is / repair wait for MRB approval)")  # fmt: skip
async def disposition_ncr(ncr_id: uuid.UUID, body: DispositionIn, ctx: Write) -> dict[str, Any]:
    async with ctx.tx() as conn:
        return await ncr.disposition(conn, ctx.principal.tenant_id, ncr_id, ctx.principal.user_id, body)


@router.post("/ncrs/{ncr_id}/mrb", response_model=NcrOut,
             summary="Material review board decision on a use-as-is/repair disposition (quality role)")  # fmt: skip
async def mrb_ncr(ncr_id: uuid.UUID, body: MrbIn, ctx: Write) -> dict[str, Any]:
    async with ctx.tx() as conn:
        await ncr.get(conn, ncr_id)  # 404 before 403: another tenant's NCR is simply not there
        if ctx.principal.role is not Role.QUALITY or ctx.principal.user_id is None:
            raise MrbForbidden("MRB approval needs a user with the quality role")
        return await ncr.mrb(conn, ctx.principal.tenant_id, ncr_id, ctx.principal.user_id, body)


@router.get("/ncrs/{ncr_id}/events", summary="Every transition and edit of an NCR", response_model=EventPage)
async def ncr_events(ncr_id: uuid.UUID, ctx: Read) -> dict[str, Any]:
    async with ctx.tx() as conn:
        await ncr.get(conn, ncr_id)
        return {"items": await events(conn, "ncr", ncr_id)}


@router.post("/capas", status_code=201, summary="Open a CAPA (8D)", response_model=CapaOut)
async def create_capa(body: CapaIn, ctx: Write) -> dict[str, Any]:
    async with ctx.tx() as conn:
        return await capa.create(conn, ctx.principal.tenant_id, ctx.principal.user_id, body)


@router.get("/capas", summary="List CAPAs, newest first", response_model=CapaPage)
async def list_capas(
    ctx: Read, status: CapaStatus | None = None, ncr_id: uuid.UUID | None = None, limit: Limit = 100,
    offset: Offset = 0,
) -> dict[str, Any]:  # fmt: skip
    async with ctx.tx() as conn:
        return {"items": await capa.list_capas(conn, status=status, ncr_id=ncr_id, limit=limit, offset=offset)}


@router.get("/capas/{capa_id}", summary="A CAPA", response_model=CapaOut)
async def get_capa(capa_id: uuid.UUID, ctx: Read) -> dict[str, Any]:
    async with ctx.tx() as conn:
        return await capa.get(conn, capa_id)


@router.patch("/capas/{capa_id}", summary="Edit the 8D fields (expected_version; 409 when stale)",
              response_model=CapaOut)  # fmt: skip
async def patch_capa(capa_id: uuid.UUID, body: CapaPatch, ctx: Write) -> dict[str, Any]:
    async with ctx.tx() as conn:
        return await capa.patch(conn, ctx.principal.tenant_id, capa_id, ctx.principal.user_id, body)


@router.post("/capas/{capa_id}/transition", response_model=CapaOut,
             summary="Move a CAPA along its workflow (closing needs a passed effectiveness check)")  # fmt: skip
async def transition_capa(capa_id: uuid.UUID, body: TransitionIn, ctx: Write) -> dict[str, Any]:
    async with ctx.tx() as conn:
        return await capa.transition(conn, ctx.principal.tenant_id, capa_id, ctx.principal.user_id, body)


@router.get("/capas/{capa_id}/events", summary="Every transition and edit of a CAPA", response_model=EventPage)
async def capa_events(capa_id: uuid.UUID, ctx: Read) -> dict[str, Any]:
    async with ctx.tx() as conn:
        await capa.get(conn, capa_id)
        return {"items": await events(conn, "capa", capa_id)}


def _range(start: datetime | None, end: datetime | None) -> tuple[datetime, datetime]:
    end = end or datetime.now(UTC)
    start = start or end - timedelta(days=30)
    return (start if start.tzinfo else start.replace(tzinfo=UTC)), (end if end.tzinfo else end.replace(tzinfo=UTC))


@router.get("/metrics", response_model=MetricsOut,
            summary="First-pass yield, scrap and rework rates, DPMO and PPM, in total and per day/week")  # fmt: skip
async def quality_metrics(
    ctx: Read, start: datetime | None = None, end: datetime | None = None, bucket: Literal["day", "week"] = "day"
) -> dict[str, Any]:
    s, e = _range(start, end)
    async with ctx.tx() as conn:
        return await metrics.compute(conn, start=s, end=e, bucket=bucket)


@router.get("/metrics/ppm", summary="Defective parts per million by supplier, part or line", response_model=PpmOut)
async def ppm(
    ctx: Read,
    by: Literal["supplier", "part", "line"],
    start: datetime | None = None,
    end: datetime | None = None,
) -> dict[str, Any]:
    s, e = _range(start, end)
    async with ctx.tx() as conn:
        return await metrics.ppm(conn, start=s, end=e, by=by)
