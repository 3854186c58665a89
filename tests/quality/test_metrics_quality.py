"""Quality metrics against hand-computed values: FPY, DPMO, PPM (overall, by supplier/part/line), scrap and
rework rates, daily and weekly buckets."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from tests.conftest import MachineFactory, TenantKit
from tests.quality.isolation_inspection import Q, make_inspection, make_plan


async def test_metrics_hand_computed(
    client: httpx.AsyncClient, tenant: TenantKit, make_machine: MachineFactory
) -> None:
    await make_machine(tenant.id)
    assets = (await client.get("/api/v1/assets", headers=tenant.auth, params={"limit": 100})).json()["items"]
    line = next(a for a in assets if a["kind"] == "line")
    auth = tenant.auth
    s1 = (await client.post(f"{Q}/suppliers", headers=auth, json={"code": "S1", "name": "one"})).json()["id"]
    s2 = (await client.post(f"{Q}/suppliers", headers=auth, json={"code": "S2", "name": "two"})).json()["id"]
    plan = await make_plan(client, tenant)

    async def inspect(day: str, lot: int, sup: str, units: list[tuple[bool, bool]], **kw: Any) -> None:
        insp = await make_inspection(client, tenant, plan, lot_size=lot, supplier_id=sup, kind="receiving",
                                     inspected_at=f"{day}T10:00:00Z", **kw)  # fmt: skip
        rows = [r for u, (bore_ok, burrs_ok) in enumerate(units, 1)
                for r in ({"number": 1, "unit": u, "value": 10.0 if bore_ok else 10.5},
                          {"number": 2, "unit": u, "passed": burrs_ok})]  # fmt: skip
        r = await client.post(f"{Q}/inspections/{insp['id']}/results", headers=auth, json={"results": rows})
        assert r.status_code == 201, r.text

    ok = (True, True)
    await inspect("2024-03-04", 50, s1, [(False, True), (False, False), *[ok] * 6], line_id=line["id"])
    await inspect("2024-03-05", 20, s2, [ok] * 8)
    await inspect("2024-03-12", 50, s1, [(False, True), ok], line_id=line["id"])

    async def ncr(day: str, qty: float, disposition: str | None, dqty: float) -> None:
        n = (await client.post(f"{Q}/ncrs", headers=auth, json={"title": "x", "quantity": qty,
             "detected_at": f"{day}T12:00:00Z"})).json()  # fmt: skip
        if disposition:
            body = {"disposition": disposition, "quantity": dqty, "expected_version": 1}
            r = await client.post(f"{Q}/ncrs/{n['id']}/disposition", headers=auth, json=body)
            assert r.json()["status"] == "dispositioned"

    await ncr("2024-03-04", 5, "scrap", 4)
    await ncr("2024-03-12", 3, "rework", 3)
    await ncr("2024-03-12", 9, None, 0)  # not dispositioned: not counted

    rng = {"start": "2024-03-01T00:00:00Z", "end": "2024-03-31T00:00:00Z"}
    m = (await client.get(f"{Q}/metrics", headers=auth, params=rng)).json()
    t = m["totals"]
    assert (t["units_inspected"], t["units_first_pass"], t["defects"], t["opportunities"]) == (18, 15, 4, 36)
    assert t["first_pass_yield"] == pytest.approx(15 / 18, abs=1e-6)
    assert t["dpmo"] == pytest.approx(4 / 36 * 1e6, abs=1e-3)
    assert t["ppm"] == pytest.approx(3 / 18 * 1e6, abs=1e-3)
    assert (t["quantity"], t["scrap_quantity"], t["rework_quantity"]) == (120, 4, 3)
    assert t["scrap_rate"] == pytest.approx(4 / 120, abs=1e-6)
    assert t["rework_rate"] == pytest.approx(3 / 120, abs=1e-6)
    days = [(b["start"][:10], b["units_inspected"], b["units_first_pass"], b["scrap_rate"], b["rework_rate"])
            for b in m["trend"]]  # fmt: skip
    assert days == [("2024-03-04", 8, 6, 0.08, 0.0), ("2024-03-05", 8, 8, 0.0, 0.0),
                    ("2024-03-12", 2, 1, 0.0, 0.06)]  # fmt: skip
    w = (await client.get(f"{Q}/metrics", headers=auth, params={**rng, "bucket": "week"})).json()["trend"]
    assert [(b["start"][:10], b["units_inspected"], b["units_first_pass"], b["quantity"]) for b in w] == [
        ("2024-03-04", 16, 14, 70), ("2024-03-11", 2, 1, 50)]  # fmt: skip

    sup = (await client.get(f"{Q}/metrics/ppm", headers=auth, params={**rng, "by": "supplier"})).json()["items"]
    assert [(x["label"], x["units_inspected"], x["ppm"]) for x in sup] == [("S1", 10, 300000.0), ("S2", 8, 0.0)]
    lines = (await client.get(f"{Q}/metrics/ppm", headers=auth, params={**rng, "by": "line"})).json()["items"]
    assert [(x["label"], x["ppm"]) for x in lines] == [(line["path"], 300000.0), ("(none)", 0.0)]
    part = (await client.get(f"{Q}/metrics/ppm", headers=auth, params={**rng, "by": "part"})).json()["items"]
    assert [(x["units_inspected"], x["defective_units"]) for x in part] == [(18, 3)]

    empty = (await client.get(f"{Q}/metrics", headers=auth, params={"start": "2020-01-01T00:00:00Z",
             "end": "2020-02-01T00:00:00Z"})).json()  # fmt: skip
    assert (empty["totals"]["first_pass_yield"], empty["trend"]) == (None, [])
    bad = await client.get(f"{Q}/metrics", headers=auth, params={"start": rng["end"], "end": rng["start"]})
    assert (bad.status_code, bad.json()["code"]) == (400, "quality_bad_input")
    assert (await client.get(f"{Q}/metrics/ppm", headers=auth, params={"by": "shift"})).status_code == 422
