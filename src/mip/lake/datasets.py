"""Lake datasets: logical schema (what readers get), time column, sort order and Parquet encodings.

Physical encoding choices (measured with ``mip bench lake``): ids are dictionary-encoded (RLE of the
indices, one run per sensor since rows are sorted by (sensor, ts)); timestamps and integer columns use
DELTA_BINARY_PACKED (regular sampling costs ~0 bits per row); readings' values are stored as scaled
int64 with DELTA_BINARY_PACKED when a decimal scale k <= 6 reproduces every value bit for bit (the file's
``mip.value_scale`` metadata says k; the reader divides), else as float64 with BYTE_STREAM_SPLIT; other
floats use BYTE_STREAM_SPLIT. Pages are zstd-compressed, then AES-GCM encrypted.

Layout: one file per hour partition as exported; datasets with ``compact_days`` (all but raw readings)
are compacted into one file per closed day (mip.lake.compaction) - a 30-day query opens 30 files, not
720. Raw readings stay in hour files (a day of a large plant is too big to rewrite for one late row).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

import pyarrow as pa

from mip.lake.errors import UnknownDataset

TS = pa.timestamp("ns", tz="UTC")
ID = pa.dictionary(pa.int32(), pa.string())


class DataClass(StrEnum):
    RAW = "raw"  # readings
    ROLLUP = "rollup"  # readings_1m, readings_1h, oee_hourly
    EVENTS = "events"  # alarms, alarm_events, quality records


@dataclass(frozen=True)
class Dataset:
    name: str
    schema: pa.Schema
    time_column: str
    sort: tuple[str, ...]
    data_class: DataClass
    key: tuple[str, ...]  # identifies a row; late rows are appended only when their key is new
    append_only: bool = True  # False: a changed hour is rewritten whole (mutable source rows)
    delta: tuple[str, ...] = ()
    byte_split: tuple[str, ...] = ()
    scaled_value: str | None = None  # float column stored as scaled int64 when lossless
    description: str = ""
    dictionary: tuple[str, ...] = field(default=())
    compact_days: bool = True  # closed days are merged into one day file (small datasets: rollups, events)


def _ids(schema: pa.Schema) -> tuple[str, ...]:
    return tuple(f.name for f in schema if pa.types.is_dictionary(f.type))


def _make(**kw: object) -> Dataset:
    d = Dataset(**kw)  # type: ignore[arg-type]
    return Dataset(**{**d.__dict__, "dictionary": _ids(d.schema)})


READINGS = _make(
    name="readings",
    schema=pa.schema([("sensor_id", ID), ("ts", TS), ("value", pa.float64()), ("quality", pa.uint8())]),
    time_column="ts",
    sort=("sensor_id", "ts"),
    data_class=DataClass.RAW,
    key=("sensor_id", "ts"),
    delta=("ts",),
    scaled_value="value",
    description="every reading (hot rows and compressed chunks), one row per sensor and timestamp",
    compact_days=False,
)
ROLLUP_SCHEMA = pa.schema(
    [
        ("sensor_id", ID),
        ("bucket", TS),
        ("min", pa.float64()),
        ("max", pa.float64()),
        ("sum", pa.float64()),
        ("count", pa.int64()),
        ("last_value", pa.float64()),
    ]
)
READINGS_1M = _make(
    name="readings_1m",
    schema=ROLLUP_SCHEMA,
    time_column="bucket",
    sort=("sensor_id", "bucket"),
    data_class=DataClass.ROLLUP,
    key=("sensor_id", "bucket"),
    append_only=False,
    delta=("bucket", "count"),
    byte_split=("min", "max", "sum", "last_value"),
    description="per sensor and minute: min, max, sum, count, last value (avg = sum / count)",
)
READINGS_1H = _make(
    name="readings_1h",
    schema=ROLLUP_SCHEMA,
    time_column="bucket",
    sort=("sensor_id", "bucket"),
    data_class=DataClass.ROLLUP,
    key=("sensor_id", "bucket"),
    append_only=False,
    delta=("bucket", "count"),
    byte_split=("min", "max", "sum", "last_value"),
    description="per sensor and hour: min, max, sum, count, last value (avg = sum / count); the dataset for "
    "hourly and longer views",
)
ALARMS = _make(
    name="alarms",
    schema=pa.schema(
        [
            ("id", pa.string()),
            ("machine_id", ID),
            ("sensor_id", ID),
            ("rule", ID),
            ("severity", ID),
            ("safety", pa.bool_()),
            ("state", ID),
            ("message", pa.string()),
            ("threshold", pa.float64()),
            ("ts", TS),
            ("last_ts", TS),
            ("last_value", pa.float64()),
            ("peak_value", pa.float64()),
            ("count", pa.int64()),
            ("acknowledged_at", TS),
            ("resolved_at", TS),
            ("escalation_level", pa.int32()),
            ("updated_at", TS),
        ]
    ),
    time_column="ts",
    sort=("ts", "id"),
    data_class=DataClass.EVENTS,
    key=("id",),
    append_only=False,
    description="alarms by first breach time (ts); an hour is rewritten when any of its alarms changes",
)
ALARM_EVENTS = _make(
    name="alarm_events",
    schema=pa.schema(
        [
            ("id", pa.string()),
            ("alert_id", pa.string()),
            ("kind", ID),
            ("actor_id", ID),
            ("ts", TS),
            ("details", pa.string()),
        ]
    ),
    time_column="ts",
    sort=("ts", "id"),
    data_class=DataClass.EVENTS,
    key=("id",),
    description="alarm lifecycle events (opened, acknowledged, escalated, resolved, ...), details as JSON",
)
OEE_HOURLY = _make(
    name="oee_hourly",
    schema=pa.schema(
        [
            ("machine_id", ID),
            ("line_id", ID),
            ("bucket_start", TS),
            ("bucket_end", TS),
            ("shift_name", ID),
            ("shift_ns", pa.int64()),
            ("planned_stop_ns", pa.int64()),
            ("run_ns", pa.int64()),
            ("idle_ns", pa.int64()),
            ("down_ns", pa.int64()),
            ("total_count", pa.float64()),
            ("good_count", pa.float64()),
            ("reject_count", pa.float64()),
            ("ideal_run_ns", pa.float64()),
            ("counted", pa.bool_()),
        ]
    ),
    time_column="bucket_start",
    sort=("machine_id", "bucket_start"),
    data_class=DataClass.ROLLUP,
    key=("machine_id", "bucket_start"),
    append_only=False,
    description="OEE components per machine and hourly bucket (split at shift boundaries)",
)

DATASETS: dict[str, Dataset] = {
    d.name: d for d in (READINGS, READINGS_1M, READINGS_1H, ALARMS, ALARM_EVENTS, OEE_HOURLY)
}


def register_dataset(dataset: Dataset) -> Dataset:
    """Add a dataset (e.g. quality records) to the lake; its source is registered with
    ``mip.lake.sources.register_source`` (see that module's docstring). Dictionary columns are derived
    from the schema as for the built-in datasets."""
    if dataset.name in DATASETS:
        raise ValueError(f"lake dataset {dataset.name!r} is already registered")
    if not dataset.name.isidentifier() or dataset.name != dataset.name.lower():
        raise ValueError(f"lake dataset name {dataset.name!r}: use lower_case_with_underscores")
    for col in (dataset.time_column, *dataset.sort, *dataset.key):
        if col not in dataset.schema.names:
            raise ValueError(f"lake dataset {dataset.name!r}: no column {col!r} in its schema")
    if not pa.types.is_timestamp(dataset.schema.field(dataset.time_column).type):
        raise ValueError(f"lake dataset {dataset.name!r}: {dataset.time_column!r} must be a timestamp")
    dataset = Dataset(**{**dataset.__dict__, "dictionary": _ids(dataset.schema)})
    DATASETS[dataset.name] = dataset
    return dataset


def get_dataset(name: str) -> Dataset:
    try:
        return DATASETS[name]
    except KeyError:
        raise UnknownDataset(f"unknown lake dataset {name!r}; known: {', '.join(sorted(DATASETS))}") from None
