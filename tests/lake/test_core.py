"""Write/commit/read, crash before commit, idempotence, compaction, encryption, shredding, retention, S3."""

from __future__ import annotations

import datetime as dt
import os
import uuid
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from pyarrow import fs as pafs

from mip.lake.errors import TenantKeyMissing
from mip.lake.etl import LakeEtl
from mip.lake.keys import LocalKeyProvider
from mip.lake.manifest import load_manifest, manifest_days
from mip.lake.reader import LakeReader, open_lake, write_batch
from mip.lake.retention import drop_days
from mip.lake.store import LakeStore
from mip.platform.settings import Settings
from tests.lake.helpers import BASE, HOUR_NS, readings

Lake = tuple[LakeStore, LocalKeyProvider]
T0 = dt.datetime.fromtimestamp(BASE / 1e9, dt.UTC)


def _parquet(store: LakeStore) -> list[str]:
    return sorted(o.path for o in store.list("") if o.path.endswith(".parquet"))


def test_round_trip_pruning_and_idempotent_rerun(lake: Lake) -> None:
    store, keys = lake
    tenant, table = uuid.uuid4(), readings()
    first = write_batch(store, keys, tenant, "readings", table)
    assert first.rows == table.num_rows
    assert len(first.files) == 2
    again = write_batch(store, keys, tenant, "readings", table)
    assert again.rows == 0
    assert again.batch_id == first.batch_id
    assert again.skipped_days == ["2025-03-01"]
    reader = LakeReader(store, keys)
    out = reader.read(tenant, "readings")
    assert out.num_rows == table.num_rows
    assert out.schema == reader.schema("readings")
    got = out.sort_by([("ts", "ascending")]).column("value").to_numpy()
    want = table.sort_by([("ts", "ascending")]).column("value").to_numpy()
    assert np.array_equal(np.sort(got), np.sort(want))  # lossless through the scaled-int encoding
    half = reader.read(tenant, "readings", T0 + dt.timedelta(minutes=30), T0 + dt.timedelta(minutes=90), ["value"])
    assert half.num_rows == 3 * 3600
    assert half.column_names == ["value"]
    assert len(reader.files(tenant, "readings", T0, T0 + dt.timedelta(minutes=10))) == 1
    assert reader.read(uuid.uuid4(), "readings").num_rows == 0  # another tenant sees nothing
    assert "readings_1m" in reader.datasets()


def test_crash_before_manifest_commit_leaves_nothing_visible_and_rerun_commits_once(lake: Lake) -> None:
    store, keys = lake
    tenant, table = uuid.uuid4(), readings()

    def crash(_: object) -> None:
        raise RuntimeError("killed between data write and manifest commit")

    with pytest.raises(RuntimeError):
        write_batch(store, keys, tenant, "readings", table, before_commit=crash)
    orphans = _parquet(store)
    assert len(orphans) == 2  # the data files were written ...
    reader = LakeReader(store, keys)
    assert reader.files(tenant, "readings") == []
    assert reader.read(tenant, "readings").num_rows == 0
    done = write_batch(store, keys, tenant, "readings", table)
    assert done.rows == table.num_rows
    assert write_batch(store, keys, tenant, "readings", table).rows == 0
    assert reader.read(tenant, "readings").num_rows == table.num_rows
    etl = LakeEtl(None, store, keys, Settings(lake_gc_grace_s=0))  # type: ignore[arg-type]
    assert etl.collect_garbage([tenant], grace_s=0) == 2
    assert set(_parquet(store)) == set(done.files)
    assert reader.read(tenant, "readings").num_rows == table.num_rows


def test_compaction_merges_a_partition_and_keeps_rows(lake: Lake) -> None:
    store, keys = lake
    tenant = uuid.uuid4()
    parts = [readings(sensors=1, seconds=600, start=BASE + i * 600 * 1_000_000_000, seed=i) for i in range(5)]
    for p in parts:
        write_batch(store, keys, tenant, "readings", p)
    day = manifest_days(store, "readings", tenant)[0]
    assert len(load_manifest(store, "readings", tenant, day).hours[0].files) == 5
    etl = LakeEtl(None, store, keys, Settings())  # type: ignore[arg-type]
    assert etl.compact(tenant, "readings") == 1
    files = load_manifest(store, "readings", tenant, day).hours[0].files
    assert len(files) == 1
    assert files[0].rows == 3000
    reader = LakeReader(store, keys)
    out = reader.read(tenant, "readings")
    assert out.num_rows == 3000
    assert pa.compute.count_distinct(out.column("ts")).as_py() == 3000
    assert etl.collect_garbage([tenant], grace_s=0) == 5  # the merged-away files


def test_files_are_encrypted_per_tenant_and_shredding_makes_them_unreadable(lake: Lake) -> None:
    store, keys = lake
    a, b = uuid.uuid4(), uuid.uuid4()
    fa = write_batch(store, keys, a, "readings", readings(seed=1)).files[0]
    write_batch(store, keys, b, "readings", readings(seed=2))
    raw = Path(store.full(fa)).read_bytes()
    assert raw[-4:] == b"PARE"  # encrypted footer
    with pytest.raises(OSError, match="(?i)encrypt|decrypt|footer"):
        pq.read_table(store.full(fa))  # pyarrow without decryption properties
    with pytest.raises((OSError, ValueError), match="does not belong"):  # B's key cannot open A's file
        pq.ParquetFile(store.full(fa), decryption_properties=keys.decryption_properties(b)).read()
    assert oct(os.stat(keys.dir / f"{a}.key").st_mode & 0o777) == "0o600"
    reader = LakeReader(store, keys)
    assert reader.read(a, "readings").num_rows == 21600
    assert keys.shred(a) is True
    assert os.path.exists(store.full(fa))  # the files are still there ...
    with pytest.raises(TenantKeyMissing):
        reader.read(a, "readings")  # ... but cannot be decrypted
    fresh = LocalKeyProvider(keys.dir)  # a new process, no key cache
    with pytest.raises((TenantKeyMissing, OSError)):
        pq.ParquetFile(
            store.full(fa), decryption_properties=fresh._factory.file_decryption_properties(fresh._kms_config(a))
        ).read()
    with pytest.raises(TenantKeyMissing):  # and nothing new is written for a shredded tenant
        write_batch(store, keys, a, "readings", readings(seed=3))
    assert reader.read(b, "readings").num_rows == 21600  # the other tenant is unaffected
    assert LakeReader(store, fresh).read(b, "readings").num_rows == 21600


def test_retention_drops_whole_exported_days_only(lake: Lake) -> None:
    store, keys = lake
    tenant = uuid.uuid4()
    for d in range(4):
        write_batch(store, keys, tenant, "readings", readings(sensors=1, seconds=60, start=BASE + d * 24 * HOUR_NS))
    today = (T0 + dt.timedelta(days=5)).date()
    through_day2 = BASE + 2 * 24 * HOUR_NS  # the export has passed days 0 and 1 only
    assert drop_days(store, tenant, "readings", 4, through_day2, today) == ["2025-03-01"]
    assert drop_days(store, tenant, "readings", 2, through_day2, today) == ["2025-03-02"]  # day 2: not exported
    reader = LakeReader(store, keys)
    assert reader.read(tenant, "readings").num_rows == 120
    assert write_batch(store, keys, tenant, "readings", readings(sensors=1, seconds=60, start=BASE)).rows == 0
    assert drop_days(store, tenant, "readings", 0, None, today) == []  # 0 = keep forever


def test_s3_backend_via_moto_server(moto_endpoint: str, tmp_path: object) -> None:
    s3 = pafs.S3FileSystem(
        endpoint_override=moto_endpoint.split("//")[1],
        scheme="http",
        access_key="test",
        secret_key="test",
        region="us-east-1",
        allow_bucket_creation=True,
    )
    s3.create_dir("mip-lake")
    settings = Settings(
        data_dir=tmp_path,
        lake_url="s3://mip-lake/prod",
        lake_s3_endpoint=moto_endpoint,
        lake_s3_access_key="test",
        lake_s3_secret_key="test",
    )
    store, keys = open_lake(settings)
    assert not store.local
    tenant, table = uuid.uuid4(), readings()
    res = write_batch(store, keys, tenant, "readings", table)
    assert write_batch(store, keys, tenant, "readings", table).rows == 0
    reader = LakeReader(store, keys)
    assert reader.read(tenant, "readings").num_rows == table.num_rows
    info = s3.get_file_info(f"mip-lake/prod/{res.files[0]}")
    assert info.size > 0
    with (
        s3.open_input_file(f"mip-lake/prod/{res.files[0]}") as f,
        pytest.raises(OSError, match="(?i)encrypt|decrypt|footer"),
    ):
        pq.read_table(f)
    with pytest.raises(RuntimeError):
        write_batch(
            store,
            keys,
            tenant,
            "readings",
            readings(seed=9),
            before_commit=lambda m: (_ for _ in ()).throw(RuntimeError("crash")),
        )
    assert reader.read(tenant, "readings").num_rows == table.num_rows
    etl = LakeEtl(None, store, keys, settings)  # type: ignore[arg-type]
    assert etl.collect_garbage([tenant], grace_s=0) == 2
    assert reader.read(tenant, "readings").num_rows == table.num_rows
