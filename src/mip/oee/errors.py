"""OEE errors, each with a stable ``code`` (rendered as problem+json)."""

from __future__ import annotations

from mip.platform.errors import Conflict, NotFound, ValidationFailed


class MachineNotFound(NotFound):
    code = "machine_not_found"


class LineNotFound(NotFound):
    code = "line_not_found"


class AssetNotFound(NotFound):
    code = "asset_not_found"


class SiteNotFound(NotFound):
    code = "site_not_found"


class ReasonNotFound(NotFound):
    code = "reason_not_found"


class ShiftNotFound(NotFound):
    code = "shift_not_found"


class PlannedStopNotFound(NotFound):
    code = "planned_stop_not_found"


class ConfigNotFound(NotFound):
    code = "oee_config_not_found"


class EntryNotFound(NotFound):
    code = "oee_entry_not_found"


class InvalidOeeInput(ValidationFailed):
    """Well-formed JSON whose values do not make sense together (range, times, sensors, ...)."""

    code = "invalid_oee_input"


class UnknownReason(ValidationFailed):
    code = "unknown_reason"
    title = "Unknown reason code"


class UnknownSensor(ValidationFailed):
    code = "unknown_sensor"
    title = "Unknown sensor"


class ReasonExists(Conflict):
    code = "reason_exists"


class ReasonInUse(Conflict):
    code = "reason_in_use"


class ShiftConflict(Conflict):
    """Another shift of the site has the same name or overlaps it on some weekday."""

    code = "shift_conflict"
