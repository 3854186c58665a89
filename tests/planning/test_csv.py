"""CSV export → import into an empty tenant → export is identical; a failing import writes nothing."""

from __future__ import annotations

import httpx

from tests.conftest import TenantFactory
from tests.planning.fixtures import P, build_bike

CSV = {"content-type": "text/csv"}


async def test_round_trip_into_an_empty_tenant(client: httpx.AsyncClient, make_tenant: TenantFactory) -> None:
    a, b = await make_tenant(), await make_tenant()
    await build_bike(client, a.auth, SPOKE={"on_hand": 12.5, "safety_stock": 3})
    first = await client.get(f"{P}/boms/export", headers=a.auth)
    assert first.status_code == 200
    assert first.headers["content-type"].startswith("text/csv")
    text = first.text
    assert "line,WHEEL,,,,,,,,A,,,20,SPOKE,36,5,false,,ALT-SPOKE:1" in text
    assert "bom,WHEEL,,,,,,,,A,,2030-01-01,,,,,,," in text
    r = await client.post(f"{P}/boms/import", headers={**b.auth, **CSV}, content=text)
    assert r.status_code == 200, r.text
    assert r.json() == {"items_created": 10, "items_updated": 0, "boms_created": 5, "boms_replaced": 0}
    assert (await client.get(f"{P}/boms/export", headers=b.auth)).text == text
    again = await client.post(f"{P}/boms/import", headers={**b.auth, **CSV}, content=text)
    assert again.json() == {"items_created": 0, "items_updated": 0, "boms_created": 0, "boms_replaced": 5}
    assert (await client.get(f"{P}/boms/export", headers=b.auth)).text == text


async def test_failing_import_lists_rows_and_writes_nothing(
    client: httpx.AsyncClient, make_tenant: TenantFactory
) -> None:
    t = await make_tenant()
    doc = "\n".join(
        [
            "record,part_number,make_buy,lead_time_days,revision,component,qty_per,phantom",
            "item,TOP,make,1,,,,",
            "item,SUB,make,x,,,,",  # row 3: bad lead time
            "item,LEAF,buy,1,,,,",
            "bom,TOP,,,A,,,",
            "line,TOP,,,A,SUB,1,",
            "line,TOP,,,A,GHOST,1,",  # row 7: unknown part
            "line,TOP,,,A,LEAF,-2,maybe",  # row 8: bad quantity and flag
            "widget,TOP,,,,,,",  # row 9: unknown record
        ]
    )
    r = await client.post(f"{P}/boms/import", headers={**t.auth, **CSV}, content=doc)
    assert r.status_code == 422
    body = r.json()
    assert body["code"] == "import_invalid"
    assert [e["row"] for e in body["errors"]] == [3, 6, 7, 8, 9]  # 6: SUB is invalid, so unknown
    assert "GHOST" in body["errors"][2]["problem"]
    assert (await client.get(f"{P}/items", headers=t.auth)).json()["total"] == 0

    cyclic = "\n".join(
        [
            "record,part_number,make_buy,revision,component,qty_per",
            "item,A,make,,,",
            "item,B,make,,,",
            "bom,A,,R1,,",
            "line,A,,R1,B,1",
            "bom,B,,R1,,",
            "line,B,,R1,A,1",
        ]
    )
    r = await client.post(f"{P}/boms/import", headers={**t.auth, **CSV}, content=cyclic)
    assert r.status_code == 422
    assert "BOM cycle: A → B → A" in r.json()["errors"][0]["problem"]
    assert (await client.get(f"{P}/items", headers=t.auth)).json()["total"] == 0
    wrong_type = await client.post(
        f"{P}/boms/import", headers={**t.auth, "content-type": "application/json"}, content="{}"
    )
    assert wrong_type.status_code == 415
