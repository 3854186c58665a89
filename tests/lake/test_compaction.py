"""Day compaction of rollup/event datasets: one day file, replaced hours cut out of it, nothing twice."""

from __future__ import annotations

import datetime as dt
import uuid

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from mip.lake.compaction import compact_day
from mip.lake.datasets import get_dataset
from mip.lake.etl import LakeEtl
from mip.lake.keys import LocalKeyProvider
from mip.lake.manifest import load_manifest
from mip.lake.reader import LakeReader, write_batch
from mip.lake.store import LakeStore
from mip.lake.writer import hours_column
from mip.platform.settings import Settings
from tests.lake.helpers import BASE, HOUR_NS

Lake = tuple[LakeStore, LocalKeyProvider]
MINUTE_NS = 60_000_000_000
DAY0 = dt.datetime.fromtimestamp(BASE / 1e9, dt.UTC)


def minutes(start: int, count: int, sensors: int = 2, value: float = 1.0) -> pa.Table:
    ts = start + np.arange(count, dtype=np.int64) * MINUTE_NS
    n = count * sensors
    return pa.table(
        {
            "sensor_id": pa.array([f"s{i}" for i in range(sensors)] * count).dictionary_encode(),
            "bucket": pa.array(np.repeat(ts, sensors)).cast(pa.timestamp("ns", tz="UTC")),
            "min": np.full(n, value),
            "max": np.full(n, value),
            "sum": np.full(n, value * 60),
            "count": np.full(n, 60, np.int64),
            "last_value": np.full(n, value),
        }
    )


def canon(t: pa.Table) -> pa.Table:
    t = t.set_column(0, "sensor_id", t.column("sensor_id").cast(pa.string()))
    return t.sort_by([("sensor_id", "ascending"), ("bucket", "ascending")]).combine_chunks()


def test_day_compaction_and_replacing_an_hour_of_a_compacted_day(lake: Lake) -> None:
    store, keys = lake
    tenant, ds = uuid.uuid4(), get_dataset("readings_1m")
    write_batch(store, keys, tenant, "readings_1m", minutes(BASE, 2 * 1440))  # two days, one file per hour
    day0, day1 = DAY0.date(), (DAY0 + dt.timedelta(days=1)).date()
    reader = LakeReader(store, keys)
    assert len(reader.files(tenant, "readings_1m")) == 48
    before = canon(reader.read(tenant, "readings_1m"))
    assert compact_day(store, keys, tenant, ds, day0) is True
    assert compact_day(store, keys, tenant, ds, day0) is False  # one file: nothing to do
    m = load_manifest(store, "readings_1m", tenant, day0)
    assert [len(p.files) for p in m.hours.values()] == [0] * 24
    assert len(m.day_files) == 1
    assert m.day_files[0].hours == list(range(24))
    assert m.day_files[0].rows == 2 * 1440
    assert all(p.fingerprint == "" and p.batches for p in m.hours.values())  # bookkeeping kept
    assert len(reader.files(tenant, "readings_1m")) == 1 + 24
    after = canon(reader.read(tenant, "readings_1m"))
    assert after.equals(before)
    one_hour = reader.read(tenant, "readings_1m", DAY0 + dt.timedelta(hours=3), DAY0 + dt.timedelta(hours=4))
    assert one_hour.num_rows == 120
    assert reader.files(tenant, "readings_1m", DAY0 + dt.timedelta(hours=3), DAY0 + dt.timedelta(hours=4)) == [
        m.day_files[0].path
    ]

    # a late change of hour 5 (mutable dataset: the hour is replaced) and hour 6 becoming empty
    h5 = BASE + 5 * HOUR_NS
    write_batch(store, keys, tenant, "readings_1m", minutes(h5, 30, value=7.0), empty_hours=[(day0, 6)])
    m = load_manifest(store, "readings_1m", tenant, day0)
    assert m.day_files[0].hours == [h for h in range(24) if h not in (5, 6)]
    assert [f.rows for f in m.hours[5].files] == [60]
    got = reader.read(tenant, "readings_1m", DAY0, DAY0 + dt.timedelta(days=1))
    assert got.num_rows == 2 * 1440 - 120 - 120 + 60
    hours = hours_column(ds, got)
    assert int((hours == 5).sum()) == 60
    assert int((hours == 6).sum()) == 0
    assert pc.all(pc.equal(got.filter(pa.array(hours == 5)).column("min"), 7.0)).as_py()
    keys_ = pc.binary_join_element_wise(
        got.column("sensor_id").cast("string"), got.column("bucket").cast("string"), "|"
    )
    assert pc.count_distinct(keys_).as_py() == got.num_rows  # nothing twice

    etl = LakeEtl(None, store, keys, Settings())  # type: ignore[arg-type]
    assert etl.compact(tenant, "readings_1m") == 2  # day 0 again (day file + hour 5), day 1 (24 hour files)
    for day in (day0, day1):
        assert len(load_manifest(store, "readings_1m", tenant, day).files) == 1
    again = reader.read(tenant, "readings_1m", DAY0, DAY0 + dt.timedelta(days=1))
    assert canon(again).equals(canon(got))
    assert reader.read(tenant, "readings_1m").num_rows == got.num_rows + 2 * 1440
    assert etl.collect_garbage([tenant], grace_s=0) == 48 + 3  # hour files, first day file, its rewrite, hour 5 file
    assert reader.read(tenant, "readings_1m", DAY0, DAY0 + dt.timedelta(days=1)).num_rows == got.num_rows


def test_replacing_every_hour_of_a_day_file_drops_it(lake: Lake) -> None:
    store, keys = lake
    tenant, ds = uuid.uuid4(), get_dataset("readings_1h")
    write_batch(
        store,
        keys,
        tenant,
        "readings_1h",
        minutes(BASE, 2).set_column(
            1, "bucket", pa.array([BASE, BASE, BASE + HOUR_NS, BASE + HOUR_NS]).cast(pa.timestamp("ns", tz="UTC"))
        ),
    )
    assert compact_day(store, keys, tenant, ds, DAY0.date())
    write_batch(store, keys, tenant, "readings_1h", minutes(BASE, 1, value=3.0), empty_hours=[(DAY0.date(), 1)])
    m = load_manifest(store, "readings_1h", tenant, DAY0.date())
    assert m.day_files == []
    assert LakeReader(store, keys).read(tenant, "readings_1h").column("min").to_pylist() == [3.0, 3.0]
