"""Reading the lake: only files listed by committed manifests, partition-pruned, decrypted per tenant."""

from __future__ import annotations

import datetime as dt
import uuid
from concurrent.futures import ThreadPoolExecutor

import pyarrow as pa
import pyarrow.compute as pc

from mip.lake.datasets import DATASETS, get_dataset
from mip.lake.keys import KeyProvider, LocalKeyProvider
from mip.lake.manifest import FileEntry, load_manifest, manifest_days
from mip.lake.store import LakeStore, store_from_settings
from mip.lake.writer import DAY_NS, HOUR_NS, decode_file, write_batch
from mip.platform.settings import Settings

__all__ = ["LakeReader", "open_lake", "write_batch"]

MANIFEST_THREADS = 8  # manifest GETs in flight per query (S3 latency, not CPU)
READ_THREADS = 2  # files decoded at once by read()


def _ns(t: dt.datetime | None) -> int | None:
    if t is None:
        return None
    if t.tzinfo is None:
        t = t.replace(tzinfo=dt.UTC)
    return int(t.timestamp() * 1_000_000) * 1000


class LakeReader:
    def __init__(self, store: LakeStore, keys: KeyProvider) -> None:
        from mip.lake.sources import load_plugins

        load_plugins()  # datasets of other domains exist in every process that reads the lake
        self.store = store
        self.keys = keys

    def datasets(self) -> list[str]:
        return sorted(DATASETS)

    def schema(self, dataset: str) -> pa.Schema:
        return get_dataset(dataset).schema

    def entries(
        self, tenant_id: uuid.UUID, dataset: str, start: dt.datetime | None = None, end: dt.datetime | None = None
    ) -> list[FileEntry]:
        """Committed files of [start, end), pruned by day (manifest), hour (partition) and min/max time.

        Each file is listed once (a day file holding several hours of the window too). The manifests of
        the window's days are fetched in parallel (one GET each on S3).
        """
        get_dataset(dataset)
        a, b = _ns(start), _ns(end)

        def overlaps(lo: int, hi: int) -> bool:  # [lo, hi] against [a, b)
            return (b is None or lo < b) and (a is None or hi >= a)

        days = [
            (day, int(dt.datetime(day.year, day.month, day.day, tzinfo=dt.UTC).timestamp()) * 1_000_000_000)
            for day in manifest_days(self.store, dataset, tenant_id)
        ]
        days = [(day, ns) for day, ns in days if overlaps(ns, ns + DAY_NS - 1)]
        with ThreadPoolExecutor(max_workers=min(MANIFEST_THREADS, max(1, len(days)))) as pool:
            manifests = list(pool.map(lambda d: load_manifest(self.store, dataset, tenant_id, d[0]), days))
        out: list[FileEntry] = []
        for (_, day_ns), manifest in zip(days, manifests, strict=True):
            hours = {h for h in range(24) if overlaps(day_ns + h * HOUR_NS, day_ns + (h + 1) * HOUR_NS - 1)}
            for hour in sorted(hours.intersection(manifest.hours)):
                out.extend(f for f in manifest.hours[hour].files if overlaps(f.min_ts, f.max_ts))
            out.extend(f for f in manifest.day_files if hours.intersection(f.hours) and overlaps(f.min_ts, f.max_ts))
        return out

    def files(
        self, tenant_id: uuid.UUID, dataset: str, start: dt.datetime | None = None, end: dt.datetime | None = None
    ) -> list[str]:
        return [f.path for f in self.entries(tenant_id, dataset, start, end)]

    def read_file(self, tenant_id: uuid.UUID, dataset: str, path: str, columns: list[str] | None = None) -> pa.Table:
        """One file, decrypted with the tenant's key, in the dataset's logical schema."""
        return decode_file(self.store, self.keys, tenant_id, get_dataset(dataset), path, columns)

    def read(
        self,
        tenant_id: uuid.UUID,
        dataset: str,
        start: dt.datetime | None = None,
        end: dt.datetime | None = None,
        columns: list[str] | None = None,
    ) -> pa.Table:
        ds = get_dataset(dataset)
        wanted = columns or ds.schema.names
        unknown = [c for c in wanted if c not in ds.schema.names]
        if unknown:
            from mip.lake.errors import BadLakeRequest

            raise BadLakeRequest(f"{dataset} has no column(s) {', '.join(unknown)}")
        read_cols = list(dict.fromkeys([*wanted, ds.time_column]))
        schema = pa.schema([ds.schema.field(c) for c in read_cols])
        paths = self.files(tenant_id, dataset, start, end)
        with ThreadPoolExecutor(max_workers=min(READ_THREADS, max(1, len(paths)))) as pool:  # decrypt releases the GIL
            parts = list(pool.map(lambda p: self.read_file(tenant_id, dataset, p, read_cols), paths))
        table = pa.concat_tables([t.cast(schema) for t in parts]) if parts else schema.empty_table()
        a, b = _ns(start), _ns(end)
        if a is not None or b is not None:
            ts = table.column(ds.time_column).cast(pa.int64())
            mask = None
            if a is not None:
                mask = pc.greater_equal(ts, a)
            if b is not None:
                m2 = pc.less(ts, b)
                mask = m2 if mask is None else pc.and_(mask, m2)
            table = table.filter(mask)
        return table.select(wanted)


def open_lake(settings: Settings) -> tuple[LakeStore, KeyProvider]:
    """The configured store (local directory or S3) and key provider (local key directory)."""
    key_dir = settings.lake_key_dir or settings.data_dir / "lake-keys"
    return store_from_settings(settings), LocalKeyProvider(key_dir, settings.lake_key_cache_s)
