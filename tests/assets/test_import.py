"""Bulk import (YAML and CSV) over HTTP: upsert by path, idempotence, all-or-nothing, line-numbered errors."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from mip.assets.errors import ImportInvalid
from mip.assets.importer import AssetDocument, MachineSpec, SensorSpec, SiteSpec, import_document, parse_csv, parse_yaml
from mip.platform.db import Database
from mip.sim.plant import build_plant
from tests.assets.helpers import assert_problem, post
from tests.conftest import TenantFactory, TenantKit

A = "/api/v1/assets"
S = "/api/v1/sensors"
YAML = {"content-type": "application/yaml"}
CSV = {"content-type": "text/csv"}

DOC = """\
sites:
  - name: plant-1
    timezone: Europe/Berlin        # optional
    areas:
      - name: machining
        lines:
          - name: line-1
            machines:
              - name: cnc-01
                sensors:
                  - {name: spindle_temp, kind: temperature, unit: degC, sample_rate_hz: 1, high_limit: 85, safety: true}
                  - {name: vibration, kind: vibration, unit: mm/s, sample_rate_hz: 10, low_limit: 0, high_limit: 7.1}
              - name: cnc-02
  - name: plant-2
"""

CSV_DOC = """\
site,area,line,machine,sensor,kind,unit,sample_rate_hz,low_limit,high_limit,safety
plant-1,machining,line-1,cnc-01,spindle_temp,temperature,degC,1,,85,yes
plant-1,machining,line-1,cnc-01,pressure,pressure,bar,2.5,1,10,0

plant-1,machining,line-1,cnc-02,,,,,,,
plant-1,assembly,,,,,,,,,
"""


async def _import(
    client: httpx.AsyncClient, kit: TenantKit, text: str, ctype: dict[str, str], **params: Any
) -> httpx.Response:
    return await client.post(f"{A}/import", headers={**kit.auth, **ctype}, content=text.encode(), params=params)


async def _paths(client: httpx.AsyncClient, kit: TenantKit) -> list[str]:
    assets = (await client.get(A, headers=kit.auth, params={"limit": 1000})).json()["items"]
    sensors = (await client.get(S, headers=kit.auth, params={"limit": 1000})).json()["items"]
    return sorted([a["path"] for a in assets] + [s["path"] for s in sensors])


async def test_given_yaml_document_when_imported_then_hierarchy_and_sensors_exist(
    client: httpx.AsyncClient, tenant: TenantKit
) -> None:
    r = await _import(client, tenant, DOC, YAML)
    assert r.status_code == 200, r.text
    counts = r.json()
    assert {k: counts[k] for k in ("sites", "areas", "lines", "machines", "sensors")} == {
        "sites": 2,
        "areas": 1,
        "lines": 1,
        "machines": 2,
        "sensors": 2,
    }
    assert (counts["created"], counts["updated"], counts["unchanged"], counts["dry_run"]) == (8, 0, 0, False)
    assert await _paths(client, tenant) == [
        "plant-1",
        "plant-1/machining",
        "plant-1/machining/line-1",
        "plant-1/machining/line-1/cnc-01",
        "plant-1/machining/line-1/cnc-01/spindle_temp",
        "plant-1/machining/line-1/cnc-01/vibration",
        "plant-1/machining/line-1/cnc-02",
        "plant-2",
    ]
    temp = (await client.get(S, headers=tenant.auth, params={"q": "spindle"})).json()["items"][0]
    assert (temp["kind"], temp["unit"], temp["sample_rate_hz"], temp["high_limit"], temp["safety"]) == (
        "temperature",
        "degC",
        1.0,
        85.0,
        True,
    )
    assert temp["low_limit"] is None
    site = (await client.get(A, headers=tenant.auth, params={"kind": "site", "q": "plant-1"})).json()["items"][0]
    assert site["timezone"] == "Europe/Berlin"


async def test_given_same_yaml_twice_then_nothing_duplicated_and_changes_are_updates(
    client: httpx.AsyncClient, tenant: TenantKit
) -> None:
    first = await _import(client, tenant, DOC, YAML)
    ids_before = {a["path"]: a["id"] for a in (await client.get(A, headers=tenant.auth)).json()["items"]}
    again = await _import(client, tenant, DOC, YAML)
    assert again.status_code == 200
    assert (again.json()["created"], again.json()["updated"], again.json()["unchanged"]) == (0, 0, 8)
    ids_after = {a["path"]: a["id"] for a in (await client.get(A, headers=tenant.auth)).json()["items"]}
    assert ids_after == ids_before
    assert len(await _paths(client, tenant)) == first.json()["created"]
    changed = DOC.replace("high_limit: 85", "high_limit: 90").replace("cnc-02", "cnc-03")
    r = await _import(client, tenant, changed, YAML)
    assert (r.json()["created"], r.json()["updated"], r.json()["unchanged"]) == (1, 1, 6)
    temp = (await client.get(S, headers=tenant.auth, params={"q": "spindle"})).json()["items"][0]
    assert temp["high_limit"] == 90


async def test_given_assets_made_by_api_when_importing_then_matched_by_path(
    client: httpx.AsyncClient, tenant: TenantKit
) -> None:
    site = await post(client, tenant, A, {"kind": "site", "name": "plant-1", "description": "made by hand"})
    r = await _import(client, tenant, DOC, YAML)
    assert r.json()["created"] == 7
    assert r.json()["updated"] == 1  # the timezone was set by the document
    got = (await client.get(f"{A}/{site['id']}", headers=tenant.auth)).json()
    assert got["timezone"] == "Europe/Berlin"
    assert got["description"] == "made by hand"  # a field the document leaves out keeps its value


async def test_given_simulator_plant_yaml_then_imports_idempotently(
    client: httpx.AsyncClient, tenant: TenantKit
) -> None:
    text = build_plant(7, sites=2).to_asset_yaml()
    first = (await _import(client, tenant, text, YAML)).json()
    assert first["sites"] == 2
    assert first["sensors"] == first["machines"] * 5
    assert first["created"] == sum(first[k] for k in ("sites", "areas", "lines", "machines", "sensors"))
    second = (await _import(client, tenant, text, {"content-type": "text/yaml; charset=utf-8"})).json()
    assert second["created"] == 0
    assert second["unchanged"] == first["created"]


async def test_given_yaml_with_many_errors_then_all_reported_by_line_and_nothing_written(
    client: httpx.AsyncClient, tenant: TenantKit
) -> None:
    doc = """\
sites:
  - name: good-site
    areas:
      - name: bad area
        lines:
          - name: line-1
            machines:
              - name: m1
                sensors:
                  - {name: t1, kind: smell}
                  - name: t2
                    sample_rate_hz: 0
                    low_limit: 9
                  - {name: t3, low_limit: 9, high_limit: 1}
                  - {name: t1}
              - name: m2
                colour: red
  - name: plant-x
    timezone: Mars/Base
"""
    r = await _import(client, tenant, doc, YAML)
    body = assert_problem(r, 422, "import_invalid")
    lines = [e["line"] for e in body["errors"]]
    assert lines == [4, 10, 12, 14, 15, 17, 19]
    messages = " | ".join(e["message"] for e in body["errors"])
    for fragment in ("bad area", "smell", "greater than 0", "low_limit (9) must be below", "duplicate sensor"):
        assert fragment in messages
    assert "unknown key 'colour'" in messages
    assert "Mars/Base" in messages
    assert await _paths(client, tenant) == []


async def test_given_broken_yaml_syntax_then_error_has_line(client: httpx.AsyncClient, tenant: TenantKit) -> None:
    r = await _import(client, tenant, "sites:\n  - name: a\n    areas: [\n  - oops: {\n", YAML)
    body = assert_problem(r, 422, "import_invalid")
    assert len(body["errors"]) == 1
    assert body["errors"][0]["line"] >= 3
    assert body["errors"][0]["message"].startswith("YAML syntax")
    assert_problem(await _import(client, tenant, "", YAML), 422, "import_invalid")
    r = await _import(client, tenant, "base: &b {name: x}\nsites: [*b, *b]\n", YAML)
    assert "aliases" in assert_problem(r, 422, "import_invalid")["errors"][0]["message"]


async def test_given_existing_limits_when_document_breaks_them_then_422_at_that_line(
    client: httpx.AsyncClient, tenant: TenantKit
) -> None:
    assert (await _import(client, tenant, DOC, YAML)).status_code == 200
    doc = DOC.replace("high_limit: 85, safety: true", "low_limit: 5").replace("high_limit: 7.1}", "}")
    assert (await _import(client, tenant, doc, YAML)).status_code == 200  # left-out fields keep their values
    bad = DOC.replace("high_limit: 85, safety: true", "low_limit: 99")  # stored high_limit is 85
    body = assert_problem(await _import(client, tenant, bad, YAML), 422, "import_invalid")
    assert [e["line"] for e in body["errors"]] == [11]
    temp = (await client.get(S, headers=tenant.auth, params={"q": "spindle"})).json()["items"][0]
    assert (temp["low_limit"], temp["high_limit"]) == (5, 85)


async def test_given_csv_when_imported_twice_then_created_once(client: httpx.AsyncClient, tenant: TenantKit) -> None:
    r = await _import(client, tenant, CSV_DOC, CSV)
    assert r.status_code == 200, r.text
    counts = r.json()
    assert (counts["sites"], counts["areas"], counts["lines"], counts["machines"], counts["sensors"]) == (1, 2, 1, 2, 2)
    assert counts["created"] == 8
    assert "plant-1/assembly" in await _paths(client, tenant)
    sensors = {s["name"]: s for s in (await client.get(S, headers=tenant.auth)).json()["items"]}
    assert sensors["spindle_temp"]["low_limit"] is None
    assert sensors["spindle_temp"]["safety"] is True
    assert (sensors["pressure"]["sample_rate_hz"], sensors["pressure"]["safety"]) == (2.5, False)
    again = (await _import(client, tenant, CSV_DOC, CSV)).json()
    assert (again["created"], again["updated"], again["unchanged"]) == (0, 0, 8)
    # in CSV an empty cell means the default: clearing a limit is an update
    r = await _import(client, tenant, CSV_DOC.replace("1,10,0", "1,,0"), CSV)
    assert r.json()["updated"] == 1
    assert (await client.get(f"{S}/{sensors['pressure']['id']}", headers=tenant.auth)).json()["high_limit"] is None


async def test_given_csv_with_errors_then_every_bad_line_reported_and_nothing_written(
    client: httpx.AsyncClient, tenant: TenantKit
) -> None:
    doc = (
        "site,area,line,machine,sensor,kind,unit,sample_rate_hz,low_limit,high_limit,safety\n"
        "plant-1,machining,line-1,cnc-01,t1,temperature,degC,1,,85,true\n"  # 2: fine
        'plant-1,machining,line-1,cnc-01,t2,temperature,"deg\nC",1,,85,true\n'  # 3-4: fine, two lines
        "plant-1,machining,line-1,cnc-01,t3,warp,,1,,,\n"  # 5: unknown kind
        "plant-1,,line-1,cnc-01,t4,,,,,,\n"  # 6: gap in the hierarchy
        "plant-1,machining,line-1,cnc-01,t1,,,,,,\n"  # 7: duplicate sensor
        "plant-1,machining,line-1,cnc-01,t5,,,abc,,,\n"  # 8: rate not a number
        "plant-1,machining,line-1,cnc-01,t6,,,,5,1,\n"  # 9: low >= high
        "plant-1,machining,line-1,cnc-01,t7,,,,,,maybe\n"  # 10: safety
        "plant-1,machining\n"  # 11: too few fields
        "plant-1,machining,line-1,,,other,,,,,\n"  # 12: sensor fields without a sensor
        "plant 1,machining,line-1,cnc-01,,,,,,,\n"  # 13: bad site name
    )
    body = assert_problem(await _import(client, tenant, doc, CSV), 422, "import_invalid")
    assert [e["line"] for e in body["errors"]] == [5, 6, 7, 8, 9, 10, 11, 12, 13]
    assert body["error_count"] == 9
    assert await _paths(client, tenant) == []


async def test_given_bad_csv_header_then_422_line_1(client: httpx.AsyncClient, tenant: TenantKit) -> None:
    body = assert_problem(await _import(client, tenant, "site,area,machine,colour\nx,y,z,red\n", CSV), 422)
    assert body["errors"][0]["line"] == 1
    assert "header" in body["errors"][0]["message"]


async def test_given_dry_run_then_counts_but_nothing_written(client: httpx.AsyncClient, tenant: TenantKit) -> None:
    r = await _import(client, tenant, DOC, YAML, dry_run="true")
    assert r.status_code == 200
    assert (r.json()["created"], r.json()["dry_run"]) == (8, True)
    assert await _paths(client, tenant) == []
    bad = await _import(client, tenant, DOC.replace("cnc-02", "cnc 02"), YAML, dry_run="true")
    assert_problem(bad, 422, "import_invalid")
    real = await _import(client, tenant, CSV_DOC, CSV)
    dry = await _import(client, tenant, CSV_DOC.replace("85,yes", "86,yes"), CSV, dry_run=True)
    assert (dry.json()["created"], dry.json()["updated"]) == (0, 1)
    assert len(await _paths(client, tenant)) == real.json()["created"]


@pytest.mark.parametrize("ctype", ["application/json", "text/plain", ""])
async def test_given_unsupported_content_type_then_415(
    client: httpx.AsyncClient, tenant: TenantKit, ctype: str
) -> None:
    r = await _import(client, tenant, DOC, {"content-type": ctype})
    assert_problem(r, 415, "unsupported_media_type")


async def test_given_tenant_b_has_same_paths_when_a_imports_then_b_untouched(
    client: httpx.AsyncClient, make_tenant: TenantFactory
) -> None:
    a = await make_tenant()
    b = await make_tenant()
    assert (await _import(client, b, DOC, YAML)).json()["created"] == 8
    b_before = (await client.get(A, headers=b.auth)).json()["items"]
    r = await _import(client, a, DOC.replace("high_limit: 85", "high_limit: 1"), YAML)
    assert r.json()["created"] == 8  # B's rows are invisible to A, so A gets its own
    assert (await client.get(A, headers=b.auth)).json()["items"] == b_before
    b_temp = (await client.get(S, headers=b.auth, params={"q": "spindle"})).json()["items"][0]
    assert b_temp["high_limit"] == 85
    a_ids = {x["id"] for x in (await client.get(A, headers=a.auth)).json()["items"]}
    assert not a_ids & {x["id"] for x in b_before}


def test_given_parsers_then_documents_carry_source_lines() -> None:
    doc = parse_yaml(DOC)
    machine = doc.sites[0].areas[0].lines[0].machines[0]
    assert (machine.line, machine.sensors[1].line) == (9, 12)
    rows = parse_csv(CSV_DOC)
    assert rows.sites[0].areas[0].lines[0].machines[1].line == 5
    with pytest.raises(ImportInvalid) as exc:
        parse_csv("")
    assert exc.value.errors[0]["line"] == 1


async def test_given_document_built_in_code_then_imported_and_duplicates_rejected(
    client: httpx.AsyncClient, tenant: TenantKit, db: Database
) -> None:
    doc = AssetDocument.model_validate(
        {"sites": [{"name": "p", "areas": [{"name": "a", "lines": [{"name": "l", "machines": [{"name": "m"}]}]}]}]}
    )
    machine: MachineSpec = doc.sites[0].areas[0].lines[0].machines[0]
    machine.sensors.append(SensorSpec(name="t", kind="temperature", high_limit=5))
    async with db.tenant_tx(tenant.id) as conn:
        counts = await import_document(conn, tenant.id, doc)
    assert (counts["machines"], counts["sensors"], counts["created"]) == (1, 1, 5)
    assert await _paths(client, tenant) == ["p", "p/a", "p/a/l", "p/a/l/m", "p/a/l/m/t"]
    twice = AssetDocument(sites=[SiteSpec(name="q"), SiteSpec(name="q")])
    with pytest.raises(ImportInvalid) as exc:
        async with db.tenant_tx(tenant.id) as conn:
            await import_document(conn, tenant.id, twice)
    assert "duplicate site 'q'" in exc.value.errors[0]["message"]
    assert "q" not in await _paths(client, tenant)
