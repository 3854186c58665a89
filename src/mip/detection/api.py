"""Rules REST API: versioned CRUD. Changes reach the stream workers without a restart: at once in this
process (its rule cache is invalidated), within the cache's TTL (``MIP_RULES_TTL_S``, 5 s) in others."""

from __future__ import annotations

import uuid
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query

from mip.api.deps import Ctx, require
from mip.detection import rules_store
from mip.detection.schemas import RuleOut, RulePage, RuleVersionPage, rule_out, version_out
from mip.detection.spec import RuleBody
from mip.identity.permissions import Permission

router = APIRouter(prefix="/api/v1/rules", tags=["rules"])


async def _changed(ctx: Ctx) -> None:
    # this process's stream stage sees the change at once; stream workers elsewhere within the cache TTL
    ctx.rt.rules.invalidate(ctx.principal.tenant_id)


@router.get("", summary="List rules", response_model=RulePage)
async def list_rules(
    ctx: Annotated[Ctx, Depends(require(Permission.RULES_READ))],
    enabled: bool | None = None,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
    offset: Annotated[int, Query(ge=0)] = 0,
) -> dict[str, Any]:
    async with ctx.tx() as conn:
        rows = await rules_store.list_rules(conn, enabled=enabled, limit=limit, offset=offset)
    return {"items": [rule_out(r) for r in rows], "limit": limit, "offset": offset}


@router.post("", status_code=201, summary="Create a rule (version 1)", response_model=RuleOut)
async def create_rule(body: RuleBody, ctx: Annotated[Ctx, Depends(require(Permission.RULES_WRITE))]) -> dict[str, Any]:
    async with ctx.tx() as conn:
        row = await rules_store.create_rule(conn, ctx.principal.tenant_id, body, ctx.principal.user_id)
    await _changed(ctx)
    return rule_out(row)


@router.get("/{rule_id}", summary="Get a rule (its current version)", response_model=RuleOut)
async def get_rule(rule_id: uuid.UUID, ctx: Annotated[Ctx, Depends(require(Permission.RULES_READ))]) -> dict[str, Any]:
    async with ctx.tx() as conn:
        return rule_out(await rules_store.get_rule(conn, rule_id))


@router.put(
    "/{rule_id}", summary="Change a rule: a new version (409 if expected_version is stale)", response_model=RuleOut
)
async def update_rule(
    rule_id: uuid.UUID,
    body: RuleBody,
    ctx: Annotated[Ctx, Depends(require(Permission.RULES_WRITE))],
    expected_version: Annotated[
        int | None, Query(ge=1, description="Optimistic concurrency: the version you edited")
    ] = None,
) -> dict[str, Any]:
    async with ctx.tx() as conn:
        row = await rules_store.update_rule(conn, rule_id, body, expected_version, ctx.principal.user_id)
    await _changed(ctx)
    return rule_out(row)


@router.delete("/{rule_id}", summary="Delete a rule (kept in its version history)", response_model=RuleOut)
async def delete_rule(
    rule_id: uuid.UUID, ctx: Annotated[Ctx, Depends(require(Permission.RULES_WRITE))]
) -> dict[str, Any]:
    async with ctx.tx() as conn:
        row = await rules_store.delete_rule(conn, rule_id, ctx.principal.user_id)
    await _changed(ctx)
    return rule_out(row)


@router.get("/{rule_id}/versions", summary="Every version of a rule, with who and when", response_model=RuleVersionPage)
async def rule_versions(
    rule_id: uuid.UUID, ctx: Annotated[Ctx, Depends(require(Permission.RULES_READ))]
) -> dict[str, Any]:
    async with ctx.tx() as conn:
        rows = await rules_store.list_versions(conn, rule_id)
    return {"items": [version_out(r) for r in rows]}
