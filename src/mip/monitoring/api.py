"""Monitoring REST API: the plant overview the dashboard's first page is built from."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends

from mip.api.deps import Ctx, require
from mip.identity.permissions import Permission
from mip.monitoring.overview import plant_overview
from mip.monitoring.schemas import PlantOverview

router = APIRouter(prefix="/api/v1/plant", tags=["monitoring"])


@router.get(
    "/overview",
    summary="Every machine with its status, current sensor values and unresolved alarm counts",
    response_model=PlantOverview,
)
async def overview(ctx: Annotated[Ctx, Depends(require(Permission.READINGS_READ))]) -> dict[str, Any]:
    async with ctx.tx() as conn:
        return await plant_overview(conn)
