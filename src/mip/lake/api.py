"""HTTP API of the lake domain."""

from __future__ import annotations

from fastapi import APIRouter

router = APIRouter(prefix="/api/v1/lake", tags=["lake"])
