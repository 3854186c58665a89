"""ITAR-controlled items: only ITAR-authorised users may mark or see them (a restrictive RLS policy on plan_items);
the CSV carries the flag, and importing a file that marks items needs the same authorisation."""

from __future__ import annotations

import httpx

from tests.conftest import TenantFactory
from tests.quality.test_itar_access import MARK, itar_user

P = "/api/v1/planning"


async def test_given_itar_item_then_only_authorised_users_see_or_mark_it(
    client: httpx.AsyncClient, make_tenant: TenantFactory
) -> None:
    t = await make_tenant(roles=("engineer", "production"))
    cleared, _ = await itar_user(client, t)
    plain = t.as_role("production")  # may write planning data, not ITAR-authorised
    body = {"part_number": "GUIDANCE-1", "make_buy": "buy", "itar": True}
    r = await client.post(f"{P}/items", headers=plain, json=body)
    assert r.status_code == 403, r.text
    assert r.json()["code"] == "itar_not_authorized"
    secret = (await client.post(f"{P}/items", headers=cleared, json=body)).json()
    assert (secret["itar"], secret["marking"]) == (True, MARK)
    bolt = (await client.post(f"{P}/items", headers=plain, json={"part_number": "BOLT-1", "make_buy": "buy"})).json()
    assert bolt["marking"] is None
    assert (await client.get(f"{P}/items/{secret['id']}", headers=plain)).status_code == 404
    listed = (await client.get(f"{P}/items", headers=plain)).json()
    assert [i["part_number"] for i in listed["items"]] == ["BOLT-1"]
    assert (await client.patch(f"{P}/items/{bolt['id']}", headers=plain, json={"itar": True})).status_code == 403
    # the export carries the flag for those who may see the item; importing it needs the authorisation
    csv_cleared = (await client.get(f"{P}/boms/export", headers=cleared)).text
    assert "GUIDANCE-1" in csv_cleared
    assert ",true\n" in csv_cleared.split("GUIDANCE-1", 1)[1].split("\n", 1)[0] + "\n"
    assert "GUIDANCE-1" not in (await client.get(f"{P}/boms/export", headers=plain)).text
    headers = {**plain, "content-type": "text/csv"}
    r = await client.post(f"{P}/boms/import", headers=headers, content=csv_cleared.encode())
    assert r.status_code == 403, r.text
