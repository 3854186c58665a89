"""HTTP API of the quality domain. Each module declares its routes with the full path and they are added here
(not nested with ``include_router``, so every route carries its full path, e.g. for the isolation walker)."""

from __future__ import annotations

from fastapi import APIRouter

from mip.quality.spc.api import router as spc_router

router = APIRouter(prefix="/api/v1/quality", tags=["quality"])
router.routes.extend(spc_router.routes)
