"""Compaction: fewer, larger files for the same committed rows (a replacing manifest commit).

* **Hour compaction** merges an hour partition's hour files (late rows arrive as extra files) into one.
* **Day compaction** merges every file of a closed day - its hour files and day files - into one day file
  that lists the hours it holds (see mip.lake.manifest). Only for datasets with ``compact_days`` (rollups,
  events: a day of a facility is a few MB at most); raw readings keep hour files.

Both are optimistic: the merged file is written first, then, under the writer lock, the manifest is
reloaded and the commit happens only if the merged files are still exactly the ones listed (else the
merged file is left unlisted for garbage collection and nothing changes). Fingerprints and batch ids of
the hour partitions are kept, so the export's exactly-once bookkeeping is untouched by compaction.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import uuid

import pyarrow as pa

from mip.lake.datasets import Dataset
from mip.lake.keys import KeyProvider
from mip.lake.manifest import FileEntry, load_manifest, partition_dir, save_manifest
from mip.lake.store import LakeStore
from mip.lake.writer import day_file_path, decode_file, encode_file, hours_column, writer_lock


def _batch(prefix: str, files: list[FileEntry]) -> str:
    return prefix + hashlib.sha256("|".join(f.path for f in files).encode()).hexdigest()[:23]


def _merge(store: LakeStore, keys: KeyProvider, tenant_id: uuid.UUID, ds: Dataset, files: list[FileEntry]) -> pa.Table:
    parts = [decode_file(store, keys, tenant_id, ds, f.path) for f in files]
    return pa.concat_tables([p.cast(ds.schema) for p in parts])


def compact_hour(
    store: LakeStore, keys: KeyProvider, tenant_id: uuid.UUID, ds: Dataset, day: dt.date, hour: int, min_files: int
) -> bool:
    """Merge the hour files of one partition when it has at least ``min_files`` (>= 2) of them."""
    m = load_manifest(store, ds.name, tenant_id, day)
    part = m.hours.get(hour)
    if m.dropped or part is None or len(part.files) < max(2, min_files):
        return False
    old = list(part.files)
    bid = _batch("c", old)
    merged = encode_file(
        store,
        keys,
        tenant_id,
        ds,
        _merge(store, keys, tenant_id, ds, old),
        f"{partition_dir(ds.name, tenant_id, day, hour)}/{bid}-{uuid.uuid4().hex[:8]}.parquet",
    )
    with writer_lock(ds.name, tenant_id):
        m = load_manifest(store, ds.name, tenant_id, day)
        part = m.hours.get(hour)
        if m.dropped or part is None or [f.path for f in part.files] != [f.path for f in old]:
            return False  # a writer got there first; the merged file is garbage
        part.files = [merged]
        save_manifest(store, m)
    return True


def compact_day(store: LakeStore, keys: KeyProvider, tenant_id: uuid.UUID, ds: Dataset, day: dt.date) -> bool:
    """Merge all files of ``day`` into one day file (when it has two or more); the caller decides it is closed."""
    m = load_manifest(store, ds.name, tenant_id, day)
    old = m.files
    if m.dropped or len(old) < 2:
        return False
    table = _merge(store, keys, tenant_id, ds, old)
    bid = _batch("d", old)
    merged = None
    if table.num_rows:
        merged = encode_file(store, keys, tenant_id, ds, table, day_file_path(ds.name, tenant_id, day, bid))
        merged.hours = sorted(set(hours_column(ds, table).tolist()))
    with writer_lock(ds.name, tenant_id):
        m = load_manifest(store, ds.name, tenant_id, day)
        if m.dropped or [f.path for f in m.files] != [f.path for f in old]:
            return False
        for part in m.hours.values():
            part.files = []
        m.day_files = [merged] if merged is not None else []
        save_manifest(store, m)
    return True
