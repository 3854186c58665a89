"""Reading the lake: only files listed by committed manifests, partition-pruned, decrypted per tenant."""

from __future__ import annotations

import datetime as dt
import uuid

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from mip.lake.datasets import DATASETS, get_dataset
from mip.lake.keys import KeyProvider, LocalKeyProvider
from mip.lake.manifest import FileEntry, load_manifest, manifest_days
from mip.lake.store import LakeStore, store_from_settings
from mip.lake.writer import HOUR_NS, SCALE_KEY, write_batch
from mip.platform.settings import Settings

__all__ = ["LakeReader", "open_lake", "write_batch"]


def _ns(t: dt.datetime | None) -> int | None:
    if t is None:
        return None
    if t.tzinfo is None:
        t = t.replace(tzinfo=dt.UTC)
    return int(t.timestamp() * 1_000_000) * 1000


class LakeReader:
    def __init__(self, store: LakeStore, keys: KeyProvider) -> None:
        self.store = store
        self.keys = keys

    def datasets(self) -> list[str]:
        return sorted(DATASETS)

    def schema(self, dataset: str) -> pa.Schema:
        return get_dataset(dataset).schema

    def entries(
        self, tenant_id: uuid.UUID, dataset: str, start: dt.datetime | None = None, end: dt.datetime | None = None
    ) -> list[FileEntry]:
        """Committed files of [start, end), pruned by day (manifest), hour (partition) and min/max time."""
        get_dataset(dataset)
        a, b = _ns(start), _ns(end)
        out = []
        for day in manifest_days(self.store, dataset, tenant_id):
            day_ns = int(dt.datetime(day.year, day.month, day.day, tzinfo=dt.UTC).timestamp()) * 1_000_000_000
            if (b is not None and day_ns >= b) or (a is not None and day_ns + 24 * HOUR_NS <= a):
                continue
            manifest = load_manifest(self.store, dataset, tenant_id, day)
            for hour in sorted(manifest.hours):
                lo = day_ns + hour * HOUR_NS
                if (b is not None and lo >= b) or (a is not None and lo + HOUR_NS <= a):
                    continue
                for f in manifest.hours[hour].files:
                    if (b is not None and f.min_ts >= b) or (a is not None and f.max_ts < a):
                        continue
                    out.append(f)
        return out

    def files(
        self, tenant_id: uuid.UUID, dataset: str, start: dt.datetime | None = None, end: dt.datetime | None = None
    ) -> list[str]:
        return [f.path for f in self.entries(tenant_id, dataset, start, end)]

    def read_file(self, tenant_id: uuid.UUID, dataset: str, path: str, columns: list[str] | None = None) -> pa.Table:
        """One file, decrypted with the tenant's key, in the dataset's logical schema."""
        ds = get_dataset(dataset)
        with self.store.open_input(path) as f:
            pf = pq.ParquetFile(f, decryption_properties=self.keys.decryption_properties(tenant_id))
            table = pf.read(columns=columns)
        meta = table.schema.metadata or {}
        if ds.scaled_value and ds.scaled_value in table.column_names and SCALE_KEY in meta:
            k = int(meta[SCALE_KEY])
            i = table.schema.get_field_index(ds.scaled_value)
            values = table.column(i).to_numpy().astype("float64") / (10.0**k)
            table = table.set_column(i, ds.scaled_value, pa.array(values, pa.float64()))
        elif ds.scaled_value and ds.scaled_value in table.column_names:
            i = table.schema.get_field_index(ds.scaled_value)
            table = table.set_column(i, ds.scaled_value, table.column(i).cast(pa.float64()))
        return table.replace_schema_metadata(None)

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
        parts = [self.read_file(tenant_id, dataset, p, read_cols) for p in self.files(tenant_id, dataset, start, end)]
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
