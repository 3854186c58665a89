"""Alerts REST API: list with filters, get, acknowledge, resolve."""

from __future__ import annotations

import uuid
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Query

from mip.alerts import service
from mip.alerts.events import alert_json, publish_alert_event
from mip.api.deps import Ctx, require
from mip.identity.permissions import Permission

router = APIRouter(prefix="/api/v1/alerts", tags=["alerts"])

State = Literal["open", "acknowledged", "resolved"]
Severity = Literal["critical", "major", "minor", "warning"]


@router.get("", summary="List alerts, newest first")
async def list_alerts(
    ctx: Annotated[Ctx, Depends(require(Permission.ALERTS_READ))],
    state: State | None = None,
    sensor_id: uuid.UUID | None = None,
    machine_id: uuid.UUID | None = None,
    severity: Severity | None = None,
    safety: bool | None = None,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
    offset: Annotated[int, Query(ge=0)] = 0,
) -> dict[str, Any]:
    async with ctx.tx() as conn:
        rows = await service.list_alerts(
            conn,
            state=state,
            sensor_id=sensor_id,
            machine_id=machine_id,
            severity=severity,
            safety=safety,
            limit=limit,
            offset=offset,
        )
    return {"items": [alert_json(r) for r in rows], "limit": limit, "offset": offset}


@router.get("/{alert_id}", summary="Get an alert")
async def get_alert(
    alert_id: uuid.UUID, ctx: Annotated[Ctx, Depends(require(Permission.ALERTS_READ))]
) -> dict[str, Any]:
    async with ctx.tx() as conn:
        return alert_json(await service.get_alert(conn, alert_id))


@router.post("/{alert_id}/acknowledge", summary="Acknowledge an alert")
async def acknowledge(
    alert_id: uuid.UUID, ctx: Annotated[Ctx, Depends(require(Permission.ALERTS_ACT))]
) -> dict[str, Any]:
    async with ctx.tx() as conn:
        row = await service.acknowledge(conn, alert_id, ctx.principal.user_id)
    await publish_alert_event(ctx.rt.bus, "alert.acknowledged", row)
    return alert_json(row)


@router.post("/{alert_id}/resolve", summary="Resolve an alert; the next breach opens a new one")
async def resolve(alert_id: uuid.UUID, ctx: Annotated[Ctx, Depends(require(Permission.ALERTS_ACT))]) -> dict[str, Any]:
    async with ctx.tx() as conn:
        row = await service.resolve(conn, alert_id, ctx.principal.user_id)
    await publish_alert_event(ctx.rt.bus, "alert.resolved", row)
    return alert_json(row)
