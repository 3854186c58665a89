"""Errors of the lake domain (stable codes, rendered as problem+json)."""

from __future__ import annotations

from mip.platform.errors import BadRequest, ConfigurationError, Conflict, MIPError, NotFound


class LakeConfigError(ConfigurationError):
    code = "lake_configuration_error"


class UnknownDataset(NotFound):
    code = "lake_unknown_dataset"


class BadLakeRequest(BadRequest):
    code = "lake_bad_request"


class TenantKeyMissing(MIPError):
    """The tenant's master key is gone (crypto-shredded) or was never created: its lake data is unreadable."""

    code = "lake_key_missing"
    status = 410
    title = "Tenant key missing"


class CommitConflict(Conflict):
    code = "lake_commit_conflict"
