"""Read-only SQL over one tenant's lake data, in a locked-down in-memory DuckDB per query.

A query: validate it (sandbox.analyze: one SELECT, only the tenant's datasets, no file/URL functions) →
resolve the time window (default the last ``default_range_days``, at most ``max_range_days``) → decrypt only
the referenced datasets, only the needed columns, only the partitions of the window, for this tenant, in
Python (``LakeReader.read``) → register those Arrow tables in a fresh DuckDB that cannot touch files,
network or extensions and whose configuration is locked → run with a row limit and a time limit.
DuckDB never sees a path, a key or another tenant's rows: the only data in its process-local catalog is
what this call loaded for ``tenant_id``.
"""

from __future__ import annotations

import base64
import datetime as dt
import logging
import math
import threading
import time
import uuid
from collections.abc import Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, Protocol

import duckdb
import pyarrow as pa

from mip.analytics import sandbox
from mip.analytics.cache import FileCache
from mip.analytics.config import AnalyticsConfig
from mip.analytics.errors import (
    AnalyticsBusy,
    BadParameters,
    BadTimeRange,
    ForbiddenSql,
    LakeReadFailed,
    QueryTimeout,
    QueryTooLarge,
    SqlError,
)
from mip.platform.errors import MIPError

log = logging.getLogger(__name__)


class Reader(Protocol):
    """What the engine needs from mip.lake.reader.LakeReader."""

    def datasets(self) -> list[str]: ...

    def schema(self, dataset: str) -> pa.Schema: ...

    def read(
        self,
        tenant_id: uuid.UUID,
        dataset: str,
        start: dt.datetime | None = None,
        end: dt.datetime | None = None,
        columns: list[str] | None = None,
    ) -> pa.Table: ...


def locked_config(config: AnalyticsConfig) -> dict[str, Any]:
    return {
        "enable_external_access": False,  # no files, no URLs, no ATTACH/COPY/INSTALL
        "autoinstall_known_extensions": False,
        "autoload_known_extensions": False,
        "allow_community_extensions": False,
        "allow_unsigned_extensions": False,
        "python_enable_replacements": False,  # SQL cannot reach Python variables by name
        "memory_limit": config.memory_limit,
        "threads": config.threads,
    }


@dataclass
class QueryResult:
    columns: list[str]
    types: list[str]
    rows: list[list[Any]]
    row_count: int
    truncated: bool
    elapsed_ms: float
    scanned_bytes: int
    start: dt.datetime
    end: dt.datetime
    tables: list[str] = field(default_factory=list)


def _utc(value: dt.datetime) -> dt.datetime:
    return value.replace(tzinfo=dt.UTC) if value.tzinfo is None else value.astimezone(dt.UTC)


def jsonable(v: Any) -> Any:
    """A DuckDB value as JSON: timestamps ISO 8601, NaN/inf null, decimals as numbers, blobs base64."""
    if v is None or isinstance(v, bool | int | str):
        return v
    if isinstance(v, float):
        return v if math.isfinite(v) else None
    if isinstance(v, dt.datetime | dt.date | dt.time):
        return v.isoformat()
    if isinstance(v, dt.timedelta):
        return v.total_seconds()
    if isinstance(v, Decimal):
        return float(v) if v.is_finite() else None
    if isinstance(v, bytes | bytearray | memoryview):
        return base64.b64encode(bytes(v)).decode()
    if isinstance(v, list | tuple):
        return [jsonable(x) for x in v]
    if isinstance(v, dict):
        return {str(k): jsonable(x) for k, x in v.items()}
    return str(v)


def _time_column(dataset: str) -> str | None:
    try:
        from mip.lake.datasets import DATASETS
    except ImportError:  # pragma: no cover - the lake package is part of the app
        return None
    ds = DATASETS.get(dataset)
    return ds.time_column if ds is not None else None


def _ident(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


class AnalyticsEngine:
    def __init__(self, reader: Reader, settings: Any = None, *, config: AnalyticsConfig | None = None) -> None:
        self.reader = reader
        self.config = config or AnalyticsConfig.from_settings(settings)
        self._slots = threading.BoundedSemaphore(max(1, self.config.max_concurrent))
        self.cache = FileCache(self.config.cache_bytes, self.config.cache_ttl_s)
        # queries run here, not on the event loop's default executor (long DuckDB work would starve it)
        self.executor = ThreadPoolExecutor(max_workers=self.config.max_concurrent + 2, thread_name_prefix="analytics")

    # -- helpers the API and CLI use -------------------------------------------------------------
    def datasets(self) -> list[str]:
        return sorted(self.reader.datasets())

    def connect(self) -> duckdb.DuckDBPyConnection:
        con = duckdb.connect(":memory:", config=locked_config(self.config))
        try:
            con.execute("set TimeZone = 'UTC'")  # results in UTC whatever the host's zone
            con.execute("set lock_configuration = true")  # from here SET/RESET/PRAGMA cannot loosen anything
        except BaseException:
            con.close()
            raise
        return con

    def analyze(self, sql: str, extra_tables: tuple[str, ...] = ()) -> sandbox.Analysis:
        """Validate ``sql`` without loading anything (ForbiddenSql / SqlError); what it would read."""
        con = self.connect()
        try:
            return sandbox.analyze(con, sql, [*self.datasets(), *extra_tables])
        finally:
            con.close()

    def sql_columns(self, schema: pa.Schema) -> list[dict[str, str]]:
        """Column names and the SQL types queries see (as DuckDB describes an Arrow table of ``schema``)."""
        con = self.connect()
        try:
            con.register("t", schema.empty_table())
            return [{"name": str(r[0]), "type": str(r[1])} for r in con.execute("describe t").fetchall()]
        finally:
            con.close()

    def window(self, start: dt.datetime | None, end: dt.datetime | None) -> tuple[dt.datetime, dt.datetime]:
        cfg = self.config
        end_ = _utc(end) if end else dt.datetime.now(dt.UTC)
        start_ = _utc(start) if start else end_ - dt.timedelta(days=cfg.default_range_days)
        if start_ >= end_:
            raise BadTimeRange(f"start ({start_.isoformat()}) must be before end ({end_.isoformat()})")
        if end_ - start_ > dt.timedelta(days=cfg.max_range_days):
            raise BadTimeRange(
                f"the time range is {(end_ - start_).total_seconds() / 86400:.1f} days; at most "
                f"{cfg.max_range_days:g} days per query (narrow start/end)",
                max_range_days=cfg.max_range_days,
            )
        return start_, end_

    # -- the query -------------------------------------------------------------------------------
    def query(
        self,
        tenant_id: uuid.UUID,
        sql: str,
        *,
        params: Mapping[str, Any] | None = None,
        max_rows: int | None = None,
        timeout_s: float | None = None,
        start: dt.datetime | None = None,
        end: dt.datetime | None = None,
        tables: Mapping[str, pa.Table] | None = None,
    ) -> QueryResult:
        """Run one read-only SELECT over ``tenant_id``'s data in [start, end). Blocking: call it in a thread.

        ``tables`` are extra in-memory tables the caller loaded for this tenant (e.g. the asset dimensions).
        """
        cfg = self.config
        limit = cfg.default_max_rows if max_rows is None else max_rows
        if not 1 <= limit <= cfg.max_rows_limit:
            raise BadParameters(f"max_rows must be between 1 and {cfg.max_rows_limit}")
        budget = cfg.timeout_s if timeout_s is None else timeout_s
        if not 0 < budget <= cfg.max_timeout_s:
            raise BadParameters(f"timeout_s must be in (0, {cfg.max_timeout_s:g}]")
        window = self.window(start, end)
        began = time.monotonic()
        if not self._slots.acquire(timeout=budget):
            raise AnalyticsBusy(f"{cfg.max_concurrent} analytics queries are already running; retry shortly")
        try:
            con = self.connect()
            try:
                return self._run(con, tenant_id, sql, params or {}, limit, budget, window, tables or {}, began)
            finally:
                con.close()
        finally:
            self._slots.release()

    def _run(
        self,
        con: duckdb.DuckDBPyConnection,
        tenant_id: uuid.UUID,
        sql: str,
        params: Mapping[str, Any],
        limit: int,
        budget: float,
        window: tuple[dt.datetime, dt.datetime],
        extra: Mapping[str, pa.Table],
        began: float,
    ) -> QueryResult:
        lake = set(self.datasets())
        plan = sandbox.analyze(con, sql, [*lake, *extra])
        _check_params(plan.parameters, params)
        scanned = 0
        for name in sorted(plan.tables):
            try:
                table = extra[name] if name in extra else self._load(tenant_id, name, plan, window, began + budget)
            except MIPError:
                raise
            except (OSError, ValueError, pa.ArrowException) as exc:  # corrupt file, failed decryption
                log.exception("analytics: reading %s of tenant %s failed", name, tenant_id)
                raise LakeReadFailed(f"reading {name} from the lake failed: {exc}", dataset=name) from None
            scanned += table.nbytes
            if scanned > self.config.max_scan_bytes:
                raise QueryTooLarge(
                    f"the query would load more than {self.config.max_scan_bytes} bytes of lake data; "
                    "narrow the time range or select fewer columns",
                    scanned_bytes=scanned,
                )
            self._register(con, name, table, window if name in lake else None)
            if time.monotonic() - began > budget:
                raise QueryTimeout(f"the query exceeded its time limit of {budget:g} s while loading data")
        columns, types, rows = self._execute(con, plan.sql, params, limit, budget - (time.monotonic() - began))
        truncated = len(rows) > limit
        rows = rows[:limit]
        return QueryResult(
            columns=columns,
            types=types,
            rows=[[jsonable(v) for v in row] for row in rows],
            row_count=len(rows),
            truncated=truncated,
            elapsed_ms=round((time.monotonic() - began) * 1000, 1),
            scanned_bytes=scanned,
            start=window[0],
            end=window[1],
            tables=sorted(plan.tables),
        )

    def _load(
        self,
        tenant_id: uuid.UUID,
        name: str,
        plan: sandbox.Analysis,
        window: tuple[dt.datetime, dt.datetime],
        deadline: float,
    ) -> pa.Table:
        """The tenant's committed rows of ``name`` in the window's partitions, only the needed columns."""
        schema = self.reader.schema(name)
        columns = plan.columns_for(schema.names)
        ts = _time_column(name)
        if columns is not None and ts and ts not in columns:
            columns = [*columns, ts]
        entries = getattr(self.reader, "entries", None)
        read_file = getattr(self.reader, "read_file", None)
        if entries is None or read_file is None:
            return self.reader.read(tenant_id, name, window[0], window[1], columns)
        found = entries(tenant_id, name, window[0], window[1])
        stored = sum(int(getattr(e, "bytes", 0)) for e in found)
        if stored > self.config.max_scan_bytes:  # compressed size already over: refuse before decrypting
            raise QueryTooLarge(
                f"{name} holds {stored} bytes in this time range, more than one query may load "
                f"({self.config.max_scan_bytes}); narrow start/end",
                scanned_bytes=stored,
            )
        keys = getattr(self.reader, "keys", None)
        if found and keys is not None and not keys.has_key(tenant_id):
            self.cache.forget_tenant(tenant_id)  # shredded: nothing cached is served; the read below fails
        wanted = columns or schema.names
        target = pa.schema([schema.field(c) for c in wanted])

        def one(path: str) -> pa.Table:
            key = (tenant_id, name, path, tuple(wanted))
            cached = self.cache.get(key)
            if cached is not None:
                return cached
            if time.monotonic() > deadline:
                raise QueryTimeout("the query exceeded its time limit while loading data")
            part: pa.Table = read_file(tenant_id, name, path, wanted).cast(target)
            self.cache.put(key, part)
            return part

        # files are decrypted in parallel (pyarrow releases the GIL); the view cuts rows to [start, end)
        with ThreadPoolExecutor(max_workers=max(1, self.config.threads)) as pool:
            parts = list(pool.map(one, [e.path for e in found]))
        return pa.concat_tables(parts) if parts else target.empty_table()

    @staticmethod
    def _register(
        con: duckdb.DuckDBPyConnection, name: str, table: pa.Table, window: tuple[dt.datetime, dt.datetime] | None
    ) -> None:
        """The dataset as a view over the Arrow table, cut exactly to [start, end) on its time column."""
        hidden = f"__mip_src_{name}"
        con.register(hidden, table)
        ts = _time_column(name) if window else None
        where = ""
        if window and ts and ts in table.column_names:
            lo, hi = (f"TIMESTAMPTZ '{w.isoformat()}'" for w in window)
            where = f" where {_ident(ts)} >= {lo} and {_ident(ts)} < {hi}"
        con.execute(f"create temp view {_ident(name)} as select * from {_ident(hidden)}{where}")

    @staticmethod
    def _execute(
        con: duckdb.DuckDBPyConnection, sql: str, params: Mapping[str, Any], limit: int, remaining: float
    ) -> tuple[list[str], list[str], list[Any]]:
        if remaining <= 0:
            raise QueryTimeout("the query exceeded its time limit while loading data")
        fired = threading.Event()

        def stop() -> None:
            fired.set()
            con.interrupt()

        timer = threading.Timer(remaining, stop)
        timer.daemon = True
        timer.start()
        try:
            res = con.execute(sql, dict(params)) if params else con.execute(sql)
            desc = con.description or []
            rows = res.fetchmany(limit + 1)
        except duckdb.InterruptException:
            raise QueryTimeout(f"the query was stopped after its time limit ({remaining:.3g} s left)") from None
        except duckdb.OutOfMemoryException as exc:
            raise QueryTooLarge(f"the query needs more memory than allowed: {exc}") from None
        except duckdb.PermissionException as exc:
            raise ForbiddenSql(str(exc)) from None
        except duckdb.Error as exc:
            if fired.is_set():
                raise QueryTimeout("the query was stopped after its time limit") from None
            raise SqlError(str(exc)) from None
        finally:
            timer.cancel()
        if fired.is_set():
            raise QueryTimeout("the query was stopped after its time limit")
        return [str(d[0]) for d in desc], [str(d[1]) for d in desc], rows


def _check_params(declared: set[str], given: Mapping[str, Any]) -> None:
    missing = sorted(declared - set(given))
    extra = sorted(set(given) - declared)
    if missing:
        raise BadParameters(f"missing query parameters: {', '.join('$' + m for m in missing)}", missing=missing)
    if extra:
        raise BadParameters(f"parameters not used by the query: {', '.join(extra)}", unused=extra)
