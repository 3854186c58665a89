"""Lots, serials, genealogy, trace, recall and shipments over the real API."""

from __future__ import annotations

from typing import Any

import httpx

from tests.conftest import TenantKit
from tests.quality.isolation_trace import Q, lot, post_ok, serial, uniq


async def consume(
    client: httpx.AsyncClient, h: dict[str, str], parent: Any, *children: tuple[Any, float | None]
) -> Any:
    body = {"parent_id": parent["id"], "children": [{"id": c["id"], "quantity": q} for c, q in children]}
    return await client.post(f"{Q}/genealogy/consume", headers=h, json=body)


async def build(client: httpx.AsyncClient, h: dict[str, str]) -> dict[str, Any]:
    """L1, L2 raw lots -> SA (sub-assembly serial) -> TOP (serial), TOP also takes 2 of L1 directly."""
    l1 = await lot(client, h, 100, part_number="STEEL", supplier="Acme Metals", supplier_lot="AM-7", cert_ref="C-1")
    l2 = await lot(client, h, 50, part_number="BOLT")
    sa = await serial(client, h, part_number="SUB-1")
    top = await serial(client, h, part_number="ASSY-9", revision="C")
    assert (await consume(client, h, sa, (l1, 10), (l2, 5))).status_code == 201
    r = await consume(client, h, top, (sa, None), (l1, 2))
    assert r.status_code == 201, r.text
    assert {e["child_kind"] for e in r.json()["edges"]} == {"serial", "lot"}
    return {"l1": l1, "l2": l2, "sa": sa, "top": top}


async def test_lots_and_serials_crud_and_errors(client: httpx.AsyncClient, tenant: TenantKit) -> None:
    h = tenant.auth
    made = await lot(client, h, 25)
    assert made["remaining_qty"] == 25
    assert made["status"] == "released"
    assert made["marking"] is None
    dup = {"part_number": made["part_number"], "lot_number": made["lot_number"], "quantity": 1}
    r = await client.post(f"{Q}/lots", headers=h, json=dup)
    assert r.status_code == 409
    assert r.json()["code"] == "trace_conflict"
    same_number_other_part = {**dup, "part_number": "OTHER"}
    assert (await client.post(f"{Q}/lots", headers=h, json=same_number_other_part)).status_code == 201
    for bad in ({"part_number": "X", "lot_number": "L", "quantity": 0}, {"lot_number": "L", "quantity": 1}, {}):
        r = await client.post(f"{Q}/lots", headers=h, json=bad)
        assert r.status_code == 422, r.text
    r = await client.post(f"{Q}/lots", headers=h, json={"item_id": str(tenant.id), "lot_number": "L", "quantity": 1})
    assert r.status_code == 404
    r = await client.patch(f"{Q}/lots/{made['id']}", headers=h, json={"status": "quarantined", "cert_ref": "CERT-9"})
    assert r.json()["status"] == "quarantined"
    assert r.json()["cert_ref"] == "CERT-9"
    r = await client.patch(f"{Q}/lots/{made['id']}", headers=h, json={"status": "consumed"})
    assert r.status_code == 422
    page = (await client.get(f"{Q}/lots", headers=h, params={"status": "quarantined"})).json()
    assert [x["id"] for x in page["items"]] == [made["id"]]
    assert page["total"] == 1
    assert (await client.get(f"{Q}/lots/not-a-uuid", headers=h)).status_code == 422
    s = await serial(client, h)
    r = await client.post(
        f"{Q}/serials", headers=h, json={"part_number": s["part_number"], "serial_number": s["serial_number"]}
    )
    assert r.status_code == 409
    assert (await client.get(f"{Q}/serials/{s['id']}", headers=h)).json()["serial_number"] == s["serial_number"]
    r = await client.patch(f"{Q}/serials/{s['id']}", headers=h, json={"status": "scrapped"})
    assert r.json()["status"] == "scrapped"
    assert (await client.get(f"{Q}/lots", headers=tenant.device)).status_code == 403


async def test_genealogy_backward_and_forward_all_levels(client: httpx.AsyncClient, tenant: TenantKit) -> None:
    h = tenant.auth
    g = await build(client, h)
    back = (await client.get(f"{Q}/trace/backward/{g['top']['serial_number']}", headers=h)).json()
    depth = {n["number"]: n["depth"] for n in back["nodes"]}
    assert depth == {g["sa"]["serial_number"]: 1, g["l1"]["lot_number"]: 1, g["l2"]["lot_number"]: 2}
    assert back["edge_count"] == 4
    assert back["max_depth"] == 2
    assert not back["truncated"]
    assert back["root"]["number"] == g["top"]["serial_number"]
    assert back["restricted_nodes"] == 0
    one = (await client.get(f"{Q}/trace/backward/{g['top']['id']}", headers=h, params={"max_depth": 1})).json()
    assert {n["number"] for n in one["nodes"]} == {g["sa"]["serial_number"], g["l1"]["lot_number"]}
    assert one["truncated"]
    fwd = (await client.get(f"{Q}/trace/forward/{g['l2']['id']}", headers=h)).json()
    assert {n["number"]: n["depth"] for n in fwd["nodes"]} == {
        g["sa"]["serial_number"]: 1,
        g["top"]["serial_number"]: 2,
    }
    lots_after = (await client.get(f"{Q}/lots/{g['l1']['id']}", headers=h)).json()
    assert lots_after["consumed_qty"] == 12
    assert lots_after["remaining_qty"] == 88
    assert (await client.get(f"{Q}/serials/{g['sa']['id']}", headers=h)).json()["status"] == "consumed"
    assert (await client.get(f"{Q}/trace/backward/NOPE", headers=h)).status_code == 404


async def test_consume_rejects_overuse_cycles_and_bad_states_all_or_nothing(
    client: httpx.AsyncClient, tenant: TenantKit
) -> None:
    h = tenant.auth
    g = await build(client, h)
    extra = await serial(client, h)
    r = await consume(client, h, extra, (g["l2"], 1), (g["l1"], 1000))
    assert r.status_code == 409
    body = r.json()
    assert body["code"] == "insufficient_quantity"
    assert body["remaining"] == 88
    assert body["requested"] == 1000
    assert (await client.get(f"{Q}/lots/{g['l2']['id']}", headers=h)).json()["consumed_qty"] == 5  # rolled back
    r = await consume(client, h, g["l2"], (g["top"], None))  # L2 is inside TOP already
    assert r.status_code == 409
    assert r.json()["code"] == "genealogy_cycle"
    r = await consume(client, h, g["l1"], (g["l1"], 1))
    assert r.status_code == 409
    assert r.json()["code"] == "genealogy_cycle"
    r = await consume(client, h, extra, (g["sa"], None))  # already consumed into TOP
    assert r.status_code == 409
    assert "consumed" in r.json()["detail"]
    await client.patch(f"{Q}/lots/{g['l2']['id']}", headers=h, json={"status": "quarantined"})
    r = await consume(client, h, extra, (g["l2"], 1))
    assert r.status_code == 409
    assert "quarantined" in r.json()["detail"]
    assert (await consume(client, h, extra, (g["l1"], None))).status_code == 422  # lots need a quantity
    r = await consume(client, h, extra, (g["l1"], 88))  # exactly the rest
    assert r.status_code == 201
    assert (await client.get(f"{Q}/lots/{g['l1']['id']}", headers=h)).json()["status"] == "consumed"
    r = await client.post(f"{Q}/genealogy/consume", headers=h, json={"parent_id": extra["id"], "children": []})
    assert r.status_code == 422


async def test_shipments_and_recall_impact(client: httpx.AsyncClient, tenant: TenantKit) -> None:
    h = tenant.auth
    g = await build(client, h)
    s1 = await post_ok(
        client,
        "/shipments",
        h,
        {"shipment_number": uniq("SH"), "customer": "ACME", "customer_po": "PO-77", "ship_date": "2025-03-01",
         "lines": [{"id": g["top"]["id"]}]},
    )  # fmt: skip
    s2 = await post_ok(
        client,
        "/shipments",
        h,
        {"shipment_number": uniq("SH"), "customer": "Beta", "ship_date": "2025-04-02",
         "lines": [{"id": g["l2"]["id"], "quantity": 5}]},
    )  # fmt: skip
    assert s1["lines"][0]["number"] == g["top"]["serial_number"]
    assert s1["restricted_lines"] == 0
    assert (await client.get(f"{Q}/serials/{g['top']['id']}", headers=h)).json()["status"] == "shipped"
    r = await client.post(
        f"{Q}/shipments",
        headers=h,
        json={
            "shipment_number": s1["shipment_number"],
            "customer": "X",
            "lines": [{"id": g["l1"]["id"], "quantity": 1}],
        },
    )
    assert r.status_code == 409
    r = await client.post(
        f"{Q}/shipments",
        headers=h,
        json={"shipment_number": uniq("SH"), "customer": "X", "lines": [{"id": g["top"]["id"]}]},
    )
    assert r.status_code == 409
    assert "shipped" in r.json()["detail"]
    r = await client.post(
        f"{Q}/shipments",
        headers=h,
        json={"shipment_number": uniq("SH"), "customer": "X", "lines": [{"id": g["l2"]["id"], "quantity": 41}]},
    )
    assert r.status_code == 409
    assert r.json()["code"] == "insufficient_quantity"
    assert r.json()["remaining"] == 40
    rec = (await client.get(f"{Q}/trace/recall/{g['l2']['lot_number']}", headers=h)).json()
    assert rec["customers"] == ["ACME", "Beta"]
    assert rec["shipment_count"] == 2
    by_customer = {x["customer"]: x for x in rec["shipments"]}
    assert by_customer["ACME"]["number"] == g["top"]["serial_number"]
    assert by_customer["ACME"]["depth"] == 2
    assert by_customer["ACME"]["customer_po"] == "PO-77"
    assert by_customer["ACME"]["ship_date"] == "2025-03-01"
    assert by_customer["Beta"]["depth"] == 0
    assert by_customer["Beta"]["quantity"] == 5
    rec1 = (await client.get(f"{Q}/trace/recall/{g['l1']['id']}", headers=h)).json()
    assert rec1["customers"] == ["ACME"]
    assert rec1["in_house_count"] == 0
    listed = (await client.get(f"{Q}/shipments", headers=h, params={"customer": "Beta"})).json()
    assert [s["id"] for s in listed["items"]] == [s2["id"]]
    assert (await client.get(f"{Q}/shipments/{s2['id']}", headers=h)).json()["lines"][0]["quantity"] == 5
