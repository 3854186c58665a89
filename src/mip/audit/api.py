"""HTTP API of the audit domain: entries, verification, checkpoints. Permission users:read (tenant admins): the
log holds before/after values of every domain's records, so it is as sensitive as the most sensitive of them."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query

from mip.api.deps import Ctx, require
from mip.audit import service
from mip.audit.errors import InvalidAuditQuery
from mip.audit.schemas import AuditAction, AuditEntryPage, CheckpointPage, VerifyReport
from mip.audit.signing import Keyring
from mip.audit.verify import verify_tenant
from mip.identity.permissions import Permission

router = APIRouter(prefix="/api/v1/audit", tags=["audit"])
Admin = Annotated[Ctx, Depends(require(Permission.AUDIT_READ))]  # admin and quality


@router.get("/entries", summary="Audit entries, newest first", response_model=AuditEntryPage)
async def list_entries(
    ctx: Admin,
    table: str | None = None,
    object_id: str | None = None,
    actor: Annotated[str | None, Query(description="user:<id>, apikey:<id> or system")] = None,
    action: AuditAction | None = None,
    since: Annotated[datetime | None, Query(description="Inclusive (RFC 3339)")] = None,
    until: Annotated[datetime | None, Query(description="Exclusive (RFC 3339)")] = None,
    before_id: Annotated[
        int | None, Query(ge=1, description="Keyset cursor: next_before_id of the previous page")
    ] = None,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
) -> dict[str, Any]:
    for name, value in (("since", since), ("until", until)):
        if value is not None and value.tzinfo is None:
            raise InvalidAuditQuery(f"{name} needs a time zone (RFC 3339, e.g. 2026-01-01T00:00:00Z)")
    if since is not None and until is not None and since >= until:
        raise InvalidAuditQuery("since must be before until")
    async with ctx.tx() as conn:
        rows = await service.list_entries(
            conn,
            table=table,
            object_id=object_id,
            actor=actor,
            action=action,
            since=since,
            until=until,
            before_id=before_id,
            limit=limit,
        )
    itar_ok = ctx.principal.itar_authorized
    items = [service.entry_json(r, itar_ok=itar_ok) for r in rows]
    return {"items": items, "next_before_id": items[-1]["id"] if len(items) == limit else None}


@router.get("/verify", summary="Verify the tenant's audit chain and signed checkpoints", response_model=VerifyReport)
async def verify(ctx: Admin) -> dict[str, Any]:
    keyring = Keyring.from_data_dir(ctx.rt.settings.data_dir, create=False)
    async with ctx.tx() as conn:
        return await verify_tenant(conn, ctx.principal.tenant_id, keyring)


@router.get("/checkpoints", summary="Signed checkpoints, newest first", response_model=CheckpointPage)
async def list_checkpoints(
    ctx: Admin,
    before_seq: Annotated[int | None, Query(ge=1)] = None,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
) -> dict[str, Any]:
    async with ctx.tx() as conn:
        items = await service.list_checkpoints(conn, limit=limit, before_seq=before_seq)
    return {"items": items, "next_before_seq": items[-1]["seq"] if len(items) == limit else None}
