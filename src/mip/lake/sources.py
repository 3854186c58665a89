"""ETL sources: where each lake dataset comes from in PostgreSQL (a pluggable registry).

A source answers two questions for one tenant (inside its RLS transaction):

* ``fingerprints(a, b)``: for every hour in [a, b) that has source rows, a fingerprint of the hour's
  content - the row count for append-only sources (rows are only ever added: a larger count means late
  rows), a digest of (count, newest change) for mutable ones;
* ``extract(hour)``: the hour's rows as an Arrow table in the dataset's schema, and the fingerprint of
  exactly what was extracted.

``derived`` datasets are computed from the same extraction (``readings_1m`` and ``readings_1h`` from
``readings``), so an hour is read from PostgreSQL once for all three.

Adding a dataset from another domain (e.g. quality records)
-----------------------------------------------------------
1. Write ``mip/<domain>/lake.py`` that, **at import time**, calls
   ``mip.lake.datasets.register_dataset(Dataset(...))`` and then ``register_source(SqlSource(...))``:

   * the ``Dataset``: a unique ``name`` (it becomes the analytics table name), an Arrow ``schema`` (ids as
     ``mip.lake.datasets.ID`` - dictionary strings -, timestamps as ``TS``; lists are fine), the
     ``time_column`` that places a row in an hour partition, ``sort``, the row ``key``, the ``data_class``
     (``events`` for records: the tenant's events retention applies), ``append_only=False`` when rows can
     change after they are written (then a changed hour is rewritten whole), a ``description``;
     ``compact_days`` stays True unless one day of one tenant can exceed ~100 MB;
   * the ``SqlSource``: ``fingerprint_sql`` returning rows ``(h, fp)`` - ``h`` the hour start in epoch ns
     (``ts - ts % 3600000000000``), ``fp`` text that changes whenever any row of that hour changes (a
     count for append-only tables; for mutable ones e.g. ``md5(count || max(updated_at) || ...)``) - and
     ``extract_sql`` returning the hour's rows with the dataset's column names, timestamps as epoch ns
     (``_NS`` below converts a timestamptz column). Both get ``%(t)s`` (tenant), ``%(a)s``/``%(b)s``
     (the hour range, epoch ns) and run inside the tenant's RLS transaction, so they need no tenant
     filter for safety (keep ``tenant_id = %(t)s`` for the index). A window further back than the
     default ``lake_lookback_days`` for changes: ``lookback_days_setting``.

2. Add the module's dotted name to ``PLUGIN_MODULES`` below: ``load_plugins()`` imports them in every
   process that exports or reads the lake (the ETL, ``LakeReader``), so the dataset exists for the ETL,
   the status API and analytics alike. Nothing else changes: the ETL exports it exactly once per hour,
   retention and crypto-shredding apply, and ``SELECT ... FROM <name>`` works in analytics.

A complete, tested example over the SPC subgroups (``spc_subgroups``): tests/lake/quality_example.py,
exercised by tests/lake/test_plugins.py. Its core::

    SPC_SUBGROUPS = register_dataset(Dataset(
        name="quality_spc_subgroups",
        schema=pa.schema([("id", pa.string()), ("chart_id", ID), ("seq", pa.int32()), ("ts", TS),
                          ("values", pa.list_(pa.float64())), ("size", pa.float64()), ("excluded", pa.bool_())]),
        time_column="ts", sort=("ts", "id"), key=("id",), data_class=DataClass.EVENTS, append_only=False,
        description="SPC subgroups (measurements per chart and sample)"))
    register_source(SqlSource(
        dataset=SPC_SUBGROUPS,
        fingerprint_sql='''select ts - ts %% 3600000000000 as h, md5(string_agg(id::text || excluded::text
                             || note, ',' order by id)) as fp
                           from spc_subgroups where tenant_id = %(t)s and ts >= %(a)s and ts < %(b)s group by 1''',
        extract_sql='''select id, chart_id, seq, ts, values, size, excluded from spc_subgroups
                       where tenant_id = %(t)s and ts >= %(a)s and ts < %(b)s'''))
"""

from __future__ import annotations

import uuid
from abc import ABC, abstractmethod
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from mip.lake.datasets import ALARM_EVENTS, ALARMS, OEE_HOURLY, READINGS, READINGS_1H, READINGS_1M, Dataset
from mip.platform.db import Conn
from mip.platform.settings import Settings
from mip.telemetry.codec import decode_chunk
from mip.telemetry.partitions import HOUR_NS, MINUTE_NS
from mip.telemetry.store import COPY_ROW

_COPY_HEADER_LEN = 19


@dataclass
class Derived:
    dataset: Dataset
    transform: Callable[[pa.Table], pa.Table]


class Source(ABC):
    dataset: Dataset
    derived: list[Derived] = []

    def lookback_s(self, settings: Settings) -> float:
        return max(settings.lake_lookback_days * 86400.0, settings.ingest_max_past_age_s + 3600.0)

    @abstractmethod
    async def fingerprints(self, conn: Conn, tenant_id: uuid.UUID, a: int, b: int) -> dict[int, str]: ...

    @abstractmethod
    async def extract(self, conn: Conn, tenant_id: uuid.UUID, hour: int) -> tuple[pa.Table, str]: ...


def newer(dataset: Dataset, source_fp: str, lake_fp: str) -> bool:
    """Does the source hold something the lake has not got? Append-only: a larger row count."""
    if source_fp == lake_fp:
        return False
    if dataset.append_only and lake_fp:
        try:
            return int(source_fp) > int(lake_fp)
        except ValueError:
            return True
    return True


def _ids(raw: np.ndarray) -> pa.DictionaryArray:
    """16-byte uuids (numpy void) -> dictionary<int32, string> of canonical uuid text."""
    uniq, inverse = np.unique(raw, return_inverse=True)
    names = pa.array([str(uuid.UUID(bytes=bytes(u))) for u in uniq], pa.string())
    return pa.DictionaryArray.from_arrays(pa.array(inverse.astype(np.int32)), names)


class ReadingsSource(Source):
    dataset = READINGS

    def __init__(self) -> None:
        self.derived = [Derived(READINGS_1M, minute_rollup), Derived(READINGS_1H, hour_rollup)]

    async def fingerprints(self, conn: Conn, tenant_id: uuid.UUID, a: int, b: int) -> dict[int, str]:
        cur = await conn.execute(
            """
            select h, sum(n)::bigint as n from (
              select ts - ts %% 3600000000000 as h, count(*) as n from readings
              where tenant_id = %(t)s and ts >= %(a)s and ts < %(b)s group by 1
              union all
              select start_ts as h, sum(n) as n from reading_chunks
              where tenant_id = %(t)s and start_ts >= %(a)s and start_ts < %(b)s group by 1
            ) x group by h
            """,
            {"t": tenant_id, "a": a, "b": b},
        )
        return {int(r["h"]): str(int(r["n"])) for r in await cur.fetchall()}

    async def extract(self, conn: Conn, tenant_id: uuid.UUID, hour: int) -> tuple[pa.Table, str]:
        # Hot rows first, then chunks (two statements): if a compression commits in between, a reading is
        # seen twice (deduplicated below), never missed.
        buf = bytearray()
        query = (
            "copy (select tenant_id, sensor_id, ts, value, quality from readings "
            "where tenant_id = %s and ts >= %s and ts < %s) to stdout (format binary)"
        )
        async with conn.cursor().copy(query, [tenant_id, hour, hour + HOUR_NS]) as copy:
            async for data in copy:
                buf += data
        size = COPY_ROW.itemsize
        n = max(len(buf) - _COPY_HEADER_LEN, 0) // size
        hot = np.frombuffer(bytes(buf[_COPY_HEADER_LEN : _COPY_HEADER_LEN + n * size]), dtype=COPY_ROW)
        cur = await conn.execute(
            "select sensor_id, ts_data, val_data, q_data from reading_chunks "
            "where tenant_id = %s and start_ts >= %s and start_ts < %s",
            [tenant_id, hour, hour + HOUR_NS],
        )
        sensors, tss, vals, qs = (
            [hot["sensor"]],
            [hot["ts"].astype(np.int64)],
            [hot["value"].astype(np.float64)],
            [hot["quality"].astype(np.int16)],
        )
        for r in await cur.fetchall():
            t, v, q = decode_chunk(r["ts_data"], r["val_data"], r["q_data"])
            sensors.append(np.full(t.shape[0], np.frombuffer(r["sensor_id"].bytes, dtype="V16")[0]))
            tss.append(t)
            vals.append(v)
            qs.append(q)
        sensor = np.concatenate(sensors)
        ts = np.concatenate(tss)
        value = np.concatenate(vals)
        quality = np.concatenate(qs)
        if ts.size:  # dedup on (sensor, ts): sort by sensor, ts and keep first
            codes = np.unique(sensor, return_inverse=True)[1]
            order = np.lexsort((ts, codes))
            sensor, ts, value, quality = sensor[order], ts[order], value[order], quality[order]
            keep = np.r_[True, (sensor[1:] != sensor[:-1]) | (ts[1:] != ts[:-1])]
            sensor, ts, value, quality = sensor[keep], ts[keep], value[keep], quality[keep]
        table = pa.table(
            {
                "sensor_id": _ids(sensor) if ts.size else pa.array([], READINGS.schema.field("sensor_id").type),
                "ts": pa.array(ts, pa.int64()).cast(READINGS.schema.field("ts").type),
                "value": pa.array(value, pa.float64()),
                "quality": pa.array(quality.astype(np.uint8), pa.uint8()),
            }
        )
        return table, str(table.num_rows)


def _rollup(raw: pa.Table, bucket_ns: int) -> pa.Table:
    """readings -> min, max, sum, count, last value per sensor and bucket of ``bucket_ns``."""
    if raw.num_rows == 0:
        return READINGS_1M.schema.empty_table()
    ts = raw.column("ts").cast(pa.int64()).to_numpy()
    work = pa.table(
        {
            "sensor_id": raw.column("sensor_id").cast(pa.string()),
            "bucket": pa.array(ts - ts % bucket_ns, pa.int64()),
            "ts": pa.array(ts, pa.int64()),
            "value": raw.column("value"),
        }
    ).sort_by([("sensor_id", "ascending"), ("bucket", "ascending"), ("ts", "ascending")])
    g = work.group_by(["sensor_id", "bucket"], use_threads=False).aggregate(
        [("value", "min"), ("value", "max"), ("value", "sum"), ("value", "count"), ("value", "last")]
    )
    return pa.table(
        {
            "sensor_id": pc.dictionary_encode(g.column("sensor_id")),
            "bucket": g.column("bucket").cast(pa.timestamp("ns", tz="UTC")),
            "min": g.column("value_min"),
            "max": g.column("value_max"),
            "sum": g.column("value_sum"),
            "count": g.column("value_count").cast(pa.int64()),
            "last_value": g.column("value_last"),
        }
    )


def minute_rollup(raw: pa.Table) -> pa.Table:
    """readings -> readings_1m (min, max, sum, count, last value per sensor and minute)."""
    return _rollup(raw, MINUTE_NS)


def hour_rollup(raw: pa.Table) -> pa.Table:
    """readings -> readings_1h (the same per sensor and hour; one extracted hour gives one bucket)."""
    return _rollup(raw, HOUR_NS)


@dataclass
class SqlSource(Source):
    """A source that is one SQL query per hour (rows -> the dataset's columns)."""

    dataset: Dataset
    fingerprint_sql: str  # params t, a, b -> rows (h, fp)
    extract_sql: str  # params t, a, b -> rows with the dataset's columns (ts columns as epoch ns)
    lookback_days_setting: str | None = None
    derived: list[Derived] = field(default_factory=list)

    def lookback_s(self, settings: Settings) -> float:
        base = super().lookback_s(settings)
        if self.lookback_days_setting:
            return max(base, float(getattr(settings, self.lookback_days_setting)) * 86400.0)
        return base

    async def fingerprints(self, conn: Conn, tenant_id: uuid.UUID, a: int, b: int) -> dict[int, str]:
        cur = await conn.execute(self.fingerprint_sql, {"t": tenant_id, "a": a, "b": b})
        return {int(r["h"]): str(r["fp"]) for r in await cur.fetchall()}

    async def extract(self, conn: Conn, tenant_id: uuid.UUID, hour: int) -> tuple[pa.Table, str]:
        # The fingerprint is taken *before* the rows: a change committed in between makes the recorded
        # fingerprint older than the content, so the hour is exported once more - never skipped.
        fps = await self.fingerprints(conn, tenant_id, hour, hour + HOUR_NS)
        fp = fps.get(hour, "0" if self.dataset.append_only else "")
        cur = await conn.execute(self.extract_sql, {"t": tenant_id, "a": hour, "b": hour + HOUR_NS})
        rows = await cur.fetchall()
        cols: dict[str, pa.Array] = {}
        for f in self.dataset.schema:
            values = [r.get(f.name) for r in rows]
            if pa.types.is_timestamp(f.type):
                cols[f.name] = pa.array(values, pa.int64()).cast(f.type)
            elif pa.types.is_dictionary(f.type):
                cols[f.name] = pa.array(
                    [None if v is None else str(v) for v in values], pa.string()
                ).dictionary_encode()
            elif f.type == pa.string():
                cols[f.name] = pa.array([None if v is None else str(v) for v in values], pa.string())
            else:
                cols[f.name] = pa.array(values, f.type)
        return pa.table(cols), fp


_NS = "(extract(epoch from {c}) * 1000000)::bigint * 1000"

ALARMS_SOURCE = SqlSource(
    dataset=ALARMS,
    fingerprint_sql="""
      select first_ts - first_ts %% 3600000000000 as h,
             md5(count(*)::text || '|' || max(updated_at)::text || '|' || sum(count)::text || '|'
                 || max(last_ts)::text || '|' || string_agg(state, ',' order by id)) as fp
      from alerts where tenant_id = %(t)s and first_ts >= %(a)s and first_ts < %(b)s group by 1
    """,
    extract_sql=f"""
      select a.id, a.machine_id, a.sensor_id, a.rule, a.severity, a.safety, a.state, a.message, a.threshold,
             a.first_ts as ts, a.last_ts, a.last_value, a.peak_value, a.count,
             {_NS.format(c="a.acknowledged_at")} as acknowledged_at, {_NS.format(c="a.resolved_at")} as resolved_at,
             a.escalation_level, {_NS.format(c="a.updated_at")} as updated_at
      from alerts a where a.tenant_id = %(t)s and a.first_ts >= %(a)s and a.first_ts < %(b)s order by a.id
    """,
    lookback_days_setting="lake_alarms_lookback_days",
)

ALARM_EVENTS_SOURCE = SqlSource(
    dataset=ALARM_EVENTS,
    fingerprint_sql=f"""
      select ns - ns %% 3600000000000 as h, count(*)::text as fp from (
        select {_NS.format(c="at")} as ns from alarm_events
        where tenant_id = %(t)s and at >= to_timestamp(%(a)s / 1e9) and at < to_timestamp(%(b)s / 1e9)
      ) x group by 1
    """,
    extract_sql=f"""
      select id, alert_id, kind, actor_id, {_NS.format(c="at")} as ts, details::text as details
      from alarm_events
      where tenant_id = %(t)s and at >= to_timestamp(%(a)s / 1e9) and at < to_timestamp(%(b)s / 1e9)
    """,
)

OEE_SOURCE = SqlSource(
    dataset=OEE_HOURLY,
    fingerprint_sql="""
      select bucket_start - bucket_start %% 3600000000000 as h,
             md5(count(*)::text || '|' || max(computed_at)::text) as fp
      from oee_rollups where tenant_id = %(t)s and bucket_start >= %(a)s and bucket_start < %(b)s group by 1
    """,
    extract_sql="""
      select machine_id, line_id, bucket_start, bucket_end, shift_name, shift_ns, planned_stop_ns, run_ns,
             idle_ns, down_ns, total_count, good_count, reject_count, ideal_run_ns, counted
      from oee_rollups where tenant_id = %(t)s and bucket_start >= %(a)s and bucket_start < %(b)s
    """,
)

SOURCES: list[Source] = [ReadingsSource(), ALARMS_SOURCE, ALARM_EVENTS_SOURCE, OEE_SOURCE]

# modules of other domains that register lake datasets and sources at import time (see the module docstring)
PLUGIN_MODULES: list[str] = ["mip.quality.lake"]
_loaded: set[str] = set()


def register_source(source: Source) -> Source:
    """Add a source; its dataset (and derived ones) must be registered first, and have no other source."""
    from mip.lake.datasets import DATASETS

    taken = {s.dataset.name for s in SOURCES} | {d.dataset.name for s in SOURCES for d in s.derived}
    for ds in [source.dataset, *(d.dataset for d in source.derived)]:
        if DATASETS.get(ds.name) is not ds:
            raise ValueError(f"lake source for {ds.name!r}: register that dataset first (register_dataset)")
        if ds.name in taken:
            raise ValueError(f"lake dataset {ds.name!r} already has a source")
    SOURCES.append(source)
    return source


def load_plugins() -> None:
    """Import every module of ``PLUGIN_MODULES`` once (they register their datasets and sources)."""
    import importlib

    for name in PLUGIN_MODULES:
        if name not in _loaded:
            importlib.import_module(name)
            _loaded.add(name)
