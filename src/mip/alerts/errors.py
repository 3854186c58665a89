"""Alert errors."""

from mip.platform.errors import Conflict, NotFound


class AlertNotFound(NotFound):
    code = "alert_not_found"


class AlertStateConflict(Conflict):
    code = "alert_state_conflict"
