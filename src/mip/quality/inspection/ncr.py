"""Nonconformance reports: per-tenant numbers, containment, disposition with material review board approval
(use-as-is and repair need an MRB approval by a user with the quality role), a status workflow whose every
transition is recorded, and optimistic concurrency on every edit.

open → contained → (disposition) → dispositioned → closed; use-as-is/repair go through pending_mrb (approve →
dispositioned, reject → contained); open/contained/pending_mrb → cancelled."""

from __future__ import annotations

import re
import uuid
from typing import Any

from psycopg.types.json import Jsonb

from mip.platform.db import Conn
from mip.platform.ids import uuid7
from mip.quality.inspection.common import (
    check_alerts,
    check_refs,
    check_version,
    doc_number,
    events,
    fetch_one,
    next_number,
    record_event,
)
from mip.quality.inspection.errors import InvalidTransition, QualityNotFound
from mip.quality.inspection.schemas_ncr import DispositionIn, MrbIn, NcrIn, NcrPatch, TransitionIn

__all__ = ["events"]
MRB = frozenset({"use_as_is", "repair"})
TRANSITIONS: dict[str, frozenset[str]] = {  # via POST /transition (disposition and MRB have their own routes)
    "open": frozenset({"contained", "cancelled"}),
    "contained": frozenset({"cancelled"}),
    "pending_mrb": frozenset({"cancelled"}),
    "dispositioned": frozenset({"closed"}),
    "closed": frozenset(),
    "cancelled": frozenset(),
}
COLS = (
    "n.id, n.number, n.title, n.description, n.quantity, n.item_id, n.lots, n.serials, n.work_order_id, "
    "n.supplier_id, n.inspection_id, n.line_id, n.alert_ids, n.containment, n.status, n.disposition, "
    "n.disposition_quantity, n.disposition_notes, n.dispositioned_by, n.dispositioned_at, n.mrb_approved_by, "
    "n.mrb_approved_at, n.detected_at, n.created_by, n.version, n.created_at, n.updated_at, "
    "array(select l.capa_id from capa_ncrs l where l.ncr_id = n.id order by l.capa_id) as capa_ids"
)


def _out(row: dict[str, Any]) -> dict[str, Any]:
    return {**row, "ncr_number": doc_number("ncr", row["number"]), "mrb_required": row["disposition"] in MRB}


async def create(conn: Conn, tenant_id: uuid.UUID, user_id: uuid.UUID | None, body: NcrIn) -> dict[str, Any]:
    await check_refs(conn, {"item_id": body.item_id, "supplier_id": body.supplier_id, "line_id": body.line_id,
                            "inspection_id": body.inspection_id, "work_order_id": body.work_order_id})  # fmt: skip
    await check_alerts(conn, body.alert_ids)
    item_id = body.item_id
    if body.inspection_id is not None and item_id is None:
        insp = await fetch_one(conn, "select item_id from inspections where id = %s", [body.inspection_id], "insp")
        item_id = insp["item_id"]
    number = await next_number(conn, tenant_id, "ncr")
    ncr_id = uuid7()
    await conn.execute(
        "insert into ncrs (id, tenant_id, number, title, description, quantity, item_id, lots, serials, "
        "work_order_id, supplier_id, inspection_id, line_id, alert_ids, containment, detected_at, created_by) "
        "values (%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,coalesce(%s, now()),%s)",
        [
            ncr_id,
            tenant_id,
            number,
            body.title,
            body.description,
            body.quantity,
            item_id,
            body.lots,
            body.serials,
            body.work_order_id,
            body.supplier_id,
            body.inspection_id,
            body.line_id,
            body.alert_ids,
            Jsonb([c.model_dump(mode="json") for c in body.containment]),
            body.detected_at,
            user_id,
        ],  # fmt: skip
    )
    await record_event(conn, tenant_id, "ncr", ncr_id, "created", user_id, to_status="open")
    return await get(conn, ncr_id)


async def get(conn: Conn, ncr_id: uuid.UUID, *, lock: bool = False) -> dict[str, Any]:
    sql = f"select {COLS} from ncrs n where n.id = %s" + (" for update of n" if lock else "")
    return _out(await fetch_one(conn, sql, [ncr_id], "NCR"))


async def get_by_ref(conn: Conn, ref: str) -> dict[str, Any]:
    """By id, ``NCR-000123`` or ``123``."""
    m = re.fullmatch(r"(?i)(?:ncr-)?0*(\d+)", ref.strip())
    if m:
        cur = await conn.execute("select id from ncrs where number = %s", [int(m.group(1))])
        row = await cur.fetchone()
        if row is None:
            raise QualityNotFound(f"NCR {ref} not found")
        return await get(conn, row["id"])
    try:
        return await get(conn, uuid.UUID(ref))
    except ValueError:
        raise QualityNotFound(f"NCR {ref} not found") from None


async def list_ncrs(
    conn: Conn, *, status: str | None, limit: int, offset: int, supplier_id: uuid.UUID | None = None,
    item_id: uuid.UUID | None = None,
) -> list[dict[str, Any]]:  # fmt: skip
    cur = await conn.execute(
        f"select {COLS} from ncrs n where (%(s)s::text is null or n.status = %(s)s) "
        "and (%(sup)s::uuid is null or n.supplier_id = %(sup)s) and (%(i)s::uuid is null or n.item_id = %(i)s) "
        "order by n.number desc limit %(l)s offset %(o)s",
        {"s": status, "sup": supplier_id, "i": item_id, "l": limit, "o": offset},
    )
    return [_out(dict(r)) for r in await cur.fetchall()]


async def patch(conn: Conn, tenant_id: uuid.UUID, ncr_id: uuid.UUID, user_id: uuid.UUID | None,
                body: NcrPatch) -> dict[str, Any]:  # fmt: skip
    row = await get(conn, ncr_id, lock=True)
    check_version(row, body.expected_version, "the NCR")
    if row["status"] in ("closed", "cancelled"):
        raise InvalidTransition(f"the NCR is {row['status']}: it can no longer be edited")
    changes = body.model_dump(exclude_unset=True, exclude={"expected_version"})
    if "alert_ids" in changes:
        await check_alerts(conn, body.alert_ids or [])
    if "containment" in changes:
        changes["containment"] = Jsonb([c.model_dump(mode="json") for c in body.containment or []])
    if changes:
        sets = ", ".join(f"{k} = %({k})s" for k in changes)
        await conn.execute(
            f"update ncrs set {sets}, version = version + 1, updated_at = now() where id = %(id)s",
            {**changes, "id": ncr_id},
        )
        await record_event(conn, tenant_id, "ncr", ncr_id, "edited", user_id,
                           detail={"fields": sorted(changes)})  # fmt: skip
    return await get(conn, ncr_id)


async def _move(conn: Conn, tenant_id: uuid.UUID, row: dict[str, Any], to: str, user_id: uuid.UUID | None,
                kind: str, detail: dict[str, Any], sets: str = "",
                params: dict[str, Any] | None = None) -> None:  # fmt: skip
    await conn.execute(
        f"update ncrs set status = %(to)s{sets}, version = version + 1, updated_at = now() where id = %(id)s",
        {"to": to, "id": row["id"], **(params or {})},
    )
    await record_event(conn, tenant_id, "ncr", row["id"], kind, user_id, from_status=row["status"], to_status=to,
                       detail=detail)  # fmt: skip


async def transition(conn: Conn, tenant_id: uuid.UUID, ncr_id: uuid.UUID, user_id: uuid.UUID | None,
                     body: TransitionIn) -> dict[str, Any]:  # fmt: skip
    row = await get(conn, ncr_id, lock=True)
    check_version(row, body.expected_version, "the NCR")
    allowed = TRANSITIONS.get(row["status"], frozenset())
    if body.to not in allowed:
        hint = "; use the disposition route" if body.to == "dispositioned" else ""
        raise InvalidTransition(f"an NCR cannot go from {row['status']} to {body.to}{hint}",
                                allowed=sorted(allowed))  # fmt: skip
    await _move(conn, tenant_id, row, body.to, user_id, "transition", {"comment": body.comment})
    return await get(conn, ncr_id)


async def disposition(conn: Conn, tenant_id: uuid.UUID, ncr_id: uuid.UUID, user_id: uuid.UUID | None,
                      body: DispositionIn) -> dict[str, Any]:  # fmt: skip
    row = await get(conn, ncr_id, lock=True)
    check_version(row, body.expected_version, "the NCR")
    if row["status"] not in ("open", "contained"):
        raise InvalidTransition(f"an NCR in {row['status']} cannot be dispositioned")
    qty = body.quantity if body.quantity is not None else row["quantity"]
    if qty > row["quantity"]:
        raise InvalidTransition(f"disposition quantity {qty:g} exceeds the NCR's quantity {row['quantity']:g}")
    to = "pending_mrb" if body.disposition in MRB else "dispositioned"
    await _move(conn, tenant_id, row, to, user_id, "disposition",
                {"disposition": body.disposition, "quantity": qty, "notes": body.notes},
                ", disposition = %(d)s, disposition_quantity = %(q)s, disposition_notes = %(n)s, "
                "dispositioned_by = %(u)s, dispositioned_at = now(), mrb_approved_by = null, mrb_approved_at = null",
                {"d": body.disposition, "q": qty, "n": body.notes, "u": user_id})  # fmt: skip
    return await get(conn, ncr_id)


async def mrb(conn: Conn, tenant_id: uuid.UUID, ncr_id: uuid.UUID, user_id: uuid.UUID | None,
              body: MrbIn) -> dict[str, Any]:  # fmt: skip
    """The material review board's decision (the caller's quality role is checked by the route)."""
    row = await get(conn, ncr_id, lock=True)
    check_version(row, body.expected_version, "the NCR")
    if row["status"] != "pending_mrb":
        raise InvalidTransition(f"the NCR is {row['status']}, not awaiting MRB approval")
    detail = {"decision": body.decision, "comment": body.comment, "disposition": row["disposition"]}
    if body.decision == "approve":
        await _move(conn, tenant_id, row, "dispositioned", user_id, "mrb_approved", detail,
                    ", mrb_approved_by = %(u)s, mrb_approved_at = now()", {"u": user_id})  # fmt: skip
    else:
        await _move(conn, tenant_id, row, "contained", user_id, "mrb_rejected", detail,
                    ", disposition = null, disposition_quantity = null, dispositioned_by = null, "
                    "dispositioned_at = null")  # fmt: skip
    return await get(conn, ncr_id)
