"""Inspection plans (versioned), gauges (overdue refusal), lot accept/reject per the Z1.4 plan, SPC feed, FAI."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx

from tests.conftest import MachineFactory, TenantKit
from tests.quality.isolation_inspection import Q, make_inspection, make_item, make_plan, plan_body


async def _results(client: httpx.AsyncClient, t: TenantKit, insp: dict, rows: list[dict]) -> httpx.Response:
    return await client.post(f"{Q}/inspections/{insp['id']}/results", headers=t.auth, json={"results": rows})


def _unit(u: int, bore: float, burrs: bool = True, **kw: Any) -> list[dict]:
    return [{"number": 1, "unit": u, "value": bore, **kw}, {"number": 2, "unit": u, "passed": burrs}]


async def test_plan_versions_limits_and_errors(client: httpx.AsyncClient, tenant: TenantKit) -> None:
    item = await make_item(client, tenant)
    p1 = await make_plan(client, tenant, item_id=item)
    assert (p1["revision"], p1["active"]) == (1, True)
    bore = p1["characteristics"][0]
    assert (bore["lsl"], bore["usl"]) == (9.95, 10.05)
    p2 = await make_plan(client, tenant, item_id=item, aql=1.0)
    assert p2["revision"] == 2
    assert (await client.get(f"{Q}/inspection-plans/{p1['id']}", headers=tenant.auth)).json()["active"] is False
    active = (await client.get(f"{Q}/inspection-plans", headers=tenant.auth,
                               params={"item_id": item, "active": True})).json()["items"]  # fmt: skip
    assert [p["revision"] for p in active] == [2]
    r = await client.post(f"{Q}/inspections", headers=tenant.auth, json={"plan_id": p1["id"], "lot_size": 10})
    assert r.status_code == 409  # superseded revision
    bad = [
        (plan_body("00000000-0000-7000-8000-000000000000"), 422, "quality_unknown_reference"),
        (plan_body(item, aql=0.3), 400, "quality_bad_input"),
        (plan_body(item, characteristics=[{"number": 1, "name": "x"}]), 422, "validation_failed"),
    ]
    for body, status, code in bad:
        r = await client.post(f"{Q}/inspection-plans", headers=tenant.auth, json=body)
        assert r.status_code == status, r.text
        assert r.json()["code"] == code
    r = await client.get(f"{Q}/inspection-plans/00000000-0000-7000-8000-000000000000", headers=tenant.auth)
    assert r.status_code == 404
    viewer = await client.get(f"{Q}/sampling", params={"lot_size": 1000, "aql": 1.0, "severity": "reduced"},
                              headers=tenant.auth)  # fmt: skip
    assert (viewer.json()["sample_size"], viewer.json()["ac"], viewer.json()["re"]) == (32, 1, 3)


async def test_lot_accepted_with_ac_defectives_and_rejected_at_re(client: httpx.AsyncClient, tenant: TenantKit) -> None:
    plan = await make_plan(client, tenant)  # AQL 6.5, lot 50, level II → D: n=8, Ac 1, Re 2
    insp = await make_inspection(client, tenant, plan)
    assert (insp["sampling"]["code_letter"], insp["sample_size"], insp["sampling"]["ac"]) == ("D", 8, 1)
    rows = [r for u in range(1, 8) for r in _unit(u, 10.0)] + _unit(8, 10.2)  # one defective (bore out)
    r = await _results(client, tenant, insp, rows[:6])
    assert r.json()["inspection"]["status"] == "open"
    r = await _results(client, tenant, insp, rows[6:])
    out = r.json()["inspection"]
    assert out["status"] == "accepted"
    assert out["tally"] == {"units_complete": 8, "units_inspected": 8, "defectives": 1, "critical_defectives": 0,
                            "defects": 1, "results": 16}  # fmt: skip
    assert (await _results(client, tenant, insp, _unit(1, 10.0))).json()["code"] == "inspection_closed"

    insp = await make_inspection(client, tenant, plan)
    r = await _results(client, tenant, insp, _unit(1, 9.9) + _unit(2, 10.0, burrs=False))
    assert r.json()["inspection"]["status"] == "rejected"  # 2 defectives = Re, before the sample is complete
    insp = await make_inspection(client, tenant, plan)
    r = await _results(client, tenant, insp, _unit(1, 10.0) + _unit(1, 10.0))
    assert r.status_code == 400
    r = await _results(client, tenant, insp, [{"number": 1, "unit": 9, "value": 10.0}])
    assert r.status_code == 400  # beyond the sample size
    r = await _results(client, tenant, insp, [{"number": 1, "unit": 1, "value": 10.0, "passed": False}])
    assert r.status_code == 400  # contradicts the limits
    r = await _results(client, tenant, insp, [{"number": 7, "unit": 1, "value": 10.0}])
    assert r.status_code == 422
    await _results(client, tenant, insp, [{"number": 1, "unit": 1, "value": 10.0}])
    r = await _results(client, tenant, insp, [{"number": 1, "unit": 1, "value": 10.0}])
    assert r.status_code == 409  # nothing is overwritten
    listed = (await client.get(f"{Q}/inspections/{insp['id']}/results", headers=tenant.auth)).json()["items"]
    assert [(x["number"], x["unit"], x["passed"]) for x in listed] == [(1, 1, True)]


async def test_critical_failure_rejects_the_lot(client: httpx.AsyncClient, tenant: TenantKit) -> None:
    chars = [{"number": 1, "name": "crack", "kind": "attribute", "classification": "critical"}]
    plan = await make_plan(client, tenant, characteristics=chars, aql=6.5)
    insp = await make_inspection(client, tenant, plan, lot_size=1000)  # J: n=80, Ac 10 at AQL 6.5
    r = await _results(client, tenant, insp, [{"number": 1, "unit": 5, "passed": False}])
    assert r.json()["inspection"]["status"] == "rejected"
    assert r.json()["inspection"]["tally"]["critical_defectives"] == 1


async def test_overdue_or_failed_gauge_is_refused(client: httpx.AsyncClient, tenant: TenantKit) -> None:
    plan = await make_plan(client, tenant)
    old = (datetime.now(UTC) - timedelta(days=400)).isoformat()
    g = await client.post(f"{Q}/gauges", headers=tenant.auth,
                          json={"code": "CAL-1", "name": "caliper", "gauge_type": "caliper", "interval_days": 365,
                                "last_calibrated_at": old})  # fmt: skip
    gauge = g.json()
    assert gauge["overdue"] is True
    insp = await make_inspection(client, tenant, plan)
    row = [{"number": 1, "unit": 1, "value": 10.0, "gauge_id": gauge["id"]}]
    r = await _results(client, tenant, insp, row)
    assert r.status_code == 409
    assert r.json()["code"] == "gauge_calibration_overdue"
    assert (await client.get(f"{Q}/inspections/{insp['id']}/results", headers=tenant.auth)).json()["items"] == []
    now = datetime.now(UTC).isoformat()
    r = await client.post(f"{Q}/gauges/{gauge['id']}/calibrations", headers=tenant.auth,
                          json={"calibrated_at": now, "result": "pass", "certificate": "C-77"})  # fmt: skip
    assert (r.json()["overdue"], len(r.json()["calibrations"])) == (False, 1)
    assert (await _results(client, tenant, insp, row)).status_code == 201
    await client.post(f"{Q}/gauges/{gauge['id']}/calibrations", headers=tenant.auth,
                      json={"calibrated_at": now, "result": "fail"})  # fmt: skip
    r = await _results(client, tenant, insp, [{**row[0], "unit": 2}])
    assert (r.status_code, r.json()["code"]) == (409, "gauge_calibration_overdue")
    assert "out of calibration" in r.json()["detail"]
    overdue = (await client.get(f"{Q}/gauges", headers=tenant.auth, params={"overdue": True})).json()
    assert [x["code"] for x in overdue] == ["CAL-1"]
    micrometer = (await client.post(f"{Q}/gauges", headers=tenant.auth, json={"code": "MIC", "name": "m",
                  "gauge_type": "micrometer", "interval_days": 30, "last_calibrated_at": now})).json()  # fmt: skip
    r = await _results(client, tenant, insp, [{**row[0], "unit": 3, "gauge_id": micrometer["id"]}])
    assert r.status_code == 422  # the characteristic needs a caliper


async def test_results_feed_the_linked_spc_chart(
    client: httpx.AsyncClient, tenant: TenantKit, make_machine: MachineFactory
) -> None:
    m = await make_machine(tenant.id)
    chart = (await client.post("/api/v1/quality/spc/charts", headers=tenant.auth,
             json={"name": "bore", "machine_id": str(m.machine_id), "settings": {"type": "imr"}})).json()  # fmt: skip
    chars = [{"number": 1, "name": "bore", "nominal": 10, "lsl": 9.9, "usl": 10.1, "spc_chart_id": chart["id"]}]
    plan = await make_plan(client, tenant, characteristics=chars)
    insp = await make_inspection(client, tenant, plan)
    r = await _results(client, tenant, insp, [{"number": 1, "unit": u, "value": 10 + u / 100} for u in (1, 2, 3)])
    assert r.json()["spc_subgroups"] == 3
    pts = (await client.get(f"/api/v1/quality/spc/charts/{chart['id']}/points", headers=tenant.auth)).json()
    assert [p["values"] for p in pts["items"]] == [[10.01], [10.02], [10.03]]


async def test_fai_forms_from_a_first_article_inspection(client: httpx.AsyncClient, tenant: TenantKit) -> None:
    plan = await make_plan(client, tenant)
    insp = await make_inspection(client, tenant, plan, lot_size=1, kind="first_article", serial="SN-1")
    await _results(client, tenant, insp, _unit(1, 10.07))
    nb = {"title": "bore oversize", "quantity": 1, "inspection_id": insp["id"]}
    ncr = (await client.post(f"{Q}/ncrs", headers=tenant.auth, json=nb)).json()
    body = {"item_id": plan["item_id"], "inspection_id": insp["id"],
            "form1": {"serial_number": "SN-1", "drawing_number": "D-100", "drawing_revision_level": "C"},
            "form2": {"materials": [{"name": "6061-T6", "specification_number": "AMS 4027", "supplier": "Alco",
                                     "certificate_of_conformance": "yes"}],
                      "special_processes": [{"name": "anodize", "specification_number": "MIL-A-8625"}],
                      "functional_tests": [{"name": "fit check", "acceptance_report_number": "FT-9"}]}}  # fmt: skip
    r = await client.post(f"{Q}/fai-reports", headers=tenant.auth, json=body)
    assert r.status_code == 201, r.text
    fai = r.json()
    assert fai["fai_number"] == "FAI-000001"
    f1 = (await client.get(f"{Q}/fai-reports/{fai['id']}/forms/1", headers=tenant.auth)).json()
    assert f1["rows"][0]["fai_report_number"] == "FAI-000001"
    assert f1["rows"][0]["drawing_number"] == "D-100"
    assert f1["rows"][0]["part_name"] == "bracket"
    f2 = (await client.get(f"{Q}/fai-reports/{fai['id']}/forms/2", headers=tenant.auth)).json()
    assert [(x["section"], x["name"]) for x in f2["rows"]] == [
        ("materials", "6061-T6"), ("special_processes", "anodize"), ("functional_tests", "fit check")]  # fmt: skip
    f3 = (await client.get(f"{Q}/fai-reports/{fai['id']}/forms/3", headers=tenant.auth)).json()
    assert [(x["char_no"], x["bubble"], x["requirement"], x["results"], x["nonconformance_number"])
            for x in f3["rows"]] == [(1, "1", "10 +0.05/-0.05 mm", "10.07", ncr["ncr_number"]),
                                     (2, "2A", "burrs: pass/fail (visual)", "pass", "")]  # fmt: skip
    r = await client.get(f"{Q}/fai-reports/{fai['id']}/forms/3", headers=tenant.auth, params={"format": "csv"})
    assert r.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(r.text)))
    assert rows[0]["char_no"] == "1"
    assert rows[0]["designed_tooling"] == "False"
    assert (await client.get(f"{Q}/fai-reports/{fai['id']}/forms/4", headers=tenant.auth)).status_code == 422
    r = await client.post(f"{Q}/fai-reports", headers=tenant.auth, json={"item_id": plan["item_id"]})
    assert r.status_code == 400
