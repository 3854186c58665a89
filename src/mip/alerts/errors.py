"""Alert errors."""

from mip.platform.errors import BadRequest, Conflict, NotFound


class AlertNotFound(NotFound):
    code = "alert_not_found"


class AlertStateConflict(Conflict):
    code = "alert_state_conflict"


class UnknownAssignee(BadRequest):
    code = "unknown_assignee"
    status = 422
    title = "Unknown assignee"
