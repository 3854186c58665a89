"""HTTP API of the scheduling domain."""

from __future__ import annotations

from fastapi import APIRouter

router = APIRouter(prefix="/api/v1/schedules", tags=["scheduling"])
