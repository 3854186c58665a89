"""Errors of the audit domain."""

from __future__ import annotations

from mip.platform.errors import BadRequest, MIPError


class SigningKeyError(MIPError):
    code = "audit_signing_key"
    status = 500
    title = "Audit signing key unavailable"


class InvalidAuditQuery(BadRequest):
    code = "invalid_audit_query"


class InvalidPublicKey(BadRequest):
    code = "invalid_public_key"
