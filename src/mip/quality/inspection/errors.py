"""Inspection, NCR/CAPA and metrics errors (problem+json with stable codes)."""

from __future__ import annotations

from mip.platform.errors import BadRequest, Conflict, Forbidden, NotFound, ValidationFailed


class InspectionInput(BadRequest):
    code = "quality_bad_input"


class UnknownReference(ValidationFailed):
    """A referenced object (item, supplier, line, alarm, ...) does not exist in the caller's tenant."""

    code = "quality_unknown_reference"


class QualityNotFound(NotFound):
    code = "quality_not_found"


class QualityConflict(Conflict):
    code = "quality_conflict"


class VersionConflict(Conflict):
    code = "version_conflict"


class InvalidTransition(Conflict):
    code = "invalid_transition"


class GaugeOverdue(Conflict):
    code = "gauge_calibration_overdue"


class InspectionClosed(Conflict):
    code = "inspection_closed"


class MrbForbidden(Forbidden):
    code = "mrb_quality_role_required"


class CapaNotEffective(Conflict):
    code = "capa_effectiveness_not_passed"
