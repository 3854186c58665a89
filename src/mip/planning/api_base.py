"""The one planning router (every route is registered on it directly, so the route table is flat) and the
permission dependencies."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends

from mip.api.deps import Ctx, require
from mip.identity.permissions import Permission

router = APIRouter(prefix="/api/v1/planning", tags=["planning"])
Read = Annotated[Ctx, Depends(require(Permission.PLANNING_READ))]
Write = Annotated[Ctx, Depends(require(Permission.PLANNING_WRITE))]
