"""Maintenance REST API: model registry (list/get/train/promote/retire), machine health, scoring now,
risk policies, recommendations (accept → work order, dismiss) and work orders (CRUD + status transitions).

Permissions: MAINTENANCE_READ to read; MAINTENANCE_WRITE for recommendations, work orders, policies and
scoring; MODELS_WRITE to train, promote and retire models.
"""

from __future__ import annotations

import uuid
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Query, Response

from mip.api.deps import Ctx, require
from mip.identity.permissions import Permission
from mip.maintenance import recommendations as recs
from mip.maintenance import registry, workorders
from mip.maintenance.schemas import (
    AcceptIn,
    DismissIn,
    HealthList,
    MachineHealthOut,
    ModelKind,
    ModelOut,
    ModelPage,
    ModelStatus,
    PolicyIn,
    PolicyList,
    PolicyOut,
    RecommendationOut,
    RecommendationPage,
    RecStatus,
    ScoreOut,
    TrainIn,
    WorkOrderIn,
    WorkOrderOut,
    WorkOrderPage,
    WorkOrderPatch,
    WorkOrderStatus,
    jsonable,
)
from mip.maintenance.scoring import MaintenanceScorer, latest_all, machine_history
from mip.maintenance.training import train_for_class
from mip.platform.timeutil import ns_to_rfc3339

router = APIRouter(prefix="/api/v1/maintenance", tags=["maintenance"])

Read = Annotated[Ctx, Depends(require(Permission.MAINTENANCE_READ))]
Write = Annotated[Ctx, Depends(require(Permission.MAINTENANCE_WRITE))]
Models = Annotated[Ctx, Depends(require(Permission.MODELS_WRITE))]
Limit = Annotated[int, Query(ge=1, le=1000)]
Offset = Annotated[int, Query(ge=0)]


# -- model registry --------------------------------------------------------------------------------------------
@router.get("/models", summary="List the tenant's models, newest first", response_model=ModelPage)
async def list_models(
    ctx: Read,
    kind: ModelKind | None = None,
    status: ModelStatus | None = None,
    machine_class: Annotated[str | None, Query(max_length=100)] = None,
    name: Annotated[str | None, Query(max_length=100)] = None,
    limit: Limit = 100,
    offset: Offset = 0,
) -> dict[str, Any]:
    async with ctx.tx() as conn:
        rows = await registry.list_models(
            conn, kind=kind, status=status, machine_class=machine_class, name=name, limit=limit, offset=offset
        )
    return {"items": [registry.model_json(r) for r in rows], "limit": limit, "offset": offset}


@router.post(
    "/models/train",
    status_code=201,
    summary="Train a new candidate RUL model for a machine class from its rollups and recorded failures",
    response_model=ModelOut,
)
async def train_model(body: TrainIn, ctx: Models) -> dict[str, Any]:
    row = await train_for_class(ctx.rt.db, ctx.principal.tenant_id, body, trained_by=ctx.principal.user_id)
    return registry.model_json(row)


@router.get("/models/{model_id}", summary="Get a model (metrics, training data, schedule)", response_model=ModelOut)
async def get_model(model_id: uuid.UUID, ctx: Read) -> dict[str, Any]:
    async with ctx.tx() as conn:
        return registry.model_json(await registry.get_model(conn, model_id))


@router.post(
    "/models/{model_id}/promote",
    summary="Make a model the active one of its kind and machine class (the previous one is retired)",
    response_model=ModelOut,
)
async def promote_model(model_id: uuid.UUID, ctx: Models) -> dict[str, Any]:
    async with ctx.tx() as conn:
        return registry.model_json(await registry.promote(conn, model_id))


@router.post("/models/{model_id}/retire", summary="Retire a model", response_model=ModelOut)
async def retire_model(model_id: uuid.UUID, ctx: Models) -> dict[str, Any]:
    async with ctx.tx() as conn:
        return registry.model_json(await registry.retire(conn, model_id))


# -- health ----------------------------------------------------------------------------------------------------
def _health_json(row: dict[str, Any]) -> dict[str, Any]:
    out = jsonable(row)
    out["data_until"] = ns_to_rfc3339(row["data_until"])
    out["rul_days"] = round(row["rul_hours"] / 24.0, 3)
    return out


@router.get("/health", summary="The latest health score of every scored machine", response_model=HealthList)
async def list_health(ctx: Read) -> dict[str, Any]:
    async with ctx.tx() as conn:
        rows = await latest_all(conn)
    return {"items": [_health_json(r) for r in rows]}


@router.get(
    "/machines/{machine_id}/health",
    summary="A machine's current health index, RUL and failure probability, with history",
    response_model=MachineHealthOut,
)
async def machine_health(machine_id: uuid.UUID, ctx: Read, limit: Limit = 100) -> dict[str, Any]:
    async with ctx.tx() as conn:
        await workorders.ensure_machine(conn, machine_id)
        rows = await machine_history(conn, machine_id, limit)
    history = [_health_json(r) for r in rows]
    return {"machine_id": str(machine_id), "current": history[0] if history else None, "history": history}


@router.post(
    "/score",
    summary="Score every machine with the tenant's active models now (the stream role does it periodically)",
    response_model=ScoreOut,
)
async def score_now(ctx: Write) -> dict[str, Any]:
    report = await MaintenanceScorer(ctx.rt.db).run_once(ctx.principal.tenant_id)
    return vars(report)


# -- policies --------------------------------------------------------------------------------------------------
def _policy_json(row: dict[str, Any]) -> dict[str, Any]:
    return jsonable(row)


@router.get("/policies", summary="Risk thresholds per machine class ('*' = tenant default)", response_model=PolicyList)
async def list_policies(ctx: Read) -> dict[str, Any]:
    async with ctx.tx() as conn:
        rows = await recs.list_policies(conn)
    return {"items": [_policy_json(r) for r in rows]}


@router.put("/policies/{machine_class}", summary="Set the risk thresholds of a machine class", response_model=PolicyOut)
async def put_policy(
    body: PolicyIn,
    ctx: Write,
    machine_class: Annotated[str, Path(min_length=1, max_length=100, pattern=r"^[A-Za-z0-9_.:*-]+$")],
) -> dict[str, Any]:
    async with ctx.tx() as conn:
        return _policy_json(await recs.put_policy(conn, ctx.principal.tenant_id, machine_class, body))


# -- recommendations -------------------------------------------------------------------------------------------
@router.get("/recommendations", summary="Maintenance recommendations, newest first", response_model=RecommendationPage)
async def list_recommendations(
    ctx: Read,
    status: RecStatus | None = None,
    machine_id: uuid.UUID | None = None,
    limit: Limit = 100,
    offset: Offset = 0,
) -> dict[str, Any]:
    async with ctx.tx() as conn:
        rows = await recs.list_recommendations(conn, status=status, machine_id=machine_id, limit=limit, offset=offset)
    return {"items": [jsonable(r) for r in rows], "limit": limit, "offset": offset}


@router.get("/recommendations/{rec_id}", summary="Get a recommendation", response_model=RecommendationOut)
async def get_recommendation(rec_id: uuid.UUID, ctx: Read) -> dict[str, Any]:
    async with ctx.tx() as conn:
        return jsonable(await recs.get_recommendation(conn, rec_id))


@router.post(
    "/recommendations/{rec_id}/accept",
    summary="Accept a recommendation: returns its work order (created now if the policy did not already)",
    response_model=WorkOrderOut,
)
async def accept_recommendation(rec_id: uuid.UUID, body: AcceptIn, ctx: Write) -> dict[str, Any]:
    async with ctx.tx() as conn:
        wo = await recs.accept(
            conn,
            ctx.principal.tenant_id,
            rec_id,
            ctx.principal.user_id,
            assigned_to=body.assigned_to,
            priority=body.priority,
            due_date=body.due_date,
        )
    return jsonable(wo)


@router.post(
    "/recommendations/{rec_id}/dismiss",
    summary="Dismiss a recommendation (its untouched automatic work order is cancelled)",
    response_model=RecommendationOut,
)
async def dismiss_recommendation(rec_id: uuid.UUID, body: DismissIn, ctx: Write) -> dict[str, Any]:
    async with ctx.tx() as conn:
        return jsonable(await recs.dismiss(conn, rec_id, ctx.principal.user_id))


# -- work orders -----------------------------------------------------------------------------------------------
@router.get("/work-orders", summary="Work orders, newest first", response_model=WorkOrderPage)
async def list_work_orders(
    ctx: Read,
    status: WorkOrderStatus | None = None,
    machine_id: uuid.UUID | None = None,
    assigned_to: uuid.UUID | None = None,
    limit: Limit = 100,
    offset: Offset = 0,
) -> dict[str, Any]:
    async with ctx.tx() as conn:
        rows = await workorders.list_orders(
            conn, status=status, machine_id=machine_id, assigned_to=assigned_to, limit=limit, offset=offset
        )
    return {"items": [jsonable(r) for r in rows], "limit": limit, "offset": offset}


@router.post("/work-orders", status_code=201, summary="Create a work order", response_model=WorkOrderOut)
async def create_work_order(body: WorkOrderIn, ctx: Write) -> dict[str, Any]:
    async with ctx.tx() as conn:
        row = await workorders.create(
            conn,
            ctx.principal.tenant_id,
            machine_id=body.machine_id,
            title=body.title,
            description=body.description,
            kind=body.kind,
            priority=body.priority,
            due_date=body.due_date,
            assigned_to=body.assigned_to,
            failed_at=body.failed_at,
            created_by=ctx.principal.user_id,
        )
    assert row is not None  # no reason: never a conflict
    return jsonable(row)


@router.get("/work-orders/{wo_id}", summary="Get a work order", response_model=WorkOrderOut)
async def get_work_order(wo_id: uuid.UUID, ctx: Read) -> dict[str, Any]:
    async with ctx.tx() as conn:
        return jsonable(await workorders.get(conn, wo_id))


@router.patch(
    "/work-orders/{wo_id}",
    summary="Update a work order; status moves open → in_progress → done, or cancelled",
    response_model=WorkOrderOut,
)
async def patch_work_order(wo_id: uuid.UUID, body: WorkOrderPatch, ctx: Write) -> dict[str, Any]:
    changes = body.model_dump(exclude_unset=True)
    async with ctx.tx() as conn:
        return jsonable(await workorders.update(conn, wo_id, changes))


@router.delete("/work-orders/{wo_id}", status_code=204, summary="Delete an open or cancelled work order")
async def delete_work_order(wo_id: uuid.UUID, ctx: Write) -> Response:
    async with ctx.tx() as conn:
        await workorders.delete(conn, wo_id)
    return Response(status_code=204)
