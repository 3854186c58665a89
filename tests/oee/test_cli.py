"""``mip oee report`` and ``mip oee rollup`` (run as a subprocess against the test database)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from mip.oee.calendar import HOUR_NS
from mip.platform.database_setup import DatabaseHandle
from mip.platform.db import Database
from mip.platform.timeutil import ns_to_rfc3339
from tests.conftest import TenantFactory
from tests.oee.helpers import configure, make_plant, night_start, write_night

TZ = "Asia/Tokyo"
APP = "from mip.cli.oee import oee_app; oee_app(prog_name='mip oee')"


def oee(handle: DatabaseHandle, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "DATABASE_URL": handle.owner_url, "MIP_LOG_LEVEL": "WARNING"}
    return subprocess.run(
        [sys.executable, "-c", APP, *args], capture_output=True, text=True, timeout=120, env=env, check=False
    )


def ok(handle: DatabaseHandle, *args: str) -> Any:
    out = oee(handle, *args)
    assert out.returncode == 0, out.stderr
    return json.loads(out.stdout) if "--json" in args or args[0] == "rollup" else out.stdout


async def test_given_cli_then_report_as_json_and_table_and_rollup(
    db: Database, db_handle: DatabaseHandle, make_tenant: TenantFactory
) -> None:
    t = await make_tenant()
    p = await make_plant(db, t.id, TZ, site="cli-site")
    await configure(db, p)
    day = datetime.now(ZoneInfo(TZ)).date() - timedelta(days=2)  # in the past: the CLI reports up to now
    await write_night(db, p, night_start(p, day))
    path = "cli-site/area/line/m1"
    shift = str(p.shifts["night"])
    report = ok(
        db_handle, "report", "-t", t.slug, "--machine", path, "--date", day.isoformat(), "--shift", shift, "--json"
    )
    assert report["machine_id"] == str(p.machines["m1"])
    assert (report["totals"]["availability"], report["totals"]["total_count"]) == (360 / 450, 720)
    line = ok(db_handle, "report", "-t", t.slug, "--line", str(p.line), "--date", day.isoformat(), "--json")
    assert [m["name"] for m in line["machines"]] == ["m1", "m2"]
    table = ok(db_handle, "report", "-t", t.slug, "-m", path, "--date", day.isoformat(), "--shift", shift)
    assert "night" in table
    assert " 80.0%" in table  # availability 360 / 450
    now = time.time_ns()
    stats = ok(db_handle, "rollup", "-t", t.slug, "--from", ns_to_rfc3339(now - 3 * HOUR_NS), "--to", str(now))
    assert stats["machines"] == 2
    assert stats["rollup_rows"] >= 2 * 2


def test_given_bad_cli_input_then_problem_json_on_stderr_and_exit_2(db_handle: DatabaseHandle) -> None:
    for args in (
        ("report", "-t", "whoever", "--from", "yesterday", "-m", "x"),
        ("report", "-t", "whoever"),
        ("report", "-t", "whoever", "-m", "x", "--from", "2030-01-02T00:00:00Z", "--to", "2030-01-01T00:00:00Z"),
        ("report", "-t", "whoever", "-m", "x", "--date", "2030-01-01", "--shift", "not-an-id"),
        ("report", "-t", "whoever", "-m", "x", "--date", "2030-02-30"),
    ):
        out = oee(db_handle, *args)
        assert out.returncode == 2, (args, out.stderr)
        assert json.loads(out.stderr)["code"] == "invalid_oee_input"
    out = oee(db_handle, "report", "-t", "no-such-tenant", "-m", "x")
    assert out.returncode == 2
    assert json.loads(out.stderr)["status"] == 404
