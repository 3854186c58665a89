"""What a signature on a trace record covers: the record's defining content, not its lifecycle counters.

A lot's signed content is its identity and attributes (part, revision, number, quantity, supplier refs, ITAR
flag): consuming or shipping it later does not invalidate a release signature, changing its quantity does.
"""

from __future__ import annotations

import uuid
from typing import Any

from mip.platform.db import Conn
from mip.quality.trace import documents, lots, shipments
from mip.quality.trace.esign import register_record_type

LOT_FIELDS = (
    "id", "item_id", "part_number", "revision", "lot_number", "quantity", "uom", "supplier", "supplier_lot",
    "cert_ref", "work_order_id", "itar",
)  # fmt: skip
SERIAL_FIELDS = ("id", "item_id", "part_number", "revision", "serial_number", "work_order_id", "itar")
SHIPMENT_FIELDS = ("id", "shipment_number", "customer", "customer_po", "ship_date", "notes")
DOCUMENT_FIELDS = ("id", "kind", "title", "revision", "part_number", "filename", "sha256", "itar")


def _pick(row: dict[str, Any], fields: tuple[str, ...]) -> dict[str, Any]:
    return {f: row[f] for f in fields}


async def lot_content(conn: Conn, record_id: uuid.UUID) -> dict[str, Any]:
    return _pick(await lots.get_lot(conn, record_id), LOT_FIELDS)


async def serial_content(conn: Conn, record_id: uuid.UUID) -> dict[str, Any]:
    return _pick(await lots.get_serial(conn, record_id), SERIAL_FIELDS)


async def shipment_content(conn: Conn, record_id: uuid.UUID) -> dict[str, Any]:
    out = _pick(await shipments.get_shipment(conn, record_id), SHIPMENT_FIELDS)
    # the lines straight from the line table: the same for every viewer, ITAR-authorised or not
    cur = await conn.execute(
        "select node_id, node_kind, quantity from trace_shipment_lines where shipment_id = %s order by node_id",
        [record_id],
    )
    out["lines"] = [[str(r["node_id"]), r["node_kind"], float(r["quantity"])] for r in await cur.fetchall()]
    return out


async def document_content(conn: Conn, record_id: uuid.UUID) -> dict[str, Any]:
    return _pick(await documents.get_document(conn, record_id), DOCUMENT_FIELDS)


def register_builtin() -> None:
    register_record_type("lot", lot_content)
    register_record_type("serial", serial_content)
    register_record_type("shipment", shipment_content)
    register_record_type("document", document_content)


register_builtin()
