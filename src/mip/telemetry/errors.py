"""Telemetry errors."""

from mip.platform.errors import BadRequest, NotFound, ValidationFailed


class InvalidPayload(BadRequest):
    code = "invalid_payload"


class AllRowsRejected(ValidationFailed):
    code = "all_rows_rejected"


class SensorNotFound(NotFound):
    code = "sensor_not_found"


class InvalidQuery(ValidationFailed):
    code = "invalid_query"
