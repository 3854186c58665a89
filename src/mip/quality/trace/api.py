"""HTTP API: quality trace."""

from __future__ import annotations

from fastapi import APIRouter

router = APIRouter(prefix="/api/v1/quality", tags=["quality-trace"])
