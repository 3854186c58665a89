"""Certificate of conformance (PDF) for one shipped lot or serial.

The certificate's data (shipment, item, components from the backward trace, inspection summary, signatures)
is hashed canonically; that SHA-256 and a document id derived from it are printed on the PDF, and the PDF is
stored once as a ``coc`` document: asking again for unchanged data returns the same issued file, a change (a new
signature, a corrected lot) issues a new one.
"""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from typing import Any

from fpdf import FPDF

from mip.platform.db import Conn
from mip.quality.trace import documents, esign, genealogy, lots, records, shipments
from mip.quality.trace.common import MARKING, content_sha256
from mip.quality.trace.errors import ItarNotAuthorized, TraceNotFound

assert records.LOT_FIELDS  # importing records registers the record types signatures are checked against
COC_NAMESPACE = uuid.UUID("6f1c2b0e-5d7a-4c4e-9a57-1b2f3c4d5e6f")
STATEMENT = (
    "We certify that the items listed above were manufactured, inspected and tested in accordance with the "
    "applicable drawings, specifications and purchase order requirements, and that they conform in all respects "
    "to those requirements. Objective evidence is on file and available for review."
)
InspectionProvider = Callable[[Conn, str, uuid.UUID], Awaitable[list[str]]]
_inspection: list[InspectionProvider] = []


def register_inspection_summary(provider: InspectionProvider) -> None:
    """Inspection (FAI, final inspection) adds summary lines for a lot/serial: ``provider(conn, kind, id)``."""
    _inspection.append(provider)


def _line_for(ship: dict[str, Any], item: str) -> dict[str, Any]:
    for ln in ship["lines"]:
        if item in (ln["number"], str(ln["node_id"])):
            return dict(ln)
    raise TraceNotFound(f"{item!r} is not on shipment {ship['shipment_number']}")


async def coc_data(conn: Conn, shipment_id: uuid.UUID, item: str, *, levels: int = 2) -> dict[str, Any]:
    ship = await shipments.get_shipment(conn, shipment_id)
    line = _line_for(ship, item)
    kind, node = await lots.get_node(conn, line["node_id"])
    back = await genealogy.trace(conn, line["node_id"], "backward", max_depth=levels)
    if back["restricted_nodes"] or ship["restricted_lines"]:
        raise ItarNotAuthorized(
            "this certificate covers ITAR-controlled records: an ITAR-authorised user must issue it"
        )
    qty = {e["child_id"]: e["quantity"] for e in back["edges"] if e["parent_id"] == str(line["node_id"])}
    components = [
        {
            k: n[k]
            for k in ("depth", "kind", "part_number", "revision", "number", "supplier", "supplier_lot", "cert_ref")
        }
        | {"quantity": qty.get(n["id"])}
        for n in back["nodes"]
    ]
    inspection: list[str] = []
    for provider in _inspection:
        inspection += await provider(conn, kind, line["node_id"])
    sigs = [
        {k: s[k] for k in ("printed_name", "meaning", "signed_at", "valid")} | {"record": rt}
        for rt, rid in ((kind, line["node_id"]), ("shipment", shipment_id))
        for s in await esign.signatures(conn, rt, rid)
    ]
    cur = await conn.execute("select name from tenants")
    tenant = await cur.fetchone()
    itar = bool(node["itar"]) or back["itar"]
    return {
        "company": tenant["name"] if tenant else "",
        "shipment": {k: ship[k] for k in ("id", "shipment_number", "customer", "customer_po", "ship_date")},
        "item": {
            "kind": kind,
            "id": line["node_id"],
            "number": line["number"],
            "part_number": node["part_number"],
            "revision": node["revision"],
            "quantity": float(line["quantity"]),
        },
        "components": components,
        "inspection": inspection,
        "signatures": sigs,
        "itar": itar,
    }


def _text(value: Any) -> str:
    return ("" if value is None else str(value)).encode("latin-1", "replace").decode("latin-1")


class _Pdf(FPDF):
    banner: str | None = None
    footer_text: str = ""

    def header(self) -> None:
        if self.banner:
            self.set_font("Helvetica", "B", 9)
            self.set_text_color(180, 0, 0)
            self.cell(0, 6, _text(self.banner), border=1, align="C", new_x="LMARGIN", new_y="NEXT")
            self.set_text_color(0, 0, 0)
            self.ln(2)

    def footer(self) -> None:
        self.set_y(-14)
        self.set_font("Helvetica", "", 7)
        self.multi_cell(0, 3.5, _text(f"{self.footer_text}   Page {self.page_no()}/{{nb}}"), align="C")


def render(data: dict[str, Any], *, doc_id: uuid.UUID, sha: str, generated_at: datetime) -> bytes:
    pdf = _Pdf(format="A4")
    pdf.banner = MARKING if data["itar"] else None
    pdf.footer_text = f"Document {doc_id} - content SHA-256 {sha} - generated {generated_at.isoformat()}"
    pdf.set_auto_page_break(auto=True, margin=18)
    pdf.add_page()
    pdf.set_font("Helvetica", "B", 16)
    pdf.cell(0, 10, "CERTIFICATE OF CONFORMANCE", align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("Helvetica", "B", 11)
    pdf.cell(0, 7, _text(data["company"]), align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(3)
    s, it = data["shipment"], data["item"]
    label = "Serial number" if it["kind"] == "serial" else "Lot number"
    fields = [
        ("Customer", s["customer"]),
        ("Customer PO", s["customer_po"] or "-"),
        ("Shipment", s["shipment_number"]),
        ("Ship date", s["ship_date"]),
        ("Part number", it["part_number"]),
        ("Revision", it["revision"] or "-"),
        (label, it["number"]),
        ("Quantity", f"{it['quantity']:g}"),
    ]
    for key, value in fields:
        pdf.set_font("Helvetica", "B", 10)
        pdf.cell(45, 6, _text(key))
        pdf.set_font("Helvetica", "", 10)
        pdf.cell(0, 6, _text(value), new_x="LMARGIN", new_y="NEXT")
    pdf.ln(3)
    pdf.set_font("Helvetica", "", 10)
    pdf.multi_cell(0, 5, STATEMENT, new_x="LMARGIN", new_y="NEXT")
    pdf.ln(3)
    _section(pdf, "Component lots and serials (from the genealogy)")
    if data["components"]:
        widths = (12, 16, 34, 30, 18, 40, 40)
        head = ("Level", "Kind", "Part", "Number", "Qty", "Supplier / lot", "Cert")
        with pdf.table(col_widths=widths, text_align="LEFT", line_height=5) as table:
            table.row([_text(h) for h in head])
            for c in data["components"]:
                supplier = " / ".join(x for x in (c["supplier"], c["supplier_lot"]) if x)
                qty = "" if c["quantity"] is None else f"{c['quantity']:g}"
                table.row(
                    [
                        _text(v)
                        for v in (c["depth"], c["kind"], c["part_number"], c["number"], qty, supplier, c["cert_ref"])
                    ]
                )
    else:
        pdf.cell(0, 6, "No components recorded.", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(2)
    _section(pdf, "Inspection summary")
    for line in data["inspection"] or ["No inspection records linked to this item."]:
        pdf.multi_cell(0, 5, _text(line), new_x="LMARGIN", new_y="NEXT")
    pdf.ln(2)
    _section(pdf, "Signatures")
    if data["signatures"]:
        for sig in data["signatures"]:
            state = "valid" if sig["valid"] else "INVALID: the record changed after signing"
            text = f"{sig['printed_name']} - {sig['meaning']} ({sig['record']}) - {sig['signed_at']} - {state}"
            pdf.multi_cell(0, 5, _text(f"Electronically signed: {text}"), new_x="LMARGIN", new_y="NEXT")
    else:
        pdf.cell(0, 6, "Not electronically signed.", new_x="LMARGIN", new_y="NEXT")
        pdf.ln(6)
        pdf.cell(
            0, 6, "Authorized signature: ______________________    Date: ____________", new_x="LMARGIN", new_y="NEXT"
        )
    pdf.ln(3)
    pdf.set_font("Helvetica", "", 8)
    pdf.multi_cell(0, 4, _text(f"Document ID: {doc_id}\nContent SHA-256: {sha}\nGenerated: {generated_at.isoformat()}"))
    return bytes(pdf.output())


def _section(pdf: FPDF, title: str) -> None:
    pdf.set_font("Helvetica", "B", 11)
    pdf.cell(0, 7, title, new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("Helvetica", "", 9)


async def issue(
    conn: Conn, tenant_id: uuid.UUID, actor: uuid.UUID | None, shipment_id: uuid.UUID, item: str
) -> tuple[dict[str, Any], bytes]:
    """(the stored document record, the PDF bytes); the same data always maps to the same issued document."""
    data = await coc_data(conn, shipment_id, item)
    sha = content_sha256(data)
    doc_id = uuid.uuid5(COC_NAMESPACE, f"{tenant_id}:{sha}")
    try:
        return await documents.get_content(conn, doc_id)
    except TraceNotFound:
        pass
    pdf = render(data, doc_id=doc_id, sha=sha, generated_at=datetime.now(UTC).replace(microsecond=0))
    meta = {"content_sha256": sha, "shipment_id": str(shipment_id), "item_id": str(data["item"]["id"])}
    doc = {
        "kind": "coc",
        "title": f"CoC {data['shipment']['shipment_number']} {data['item']['number']}",
        "revision": sha[:12],
        "part_number": data["item"]["part_number"],
        "filename": f"coc-{data['shipment']['shipment_number']}-{data['item']['number']}.pdf",
        "content_type": "application/pdf",
        "meta": meta,
        "itar": data["itar"],
    }
    await documents.create_document(conn, tenant_id, actor, doc, pdf, doc_id=doc_id, if_absent=True)
    return await documents.get_content(conn, doc_id)
