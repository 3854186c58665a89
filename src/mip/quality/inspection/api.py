"""HTTP API: quality inspection (mounted under /api/v1/quality): Z1.4 sampling, suppliers, inspection plans,
gauges, inspection lots and results, AS9102 FAI reports. NCR/CAPA and metrics routes (api_ncr.py) are appended
to this router with their full paths."""

from __future__ import annotations

import uuid
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Path, Query, Response

from mip.alerts.events import publish_alert_event
from mip.alerts.lifecycle import Event
from mip.api.deps import Ctx, require
from mip.identity.permissions import Permission
from mip.quality.inspection import fai, inspections, plans
from mip.quality.inspection import signatures as _signatures  # noqa: F401  (registers ncr, capa, fai_report)
from mip.quality.inspection.api_ncr import router as ncr_router
from mip.quality.inspection.sampling import lookup
from mip.quality.inspection.schemas import (
    CalibrationIn,
    FaiIn,
    FaiOut,
    GaugeIn,
    GaugeOut,
    InspectionIn,
    InspectionOut,
    InspectionPage,
    Level,
    PlanIn,
    PlanOut,
    PlanPage,
    ResultPage,
    ResultsIn,
    ResultsOut,
    SamplingOut,
    Severity,
    SupplierIn,
    SupplierOut,
)

router = APIRouter(prefix="/api/v1/quality", tags=["quality-inspection"])
Read = Annotated[Ctx, Depends(require(Permission.QUALITY_READ))]
Write = Annotated[Ctx, Depends(require(Permission.QUALITY_WRITE))]
Limit = Annotated[int, Query(ge=1, le=1000)]
Offset = Annotated[int, Query(ge=0)]


@router.get("/sampling", summary="ANSI/ASQ Z1.4 single sampling plan for a lot", response_model=SamplingOut)
async def sampling(
    ctx: Read,
    lot_size: Annotated[int, Query(ge=2)],
    aql: Annotated[float, Query(gt=0)],
    level: Level = "II",
    severity: Severity = "normal",
) -> dict[str, Any]:
    return lookup(lot_size, aql, level, severity).as_dict()


@router.post("/suppliers", status_code=201, summary="Create a supplier", response_model=SupplierOut)
async def create_supplier(body: SupplierIn, ctx: Write) -> dict[str, Any]:
    async with ctx.tx() as conn:
        return await plans.create_supplier(conn, ctx.principal.tenant_id, body)


@router.get("/suppliers", summary="List suppliers", response_model=list[SupplierOut])
async def list_suppliers(ctx: Read) -> list[dict[str, Any]]:
    async with ctx.tx() as conn:
        return await plans.list_suppliers(conn)


@router.post("/inspection-plans", status_code=201, response_model=PlanOut,
             summary="Create an inspection plan (or the next revision for the item and operation)")  # fmt: skip
async def create_plan(body: PlanIn, ctx: Write) -> dict[str, Any]:
    async with ctx.tx() as conn:
        return await plans.create_plan(conn, ctx.principal.tenant_id, ctx.principal.user_id, body)


@router.get("/inspection-plans", summary="List inspection plans (newest revision first)", response_model=PlanPage)
async def list_plans(
    ctx: Read,
    item_id: uuid.UUID | None = None,
    operation: str | None = None,
    active: bool = False,
    limit: Limit = 100,
    offset: Offset = 0,
) -> dict[str, Any]:
    async with ctx.tx() as conn:
        rows = await plans.list_plans(
            conn, item_id=item_id, operation=operation, active_only=active, limit=limit, offset=offset
        )
    return {"items": rows}


@router.get("/inspection-plans/{plan_id}", summary="An inspection plan with its characteristics",
            response_model=PlanOut)  # fmt: skip
async def get_plan(plan_id: uuid.UUID, ctx: Read) -> dict[str, Any]:
    async with ctx.tx() as conn:
        return await plans.get_plan(conn, plan_id)


@router.post("/gauges", status_code=201, summary="Register a gauge", response_model=GaugeOut)
async def create_gauge(body: GaugeIn, ctx: Write) -> dict[str, Any]:
    async with ctx.tx() as conn:
        return await plans.create_gauge(conn, ctx.principal.tenant_id, body)


@router.get("/gauges", summary="List gauges (overdue=true: the ones that may not be used)",
            response_model=list[GaugeOut])  # fmt: skip
async def list_gauges(ctx: Read, overdue: bool | None = None) -> list[dict[str, Any]]:
    async with ctx.tx() as conn:
        return await plans.list_gauges(conn, overdue=overdue)


@router.get("/gauges/{gauge_id}", summary="A gauge with its calibration history", response_model=GaugeOut)
async def get_gauge(gauge_id: uuid.UUID, ctx: Read) -> dict[str, Any]:
    async with ctx.tx() as conn:
        return await plans.get_gauge(conn, gauge_id)


@router.post("/gauges/{gauge_id}/calibrations", status_code=201, response_model=GaugeOut,
             summary="Record a calibration (pass: next due date; fail: out of calibration)")  # fmt: skip
async def calibrate(gauge_id: uuid.UUID, body: CalibrationIn, ctx: Write) -> dict[str, Any]:
    async with ctx.tx() as conn:
        return await plans.calibrate(conn, ctx.principal.tenant_id, gauge_id, ctx.principal.user_id, body)


@router.post("/inspections", status_code=201, response_model=InspectionOut,
             summary="Open an inspection of a lot with a plan (the Z1.4 sampling plan is fixed here)")  # fmt: skip
async def create_inspection(body: InspectionIn, ctx: Write) -> dict[str, Any]:
    async with ctx.tx() as conn:
        return await inspections.create(conn, ctx.principal.tenant_id, ctx.principal.user_id, body)


@router.get("/inspections", summary="List inspections, newest first", response_model=InspectionPage)
async def list_inspections(
    ctx: Read,
    item_id: uuid.UUID | None = None,
    status: Literal["open", "accepted", "rejected"] | None = None,
    limit: Limit = 100,
    offset: Offset = 0,
) -> dict[str, Any]:
    async with ctx.tx() as conn:
        return {"items": await inspections.list_inspections(conn, item_id=item_id, status=status, limit=limit,
                                                            offset=offset)}  # fmt: skip


@router.get("/inspections/{inspection_id}", summary="An inspection with its tally and decision",
            response_model=InspectionOut)  # fmt: skip
async def get_inspection(inspection_id: uuid.UUID, ctx: Read) -> dict[str, Any]:
    async with ctx.tx() as conn:
        return await inspections.get(conn, inspection_id)


@router.post("/inspections/{inspection_id}/results", status_code=201, response_model=ResultsOut,
             summary="Record results; the lot is accepted/rejected per the sampling plan")  # fmt: skip
async def record_results(inspection_id: uuid.UUID, body: ResultsIn, ctx: Write) -> dict[str, Any]:
    events: list[Event] = []
    async with ctx.tx() as conn:
        out = await inspections.record(
            conn, ctx.principal.tenant_id, inspection_id, ctx.principal.user_id, body.results, events
        )
    for kind, row in events:
        await publish_alert_event(ctx.rt.bus, kind, row)
    return out


@router.get("/inspections/{inspection_id}/results", summary="An inspection's results", response_model=ResultPage)
async def list_results(inspection_id: uuid.UUID, ctx: Read) -> dict[str, Any]:
    async with ctx.tx() as conn:
        await inspections.get(conn, inspection_id)
        cur = await conn.execute(
            "select r.id, r.characteristic_id, c.number, r.unit, r.serial, r.value, r.passed, r.gauge_id, "
            "r.recorded_by, r.recorded_at from inspection_results r join inspection_characteristics c "
            "on c.id = r.characteristic_id where r.inspection_id = %s order by r.unit, c.number",
            [inspection_id],
        )
        return {"items": [dict(r) for r in await cur.fetchall()]}


@router.post("/fai-reports", status_code=201, response_model=FaiOut,
             summary="Create an AS9102 first article inspection report (forms 1-3)")  # fmt: skip
async def create_fai(body: FaiIn, ctx: Write) -> dict[str, Any]:
    async with ctx.tx() as conn:
        return await fai.create(conn, ctx.principal.tenant_id, ctx.principal.user_id, body)


@router.get("/fai-reports/{fai_id}", summary="An FAI report", response_model=FaiOut)
async def get_fai(fai_id: uuid.UUID, ctx: Read) -> dict[str, Any]:
    async with ctx.tx() as conn:
        return await fai.get(conn, fai_id)


@router.get(
    "/fai-reports/{fai_id}/forms/{form}",
    summary="One AS9102 form as JSON ({columns, rows}) or CSV (format=csv)",
    responses={200: {"content": {"text/csv": {}}}},
)
async def fai_form(
    fai_id: uuid.UUID, form: Annotated[int, Path(ge=1, le=3)], ctx: Read, format: Literal["json", "csv"] = "json"
) -> Any:
    async with ctx.tx() as conn:
        report = await fai.get(conn, fai_id)
    columns, rows = fai.form(report, form)
    if format == "csv":
        name = f"{report['fai_number']}-form{form}.csv"
        return Response(fai.to_csv(columns, rows), media_type="text/csv",
                        headers={"content-disposition": f'attachment; filename="{name}"'})  # fmt: skip
    return {"fai_number": report["fai_number"], "form": form, "columns": columns, "rows": rows}


router.routes.extend(ncr_router.routes)
