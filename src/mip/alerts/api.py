"""Alerts REST API: list with filters, get, acknowledge, resolve, assign, comments."""

from __future__ import annotations

import uuid
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query

from mip.alerts import service
from mip.alerts.events import alert_json, publish_alert_event
from mip.alerts.schemas import (
    AlarmEventPage,
    AlertOut,
    AlertPage,
    AlertState,
    AssignIn,
    CommentIn,
    CommentOut,
    CommentPage,
    Severity,
)
from mip.api.deps import Ctx, require
from mip.identity.permissions import Permission

router = APIRouter(prefix="/api/v1/alerts", tags=["alerts"])


@router.get("", summary="List alerts, newest first", response_model=AlertPage)
async def list_alerts(
    ctx: Annotated[Ctx, Depends(require(Permission.ALERTS_READ))],
    state: AlertState | None = None,
    sensor_id: uuid.UUID | None = None,
    machine_id: uuid.UUID | None = None,
    severity: Severity | None = None,
    safety: bool | None = None,
    assigned_to: uuid.UUID | None = None,
    active: Annotated[bool | None, Query(description="true: not cleared and not resolved; false: the others")] = None,
    rule_id: uuid.UUID | None = None,
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
            assigned_to=assigned_to,
            active=active,
            rule_id=rule_id,
            limit=limit,
            offset=offset,
        )
    return {"items": [alert_json(r) for r in rows], "limit": limit, "offset": offset}


@router.get("/{alert_id}", summary="Get an alert", response_model=AlertOut)
async def get_alert(
    alert_id: uuid.UUID, ctx: Annotated[Ctx, Depends(require(Permission.ALERTS_READ))]
) -> dict[str, Any]:
    async with ctx.tx() as conn:
        return alert_json(await service.get_alert(conn, alert_id))


@router.post("/{alert_id}/acknowledge", summary="Acknowledge an alert", response_model=AlertOut)
async def acknowledge(
    alert_id: uuid.UUID, ctx: Annotated[Ctx, Depends(require(Permission.ALERTS_ACT))]
) -> dict[str, Any]:
    async with ctx.tx() as conn:
        row = await service.acknowledge(conn, alert_id, ctx.principal.user_id)
    await publish_alert_event(ctx.rt.bus, "alert.acknowledged", row)
    return alert_json(row)


@router.post(
    "/{alert_id}/resolve", summary="Resolve an alert; the next breach opens a new one", response_model=AlertOut
)
async def resolve(alert_id: uuid.UUID, ctx: Annotated[Ctx, Depends(require(Permission.ALERTS_ACT))]) -> dict[str, Any]:
    async with ctx.tx() as conn:
        row = await service.resolve(conn, alert_id, ctx.principal.user_id)
    await publish_alert_event(ctx.rt.bus, "alert.resolved", row)
    return alert_json(row)


@router.post(
    "/{alert_id}/assign", summary="Assign an alert to a user of the tenant (null unassigns)", response_model=AlertOut
)
async def assign(
    alert_id: uuid.UUID, body: AssignIn, ctx: Annotated[Ctx, Depends(require(Permission.ALERTS_ACT))]
) -> dict[str, Any]:
    async with ctx.tx() as conn:
        row = await service.assign(conn, alert_id, body.user_id, ctx.principal.user_id)
    await publish_alert_event(ctx.rt.bus, "alert.assigned", row)
    return alert_json(row)


@router.get("/{alert_id}/comments", summary="The comment thread of an alert, oldest first", response_model=CommentPage)
async def list_comments(
    alert_id: uuid.UUID, ctx: Annotated[Ctx, Depends(require(Permission.ALERTS_READ))]
) -> dict[str, Any]:
    async with ctx.tx() as conn:
        rows = await service.list_comments(conn, alert_id)
    return {"items": [alert_json(r) for r in rows]}


@router.post("/{alert_id}/comments", status_code=201, summary="Comment on an alert", response_model=CommentOut)
async def add_comment(
    alert_id: uuid.UUID, body: CommentIn, ctx: Annotated[Ctx, Depends(require(Permission.ALERTS_ACT))]
) -> dict[str, Any]:
    async with ctx.tx() as conn:
        row = await service.add_comment(conn, ctx.principal.tenant_id, alert_id, ctx.principal.user_id, body.body)
        alert = await service.get_alert(conn, alert_id)
    await publish_alert_event(ctx.rt.bus, "alert.commented", alert)
    return alert_json(row)


@router.get(
    "/{alert_id}/events",
    summary="Every lifecycle transition of an alert, with who and when",
    response_model=AlarmEventPage,
)
async def list_events(
    alert_id: uuid.UUID, ctx: Annotated[Ctx, Depends(require(Permission.ALERTS_READ))]
) -> dict[str, Any]:
    async with ctx.tx() as conn:
        rows = await service.list_events(conn, alert_id)
    return {"items": [alert_json(r) for r in rows]}
