"""Assets REST API (filled in by the assets work)."""

from fastapi import APIRouter

router = APIRouter(prefix="/api/v1", tags=["assets"])
