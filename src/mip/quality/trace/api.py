"""HTTP API: quality trace (lots, serials, genealogy, trace, recall, shipments, CoC, documents, e-signatures)."""

from __future__ import annotations

from mip.quality.trace import api_records, api_trace  # noqa: F401  (they add their routes to the router)
from mip.quality.trace.routing import router

__all__ = ["router"]
