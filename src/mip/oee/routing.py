"""The one OEE router (``mip.oee.api.router``); api.py and api_config.py both register their routes on it."""

from __future__ import annotations

from fastapi import APIRouter

router = APIRouter(prefix="/api/v1", tags=["oee"])
