"""The commit path: encode an Arrow table per hour partition, write encrypted Parquet, commit the manifest.

``write_batch`` is the one way data enters the lake (the ETL, compaction and test fixtures use it):

1. rows are grouped by hour of the dataset's time column;
2. for each day touched: if the day's manifest already lists ``batch_id``, that day is skipped (a rerun of
   the same batch is a no-op); otherwise each hour's rows are written to a new, uniquely named file;
3. the day's manifest is rewritten atomically with the new files (appended, or replacing the hour's
   files for mutable datasets - a day file holding a replaced hour is rewritten without it, see
   mip.lake.manifest) and the hour's source fingerprint — that write is the commit.

A crash before step 3 leaves only unlisted files (invisible, collected by ``gc``); a crash after it leaves
a complete commit that a rerun recognises by its batch id. One writer per (tenant, dataset) at a time:
the ETL holds a PostgreSQL advisory lock; within a process a lock per (tenant, dataset) is taken here.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import threading
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from mip.lake.datasets import Dataset, get_dataset
from mip.lake.errors import BadLakeRequest
from mip.lake.keys import KeyProvider
from mip.lake.manifest import (
    DayManifest,
    FileEntry,
    Partition,
    day_dir,
    load_manifest,
    partition_dir,
    save_manifest,
)
from mip.lake.store import LakeStore
from mip.telemetry.codec import decimal_scale

HOUR_NS = 3_600_000_000_000
DAY_NS = 24 * HOUR_NS
SCALE_KEY = b"mip.value_scale"
ROW_GROUP = 1_000_000

_locks: dict[tuple[str, uuid.UUID], threading.Lock] = {}
_locks_guard = threading.Lock()


def writer_lock(dataset: str, tenant_id: uuid.UUID) -> threading.Lock:
    with _locks_guard:
        return _locks.setdefault((dataset, tenant_id), threading.Lock())


@dataclass
class BatchResult:
    batch_id: str
    dataset: str
    tenant_id: uuid.UUID
    rows: int = 0  # rows committed by this call (0 when the batch had been committed before)
    files: list[str] = field(default_factory=list)
    skipped_days: list[str] = field(default_factory=list)  # already committed (same batch id) or dropped


def hour_of(ts_ns: int) -> tuple[dt.date, int]:
    d = dt.datetime.fromtimestamp(ts_ns // 1_000_000_000, dt.UTC)
    return d.date(), d.hour


def hour_start_ns(day: dt.date, hour: int) -> int:
    return int(dt.datetime(day.year, day.month, day.day, hour, tzinfo=dt.UTC).timestamp()) * 1_000_000_000


def conform(ds: Dataset, table: pa.Table) -> pa.Table:
    """Select and cast the dataset's columns (missing nullable ones become nulls)."""
    cols = []
    for f in ds.schema:
        if f.name in table.column_names:
            col = table.column(f.name)
            try:
                cols.append(col.cast(f.type) if col.type != f.type else col)
            except (pa.ArrowInvalid, pa.ArrowNotImplementedError) as exc:
                raise BadLakeRequest(f"column {f.name!r} of {ds.name}: cannot cast {col.type} to {f.type}") from exc
        elif f.name in (ds.time_column, *ds.key):
            raise BadLakeRequest(f"{ds.name} needs column {f.name!r}")
        else:
            cols.append(pa.nulls(table.num_rows, f.type))
    out = pa.Table.from_arrays(cols, schema=ds.schema)
    if out.column(ds.time_column).null_count:
        raise BadLakeRequest(f"{ds.name}: {ds.time_column} must not be null")
    return out


def content_batch_id(tenant_id: uuid.UUID, dataset: str, table: pa.Table) -> str:
    sink = pa.BufferOutputStream()
    with pa.ipc.new_stream(sink, table.schema) as w:
        w.write_table(table)
    h = hashlib.sha256(f"{tenant_id}/{dataset}/".encode())
    h.update(sink.getvalue().to_pybytes())
    return h.hexdigest()[:24]


def _sort(ds: Dataset, table: pa.Table) -> pa.Table:
    keys = [(c, "ascending") for c in ds.sort]
    # sort dictionary columns by their string value
    tmp = table
    for c in ds.sort:
        if pa.types.is_dictionary(table.schema.field(c).type):
            tmp = tmp.set_column(tmp.schema.get_field_index(c), c, tmp.column(c).cast(pa.string()))
    idx = pc.sort_indices(tmp, sort_keys=keys)
    return table.take(idx)


def encode_file(
    store: LakeStore, keys: KeyProvider, tenant_id: uuid.UUID, ds: Dataset, table: pa.Table, path: str
) -> FileEntry:
    """Write one sorted, encoded, encrypted Parquet file (``table`` already conformed)."""
    table = _sort(ds, table).combine_chunks()
    ts = table.column(ds.time_column).cast(pa.int64()).to_numpy()
    meta: dict[bytes, bytes] = {}
    encodings = {c: "DELTA_BINARY_PACKED" for c in ds.delta}
    encodings.update({c: "BYTE_STREAM_SPLIT" for c in ds.byte_split})
    if ds.scaled_value is not None:
        i = table.schema.get_field_index(ds.scaled_value)
        values = table.column(i).to_numpy()
        found = (
            decimal_scale(np.ascontiguousarray(values, np.float64)) if table.num_rows else (0, np.zeros(0, np.int64))
        )
        if found is not None:
            k, ints = found
            table = table.set_column(i, ds.scaled_value, pa.array(ints, pa.int64()))
            meta[SCALE_KEY] = str(k).encode()
            encodings[ds.scaled_value] = "DELTA_BINARY_PACKED"
        else:
            encodings[ds.scaled_value] = "BYTE_STREAM_SPLIT"
    table = table.replace_schema_metadata(meta or None)
    full = store.writer_path(path)
    with pq.ParquetWriter(
        full,
        table.schema,
        filesystem=store.fs,
        compression="zstd",
        compression_level=9,
        use_dictionary=list(ds.dictionary),
        column_encoding=encodings or None,
        encryption_properties=keys.encryption_properties(tenant_id),
        write_statistics=True,
    ) as writer:
        writer.write_table(table, row_group_size=ROW_GROUP)
    size = store.fs.get_file_info(full).size or 0
    return FileEntry(
        path=path,
        rows=table.num_rows,
        bytes=int(size),
        min_ts=int(ts.min()) if ts.size else 0,
        max_ts=int(ts.max()) if ts.size else 0,
    )


def decode_file(
    store: LakeStore, keys: KeyProvider, tenant_id: uuid.UUID, ds: Dataset, path: str, columns: list[str] | None = None
) -> pa.Table:
    """One file, decrypted with the tenant's key, in the dataset's logical schema (scaled values undone)."""
    with store.open_input(path) as f:
        pf = pq.ParquetFile(f, decryption_properties=keys.decryption_properties(tenant_id))
        table = pf.read(columns=columns)
    meta = table.schema.metadata or {}
    if ds.scaled_value and ds.scaled_value in table.column_names:
        i = table.schema.get_field_index(ds.scaled_value)
        if SCALE_KEY in meta:
            values = table.column(i).to_numpy().astype("float64") / (10.0 ** int(meta[SCALE_KEY]))
            table = table.set_column(i, ds.scaled_value, pa.array(values, pa.float64()))
        else:
            table = table.set_column(i, ds.scaled_value, table.column(i).cast(pa.float64()))
    return table.replace_schema_metadata(None)


def day_file_path(dataset: str, tenant_id: uuid.UUID, day: dt.date, batch: str) -> str:
    return f"{day_dir(dataset, tenant_id, day)}/day-{batch}-{uuid.uuid4().hex[:8]}.parquet"


def hours_column(ds: Dataset, table: pa.Table) -> np.ndarray:
    """The hour of day (0-23) of every row, by the dataset's time column."""
    ts = table.column(ds.time_column).cast(pa.int64()).to_numpy()
    return np.asarray((ts % DAY_NS) // HOUR_NS, dtype=np.int64)


def without_hours(
    store: LakeStore,
    keys: KeyProvider,
    tenant_id: uuid.UUID,
    ds: Dataset,
    manifest: DayManifest,
    hours: set[int],
    batch: str,
) -> list[FileEntry]:
    """The day files of ``manifest`` with the rows of ``hours`` taken out (untouched files kept as they are)."""
    out = []
    for f in manifest.day_files:
        if not hours.intersection(f.hours):
            out.append(f)
            continue
        keep = sorted(set(f.hours) - hours)
        if not keep:
            continue
        table = decode_file(store, keys, tenant_id, ds, f.path)
        table = table.filter(pa.array(np.isin(hours_column(ds, table), keep)))
        if table.num_rows:
            entry = encode_file(
                store, keys, tenant_id, ds, table, day_file_path(ds.name, tenant_id, manifest.day, batch)
            )
            entry.hours = keep
            out.append(entry)
    return out


def _by_hour(ds: Dataset, table: pa.Table) -> dict[tuple[dt.date, int], pa.Table]:
    ts = table.column(ds.time_column).cast(pa.int64()).to_numpy()
    hours = ts // HOUR_NS
    out: dict[tuple[dt.date, int], pa.Table] = {}
    for h in np.unique(hours).tolist():
        out[hour_of(int(h) * HOUR_NS)] = table.filter(pa.array(hours == h))
    return out


def write_batch(
    store: LakeStore,
    keys: KeyProvider,
    tenant_id: uuid.UUID,
    dataset: str,
    table: pa.Table,
    *,
    batch_id: str | None = None,
    replace: bool | None = None,
    fingerprints: dict[tuple[dt.date, int], str] | None = None,
    empty_hours: list[tuple[dt.date, int]] = (),  # type: ignore[assignment]
    before_commit: Callable[[DayManifest], None] | None = None,
) -> BatchResult:
    """Commit ``table`` to the tenant's ``dataset`` exactly once (see the module docstring).

    ``replace`` (default: the dataset is not append-only) makes each touched hour hold exactly these
    rows; ``fingerprints`` records the source state each hour was built from; ``empty_hours`` (replace
    only) are hours whose source became empty. ``before_commit`` is a test hook called after the data
    files are written and before the manifest commit.
    """
    ds = get_dataset(dataset)
    table = conform(ds, table)
    replace = (not ds.append_only) if replace is None else replace
    batch_id = batch_id or content_batch_id(tenant_id, dataset, table)
    groups = _by_hour(ds, table)
    for key in empty_hours:
        groups.setdefault(key, table.slice(0, 0))
    days: dict[dt.date, list[int]] = {}
    for day, hour in sorted(groups):
        days.setdefault(day, []).append(hour)
    result = BatchResult(batch_id=batch_id, dataset=dataset, tenant_id=tenant_id)
    with writer_lock(dataset, tenant_id):
        for day, hours in days.items():
            manifest = load_manifest(store, dataset, tenant_id, day)
            if manifest.dropped or manifest.has_batch(batch_id):
                result.skipped_days.append(day.isoformat())
                continue
            new: dict[int, list[FileEntry]] = {}
            nonce = uuid.uuid4().hex[:8]
            for hour in hours:
                part = groups[(day, hour)]
                new[hour] = []
                if part.num_rows:
                    path = f"{partition_dir(dataset, tenant_id, day, hour)}/{batch_id}-{nonce}.parquet"
                    new[hour].append(encode_file(store, keys, tenant_id, ds, part, path))
            if replace and any(set(f.hours) & set(new) for f in manifest.day_files):
                manifest.day_files = without_hours(store, keys, tenant_id, ds, manifest, set(new), batch_id)
            if before_commit is not None:
                before_commit(manifest)
            for hour, entries in new.items():
                p = manifest.hours.setdefault(hour, Partition())
                p.files = entries if replace else p.files + entries
                p.batches.append(batch_id)
                if fingerprints and (day, hour) in fingerprints:
                    p.fingerprint = fingerprints[(day, hour)]
                result.rows += sum(e.rows for e in entries)
                result.files.extend(e.path for e in entries)
            save_manifest(store, manifest)
    return result
