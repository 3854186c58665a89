"""Items and BOMs through the API: explosion (phantom, scrap, effectivity), where-used, cycles, cost and
lead-time rollup, optimistic concurrency and clear 4xx."""

from __future__ import annotations

import httpx
import pytest

from tests.conftest import TenantKit
from tests.planning.fixtures import P, build_bike


async def test_explosion_blows_phantoms_through_with_scrap_and_effectivity(
    client: httpx.AsyncClient, tenant: TenantKit
) -> None:
    ids = await build_bike(client, tenant.auth)
    r = await client.get(f"{P}/items/{ids['BIKE']}/explode", headers=tenant.auth, params={"as_of": "2025-01-01"})
    assert r.status_code == 200, r.text
    ex = r.json()
    rows = [(x["level"], x["part_number"], round(x["extended_qty"], 6)) for x in ex["rows"]]
    assert rows == [
        (1, "FRAME", 1),
        (2, "TUBE", 3.3),
        (2, "PAINT", 0.5),
        (1, "WHEEL", 2),
        (2, "RIM", 2),
        (2, "SPOKE", 75.6),
        (2, "HUB", 2),  # HUB-KIT is a phantom: its components appear in its place
        (2, "SPOKE", 4),
    ]
    assert ex["rows"][5]["path"] == "BIKE / WHEEL / SPOKE"
    assert ex["rows"][5]["substitutes"][0]["part_number"] == "ALT-SPOKE"
    assert ex["rows"][6]["path"] == "BIKE / WHEEL / HUB"
    summary = {x["part_number"]: round(x["total_qty"], 6) for x in ex["summary"]}
    assert summary == {"FRAME": 1, "WHEEL": 2, "TUBE": 3.3, "PAINT": 0.5, "RIM": 2, "SPOKE": 79.6, "HUB": 2}

    with_ph = await client.get(
        f"{P}/items/{ids['BIKE']}/explode",
        headers=tenant.auth,
        params={"as_of": "2025-01-01", "include_phantoms": True},
    )
    assert [x["part_number"] for x in with_ph.json()["rows"] if x["phantom"]] == ["HUB-KIT"]

    later = await client.get(
        f"{P}/items/{ids['BIKE']}/explode", headers=tenant.auth, params={"as_of": "2030-06-01", "quantity": 10}
    )
    summary = {x["part_number"]: round(x["total_qty"], 6) for x in later.json()["summary"]}
    assert summary["SPOKE"] == 20 * 32 + 20 * 2  # revision B: 32 spokes, no scrap
    assert {x["bom_revision"] for x in later.json()["rows"] if x["path"].startswith("BIKE / WHEEL /")} == {"B", "A"}


async def test_where_used_goes_all_levels_up(client: httpx.AsyncClient, tenant: TenantKit) -> None:
    ids = await build_bike(client, tenant.auth)
    r = await client.get(f"{P}/items/{ids['HUB']}/where-used", headers=tenant.auth)
    rows = [(x["level"], x["path"], x["bom_revision"]) for x in r.json()["rows"]]
    assert rows == [
        (1, "HUB / HUB-KIT", "A"),
        (2, "HUB / HUB-KIT / WHEEL", "A"),
        (3, "HUB / HUB-KIT / WHEEL / BIKE", "A"),
        (2, "HUB / HUB-KIT / WHEEL", "B"),
        (3, "HUB / HUB-KIT / WHEEL / BIKE", "A"),
    ]
    dated = await client.get(f"{P}/items/{ids['HUB']}/where-used", headers=tenant.auth, params={"as_of": "2025-01-01"})
    assert [x["bom_revision"] for x in dated.json()["rows"] if x["part_number"] == "WHEEL"] == ["A"]


async def test_cycle_is_rejected_naming_it(client: httpx.AsyncClient, tenant: TenantKit) -> None:
    await build_bike(client, tenant.auth)
    # HUB-KIT -> BIKE would close BIKE -> WHEEL -> HUB-KIT -> BIKE
    boms = (await client.get(f"{P}/boms", headers=tenant.auth)).json()["items"]
    hub_kit = next(b for b in boms if b["part_number"] == "HUB-KIT")
    body = {
        "revision": "A",
        "expected_version": hub_kit["version"],
        "lines": [{"component": "HUB", "qty_per": 1}, {"component": "BIKE", "qty_per": 1}],
    }
    r = await client.put(f"{P}/boms/{hub_kit['id']}", headers=tenant.auth, json=body)
    assert r.status_code == 422, r.text
    assert r.json()["code"] == "bom_cycle"
    assert r.json()["detail"] == "BOM cycle: HUB-KIT → BIKE → WHEEL → HUB-KIT"
    self_ref = await client.post(
        f"{P}/boms",
        headers=tenant.auth,
        json={
            "part_number": "FRAME",
            "revision": "Z",
            "effective_from": "2040-01-01",
            "lines": [{"component": "FRAME", "qty_per": 1}],
        },
    )
    assert self_ref.json()["detail"] == "BOM cycle: FRAME → FRAME"
    unchanged = (await client.get(f"{P}/boms/{hub_kit['id']}", headers=tenant.auth)).json()
    assert [ln["component"] for ln in unchanged["lines"]] == ["HUB", "SPOKE"]


async def test_cost_and_cumulative_lead_time_rollup(client: httpx.AsyncClient, tenant: TenantKit) -> None:
    ids = await build_bike(client, tenant.auth)
    r = await client.get(f"{P}/items/{ids['BIKE']}/cost", headers=tenant.auth, params={"as_of": "2025-01-01"})
    c = r.json()
    # FRAME 3.3×2 + 0.5×3 = 8.1; WHEEL 10 + 37.8×0.1 + HUB-KIT(5 + 2×0.1) = 18.98; BIKE 8.1 + 2×18.98
    assert c["unit_material"] == pytest.approx(46.06)
    assert c["unit_labour"] == 0
    # BIKE 2 + FRAME 3 + TUBE 7 = 12 > BIKE 2 + WHEEL 1 + (phantom 0) + HUB 6 = 9
    assert c["cumulative_lead_time_days"] == 12
    assert c["critical_path"] == ["BIKE", "FRAME", "TUBE"]


async def test_item_and_bom_errors_are_clear(client: httpx.AsyncClient, tenant: TenantKit) -> None:
    ids = await build_bike(client, tenant.auth)
    dup = await client.post(f"{P}/items", headers=tenant.auth, json={"part_number": "BIKE", "make_buy": "make"})
    assert dup.status_code == 409
    assert dup.json()["code"] == "duplicate"
    unknown = await client.post(
        f"{P}/boms",
        headers=tenant.auth,
        json={
            "part_number": "BIKE",
            "revision": "X",
            "effective_from": "2040-01-01",
            "lines": [{"component": "NOPE-1", "qty_per": 1}, {"component": "NOPE-2", "qty_per": 1}],
        },
    )
    assert unknown.status_code == 422
    assert unknown.json()["code"] == "unknown_item"
    assert unknown.json()["part_numbers"] == ["NOPE-1", "NOPE-2"]
    overlap = await client.post(
        f"{P}/boms",
        headers=tenant.auth,
        json={"part_number": "WHEEL", "revision": "C", "effective_from": "2029-06-01", "lines": []},
    )
    assert overlap.status_code == 409
    assert overlap.json()["code"] == "effectivity_overlap"
    buy_parent = await client.post(f"{P}/boms", headers=tenant.auth, json={"part_number": "RIM", "revision": "A"})
    assert buy_parent.status_code == 422
    bad = await client.post(f"{P}/items", headers=tenant.auth, json={"part_number": "X", "make_buy": "steal"})
    assert bad.status_code == 422
    in_use = await client.delete(f"{P}/items/{ids['SPOKE']}", headers=tenant.auth)
    assert in_use.status_code == 409
    assert in_use.json()["code"] == "in_use"
    # optimistic concurrency: engineering and supply chain edit the same item
    item = (await client.get(f"{P}/items/{ids['RIM']}", headers=tenant.auth)).json()
    ok = await client.patch(
        f"{P}/items/{ids['RIM']}", headers=tenant.auth, json={"lead_time_days": 9, "expected_version": item["version"]}
    )
    assert ok.status_code == 200
    assert ok.json()["version"] == item["version"] + 1
    stale = await client.patch(
        f"{P}/items/{ids['RIM']}", headers=tenant.auth, json={"standard_cost": 11, "expected_version": item["version"]}
    )
    assert stale.status_code == 409
    assert stale.json()["code"] == "stale_version"
    assert stale.json()["current_version"] == item["version"] + 1
    missing = await client.get(f"{P}/items/00000000-0000-0000-0000-000000000000", headers=tenant.auth)
    assert missing.status_code == 404


async def test_viewer_can_read_but_not_write(client: httpx.AsyncClient, make_tenant) -> None:  # type: ignore[no-untyped-def]
    t = await make_tenant(roles=("viewer",))
    assert (await client.get(f"{P}/items", headers=t.as_role("viewer"))).status_code == 200
    r = await client.post(f"{P}/items", headers=t.as_role("viewer"), json={"part_number": "X", "make_buy": "buy"})
    assert r.status_code == 403
