"""The analytics engine over a real encrypted lake (two tenants): sandbox escapes refused with clear codes,
row and time limits, SQL errors as 400, time-window and column pruning, tenant isolation."""

from __future__ import annotations

import datetime as dt
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pyarrow as pa
import pytest
from pyarrow import fs as pafs

from mip.analytics.config import AnalyticsConfig
from mip.analytics.engine import AnalyticsEngine
from mip.lake.keys import LocalKeyProvider
from mip.lake.reader import LakeReader
from mip.lake.store import LakeStore
from mip.platform.errors import MIPError
from tests.analytics.helpers import hour_floor, write_readings, write_rollups

NOW = hour_floor(dt.datetime.now(dt.UTC))


@dataclass
class Lake:
    engine: AnalyticsEngine
    a: uuid.UUID
    b: uuid.UUID
    a_rows: int


@pytest.fixture(scope="module")
def lake(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Lake]:
    root: Path = tmp_path_factory.mktemp("lake")
    (root / "data").mkdir()
    store = LakeStore(pafs.LocalFileSystem(), str(root / "data"), (root / "data").as_uri())
    keys = LocalKeyProvider(root / "keys")
    a, b = uuid.uuid4(), uuid.uuid4()
    a_rows = write_readings(store, keys, a, ["a-temp", "a-press"], 1.0, NOW, hours=6)
    write_readings(store, keys, b, ["b-secret"], 666.0, NOW, hours=6)
    write_rollups(store, keys, a, ["a-temp"], NOW, hours=3)
    config = AnalyticsConfig(timeout_s=10, threads=2, memory_limit="256MB")
    return Lake(AnalyticsEngine(LakeReader(store, keys), config=config), a, b, a_rows)


def refused(lake: Lake, sql: str) -> MIPError:
    with pytest.raises(MIPError) as info:
        lake.engine.query(lake.a, sql, max_rows=10)
    assert info.value.status < 500
    return info.value


@pytest.mark.parametrize(
    "sql",
    [
        "select * from read_csv('/etc/passwd')",
        "select * from read_csv_auto('/etc/passwd')",
        "select * from '/etc/passwd'",
        "select * from read_parquet('/tmp/lake/readings/*/*.parquet')",
        "select * from 'readings/tenant=x/date=2024-01-01/hour=00/f.parquet'",
        "select * from read_json('https://example.com/x.json')",
        "select * from 'https://example.com/data.parquet'",
        "select * from glob('/*')",
        "select * from read_text('/etc/hostname')",
        "select * from query('select 1')",
        "select * from duckdb_settings()",
        "select * from information_schema.tables",
        "copy (select * from readings) to '/tmp/out.csv'",
        "copy readings from '/tmp/in.csv'",
        "attach '/tmp/other.duckdb' as other",
        "install httpfs",
        "load httpfs",
        "set enable_external_access = true",
        "set threads = 64",
        "reset memory_limit",
        "pragma database_list",
        "select 1; select 2",
        "select 1; copy (select 1) to '/tmp/x'",
        "create table t as select 1",
        "create view v as select 1",
        "insert into readings values (1)",
        "drop table readings",
        "export database '/tmp/x'",
        "explain select 1",
        "call pragma_version()",
        "checkpoint",
        "pivot readings on sensor_id using avg(value)",
    ],
)
def test_given_sandbox_escape_then_forbidden_sql(lake: Lake, sql: str) -> None:
    err = refused(lake, sql)
    assert err.code == "forbidden_sql", (sql, err.code, err.detail)
    assert err.status == 400


def test_given_locked_connection_then_settings_cannot_be_loosened(lake: Lake) -> None:
    con = lake.engine.connect()
    try:
        row = con.execute(
            "select current_setting('enable_external_access'), current_setting('autoload_known_extensions'),"
            " current_setting('allow_community_extensions'), current_setting('lock_configuration')"
        ).fetchall()[0]
        assert row == (False, False, False, True)
        for stmt in ("set enable_external_access = true", "set memory_limit = '64GB'", "set lock_configuration=false"):
            with pytest.raises(Exception, match="locked"):
                con.execute(stmt)
        with pytest.raises(Exception, match="disabled by configuration"):
            con.execute("select * from read_csv('/etc/passwd')").fetchall()
    finally:
        con.close()


def test_given_sql_errors_then_400_with_duckdb_message(lake: Lake) -> None:
    err = refused(lake, "selec 1")
    assert (err.code, err.status) == ("sql_error", 400)
    assert "syntax error" in err.detail
    err = refused(lake, "select no_such_column from readings")
    assert err.code == "sql_error"
    assert "no_such_column" in err.detail
    err = refused(lake, "select * from no_such_table")
    assert err.code == "sql_error"
    assert "readings" in err.detail
    err = refused(lake, "select 1 / 'x'")
    assert err.code == "sql_error"
    assert refused(lake, "").code == "sql_error"


def test_given_query_then_only_callers_rows_even_naming_other_tenant(lake: Lake) -> None:
    res = lake.engine.query(lake.a, "select sensor_id, count(*), avg(value) from readings group by 1 order by 1")
    assert res.rows == [["a-press", 360, 1.0], ["a-temp", 360, 1.0]]
    assert res.tables == ["readings"]
    sneaky = f"select count(*) from readings where sensor_id = 'b-secret' or '{lake.b}' = '{lake.b}' and value = 666"
    assert lake.engine.query(lake.a, sneaky).rows == [[0]]
    err = refused(lake, f"select * from 'readings/tenant={lake.b}/'")
    assert err.code == "forbidden_sql"
    theirs = lake.engine.query(lake.b, "select sensor_id, count(*), max(value) from readings group by 1")
    assert theirs.rows == [["b-secret", 360, 666.0]]


def test_given_max_rows_then_truncated_and_said_so(lake: Lake) -> None:
    res = lake.engine.query(lake.a, "select * from readings order by ts, sensor_id", max_rows=5)
    assert res.row_count == 5
    assert len(res.rows) == 5
    assert res.truncated
    assert res.columns == ["sensor_id", "ts", "value", "quality"]
    assert res.types[1].startswith("TIMESTAMP")
    full = lake.engine.query(lake.a, "select * from readings", max_rows=lake.a_rows)
    assert full.row_count == lake.a_rows
    assert not full.truncated
    with pytest.raises(MIPError) as info:
        lake.engine.query(lake.a, "select 1", max_rows=0)
    assert info.value.code == "bad_parameters"


def test_given_slow_query_then_interrupted_at_time_limit(lake: Lake) -> None:
    began = time.monotonic()
    with pytest.raises(MIPError) as info:
        lake.engine.query(lake.a, "select sum(a.range * b.range) from range(200000) a, range(200000) b", timeout_s=0.5)
    assert info.value.code == "query_timeout"
    assert info.value.status == 422
    assert time.monotonic() - began < 5
    assert lake.engine.query(lake.a, "select 42").rows == [[42]]  # the engine is fine afterwards


def test_given_time_window_then_only_rows_inside_and_range_limited(lake: Lake) -> None:
    start, end = NOW - dt.timedelta(hours=2), NOW - dt.timedelta(minutes=30)
    res = lake.engine.query(lake.a, "select count(*), min(ts), max(ts) from readings", start=start, end=end)
    count, lo, hi = res.rows[0]
    assert count == 2 * 90
    assert dt.datetime.fromisoformat(lo) == start
    assert dt.datetime.fromisoformat(hi) < end
    assert res.start == start
    assert res.end == end
    old = lake.engine.query(lake.a, "select count(*) from readings", end=NOW - dt.timedelta(days=3))
    assert old.rows == [[0]]  # nothing that old: empty, not an error
    for kw in ({"start": NOW, "end": NOW - dt.timedelta(hours=1)}, {"start": NOW - dt.timedelta(days=500)}):
        with pytest.raises(MIPError) as info:
            lake.engine.query(lake.a, "select 1", **kw)  # type: ignore[arg-type]
        assert info.value.code == "bad_time_range"


def test_given_few_columns_then_only_those_decrypted(lake: Lake) -> None:
    narrow = lake.engine.query(lake.a, "select avg(value) from readings")
    wide = lake.engine.query(lake.a, "select * from readings", max_rows=1)
    counted = lake.engine.query(lake.a, "select count(*) from readings")
    aliased = lake.engine.query(lake.a, "select avg(r.value) from readings r join readings q on q.ts = r.ts")
    assert aliased.scanned_bytes == narrow.scanned_bytes  # qualified names still prune columns
    whole_row = lake.engine.query(lake.a, "select r from readings r", max_rows=1)
    assert whole_row.scanned_bytes == wide.scanned_bytes
    assert narrow.scanned_bytes < wide.scanned_bytes
    assert counted.rows == [[lake.a_rows]]
    assert counted.scanned_bytes < wide.scanned_bytes
    none = lake.engine.query(lake.a, "select 1 as x")
    assert none.scanned_bytes == 0
    assert none.tables == []


def test_given_rollups_cte_params_and_extra_tables_then_results(lake: Lake) -> None:
    sql = """
        with h as (select date_trunc('hour', bucket) as hour, sum("sum") / sum("count") as avg_value
                   from readings_1m where sensor_id = $sensor group by 1)
        select count(*), min(avg_value) > 40 from h
    """
    res = lake.engine.query(lake.a, sql, params={"sensor": "a-temp"})
    assert res.rows == [[3, True]]
    with pytest.raises(MIPError) as info:
        lake.engine.query(lake.a, sql)
    assert info.value.code == "bad_parameters"
    names = pa.table({"id": ["a-temp"], "name": ["Temperature"]})
    joined = lake.engine.query(
        lake.a,
        "select s.name, count(*) from readings r join sensors s on s.id = r.sensor_id group by 1",
        tables={"sensors": names},
    )
    assert joined.rows == [["Temperature", 360]]


def test_given_values_then_json_friendly(lake: Lake) -> None:
    res = lake.engine.query(
        lake.a,
        "select 'nan'::double as n, 1.5::decimal(10,2) as d, interval 90 minute as i, [1, 2] as l,"
        " {'k': 1} as s, timestamptz '2024-01-01 00:00:00+00' as t, 'ab'::blob as b",
    )
    assert res.rows == [[None, 1.5, 5400.0, [1, 2], {"k": 1}, "2024-01-01T00:00:00+00:00", "YWI="]]


def test_given_scan_budget_then_too_large_query_refused_before_decrypting(lake: Lake) -> None:
    small = AnalyticsEngine(lake.engine.reader, config=AnalyticsConfig(max_scan_bytes=10_000))
    with pytest.raises(MIPError) as info:
        small.query(lake.a, "select count(*) from readings")
    assert info.value.code == "query_too_large"
    assert info.value.status == 422
    assert small.query(lake.a, "select 1 as one").rows == [[1]]


def test_given_corrupt_lake_file_then_clear_lake_read_error(lake: Lake) -> None:
    reader = lake.engine.reader
    assert isinstance(reader, LakeReader)
    c = uuid.uuid4()
    write_readings(reader.store, reader.keys, c, ["c1"], 1.0, NOW, hours=1)
    reader.store.write_bytes(reader.files(c, "readings")[0], b"PAR1 not really parquet PAR1")
    with pytest.raises(MIPError) as info:
        lake.engine.query(c, "select count(*) from readings")
    assert info.value.code == "lake_read_failed"
    assert "readings" in info.value.detail


def test_given_cached_files_when_tenant_shredded_then_nothing_served(lake: Lake) -> None:
    reader = lake.engine.reader
    assert isinstance(reader, LakeReader)
    d = uuid.uuid4()
    write_readings(reader.store, reader.keys, d, ["d1"], 3.0, NOW, hours=2)
    first = lake.engine.query(d, "select count(*) from readings")
    hits = lake.engine.cache.hits
    again = lake.engine.query(d, "select count(*) from readings")
    assert first.rows == again.rows == [[120]]
    assert lake.engine.cache.hits >= hits + 2  # the second query decrypted nothing
    reader.keys.shred(d)
    with pytest.raises(MIPError) as info:
        lake.engine.query(d, "select count(*) from readings")
    assert info.value.code == "lake_key_missing"
    assert info.value.status == 410
