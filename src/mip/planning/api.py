"""HTTP API of the planning domain."""

from __future__ import annotations

from fastapi import APIRouter

router = APIRouter(prefix="/api/v1/planning", tags=["planning"])
