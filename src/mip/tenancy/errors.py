"""Tenancy errors."""

from mip.platform.errors import Conflict, NotFound, ValidationFailed


class TenantExists(Conflict):
    code = "tenant_exists"


class TenantNotFound(NotFound):
    code = "tenant_not_found"


class InvalidSlug(ValidationFailed):
    code = "invalid_slug"
