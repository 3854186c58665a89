"""Asset errors, each with a stable ``code``."""

from __future__ import annotations

from typing import TypedDict

from mip.platform.errors import Conflict, NotFound, ValidationFailed


class AssetNotFound(NotFound):
    code = "asset_not_found"


class SensorNotFound(NotFound):
    code = "sensor_not_found"


class ParentNotFound(NotFound):
    """The parent asset (or a sensor's machine) does not exist in the caller's tenant."""

    code = "parent_not_found"


class InvalidName(ValidationFailed):
    code = "invalid_name"


class InvalidParent(ValidationFailed):
    """The parent is not the ISA-95 level directly above (or a site was given a parent)."""

    code = "invalid_parent"


class InvalidSensor(ValidationFailed):
    """Sensor fields are inconsistent, e.g. ``low_limit >= high_limit``."""

    code = "invalid_sensor"


class InvalidTimezone(ValidationFailed):
    code = "invalid_timezone"


class PathExists(Conflict):
    code = "path_exists"


class AssetHasChildren(Conflict):
    code = "asset_has_children"


class ImportErrorItem(TypedDict):
    line: int
    message: str


class ImportInvalid(ValidationFailed):
    """An import document has errors; ``errors`` lists every one with its 1-based source line."""

    code = "import_invalid"
    title = "Import invalid"

    def __init__(self, errors: list[ImportErrorItem], *, error_count: int | None = None) -> None:
        """``errors`` may be the first few of ``error_count`` (default: all of them)."""
        errors = sorted(errors, key=lambda e: e["line"])
        n = len(errors) if error_count is None else error_count
        detail = f"{n} error{'s' if n != 1 else ''} in the import document; nothing was imported"
        super().__init__(detail, errors=errors, error_count=n)
        self.errors = errors
