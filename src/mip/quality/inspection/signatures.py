"""Electronic signatures on quality approvals: what a signature on an NCR (e.g. the MRB disposition), a CAPA (its
closure) or an AS9102 first-article report covers. Registered with the signature service
(``quality/trace/esign.py``); sign with ``POST /api/v1/quality/signatures`` and ``record_type`` ``ncr``,
``capa`` or ``fai_report``. A signature stays valid while the signed content is unchanged: a later change of the
disposition, root cause or a form shows the signature as no longer valid."""

from __future__ import annotations

import uuid
from typing import Any

from mip.platform.db import Conn
from mip.quality.inspection.errors import QualityNotFound
from mip.quality.trace.esign import register_record_type

NCR_FIELDS = (
    "id", "number", "title", "description", "item_id", "quantity", "lots", "serials", "work_order_id",
    "disposition", "disposition_quantity", "disposition_notes",
)  # fmt: skip
CAPA_FIELDS = (
    "id", "number", "title", "team", "problem", "containment", "root_cause", "corrective_actions",
    "implementation", "preventive_actions", "effectiveness_date", "effectiveness_result", "effectiveness_notes",
    "closure_notes",
)  # fmt: skip
FAI_FIELDS = ("id", "number", "item_id", "plan_id", "inspection_id", "form1", "form2", "form3")


def _loader(table: str, fields: tuple[str, ...], what: str) -> Any:
    columns = ", ".join(fields)

    async def load(conn: Conn, record_id: uuid.UUID) -> dict[str, Any]:
        cur = await conn.execute(f"select {columns} from {table} where id = %s", [record_id])  # noqa: S608
        row = await cur.fetchone()
        if row is None:
            raise QualityNotFound(f"{what} {record_id} not found")
        return dict(row)

    return load


def register() -> None:
    register_record_type("ncr", _loader("ncrs", NCR_FIELDS, "NCR"))
    register_record_type("capa", _loader("capas", CAPA_FIELDS, "CAPA"))
    register_record_type("fai_report", _loader("fai_reports", FAI_FIELDS, "FAI report"))


register()
