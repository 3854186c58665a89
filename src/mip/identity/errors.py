"""Identity errors."""

from mip.platform.errors import Conflict, Forbidden, Unauthorized


class InvalidCredentials(Unauthorized):
    code = "invalid_credentials"


class TokenInvalid(Unauthorized):
    code = "token_invalid"


class PermissionDenied(Forbidden):
    code = "permission_denied"


class EmailTaken(Conflict):
    code = "email_taken"


class ItarNotAuthorized(Forbidden):
    """Creating, marking or reading ITAR-controlled records needs a user a tenant admin flagged as authorised."""

    code = "itar_not_authorized"
