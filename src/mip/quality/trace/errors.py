"""Traceability errors (problem+json codes)."""

from mip.identity.errors import ItarNotAuthorized
from mip.platform.errors import BadRequest, Conflict, Forbidden, NotFound, Unauthorized, ValidationFailed

__all__ = ["ItarNotAuthorized"]


class TraceNotFound(NotFound):
    code = "trace_not_found"


class TraceConflict(Conflict):
    code = "trace_conflict"


class GenealogyCycle(Conflict):
    code = "genealogy_cycle"


class InsufficientQuantity(Conflict):
    code = "insufficient_quantity"


class TraceInvalid(ValidationFailed):
    code = "trace_invalid"


class TraceBadRequest(BadRequest):
    code = "trace_bad_request"


class SignatureRejected(Unauthorized):
    """The password given to sign did not re-authenticate the signer."""

    code = "signature_rejected"


class SignatureForbidden(Forbidden):
    code = "signature_forbidden"
