"""Analytics errors (each a stable problem code; none of them is a 500)."""

from __future__ import annotations

from mip.platform.errors import BadRequest, Conflict, MIPError, NotFound, Overloaded


class ForbiddenSql(BadRequest):
    """The statement is not a single read-only query over the tenant's datasets."""

    code = "forbidden_sql"
    title = "Statement not allowed"


class SqlError(BadRequest):
    """DuckDB rejected the query (syntax, unknown column, type error, ...): its message is the detail."""

    code = "sql_error"
    title = "SQL error"


class QueryTimeout(BadRequest):
    code = "query_timeout"
    status = 422
    title = "Query timed out"


class QueryTooLarge(BadRequest):
    """The query needs more memory or lake data than one query may use."""

    code = "query_too_large"
    status = 422
    title = "Query too large"


class BadTimeRange(BadRequest):
    code = "bad_time_range"
    title = "Bad time range"


class BadParameters(BadRequest):
    code = "bad_parameters"
    title = "Bad query parameters"


class AnalyticsBusy(Overloaded):
    code = "analytics_busy"


class SavedQueryNotFound(NotFound):
    code = "saved_query_not_found"


class SavedQueryNameTaken(Conflict):
    code = "saved_query_name_taken"


class LakeReadFailed(MIPError):
    """A committed lake file could not be read or decrypted (corrupt file, key provider failure)."""

    code = "lake_read_failed"
    status = 500
    title = "Lake read failed"
