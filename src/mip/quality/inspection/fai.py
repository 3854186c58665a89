"""AS9102 first article inspection reports: form 1 (part number accountability), form 2 (product accountability:
raw material, special processes, functional tests), form 3 (characteristic accountability). Form 3 rows are built
from the plan's characteristics and, when a first-article inspection is given, its results and the NCRs raised
against it. Each form exports as JSON or CSV."""

from __future__ import annotations

import csv
import io
import uuid
from typing import Any

from psycopg.types.json import Jsonb

from mip.platform.db import Conn
from mip.platform.ids import uuid7
from mip.quality.inspection.common import check_refs, doc_number, fetch_one, next_number
from mip.quality.inspection.errors import InspectionInput
from mip.quality.inspection.plans import characteristics
from mip.quality.inspection.schemas import FaiIn

FORM1_FIELDS = (
    "part_number", "part_name", "serial_number", "fai_report_number", "part_revision_level", "drawing_number",
    "drawing_revision_level", "additional_changes", "manufacturing_process_reference", "organization_name",
    "supplier_code", "purchase_order_number", "detail_or_assembly", "full_or_partial_fai", "partial_fai_reason",
)  # fmt: skip
FORM2_LISTS = ("materials", "special_processes", "functional_tests")
FORM2_COLUMNS = ("section", "name", "specification_number", "code", "supplier", "customer_approval_verification",
                 "certificate_of_conformance", "acceptance_report_number")  # fmt: skip
FORM3_COLUMNS = ("char_no", "bubble", "characteristic", "requirement", "results", "designed_tooling",
                 "nonconformance_number", "notes")  # fmt: skip
COLS = "id, number, item_id, plan_id, inspection_id, status, form1, form2, form3, version, created_at"


def _requirement(c: dict[str, Any]) -> str:
    if c["kind"] == "attribute":
        return f"{c['name']}: pass/fail ({c['method'] or 'visual'})"
    unit = f" {c['unit']}" if c["unit"] else ""
    if c["nominal"] is not None and c["lsl"] is not None and c["usl"] is not None:
        lo, hi = c["lsl"] - c["nominal"], c["usl"] - c["nominal"]
        return f"{c['nominal']:g} {hi:+g}/{lo:+g}{unit}"
    parts = [f"min {c['lsl']:g}" if c["lsl"] is not None else "", f"max {c['usl']:g}" if c["usl"] is not None else ""]
    return " ".join(p for p in parts if p) + unit


async def _form3(conn: Conn, plan_id: uuid.UUID, inspection_id: uuid.UUID | None) -> list[dict[str, Any]]:
    results: dict[uuid.UUID, list[dict[str, Any]]] = {}
    ncr: str = ""
    if inspection_id is not None:
        cur = await conn.execute(
            "select characteristic_id, value, passed from inspection_results where inspection_id = %s order by unit",
            [inspection_id],
        )
        for r in await cur.fetchall():
            results.setdefault(r["characteristic_id"], []).append(dict(r))
        cur = await conn.execute("select number from ncrs where inspection_id = %s order by number", [inspection_id])
        ncr = ", ".join(doc_number("ncr", r["number"]) for r in await cur.fetchall())
    rows = []
    for c in await characteristics(conn, plan_id):
        rs = results.get(c["id"], [])
        shown = ", ".join(("pass" if r["passed"] else "fail") if r["value"] is None else f"{r['value']:g}" for r in rs)
        failed = any(not r["passed"] for r in rs)
        rows.append({
            "char_no": c["number"], "bubble": c["bubble"], "characteristic": c["name"],
            "requirement": _requirement(c), "results": shown, "designed_tooling": c["designed_tooling"],
            "nonconformance_number": ncr if failed else "", "notes": "",
        })  # fmt: skip
    return rows


async def create(conn: Conn, tenant_id: uuid.UUID, user_id: uuid.UUID | None, body: FaiIn) -> dict[str, Any]:
    await check_refs(conn, {"item_id": body.item_id, "plan_id": body.plan_id, "inspection_id": body.inspection_id})
    item = await fetch_one(conn, "select part_number, description from plan_items where id = %s", [body.item_id],
                           "item")  # fmt: skip
    plan_id = body.plan_id
    if body.inspection_id is not None:
        insp = await fetch_one(conn, "select plan_id, item_id, serial from inspections where id = %s",
                               [body.inspection_id], "inspection")  # fmt: skip
        if insp["item_id"] != body.item_id or (plan_id is not None and plan_id != insp["plan_id"]):
            raise InspectionInput("the inspection is of another item or plan")
        plan_id = insp["plan_id"]
    if plan_id is not None:
        plan = await fetch_one(conn, "select item_id from inspection_plans where id = %s", [plan_id], "plan")
        if plan["item_id"] != body.item_id:
            raise InspectionInput("the plan is of another item")
    unknown = set(body.form2) - set(FORM2_LISTS)
    if unknown or not all(isinstance(body.form2.get(k, []), list) for k in FORM2_LISTS):
        raise InspectionInput(f"form2 takes lists {', '.join(FORM2_LISTS)}")
    if body.form3 is None and plan_id is None:
        raise InspectionInput("form 3 needs a plan (plan_id or inspection_id) or explicit rows")
    number = await next_number(conn, tenant_id, "fai")
    form1 = {k: "" for k in FORM1_FIELDS} | {"part_number": item["part_number"], "part_name": item["description"],
                                             "fai_report_number": doc_number("fai", number),
                                             "full_or_partial_fai": "full"}  # fmt: skip
    form1 |= {k: v for k, v in body.form1.items() if v is not None}
    form2 = {k: list(body.form2.get(k, [])) for k in FORM2_LISTS}
    assert plan_id is not None or body.form3 is not None
    form3 = body.form3 if body.form3 is not None else await _form3(conn, plan_id, body.inspection_id)  # type: ignore[arg-type]
    fai_id = uuid7()
    await conn.execute(
        "insert into fai_reports (id, tenant_id, number, item_id, plan_id, inspection_id, form1, form2, form3, "
        "created_by) values (%s,%s,%s,%s,%s,%s,%s,%s,%s,%s)",
        [
            fai_id,
            tenant_id,
            number,
            body.item_id,
            plan_id,
            body.inspection_id,
            Jsonb(form1),
            Jsonb(form2),
            Jsonb(form3),
            user_id,
        ],  # fmt: skip
    )
    return await get(conn, fai_id)


async def get(conn: Conn, fai_id: uuid.UUID) -> dict[str, Any]:
    row = await fetch_one(conn, f"select {COLS} from fai_reports where id = %s", [fai_id], "FAI report")
    return {**row, "fai_number": doc_number("fai", row["number"])}


def form(report: dict[str, Any], n: int) -> tuple[list[str], list[dict[str, Any]]]:
    """(columns, rows) of form ``n``: 1 one row of fields, 2 one row per material/process/test, 3 characteristics."""
    if n == 1:
        return list(report["form1"]), [report["form1"]]
    if n == 2:
        rows = [{"section": k, **({"name": e} if isinstance(e, str) else e)}
                for k in FORM2_LISTS for e in report["form2"].get(k, [])]  # fmt: skip
        extra = sorted({k for r in rows for k in r} - set(FORM2_COLUMNS))
        return [*FORM2_COLUMNS, *extra], rows
    if n == 3:
        extra = sorted({k for r in report["form3"] for k in r} - set(FORM3_COLUMNS))
        return [*FORM3_COLUMNS, *extra], report["form3"]
    raise InspectionInput("AS9102 has forms 1, 2 and 3")


def to_csv(columns: list[str], rows: list[dict[str, Any]]) -> str:
    buf = io.StringIO()
    w = csv.DictWriter(buf, fieldnames=columns, extrasaction="ignore", lineterminator="\n")
    w.writeheader()
    for r in rows:
        w.writerow({k: ("" if r.get(k) is None else r.get(k)) for k in columns})
    return buf.getvalue()
