"""MRP through the API with hand-computed expectations: netting against on hand, safety stock and open
supply, lot-for-lot, lead-time offsetting over four levels (phantom blown through), pegging up to the top
order, exceptions, atomic replacement by the next run, firming."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from tests.conftest import TenantKit
from tests.planning.fixtures import P, build_bike

STOCK = {
    "BIKE": {"on_hand": 2},
    "WHEEL": {"on_hand": 5, "safety_stock": 1},
    "TUBE": {"on_hand": 10},
    "SPOKE": {"on_hand": 100, "safety_stock": 20},
}


async def _setup(client: httpx.AsyncClient, t: TenantKit) -> None:
    await build_bike(client, t.auth, **STOCK)
    for o in (
        {"order_no": "SO-1", "part_number": "BIKE", "quantity": 10, "due_date": "2025-02-01"},
        {"order_no": "SO-2", "part_number": "WHEEL", "quantity": 3, "due_date": "2025-01-20"},
    ):
        assert (await client.post(f"{P}/orders", headers=t.auth, json=o)).status_code == 201
    po = {"number": "PO-RIM", "part_number": "RIM", "quantity": 4, "start_date": "2025-01-06", "due_date": "2025-01-10"}
    assert (await client.post(f"{P}/supply-orders", headers=t.auth, json=po)).status_code == 201


async def _planned(client: httpx.AsyncClient, t: TenantKit) -> dict[str, Any]:
    rows = (await client.get(f"{P}/supply-orders", headers=t.auth, params={"status": "planned"})).json()["items"]
    return {r["part_number"]: r for r in rows}


async def test_mrp_nets_offsets_and_pegs_across_four_levels(client: httpx.AsyncClient, tenant: TenantKit) -> None:
    await _setup(client, tenant)
    r = await client.post(f"{P}/mrp/runs", headers=tenant.auth, json={"as_of": "2025-01-01"})
    assert r.status_code == 201, r.text
    run = r.json()
    assert run["inputs"]["open_demand_orders"] == 2
    assert run["inputs"]["open_supply_orders"] == 1
    assert run["run_by"] is not None
    plan = await _planned(client, tenant)
    got = {pn: (o["kind"], round(o["quantity"], 6), o["start_date"], o["due_date"]) for pn, o in plan.items()}
    assert got == {
        # 10 - 2 on hand; due 02-01, LT 2
        "BIKE": ("make", 8, "2025-01-30", "2025-02-01"),
        # 8 × 1 at BIKE start
        "FRAME": ("make", 8, "2025-01-27", "2025-01-30"),
        # safety 1 + SO-2 3 + BIKE 16 against 5 on hand
        "WHEEL": ("make", 15, "2025-01-29", "2025-01-30"),
        # 8 × 3 × 1.1 = 26.4 − 10 on hand
        "TUBE": ("buy", 16.4, "2025-01-20", "2025-01-27"),
        "PAINT": ("buy", 4, "2025-01-25", "2025-01-27"),
        # 15 − 4 on the open PO
        "RIM": ("buy", 11, "2025-01-25", "2025-01-29"),
        # through the phantom HUB-KIT: 15 × 1
        "HUB": ("buy", 15, "2025-01-23", "2025-01-29"),
        # 15 × 36 × 1.05 + 15 × 2 (phantom) + 20 safety − 100 on hand
        "SPOKE": ("buy", 517, "2025-01-24", "2025-01-29"),
    }
    assert "HUB-KIT" not in plan  # phantom: no order of its own
    assert plan["BIKE"]["number"].startswith("WO0001-")
    assert plan["SPOKE"]["number"].startswith("PR0001-")

    bike_peg = plan["BIKE"]["pegging"]
    assert [(p["demand_order_no"], p["quantity"]) for p in bike_peg] == [("SO-1", 8)]
    spoke_pegs = plan["SPOKE"]["pegging"]
    assert {p["parent_number"] for p in spoke_pegs} == {plan["WHEEL"]["number"]}
    assert sum(p["quantity"] for p in spoke_pegs) == pytest.approx(517)
    assert all(p["top_orders"] == ["SO-1"] for p in spoke_pegs)  # SPOKE → WHEEL → BIKE → SO-1
    po = (await client.get(f"{P}/supply-orders", headers=tenant.auth, params={"status": "firm"})).json()["items"][0]
    assert [(p["parent_number"], p["quantity"], p["top_orders"]) for p in po["pegging"]] == [
        (plan["WHEEL"]["number"], 4, ["SO-1"])
    ]
    assert run["exceptions"] == []


async def test_mrp_exceptions_and_atomic_replacement_and_firming(client: httpx.AsyncClient, tenant: TenantKit) -> None:
    await _setup(client, tenant)
    first = (await client.post(f"{P}/mrp/runs", headers=tenant.auth, json={"as_of": "2025-01-01"})).json()
    before = await _planned(client, tenant)
    # a later planning date: the orders starting before 01-26 should already have started
    r = (await client.post(f"{P}/mrp/runs", headers=tenant.auth, json={"as_of": "2025-01-26"})).json()
    assert r["number"] == first["number"] + 1
    late = sorted((e["kind"], e["part_number"]) for e in r["exceptions"])
    assert late == [
        ("past_due_demand", "WHEEL"),  # SO-2 was due 01-20
        ("past_due_start", "HUB"),
        ("past_due_start", "PAINT"),
        ("past_due_start", "RIM"),
        ("past_due_start", "SPOKE"),
        ("past_due_start", "TUBE"),
    ]
    after = await _planned(client, tenant)
    assert set(after) == set(before)  # replaced, not added to
    assert all(o["number"].startswith(("WO0002-", "PR0002-")) for o in after.values())
    total = (await client.get(f"{P}/supply-orders", headers=tenant.auth)).json()["items"]
    assert len(total) == len(before) + 1  # + the firm PO

    # firm the BIKE order: it becomes open supply, the next run plans no new BIKE but still its components
    bike = after["BIKE"]
    r2 = await client.patch(
        f"{P}/supply-orders/{bike['id']}",
        headers=tenant.auth,
        json={"status": "firm", "expected_version": bike["version"]},
    )
    assert r2.status_code == 200
    assert r2.json()["status"] == "firm"
    await client.post(f"{P}/mrp/runs", headers=tenant.auth, json={"as_of": "2025-01-01"})
    third = await _planned(client, tenant)
    assert "BIKE" not in third
    assert third["FRAME"]["quantity"] == 8
    assert third["WHEEL"]["quantity"] == 15
    firm_bike = (await client.get(f"{P}/supply-orders/{bike['id']}", headers=tenant.auth)).json()
    assert [p["demand_order_no"] for p in firm_bike["pegging"]] == ["SO-1"]
    assert third["FRAME"]["pegging"][0]["top_orders"] == ["SO-1"]

    bad = await client.patch(f"{P}/supply-orders/{bike['id']}", headers=tenant.auth, json={"status": "planned"})
    assert bad.status_code == 409
    assert bad.json()["code"] == "invalid_transition"
    rel = await client.patch(f"{P}/supply-orders/{bike['id']}", headers=tenant.auth, json={"status": "released"})
    assert rel.json()["status"] == "released"
    runs = (await client.get(f"{P}/mrp/runs", headers=tenant.auth)).json()["items"]
    assert [x["number"] for x in runs] == [3, 2, 1]


async def test_excess_and_late_open_supply_are_flagged(client: httpx.AsyncClient, tenant: TenantKit) -> None:
    await build_bike(client, tenant.auth)
    await client.post(
        f"{P}/orders",
        headers=tenant.auth,
        json={"order_no": "SO-9", "part_number": "RIM", "quantity": 2, "due_date": "2025-03-01"},
    )
    for no, due in (("PO-LATE", "2025-03-10"), ("PO-EXTRA", "2025-03-20")):
        await client.post(
            f"{P}/supply-orders",
            headers=tenant.auth,
            json={"number": no, "part_number": "RIM", "quantity": 2, "start_date": "2025-02-01", "due_date": due},
        )
    run = (await client.post(f"{P}/mrp/runs", headers=tenant.auth, json={"as_of": "2025-01-01"})).json()
    kinds = sorted((e["kind"], e["supply_number"]) for e in run["exceptions"])
    assert kinds == [("excess_supply", "PO-EXTRA"), ("reschedule_in", "PO-LATE")]
    assert await _planned(client, tenant) == {}
