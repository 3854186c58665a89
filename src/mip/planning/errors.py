"""Planning errors (problem+json codes)."""

from __future__ import annotations

from mip.platform.errors import Conflict, NotFound, ValidationFailed


class PlanningNotFound(NotFound):
    code = "not_found"


class UnknownItem(ValidationFailed):
    """A part number or item id that the tenant does not have (422 naming it)."""

    code = "unknown_item"


class InvalidPlanningInput(ValidationFailed):
    code = "invalid_planning_input"


class BomCycle(ValidationFailed):
    code = "bom_cycle"


class ImportInvalid(ValidationFailed):
    code = "import_invalid"


class Duplicate(Conflict):
    code = "duplicate"


class StaleVersion(Conflict):
    code = "stale_version"


class InUse(Conflict):
    code = "in_use"


class EffectivityOverlap(Conflict):
    code = "effectivity_overlap"


class InvalidTransition(Conflict):
    code = "invalid_transition"
