"""``mip analytics`` as a subprocess against the test database and the same lake directory."""

from __future__ import annotations

import asyncio
import csv
import datetime as dt
import io
import json
import os
import subprocess
import sys
from collections.abc import Awaitable

from mip.lake.api import lake_for
from mip.platform.database_setup import DatabaseHandle
from mip.platform.settings import Settings
from tests.analytics.helpers import hour_floor, write_readings
from tests.conftest import TenantFactory

APP = "from mip.cli.analytics import analytics_app; analytics_app(prog_name='mip analytics')"


def cli(handle: DatabaseHandle, settings: Settings, *args: str) -> subprocess.CompletedProcess[str]:
    env = {
        **os.environ,
        "DATABASE_URL": handle.owner_url,
        "MIP_DATA_DIR": str(settings.data_dir),
        "MIP_LOG_LEVEL": "WARNING",
    }
    return subprocess.run(
        [sys.executable, "-c", APP, *args], capture_output=True, text=True, timeout=120, env=env, check=False
    )


def problem(out: subprocess.CompletedProcess[str], code: str) -> None:
    assert out.returncode == 2, (out.stdout, out.stderr)
    assert json.loads(out.stderr.strip().splitlines()[-1])["code"] == code


async def test_given_cli_then_query_formats_catalog_saved_and_errors(
    db_handle: DatabaseHandle, settings: Settings, make_tenant: TenantFactory
) -> None:
    t = await make_tenant()
    store, keys = lake_for(settings)
    write_readings(store, keys, t.id, ["s1", "s2"], 4.0, hour_floor(dt.datetime.now(dt.UTC)), hours=2)
    sql = "select sensor_id, count(*) as n, avg(value) as v from readings group by 1 order by 1"

    def run(*args: str) -> Awaitable[subprocess.CompletedProcess[str]]:
        return asyncio.to_thread(cli, db_handle, settings, *args)

    saved_sql = "select count(*) as n from readings where sensor_id = $sensor"
    declare = ("--declare", "sensor:string=s1")
    # independent commands run side by side (each is a Python process: imports dominate)
    as_json, as_csv, forbidden, bad_range, no_tenant, trino, hive, created = await asyncio.gather(
        run("query", "--tenant", t.slug, sql, "--json"),
        run("query", "-t", str(t.id), "select * from readings", "-f", "csv", "--max-rows", "3"),
        run("query", "-t", t.slug, "select * from read_csv('/etc/passwd')"),
        run("query", "-t", t.slug, "select 1", "--start", "yesterday"),
        run("query", "-t", "no-such-tenant", "select 1"),
        run("catalog", "-t", t.slug, "--engine", "trino"),
        run("catalog", "-t", t.slug, "--engine", "hive"),
        run("saved", "create", "-t", t.slug, "--name", "per-sensor", saved_sql, *declare),
    )
    assert as_json.returncode == 0, as_json.stderr
    body = json.loads(as_json.stdout)
    assert body["rows"] == [["s1", 120, 4.0], ["s2", 120, 4.0]]
    assert body["truncated"] is False
    assert [c["name"] for c in body["columns"]] == ["sensor_id", "n", "v"]
    assert as_csv.returncode == 0, as_csv.stderr
    rows = list(csv.reader(io.StringIO(as_csv.stdout)))
    assert rows[0] == ["sensor_id", "ts", "value", "quality"]
    assert len(rows) == 4
    assert "truncated" in as_csv.stderr
    problem(forbidden, "forbidden_sql")
    problem(bad_range, "bad_time_range")
    problem(no_tenant, "tenant_not_found")
    assert trino.returncode == 0
    assert f"/readings/tenant={t.id}/'" in trino.stdout
    assert "partitioned_by" in trino.stdout
    problem(hive, "bad_parameters")
    assert created.returncode == 0, created.stderr

    listed, ran, missing = await asyncio.gather(
        run("saved", "list", "-t", t.slug, "--json"),
        run("saved", "run", "-t", t.slug, "per-sensor", "--param", "sensor=s2", "--json"),
        run("saved", "run", "-t", t.slug, "nope"),
    )
    assert [q["name"] for q in json.loads(listed.stdout)["items"]] == ["per-sensor"]
    assert ran.returncode == 0, ran.stderr
    assert json.loads(ran.stdout)["rows"] == [[120]]
    problem(missing, "saved_query_not_found")
    assert (await run("saved", "delete", "-t", t.slug, "per-sensor")).returncode == 0
