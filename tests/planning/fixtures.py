"""A 4-level bicycle structure built through the API (hand-computed expectations in the tests).

BIKE (make, LT 2) ─ FRAME ×1 (make, LT 3) ─ TUBE ×3 +10 % scrap (buy, LT 7, 2.00), PAINT ×0.5 (buy, LT 2, 3.00)
                  └ WHEEL ×2 (make, LT 1) ─ RIM ×1 (buy, LT 4, 10.00), SPOKE ×36 +5 % (buy, LT 5, 0.10),
                                            HUB-KIT ×1 phantom (make) ─ HUB ×1 (buy, LT 6, 5.00), SPOKE ×2
WHEEL rev A is effective until 2030-01-01, rev B (RIM ×1, SPOKE ×32, HUB-KIT ×1 phantom) from then on.
"""

from __future__ import annotations

from typing import Any

import httpx

P = "/api/v1/planning"

ITEMS = [
    {"part_number": "BIKE", "make_buy": "make", "lead_time_days": 2, "description": "Bicycle"},
    {"part_number": "FRAME", "make_buy": "make", "lead_time_days": 3},
    {"part_number": "WHEEL", "make_buy": "make", "lead_time_days": 1},
    {"part_number": "HUB-KIT", "make_buy": "make", "lead_time_days": 0},
    {"part_number": "TUBE", "make_buy": "buy", "lead_time_days": 7, "standard_cost": 2},
    {"part_number": "PAINT", "make_buy": "buy", "lead_time_days": 2, "standard_cost": 3, "uom": "l"},
    {"part_number": "RIM", "make_buy": "buy", "lead_time_days": 4, "standard_cost": 10},
    {"part_number": "SPOKE", "make_buy": "buy", "lead_time_days": 5, "standard_cost": 0.1},
    {"part_number": "HUB", "make_buy": "buy", "lead_time_days": 6, "standard_cost": 5},
    {"part_number": "ALT-SPOKE", "make_buy": "buy", "lead_time_days": 5, "standard_cost": 0.12},
]

BOMS: list[dict[str, Any]] = [
    {"part_number": "BIKE", "revision": "A", "lines": [
        {"component": "FRAME", "qty_per": 1}, {"component": "WHEEL", "qty_per": 2, "ref_des": "F,R"}]},
    {"part_number": "FRAME", "revision": "A", "lines": [
        {"component": "TUBE", "qty_per": 3, "scrap_pct": 10}, {"component": "PAINT", "qty_per": 0.5}]},
    {"part_number": "WHEEL", "revision": "A", "effective_to": "2030-01-01", "lines": [
        {"component": "RIM", "qty_per": 1},
        {"component": "SPOKE", "qty_per": 36, "scrap_pct": 5, "substitutes": [{"part_number": "ALT-SPOKE"}]},
        {"component": "HUB-KIT", "qty_per": 1, "phantom": True}]},
    {"part_number": "WHEEL", "revision": "B", "effective_from": "2030-01-01", "lines": [
        {"component": "RIM", "qty_per": 1}, {"component": "SPOKE", "qty_per": 32},
        {"component": "HUB-KIT", "qty_per": 1, "phantom": True}]},
    {"part_number": "HUB-KIT", "revision": "A", "lines": [
        {"component": "HUB", "qty_per": 1}, {"component": "SPOKE", "qty_per": 2}]},
]  # fmt: skip


async def build_bike(client: httpx.AsyncClient, auth: dict[str, str], **overrides: dict[str, Any]) -> dict[str, str]:
    """Create the items (with per-part overrides) and BOMs; returns part number → item id."""
    ids = {}
    for it in ITEMS:
        r = await client.post(f"{P}/items", headers=auth, json={**it, **overrides.get(it["part_number"], {})})
        assert r.status_code == 201, r.text
        ids[it["part_number"]] = r.json()["id"]
    for b in BOMS:
        r = await client.post(f"{P}/boms", headers=auth, json=b)
        assert r.status_code == 201, r.text
    return ids
