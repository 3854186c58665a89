"""Certificate of conformance: a real PDF with the serial, the component lots, the signature, the document id and
the content hash; issued once per distinct content."""

from __future__ import annotations

import hashlib
import re
import zlib

import httpx

from tests.conftest import PASSWORD, TenantKit
from tests.quality.isolation_trace import Q, lot, post_ok, serial, uniq


def pdf_text(pdf: bytes) -> str:
    """The text drawn on the pages: every (Flate-compressed) content stream, inflated."""
    out = []
    for m in re.finditer(rb"stream\r?\n(.*?)\r?\nendstream", pdf, re.S):
        try:
            out.append(zlib.decompress(m.group(1)).decode("latin-1"))
        except zlib.error:
            out.append(m.group(1).decode("latin-1"))
    return "\n".join(out)


async def test_coc_pdf_for_a_shipped_serial(client: httpx.AsyncClient, tenant: TenantKit) -> None:
    h = tenant.auth
    steel = await lot(
        client, h, 100, part_number="STEEL-4140", supplier="Acme Metals", supplier_lot="AM-77", cert_ref="MTR-9"
    )
    paint = await lot(client, h, 20, part_number="PAINT")
    top = await serial(client, h, part_number="PUMP-7", revision="B")
    body = {
        "parent_id": top["id"],
        "children": [{"id": steel["id"], "quantity": 3}, {"id": paint["id"], "quantity": 1}],
    }
    assert (await client.post(f"{Q}/genealogy/consume", headers=h, json=body)).status_code == 201
    number = uniq("SH")
    ship = await post_ok(
        client,
        "/shipments",
        h,
        {"shipment_number": number, "customer": "Globex", "customer_po": "PO-4411", "lines": [{"id": top["id"]}]},
    )
    url = f"{Q}/shipments/{ship['id']}/coc.pdf"
    r = await client.get(url, headers=h, params={"serial": top["serial_number"]})
    assert r.status_code == 200, r.text
    assert r.headers["content-type"] == "application/pdf"
    pdf = r.content
    assert pdf.startswith(b"%PDF")
    assert r.headers["x-file-sha256"] == hashlib.sha256(pdf).hexdigest()
    text = pdf_text(pdf)
    for expected in (
        "CERTIFICATE OF CONFORMANCE", top["serial_number"], "PUMP-7", steel["lot_number"], paint["lot_number"],
        "AM-77", "MTR-9", "Globex", "PO-4411", number, "Not electronically signed", r.headers["x-document-id"],
        r.headers["x-content-sha256"],
    ):  # fmt: skip
        assert expected in text, expected
    # the same data: the same issued certificate, byte for byte
    again = await client.get(url, headers=h, params={"serial": top["serial_number"]})
    assert again.content == pdf
    # a signature changes the content: a new certificate showing the signature
    sig = {"record_type": "shipment", "record_id": ship["id"], "meaning": "released", "password": PASSWORD}
    assert (await client.post(f"{Q}/signatures", headers=h, json=sig)).status_code == 201
    signed = await client.get(url, headers=h, params={"serial": top["id"]})
    assert signed.headers["x-document-id"] != r.headers["x-document-id"]
    assert "Electronically signed" in pdf_text(signed.content)
    assert "released" in pdf_text(signed.content)
    doc = (await client.get(f"{Q}/documents/{signed.headers['x-document-id']}", headers=h)).json()
    assert doc["kind"] == "coc"
    assert doc["sha256"] == hashlib.sha256(signed.content).hexdigest()
    stored = await client.get(f"{Q}/documents/{doc['id']}/content", headers=h)
    assert stored.content == signed.content
    # errors
    assert (await client.get(url, headers=h, params={"serial": "NOT-SHIPPED"})).status_code == 404
    assert (await client.get(url, headers=h)).status_code == 422
    assert (
        await client.get(f"{Q}/shipments/{steel['id']}/coc.pdf", headers=h, params={"serial": "x"})
    ).status_code == 404
