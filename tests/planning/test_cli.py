"""`mip plan` against the test database (subprocess): import, export, explode, where-used, MRP; errors as
JSON problems with exit code 2."""

from __future__ import annotations

import json
from pathlib import Path

import httpx

from mip.platform.database_setup import DatabaseHandle
from tests.cli_helpers import ok, run
from tests.conftest import TenantFactory
from tests.planning.fixtures import P, build_bike


async def test_plan_cli(
    client: httpx.AsyncClient, make_tenant: TenantFactory, db_handle: DatabaseHandle, tmp_path: Path
) -> None:
    a, b = await make_tenant(), await make_tenant()
    await build_bike(client, a.auth)
    await client.post(
        f"{P}/orders",
        headers=a.auth,
        json={"order_no": "SO-1", "part_number": "BIKE", "quantity": 1, "due_date": "2025-02-01"},
    )
    out = run(db_handle, "plan", "bom", "export", "--tenant", a.slug)
    assert out.returncode == 0, out.stderr
    f = tmp_path / "boms.csv"
    f.write_text(out.stdout)
    assert ok(db_handle, "plan", "bom", "import", str(f), "--tenant", b.slug)["boms_created"] == 5
    assert run(db_handle, "plan", "bom", "export", "--tenant", b.slug).stdout == out.stdout

    ex = ok(db_handle, "plan", "bom", "explode", "BIKE", "--as-of", "2025-01-01", "--tenant", a.slug, "--json")
    assert {r["part_number"]: r["total_qty"] for r in ex["summary"]}["SPOKE"] == 79.6
    wu = ok(db_handle, "plan", "where-used", "HUB", "--tenant", a.slug, "--json")
    assert wu["rows"][-1]["path"] == "HUB / HUB-KIT / WHEEL / BIKE"
    mrp = ok(db_handle, "plan", "mrp", "run", "--as-of", "2025-01-01", "--tenant", a.slug, "--json")
    assert mrp["outputs"]["planned_work_orders"] == 3
    assert {o["part_number"] for o in mrp["planned_orders"]} >= {"BIKE", "FRAME", "WHEEL", "SPOKE"}

    unknown = run(db_handle, "plan", "bom", "explode", "NOPE", "--tenant", a.slug, "--json")
    assert unknown.returncode == 2
    assert json.loads(unknown.stderr)["code"] == "unknown_item"
    bad_date = run(db_handle, "plan", "bom", "explode", "BIKE", "--as-of", "tomorrow", "--tenant", a.slug)
    assert bad_date.returncode == 2
    assert "not a date" in json.loads(bad_date.stderr)["detail"]
    broken = tmp_path / "broken.csv"
    broken.write_text("record,part_number,make_buy\nitem,X,sometimes\n")
    failed = run(db_handle, "plan", "bom", "import", str(broken), "--tenant", b.slug)
    assert failed.returncode == 2
    assert json.loads(failed.stderr)["errors"][0]["row"] == 2
