"""Notification errors, each with a stable ``code`` (rendered as problem+json)."""

from __future__ import annotations

from mip.platform.errors import Conflict, Forbidden, MIPError, NotFound, ValidationFailed


class SubscriptionNotFound(NotFound):
    code = "subscription_not_found"


class QuietHoursNotFound(NotFound):
    code = "quiet_hours_not_found"


class WebhookNotFound(NotFound):
    code = "webhook_not_found"


class DeliveryNotFound(NotFound):
    code = "delivery_not_found"


class FilterAssetNotFound(NotFound):
    """A site or line id of a filter does not exist in the caller's tenant."""

    code = "asset_not_found"


class InvalidFilter(ValidationFailed):
    """A filter names an asset of the wrong kind (e.g. a machine id among ``site_ids``)."""

    code = "invalid_filter"


class NotRetryable(Conflict):
    """Only dead letters can be retried."""

    code = "delivery_not_retryable"


class EndpointDisabled(Conflict):
    """Nothing is sent to a disabled endpoint; enable it first."""

    code = "webhook_disabled"


class PersonOnly(Forbidden):
    """Subscriptions and quiet hours belong to a user; an API key has none."""

    code = "person_only"


class DeliveryFailed(MIPError):
    """One delivery attempt failed (kept as the delivery's ``last_error``; retried or dead-lettered)."""

    code = "delivery_failed"
    status = 502
    title = "Delivery failed"
