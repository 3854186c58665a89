"""SPC errors (problem+json with stable codes)."""

from __future__ import annotations

from mip.platform.errors import BadRequest, Conflict, NotFound


class SpcInputError(BadRequest):
    code = "spc_bad_input"


class ChartNotFound(NotFound):
    code = "spc_chart_not_found"


class ChartConflict(Conflict):
    code = "spc_chart_conflict"
