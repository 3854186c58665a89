"""One exception root with stable error codes, rendered as RFC 9457 problem+json."""

from __future__ import annotations

from typing import Any, ClassVar


class MIPError(Exception):
    """Root of every error MIP raises on purpose. Subclasses set a stable ``code`` and HTTP ``status``."""

    code: ClassVar[str] = "internal_error"
    status: ClassVar[int] = 500
    title: ClassVar[str] = "Internal error"

    def __init__(self, detail: str, **extra: Any) -> None:
        super().__init__(detail)
        self.detail = detail
        self.extra = extra

    def problem(self, instance: str | None = None) -> dict[str, Any]:
        body: dict[str, Any] = {
            "type": f"https://mip.dev/problems/{self.code}",
            "title": self.title,
            "status": self.status,
            "code": self.code,
            "detail": self.detail,
        }
        if instance:
            body["instance"] = instance
        body.update(self.extra)
        return body


class ValidationFailed(MIPError):
    code = "validation_failed"
    status = 422
    title = "Validation failed"


class BadRequest(MIPError):
    code = "bad_request"
    status = 400
    title = "Bad request"


class NotFound(MIPError):
    code = "not_found"
    status = 404
    title = "Not found"


class Conflict(MIPError):
    code = "conflict"
    status = 409
    title = "Conflict"


class Unauthorized(MIPError):
    code = "unauthorized"
    status = 401
    title = "Unauthorized"


class Forbidden(MIPError):
    code = "forbidden"
    status = 403
    title = "Forbidden"


class PayloadTooLarge(MIPError):
    code = "payload_too_large"
    status = 413
    title = "Payload too large"


class UnsupportedMediaType(MIPError):
    code = "unsupported_media_type"
    status = 415
    title = "Unsupported media type"


class Overloaded(MIPError):
    """Back-pressure: the caller should retry after ``retry_after`` seconds."""

    code = "overloaded"
    status = 429
    title = "Too many requests"

    def __init__(self, detail: str, retry_after: float = 1.0) -> None:
        super().__init__(detail, retry_after=retry_after)
        self.retry_after = retry_after


class ConfigurationError(MIPError):
    """The process was started with settings or options that cannot work together."""

    code = "configuration_error"
    status = 400
    title = "Configuration error"
