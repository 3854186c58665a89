"""Electronic signatures on quality approvals: an NCR's disposition (MRB), a CAPA and a first-article report can be
signed (re-authentication, meaning), and a later change of the signed content shows the signature invalid."""

from __future__ import annotations

import httpx

from tests.conftest import PASSWORD, TenantFactory
from tests.quality.isolation_inspection import Q


async def test_mrb_disposition_signed_and_invalidated_by_a_change(
    client: httpx.AsyncClient, make_tenant: TenantFactory
) -> None:
    t = await make_tenant(roles=("quality",))
    qa = t.as_role("quality")
    ncr = (await client.post(f"{Q}/ncrs", headers=t.auth, json={"title": "burr on bore", "quantity": 5})).json()
    await client.post(
        f"{Q}/ncrs/{ncr['id']}/transition", headers=t.auth, json={"to": "contained", "expected_version": 1}
    )
    body = {"disposition": "use_as_is", "expected_version": 2}
    assert (await client.post(f"{Q}/ncrs/{ncr['id']}/disposition", headers=t.auth, json=body)).status_code == 200
    approved = await client.post(
        f"{Q}/ncrs/{ncr['id']}/mrb", headers=qa, json={"decision": "approve", "expected_version": 3}
    )
    assert approved.status_code == 200, approved.text
    sign = {"record_type": "ncr", "record_id": ncr["id"], "meaning": "approved", "password": "wrong-password-1"}
    r = await client.post(f"{Q}/signatures", headers=qa, json=sign)
    assert (r.status_code, r.json()["code"]) == (401, "signature_rejected")
    r = await client.post(f"{Q}/signatures", headers=qa, json={**sign, "password": PASSWORD})
    assert r.status_code == 201, r.text
    assert (r.json()["meaning"], r.json()["valid"]) == ("approved", True)
    params = {"record_type": "ncr", "record_id": ncr["id"]}
    r = await client.patch(
        f"{Q}/ncrs/{ncr['id']}", headers=t.auth, json={"expected_version": approved.json()["version"], "quantity": 4}
    )
    assert r.status_code == 200, r.text
    listed = (await client.get(f"{Q}/signatures", headers=qa, params=params)).json()
    assert [s["valid"] for s in listed] == [False]  # the signed quantity changed after signing
    capa = (await client.post(f"{Q}/capas", headers=t.auth, json={"title": "burrs", "ncr_ids": [ncr["id"]]})).json()
    r = await client.post(
        f"{Q}/signatures",
        headers=qa,
        json={**sign, "record_type": "capa", "record_id": capa["id"], "password": PASSWORD},
    )
    assert r.status_code == 201, r.text
    missing = {**sign, "record_type": "fai_report", "record_id": ncr["id"], "password": PASSWORD}
    assert (await client.post(f"{Q}/signatures", headers=qa, json=missing)).status_code == 404
