"""The traceability router (every route declares its full path under /api/v1/quality)."""

from __future__ import annotations

from fastapi import APIRouter

router = APIRouter(prefix="/api/v1/quality", tags=["quality-trace"])
