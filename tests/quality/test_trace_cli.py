"""`mip trace` against a real database: backward/forward/recall JSON, coc to a file, bench, errors."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import httpx
import pytest
from typer.testing import CliRunner

from mip.cli.trace import trace_app
from mip.runtime import Runtime
from tests.conftest import TenantKit
from tests.quality.isolation_trace import lot, post_ok, serial, uniq

runner = CliRunner()


@pytest.fixture
async def seeded(client: httpx.AsyncClient, tenant: TenantKit) -> dict[str, Any]:
    h = tenant.auth
    raw = await lot(client, h, 10, part_number="WIRE")
    top = await serial(client, h, part_number="HARNESS")
    body = {"parent_id": top["id"], "children": [{"id": raw["id"], "quantity": 2}]}
    await post_ok(client, "/genealogy/consume", h, body)
    number = uniq("SH")
    body = {"shipment_number": number, "customer": "Initech", "lines": [{"id": top["id"]}]}
    await post_ok(client, "/shipments", h, body)
    return {"raw": raw, "top": top, "number": number}


def test_cli_trace_recall_coc_and_bench(
    runtime: Runtime, seeded: dict[str, Any], tenant: TenantKit, monkeypatch: Any, tmp_path: Path
) -> None:
    raw, top, number = seeded["raw"], seeded["top"], seeded["number"]
    s = runtime.settings
    assert runtime.handle is not None
    monkeypatch.setenv("MIP_DATABASE_URL", runtime.handle.owner_url)
    monkeypatch.setenv("MIP_DATA_DIR", str(s.data_dir))
    monkeypatch.setenv("MIP_APP_DB_PASSWORD", s.app_db_password.get_secret_value())
    t = ["--tenant", tenant.slug]

    r = runner.invoke(trace_app, ["backward", top["serial_number"], *t, "--json"])
    assert r.exit_code == 0, r.stderr
    assert [n["number"] for n in json.loads(r.stdout)["nodes"]] == [raw["lot_number"]]
    r = runner.invoke(trace_app, ["forward", raw["lot_number"], *t])
    assert r.exit_code == 0, r.stderr
    assert top["serial_number"] in r.stdout
    r = runner.invoke(trace_app, ["recall", raw["lot_number"], *t, "--json"])
    assert r.exit_code == 0, r.stderr
    assert json.loads(r.stdout)["customers"] == ["Initech"]
    out = tmp_path / "coc.pdf"
    r = runner.invoke(trace_app, ["coc", number, "--serial", top["serial_number"], "--out", str(out), *t])
    assert r.exit_code == 0, r.stderr
    assert out.read_bytes().startswith(b"%PDF")
    assert json.loads(r.stdout)["bytes"] == out.stat().st_size
    r = runner.invoke(trace_app, ["bench", "--nodes", "500", "--fanout", "3", "--json"])
    assert r.exit_code == 0, r.stderr
    bench = json.loads(r.stdout)
    assert bench["trace"]["backward_root"]["nodes"] == 499
    # errors: problem JSON on stderr, exit 2
    r = runner.invoke(trace_app, ["backward", "NO-SUCH", *t, "--json"])
    assert r.exit_code == 2
    assert json.loads(r.stderr)["code"] == "trace_not_found"
    r = runner.invoke(trace_app, ["recall", raw["lot_number"], "--tenant", "no-such-tenant"])
    assert r.exit_code == 2
    r = runner.invoke(trace_app, ["coc", "NOPE", "--serial", "x", "--out", str(out), *t])
    assert r.exit_code == 2
