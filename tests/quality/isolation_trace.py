"""Cross-tenant cases for every quality trace route (same contract as tests/assets/isolation_cases.py), and the
small seeding helpers the trace tests share."""

from __future__ import annotations

import base64
import secrets
from collections.abc import Awaitable, Callable
from typing import Any

import httpx

Q = "/api/v1/quality"


def uniq(prefix: str) -> str:
    return f"{prefix}-{secrets.token_hex(4)}"


async def post_ok(client: httpx.AsyncClient, path: str, headers: dict[str, str], body: dict[str, Any]) -> Any:
    r = await client.post(f"{Q}{path}", headers=headers, json=body)
    assert r.status_code == 201, r.text
    return r.json()


async def lot(client: httpx.AsyncClient, headers: dict[str, str], qty: float = 100, **extra: Any) -> Any:
    body = {"part_number": extra.pop("part_number", "RAW-1"), "lot_number": uniq("L"), "quantity": qty, **extra}
    return await post_ok(client, "/lots", headers, body)


async def serial(client: httpx.AsyncClient, headers: dict[str, str], **extra: Any) -> Any:
    body = {"part_number": extra.pop("part_number", "ASSY-1"), "serial_number": uniq("SN"), **extra}
    return await post_ok(client, "/serials", headers, body)


async def seed(client: httpx.AsyncClient, headers: dict[str, str]) -> dict[str, Any]:
    """A serial made from a lot, shipped; a document; a signature on the lot."""
    raw = await lot(client, headers)
    top = await serial(client, headers)
    body = {"parent_id": top["id"], "children": [{"id": raw["id"], "quantity": 2}]}
    await post_ok(client, "/genealogy/consume", headers, body)
    ship = await post_ok(
        client, "/shipments", headers, {"shipment_number": uniq("SH"), "customer": "ACME", "lines": [{"id": top["id"]}]}
    )
    doc = await post_ok(
        client,
        "/documents",
        headers,
        {"kind": "drawing", "title": uniq("DWG"), "content_base64": base64.b64encode(b"drawing").decode()},
    )
    return {"lot": raw, "serial": top, "shipment": ship, "document": doc}


def register_quality_trace_cases(case: Callable[[str, str], Any], is_404: Callable[[Any], Awaitable[None]]) -> None:
    """Register one case per route."""

    async def b_seed(w: Any) -> dict[str, Any]:
        return await seed(w.client, w.b.auth)

    @case("POST", f"{Q}/lots")
    async def _create_lot(w: Any) -> None:
        r = await w.client.post(
            f"{Q}/lots",
            headers=w.a.auth,
            json={"part_number": "X", "lot_number": "L1", "quantity": 1, "tenant_id": str(w.b.id)},
        )
        assert r.json()["tenant_id"] == str(w.a.id)

    @case("GET", f"{Q}/lots")
    async def _list_lots(w: Any) -> None:
        b = await b_seed(w)
        r = await w.client.get(f"{Q}/lots", headers=w.a.auth, params={"lot_number": b["lot"]["lot_number"]})
        assert r.json()["total"] == 0

    @case("GET", f"{Q}/lots/{{lot_id}}")
    async def _get_lot(w: Any) -> None:
        b = await b_seed(w)
        await is_404(await w.client.get(f"{Q}/lots/{b['lot']['id']}", headers=w.a.auth))

    @case("PATCH", f"{Q}/lots/{{lot_id}}")
    async def _patch_lot(w: Any) -> None:
        b = await b_seed(w)
        await is_404(
            await w.client.patch(f"{Q}/lots/{b['lot']['id']}", headers=w.a.auth, json={"status": "quarantined"})
        )
        assert (await w.client.get(f"{Q}/lots/{b['lot']['id']}", headers=w.b.auth)).json()["status"] == "released"

    @case("POST", f"{Q}/serials")
    async def _create_serial(w: Any) -> None:
        r = await w.client.post(f"{Q}/serials", headers=w.a.auth, json={"part_number": "X", "serial_number": "S1"})
        assert r.json()["tenant_id"] == str(w.a.id)

    @case("GET", f"{Q}/serials")
    async def _list_serials(w: Any) -> None:
        b = await b_seed(w)
        r = await w.client.get(f"{Q}/serials", headers=w.a.auth, params={"serial_number": b["serial"]["serial_number"]})
        assert r.json()["total"] == 0

    @case("GET", f"{Q}/serials/{{serial_id}}")
    async def _get_serial(w: Any) -> None:
        b = await b_seed(w)
        await is_404(await w.client.get(f"{Q}/serials/{b['serial']['id']}", headers=w.a.auth))

    @case("PATCH", f"{Q}/serials/{{serial_id}}")
    async def _patch_serial(w: Any) -> None:
        b = await b_seed(w)
        r = await w.client.patch(f"{Q}/serials/{b['serial']['id']}", headers=w.a.auth, json={"status": "scrapped"})
        await is_404(r)

    @case("POST", f"{Q}/genealogy/consume")
    async def _consume(w: Any) -> None:
        b = await b_seed(w)
        mine = await serial(w.client, w.a.auth)
        body = {"parent_id": mine["id"], "children": [{"id": b["lot"]["id"], "quantity": 1}]}
        await is_404(await w.client.post(f"{Q}/genealogy/consume", headers=w.a.auth, json=body))
        theirs = await lot(w.client, w.b.auth)
        mine_lot = await lot(w.client, w.a.auth)
        body = {"parent_id": theirs["id"], "children": [{"id": mine_lot["id"], "quantity": 1}]}
        await is_404(await w.client.post(f"{Q}/genealogy/consume", headers=w.a.auth, json=body))

    @case("GET", f"{Q}/trace/backward/{{node}}")
    async def _backward(w: Any) -> None:
        b = await b_seed(w)
        await is_404(await w.client.get(f"{Q}/trace/backward/{b['serial']['id']}", headers=w.a.auth))
        await is_404(await w.client.get(f"{Q}/trace/backward/{b['serial']['serial_number']}", headers=w.a.auth))

    @case("GET", f"{Q}/trace/forward/{{node}}")
    async def _forward(w: Any) -> None:
        b = await b_seed(w)
        await is_404(await w.client.get(f"{Q}/trace/forward/{b['lot']['id']}", headers=w.a.auth))

    @case("GET", f"{Q}/trace/recall/{{lot}}")
    async def _recall(w: Any) -> None:
        b = await b_seed(w)
        await is_404(await w.client.get(f"{Q}/trace/recall/{b['lot']['lot_number']}", headers=w.a.auth))

    @case("POST", f"{Q}/shipments")
    async def _create_shipment(w: Any) -> None:
        b = await b_seed(w)
        body = {"shipment_number": uniq("SH"), "customer": "X", "lines": [{"id": b["lot"]["id"], "quantity": 1}]}
        await is_404(await w.client.post(f"{Q}/shipments", headers=w.a.auth, json=body))
        assert (await w.client.get(f"{Q}/lots/{b['lot']['id']}", headers=w.b.auth)).json()["shipped_qty"] == 0

    @case("GET", f"{Q}/shipments")
    async def _list_shipments(w: Any) -> None:
        b = await b_seed(w)
        items = (await w.client.get(f"{Q}/shipments", headers=w.a.auth)).json()["items"]
        assert b["shipment"]["id"] not in {s["id"] for s in items}

    @case("GET", f"{Q}/shipments/{{shipment_id}}")
    async def _get_shipment(w: Any) -> None:
        b = await b_seed(w)
        await is_404(await w.client.get(f"{Q}/shipments/{b['shipment']['id']}", headers=w.a.auth))

    @case("GET", f"{Q}/shipments/{{shipment_id}}/coc.pdf")
    async def _coc(w: Any) -> None:
        b = await b_seed(w)
        params = {"serial": b["serial"]["serial_number"]}
        await is_404(
            await w.client.get(f"{Q}/shipments/{b['shipment']['id']}/coc.pdf", headers=w.a.auth, params=params)
        )

    @case("POST", f"{Q}/documents")
    async def _create_document(w: Any) -> None:
        body = {"kind": "spec", "title": "S", "content_base64": "eA==", "tenant_id": str(w.b.id)}
        r = await w.client.post(f"{Q}/documents", headers=w.a.auth, json=body)
        assert r.json()["tenant_id"] == str(w.a.id)

    @case("GET", f"{Q}/documents")
    async def _list_documents(w: Any) -> None:
        b = await b_seed(w)
        items = (await w.client.get(f"{Q}/documents", headers=w.a.auth)).json()["items"]
        assert b["document"]["id"] not in {d["id"] for d in items}

    @case("GET", f"{Q}/documents/{{document_id}}")
    async def _get_document(w: Any) -> None:
        b = await b_seed(w)
        await is_404(await w.client.get(f"{Q}/documents/{b['document']['id']}", headers=w.a.auth))

    @case("GET", f"{Q}/documents/{{document_id}}/content")
    async def _document_content(w: Any) -> None:
        b = await b_seed(w)
        await is_404(await w.client.get(f"{Q}/documents/{b['document']['id']}/content", headers=w.a.auth))

    @case("POST", f"{Q}/signatures")
    async def _sign(w: Any) -> None:
        from tests.conftest import PASSWORD

        b = await b_seed(w)
        body = {"record_type": "lot", "record_id": b["lot"]["id"], "meaning": "approved", "password": PASSWORD}
        await is_404(await w.client.post(f"{Q}/signatures", headers=w.a.auth, json=body))
        params = {"record_type": "lot", "record_id": b["lot"]["id"]}
        assert (await w.client.get(f"{Q}/signatures", headers=w.b.auth, params=params)).json() == []

    @case("GET", f"{Q}/signatures")
    async def _signatures(w: Any) -> None:
        b = await b_seed(w)
        params = {"record_type": "shipment", "record_id": b["shipment"]["id"]}
        await is_404(await w.client.get(f"{Q}/signatures", headers=w.a.auth, params=params))

    @case("GET", f"{Q}/signatures/failures")
    async def _failures(w: Any) -> None:
        b = await b_seed(w)
        body = {"record_type": "lot", "record_id": b["lot"]["id"], "meaning": "approved", "password": "wrong-password"}
        assert (await w.client.post(f"{Q}/signatures", headers=w.b.auth, json=body)).status_code == 401
        assert len((await w.client.get(f"{Q}/signatures/failures", headers=w.b.auth)).json()) == 1
        assert (await w.client.get(f"{Q}/signatures/failures", headers=w.a.auth)).json() == []
