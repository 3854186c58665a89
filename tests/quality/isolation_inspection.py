"""Cross-tenant cases for every quality inspection route (same contract as tests/assets/isolation_cases.py), and
the small data factories the inspection/NCR/metrics tests share."""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable
from typing import Any

Q = "/api/v1/quality"


async def make_item(client: Any, kit: Any, part: str | None = None) -> str:
    """An item through the planning API."""
    body = {"part_number": part or f"P-{uuid.uuid4().hex[:8]}", "description": "bracket", "make_buy": "make"}
    r = await client.post("/api/v1/planning/items", headers=kit.auth, json=body)
    assert r.status_code == 201, r.text
    return str(r.json()["id"])


def plan_body(item_id: str, **kw: Any) -> dict[str, Any]:
    return {
        "item_id": item_id,
        "operation": kw.pop("operation", "OP20"),
        "name": "bracket final",
        "aql": kw.pop("aql", 6.5),
        "characteristics": kw.pop("characteristics", [
            {"number": 1, "bubble": "1", "name": "bore", "nominal": 10.0, "tol_lower": -0.05, "tol_upper": 0.05,
             "unit": "mm", "gauge_type": "caliper"},
            {"number": 2, "bubble": "2A", "name": "burrs", "kind": "attribute", "method": "visual",
             "classification": "minor"},
        ]),
        **kw,
    }  # fmt: skip


async def make_plan(client: Any, kit: Any, **kw: Any) -> dict[str, Any]:
    item = kw.pop("item_id", None) or await make_item(client, kit)
    r = await client.post(f"{Q}/inspection-plans", headers=kit.auth, json=plan_body(item, **kw))
    assert r.status_code == 201, r.text
    return dict(r.json())


async def make_inspection(client: Any, kit: Any, plan: dict[str, Any], lot_size: int = 50, **kw: Any) -> dict:
    body = {"plan_id": plan["id"], "lot_ref": "LOT-1", "lot_size": lot_size, **kw}
    r = await client.post(f"{Q}/inspections", headers=kit.auth, json=body)
    assert r.status_code == 201, r.text
    return dict(r.json())


async def _b_world(w: Any) -> dict[str, Any]:
    """B's objects: a supplier, plan, gauge, inspection (with a result), FAI report, NCR and CAPA."""
    if getattr(w, "_qi", None):
        return w._qi  # type: ignore[no-any-return]
    c, b = w.client, w.b
    sup = (await c.post(f"{Q}/suppliers", headers=b.auth, json={"code": "S-B", "name": "B supplier"})).json()
    plan = await make_plan(c, b)
    g = {"code": "G-B", "name": "caliper", "gauge_type": "caliper", "interval_days": 365,
         "last_calibrated_at": "2020-01-01T00:00:00Z"}  # fmt: skip
    gauge = (await c.post(f"{Q}/gauges", headers=b.auth, json=g)).json()
    insp = await make_inspection(c, b, plan)
    r = await c.post(f"{Q}/inspections/{insp['id']}/results", headers=b.auth,
                     json={"results": [{"number": 2, "unit": 1, "passed": True}]})  # fmt: skip
    assert r.status_code == 201, r.text
    fai = (await c.post(f"{Q}/fai-reports", headers=b.auth, json={"item_id": plan["item_id"],
           "inspection_id": insp["id"]})).json()  # fmt: skip
    ncr = (await c.post(f"{Q}/ncrs", headers=b.auth, json={"title": "b", "quantity": 1})).json()
    capa = (await c.post(f"{Q}/capas", headers=b.auth, json={"title": "b", "ncr_ids": [ncr["id"]]})).json()
    w._qi = {"supplier": sup["id"], "plan": plan["id"], "item": plan["item_id"], "gauge": gauge["id"],
             "inspection": insp["id"], "fai": fai["id"], "ncr": ncr["id"], "capa": capa["id"]}  # fmt: skip
    return w._qi  # type: ignore[no-any-return]


def register_quality_inspection_cases(
    case: Callable[[str, str], Any], is_404: Callable[[Any], Awaitable[None]]
) -> None:
    """Register one case per route."""

    def get404(path: str, key: str) -> None:
        @case("GET", f"{Q}{path}")
        async def _get(w: Any) -> None:
            ids = await _b_world(w)
            await is_404(await w.client.get(f"{Q}{path}".replace("{" + key + "_id}", str(ids[key])), headers=w.a.auth))

    for path, key in [("/inspection-plans/{plan_id}", "plan"), ("/gauges/{gauge_id}", "gauge"),
                      ("/inspections/{inspection_id}", "inspection"), ("/inspections/{inspection_id}/results",
                      "inspection"), ("/fai-reports/{fai_id}", "fai"), ("/ncrs/{ncr_id}", "ncr"),
                      ("/ncrs/{ncr_id}/events", "ncr"), ("/capas/{capa_id}", "capa"),
                      ("/capas/{capa_id}/events", "capa")]:  # fmt: skip
        get404(path, key)

    def listing(path: str, key: str, field: str = "items") -> None:
        @case("GET", f"{Q}{path}")
        async def _list(w: Any) -> None:
            ids = await _b_world(w)
            body = (await w.client.get(f"{Q}{path}", headers=w.a.auth)).json()
            rows = body if field == "" else body[field]
            assert str(ids[key]) not in {x["id"] for x in rows}

    for path, key, field in [("/suppliers", "supplier", ""), ("/inspection-plans", "plan", "items"),
                             ("/gauges", "gauge", ""), ("/inspections", "inspection", "items"),
                             ("/ncrs", "ncr", "items"), ("/capas", "capa", "items")]:  # fmt: skip
        listing(path, key, field)

    @case("GET", f"{Q}/sampling")
    async def _sampling(w: Any) -> None:  # stateless
        r = await w.client.get(f"{Q}/sampling", headers=w.a.auth, params={"lot_size": 1000, "aql": 1.0})
        assert r.json()["sample_size"] == 80

    @case("POST", f"{Q}/suppliers")
    async def _create_supplier(w: Any) -> None:
        await _b_world(w)
        r = await w.client.post(f"{Q}/suppliers", headers=w.a.auth, json={"code": "S-B", "name": "mine"})
        assert r.status_code == 201  # B's code is invisible: A gets its own supplier
        assert "S-B" in {s["code"] for s in (await w.client.get(f"{Q}/suppliers", headers=w.b.auth)).json()}

    @case("POST", f"{Q}/inspection-plans")
    async def _create_plan(w: Any) -> None:
        ids = await _b_world(w)
        r = await w.client.post(f"{Q}/inspection-plans", headers=w.a.auth, json=plan_body(ids["item"]))
        assert r.status_code == 422
        assert r.json()["code"] == "quality_unknown_reference"

    @case("POST", f"{Q}/gauges")
    async def _create_gauge(w: Any) -> None:
        await _b_world(w)
        body = {"code": "G-B", "name": "mine", "gauge_type": "caliper", "interval_days": 30}
        assert (await w.client.post(f"{Q}/gauges", headers=w.a.auth, json=body)).status_code == 201

    @case("POST", f"{Q}/gauges/{{gauge_id}}/calibrations")
    async def _calibrate(w: Any) -> None:
        ids = await _b_world(w)
        body = {"calibrated_at": "2020-01-01T00:00:00Z", "result": "fail"}
        await is_404(await w.client.post(f"{Q}/gauges/{ids['gauge']}/calibrations", headers=w.a.auth, json=body))
        assert (await w.client.get(f"{Q}/gauges/{ids['gauge']}", headers=w.b.auth)).json()["status"] == "active"

    @case("POST", f"{Q}/inspections")
    async def _create_inspection(w: Any) -> None:
        ids = await _b_world(w)
        await is_404(await w.client.post(f"{Q}/inspections", headers=w.a.auth,
                                         json={"plan_id": ids["plan"], "lot_size": 10}))  # fmt: skip

    @case("POST", f"{Q}/inspections/{{inspection_id}}/results")
    async def _record(w: Any) -> None:
        ids = await _b_world(w)
        body = {"results": [{"number": 2, "unit": 2, "passed": False}]}
        await is_404(await w.client.post(f"{Q}/inspections/{ids['inspection']}/results", headers=w.a.auth, json=body))

    @case("POST", f"{Q}/fai-reports")
    async def _create_fai(w: Any) -> None:
        ids = await _b_world(w)
        body = {"item_id": ids["item"], "inspection_id": ids["inspection"]}
        r = await w.client.post(f"{Q}/fai-reports", headers=w.a.auth, json=body)
        assert r.status_code == 422
        assert r.json()["code"] == "quality_unknown_reference"

    @case("GET", f"{Q}/fai-reports/{{fai_id}}/forms/{{form}}")
    async def _fai_form(w: Any) -> None:
        ids = await _b_world(w)
        await is_404(await w.client.get(f"{Q}/fai-reports/{ids['fai']}/forms/3", headers=w.a.auth))

    @case("POST", f"{Q}/ncrs")
    async def _create_ncr(w: Any) -> None:
        ids = await _b_world(w)
        for field in ("supplier", "inspection", "item"):
            body = {"title": "x", "quantity": 1, f"{field}_id": ids[field]}
            r = await w.client.post(f"{Q}/ncrs", headers=w.a.auth, json=body)
            assert r.status_code == 422, r.text
        r = await w.client.post(f"{Q}/ncrs", headers=w.a.auth,
                                json={"title": "x", "quantity": 1, "alert_ids": [str(w.b_ids["alert"])]})  # fmt: skip
        assert r.status_code == 422

    @case("PATCH", f"{Q}/ncrs/{{ncr_id}}")
    async def _patch_ncr(w: Any) -> None:
        ids = await _b_world(w)
        body = {"expected_version": 1, "title": "mine"}
        await is_404(await w.client.patch(f"{Q}/ncrs/{ids['ncr']}", headers=w.a.auth, json=body))

    @case("POST", f"{Q}/ncrs/{{ncr_id}}/transition")
    async def _ncr_transition(w: Any) -> None:
        ids = await _b_world(w)
        body = {"to": "cancelled", "expected_version": 1}
        await is_404(await w.client.post(f"{Q}/ncrs/{ids['ncr']}/transition", headers=w.a.auth, json=body))

    @case("POST", f"{Q}/ncrs/{{ncr_id}}/disposition")
    async def _ncr_disposition(w: Any) -> None:
        ids = await _b_world(w)
        body = {"disposition": "scrap", "expected_version": 1}
        await is_404(await w.client.post(f"{Q}/ncrs/{ids['ncr']}/disposition", headers=w.a.auth, json=body))

    @case("POST", f"{Q}/ncrs/{{ncr_id}}/mrb")
    async def _ncr_mrb(w: Any) -> None:
        ids = await _b_world(w)
        body = {"decision": "approve", "expected_version": 1}
        await is_404(await w.client.post(f"{Q}/ncrs/{ids['ncr']}/mrb", headers=w.a.auth, json=body))

    @case("POST", f"{Q}/capas")
    async def _create_capa(w: Any) -> None:
        ids = await _b_world(w)
        r = await w.client.post(f"{Q}/capas", headers=w.a.auth, json={"title": "x", "ncr_ids": [ids["ncr"]]})
        assert r.status_code == 422

    @case("PATCH", f"{Q}/capas/{{capa_id}}")
    async def _patch_capa(w: Any) -> None:
        ids = await _b_world(w)
        body = {"expected_version": 1, "problem": "mine"}
        await is_404(await w.client.patch(f"{Q}/capas/{ids['capa']}", headers=w.a.auth, json=body))

    @case("POST", f"{Q}/capas/{{capa_id}}/transition")
    async def _capa_transition(w: Any) -> None:
        ids = await _b_world(w)
        body = {"to": "cancelled", "expected_version": 1}
        await is_404(await w.client.post(f"{Q}/capas/{ids['capa']}/transition", headers=w.a.auth, json=body))

    @case("GET", f"{Q}/metrics")
    async def _metrics(w: Any) -> None:
        await _b_world(w)  # B has one inspected unit; A has none
        r = await w.client.get(f"{Q}/metrics", headers=w.a.auth)
        assert r.json()["totals"]["units_inspected"] == 0

    @case("GET", f"{Q}/metrics/ppm")
    async def _ppm(w: Any) -> None:
        await _b_world(w)
        r = await w.client.get(f"{Q}/metrics/ppm", headers=w.a.auth, params={"by": "part"})
        assert r.json()["items"] == []
