"""Tenancy REST API: the caller's own tenant."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Depends
from pydantic import BaseModel

from mip.api.deps import Ctx, require
from mip.identity.permissions import Permission
from mip.tenancy import service

router = APIRouter(prefix="/api/v1", tags=["tenancy"])


class TenantOut(BaseModel):
    id: uuid.UUID
    slug: str
    name: str
    isolated: bool
    timezone: str
    created_at: datetime


@router.get("/tenant", response_model=TenantOut, summary="The caller's tenant")
async def current_tenant(ctx: Annotated[Ctx, Depends(require(Permission.TENANT_READ))]) -> TenantOut:
    async with ctx.tx() as conn:
        return TenantOut(**await service.get_current_tenant(conn, ctx.principal.tenant_id))
