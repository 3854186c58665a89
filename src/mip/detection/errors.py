"""Detection errors."""

from mip.platform.errors import BadRequest, Conflict, NotFound


class RuleNotFound(NotFound):
    code = "rule_not_found"


class RuleVersionConflict(Conflict):
    code = "rule_version_conflict"


class InvalidRuleScope(BadRequest):
    code = "invalid_rule_scope"
    status = 422
    title = "Invalid rule scope"
