"""Cross-tenant cases for every planning route, for the route table in tests/api/test_tenant_isolation.py
(same contract as tests/assets/isolation_cases.py). Each case first gives tenant B a small planning world
(item with BOM and routing, calendar, work centre on B's machine, unavailability window, orders, an MRP run)
through B's own credentials, then checks that A's credentials neither see nor change any of it."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

P = "/api/v1/planning"


async def b_world(w: Any) -> dict[str, Any]:
    """B's planning objects (created once per world)."""
    if getattr(w, "_planning_b", None):
        return w._planning_b  # type: ignore[no-any-return]
    c, h = w.client, w.b.auth

    async def post(path: str, body: dict[str, Any]) -> dict[str, Any]:
        r = await c.post(f"{P}{path}", headers=h, json=body)
        assert r.status_code == 201, r.text
        return r.json()  # type: ignore[no-any-return]

    ids: dict[str, Any] = {}
    ids["item"] = (await post("/items", {"part_number": "B-TOP", "make_buy": "make", "lead_time_days": 1}))["id"]
    ids["part"] = (await post("/items", {"part_number": "B-PART", "make_buy": "buy"}))["id"]
    bom = {"part_number": "B-TOP", "revision": "A", "lines": [{"component": "B-PART", "qty_per": 2}]}
    ids["bom"] = (await post("/boms", bom))["id"]
    cal = {"name": "B-cal", "timezone": "UTC", "shifts": [{"weekday": 0, "start": "06:00", "end": "14:00"}]}
    ids["calendar"] = (await post("/calendars", cal))["id"]
    wc = {"code": "B-WC", "calendar_id": ids["calendar"], "machine_ids": [str(w.b_ids["machine"])]}
    ids["wc"] = (await post("/work-centers", wc))["id"]
    routing = {"part_number": "B-TOP", "revision": "A", "operations": [{"seq": 10, "work_center": "B-WC"}]}
    ids["routing"] = (await post("/routings", routing))["id"]
    window = {
        "machine_id": str(w.b_ids["machine"]),
        "start_at": "2030-01-01T00:00:00Z",
        "end_at": "2030-01-02T00:00:00Z",
    }
    ids["window"] = (await post("/unavailability", window))["id"]
    order = {"order_no": "B-SO", "part_number": "B-TOP", "quantity": 1, "due_date": "2030-02-01"}
    ids["order"] = (await post("/orders", order))["id"]
    supply = {
        "number": "B-PO",
        "part_number": "B-PART",
        "quantity": 1,
        "start_date": "2030-01-01",
        "due_date": "2030-01-05",
    }
    ids["supply"] = (await post("/supply-orders", supply))["id"]
    ids["run"] = (await post("/mrp/runs", {"as_of": "2030-01-01"}))["id"]
    w._planning_b = ids
    return ids


def register_planning_cases(case: Callable[[str, str], Any], is_404: Callable[[Any], Awaitable[None]]) -> None:
    """Register one case per route of this domain."""

    def reads(path: str, key: str) -> None:
        @case("GET", f"{P}{path}")
        async def _get(w: Any) -> None:
            b = await b_world(w)
            url = f"{P}{path}".replace(path[path.index("{") :].split("/")[0], str(b[key]))
            await is_404(await w.client.get(url, headers=w.a.auth, params=_params(path)))

    def deletes(path: str, key: str) -> None:
        @case("DELETE", f"{P}{path}")
        async def _delete(w: Any) -> None:
            b = await b_world(w)
            url = f"{P}{path}".replace(path[path.index("{") :], str(b[key]))
            await is_404(await w.client.delete(url, headers=w.a.auth))
            assert (await w.client.get(url, headers=w.b.auth)).status_code == 200

    def lists(path: str, marker: str) -> None:
        @case("GET", f"{P}{path}")
        async def _list(w: Any) -> None:
            await b_world(w)
            r = await w.client.get(f"{P}{path}", headers=w.a.auth)
            assert r.status_code == 200, r.text
            assert marker not in r.text

    for path, key in (
        ("/items/{item_id}", "item"),
        ("/items/{item_id}/explode", "item"),
        ("/items/{item_id}/where-used", "part"),
        ("/items/{item_id}/cost", "item"),
        ("/boms/{bom_id}", "bom"),
        ("/calendars/{calendar_id}", "calendar"),
        ("/work-centers/{work_center_id}", "wc"),
        ("/work-centers/{work_center_id}/availability", "wc"),
        ("/routings/{routing_id}", "routing"),
        ("/orders/{order_id}", "order"),
        ("/supply-orders/{supply_id}", "supply"),
        ("/mrp/runs/{run_id}", "run"),
    ):
        reads(path, key)
    for path, key in (
        ("/items/{item_id}", "part"),
        ("/boms/{bom_id}", "bom"),
        ("/calendars/{calendar_id}", "calendar"),
        ("/work-centers/{work_center_id}", "wc"),
        ("/routings/{routing_id}", "routing"),
        ("/orders/{order_id}", "order"),
    ):
        deletes(path, key)

    @case("DELETE", f"{P}/unavailability/{{window_id}}")
    async def _delete_window(w: Any) -> None:
        b = await b_world(w)
        await is_404(await w.client.delete(f"{P}/unavailability/{b['window']}", headers=w.a.auth))
        mine = (await w.client.get(f"{P}/unavailability", headers=w.b.auth)).json()
        assert b["window"] in {x["id"] for x in mine}

    for path, marker in (
        ("/items", "B-TOP"),
        ("/boms", "B-TOP"),
        ("/calendars", "B-cal"),
        ("/work-centers", "B-WC"),
        ("/routings", "B-TOP"),
        ("/unavailability", "2030-01-01"),
        ("/orders", "B-SO"),
        ("/supply-orders", "B-P"),
        ("/boms/export", "B-TOP"),
    ):
        lists(path, marker)

    @case("GET", f"{P}/mrp/runs")
    async def _runs(w: Any) -> None:
        b = await b_world(w)
        r = await w.client.get(f"{P}/mrp/runs", headers=w.a.auth)
        assert b["run"] not in {x["id"] for x in r.json()["items"]}

    @case("POST", f"{P}/mrp/runs")
    async def _run_mrp(w: Any) -> None:
        b = await b_world(w)
        r = await w.client.post(f"{P}/mrp/runs", headers=w.a.auth, json={"as_of": "2030-01-01"})
        assert r.status_code == 201
        assert r.json()["inputs"]["open_demand_orders"] == 0
        theirs = (await w.client.get(f"{P}/supply-orders", headers=w.b.auth, params={"status": "planned"})).json()
        assert theirs["items"]
        assert all(x["mrp_run_id"] == b["run"] for x in theirs["items"])

    @case("POST", f"{P}/items")
    async def _create_item(w: Any) -> None:
        await b_world(w)
        r = await w.client.post(f"{P}/items", headers=w.a.auth, json={"part_number": "B-TOP", "make_buy": "make"})
        assert r.status_code == 201  # part numbers are unique per tenant: B's does not collide

    @case("PATCH", f"{P}/items/{{item_id}}")
    async def _patch_item(w: Any) -> None:
        b = await b_world(w)
        await is_404(await w.client.patch(f"{P}/items/{b['item']}", headers=w.a.auth, json={"description": "x"}))

    @case("POST", f"{P}/boms")
    async def _create_bom(w: Any) -> None:
        await b_world(w)
        body = {"part_number": "B-TOP", "revision": "Z", "lines": [{"component": "B-PART", "qty_per": 1}]}
        r = await w.client.post(f"{P}/boms", headers=w.a.auth, json=body)
        assert r.status_code == 422
        assert r.json()["code"] == "unknown_item"

    @case("PUT", f"{P}/boms/{{bom_id}}")
    async def _put_bom(w: Any) -> None:
        b = await b_world(w)
        await is_404(await w.client.put(f"{P}/boms/{b['bom']}", headers=w.a.auth, json={"revision": "A"}))

    @case("POST", f"{P}/boms/import")
    async def _import(w: Any) -> None:
        await b_world(w)
        doc = "record,part_number,revision,component,qty_per\nbom,B-TOP,A,,\nline,B-TOP,A,B-PART,5\n"
        r = await w.client.post(f"{P}/boms/import", headers={**w.a.auth, "content-type": "text/csv"}, content=doc)
        assert r.status_code == 422
        assert r.json()["code"] == "import_invalid"
        theirs = (await w.client.get(f"{P}/boms", headers=w.b.auth)).json()["items"]
        assert theirs[0]["lines"][0]["qty_per"] == 2

    @case("POST", f"{P}/calendars")
    async def _create_calendar(w: Any) -> None:
        await b_world(w)
        r = await w.client.post(f"{P}/calendars", headers=w.a.auth, json={"name": "B-cal", "timezone": "UTC"})
        assert r.status_code == 201

    @case("PUT", f"{P}/calendars/{{calendar_id}}")
    async def _put_calendar(w: Any) -> None:
        b = await b_world(w)
        body = {"name": "x", "timezone": "UTC"}
        await is_404(await w.client.put(f"{P}/calendars/{b['calendar']}", headers=w.a.auth, json=body))

    @case("POST", f"{P}/work-centers")
    async def _create_wc(w: Any) -> None:
        b = await b_world(w)
        body = {"code": "X", "machine_ids": [str(w.b_ids["machine"])]}
        await is_404(await w.client.post(f"{P}/work-centers", headers=w.a.auth, json=body))
        await is_404(
            await w.client.post(f"{P}/work-centers", headers=w.a.auth, json={"code": "Y", "calendar_id": b["calendar"]})
        )

    @case("PATCH", f"{P}/work-centers/{{work_center_id}}")
    async def _patch_wc(w: Any) -> None:
        b = await b_world(w)
        await is_404(await w.client.patch(f"{P}/work-centers/{b['wc']}", headers=w.a.auth, json={"name": "x"}))

    @case("POST", f"{P}/routings")
    async def _create_routing(w: Any) -> None:
        await b_world(w)
        body = {"part_number": "B-TOP", "revision": "Z", "operations": [{"seq": 1, "work_center": "B-WC"}]}
        r = await w.client.post(f"{P}/routings", headers=w.a.auth, json=body)
        assert r.status_code == 422
        assert r.json()["code"] == "unknown_item"

    @case("PUT", f"{P}/routings/{{routing_id}}")
    async def _put_routing(w: Any) -> None:
        b = await b_world(w)
        body = {"revision": "A", "operations": [{"seq": 1, "work_center": "B-WC"}]}
        await is_404(await w.client.put(f"{P}/routings/{b['routing']}", headers=w.a.auth, json=body))

    @case("POST", f"{P}/unavailability")
    async def _create_window(w: Any) -> None:
        await b_world(w)
        body = {
            "machine_id": str(w.b_ids["machine"]),
            "start_at": "2030-01-01T00:00:00Z",
            "end_at": "2030-01-02T00:00:00Z",
        }
        await is_404(await w.client.post(f"{P}/unavailability", headers=w.a.auth, json=body))

    @case("POST", f"{P}/orders")
    async def _create_order(w: Any) -> None:
        await b_world(w)
        body = {"order_no": "B-SO", "part_number": "B-TOP", "quantity": 1, "due_date": "2030-02-01"}
        r = await w.client.post(f"{P}/orders", headers=w.a.auth, json=body)
        assert r.status_code == 422
        assert r.json()["part_numbers"] == ["B-TOP"]

    @case("PATCH", f"{P}/orders/{{order_id}}")
    async def _patch_order(w: Any) -> None:
        b = await b_world(w)
        await is_404(await w.client.patch(f"{P}/orders/{b['order']}", headers=w.a.auth, json={"quantity": 9}))

    @case("POST", f"{P}/supply-orders")
    async def _create_supply(w: Any) -> None:
        b = await b_world(w)
        body = {"part_number": b["part"], "quantity": 1, "start_date": "2030-01-01", "due_date": "2030-01-05"}
        await is_404(await w.client.post(f"{P}/supply-orders", headers=w.a.auth, json=body))

    @case("PATCH", f"{P}/supply-orders/{{supply_id}}")
    async def _patch_supply(w: Any) -> None:
        b = await b_world(w)
        r = await w.client.patch(f"{P}/supply-orders/{b['supply']}", headers=w.a.auth, json={"status": "cancelled"})
        await is_404(r)
        assert (await w.client.get(f"{P}/supply-orders/{b['supply']}", headers=w.b.auth)).json()["status"] == "firm"


def _params(path: str) -> dict[str, str]:
    if path.endswith("/availability"):
        return {"from": "2030-01-01T00:00:00Z", "to": "2030-01-08T00:00:00Z"}
    return {}
