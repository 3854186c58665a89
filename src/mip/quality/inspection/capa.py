"""CAPA as 8D: D1 team, D2 problem, D3 containment, D4 root cause (5-why / fishbone category), D5 corrective
actions (owner, due date), D6 implementation, D7 preventive actions, effectiveness check, D8 closure; linked to
NCRs. open → implementing → verifying → closed (closing needs a passed effectiveness check); any but closed →
cancelled; verifying → implementing when the check failed. Every edit and transition is recorded."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any

from psycopg.types.json import Jsonb

from mip.platform.db import Conn
from mip.platform.ids import uuid7
from mip.quality.inspection.common import check_version, doc_number, fetch_one, next_number, record_event
from mip.quality.inspection.errors import CapaNotEffective, InvalidTransition, UnknownReference
from mip.quality.inspection.schemas_ncr import CapaIn, CapaPatch, TransitionIn

TRANSITIONS: dict[str, frozenset[str]] = {
    "open": frozenset({"implementing", "cancelled"}),
    "implementing": frozenset({"verifying", "cancelled"}),
    "verifying": frozenset({"closed", "implementing", "cancelled"}),
    "closed": frozenset(),
    "cancelled": frozenset(),
}
JSON_FIELDS = ("team", "root_cause", "corrective_actions", "preventive_actions")
COLS = (
    "c.id, c.number, c.title, c.status, c.team, c.problem, c.containment, c.root_cause, c.corrective_actions, "
    "c.implementation, c.implemented_at, c.preventive_actions, c.effectiveness_date, c.effectiveness_result, "
    "c.effectiveness_notes, c.effectiveness_checked_by, c.closure_notes, c.closed_by, c.closed_at, c.created_by, "
    "c.version, c.created_at, c.updated_at, "
    "array(select l.ncr_id from capa_ncrs l where l.capa_id = c.id order by l.ncr_id) as ncr_ids"
)


async def _link(conn: Conn, tenant_id: uuid.UUID, capa_id: uuid.UUID, ncr_ids: list[uuid.UUID]) -> None:
    if ncr_ids:
        cur = await conn.execute("select id from ncrs where id = any(%s)", [ncr_ids])
        found = {r["id"] for r in await cur.fetchall()}
        missing = [str(n) for n in ncr_ids if n not in found]
        if missing:
            raise UnknownReference(f"unknown NCR(s) {', '.join(missing)}", field="ncr_ids")
    await conn.execute("delete from capa_ncrs where capa_id = %s", [capa_id])
    for n in dict.fromkeys(ncr_ids):
        await conn.execute("insert into capa_ncrs (tenant_id, capa_id, ncr_id) values (%s,%s,%s)",
                           [tenant_id, capa_id, n])  # fmt: skip


async def create(conn: Conn, tenant_id: uuid.UUID, user_id: uuid.UUID | None, body: CapaIn) -> dict[str, Any]:
    number = await next_number(conn, tenant_id, "capa")
    capa_id = uuid7()
    await conn.execute(
        "insert into capas (id, tenant_id, number, title, team, problem, containment, created_by) "
        "values (%s,%s,%s,%s,%s,%s,%s,%s)",
        [
            capa_id,
            tenant_id,
            number,
            body.title,
            Jsonb([t.model_dump(mode="json") for t in body.team]),
            body.problem,
            body.containment,
            user_id,
        ],  # fmt: skip
    )
    await _link(conn, tenant_id, capa_id, body.ncr_ids)
    await record_event(conn, tenant_id, "capa", capa_id, "created", user_id, to_status="open")
    return await get(conn, capa_id)


async def get(conn: Conn, capa_id: uuid.UUID, *, lock: bool = False) -> dict[str, Any]:
    sql = f"select {COLS} from capas c where c.id = %s" + (" for update of c" if lock else "")
    row = await fetch_one(conn, sql, [capa_id], "CAPA")
    return {**row, "capa_number": doc_number("capa", row["number"])}


async def list_capas(conn: Conn, *, status: str | None, ncr_id: uuid.UUID | None, limit: int,
                     offset: int) -> list[dict[str, Any]]:  # fmt: skip
    cur = await conn.execute(
        f"select {COLS} from capas c where (%(s)s::text is null or c.status = %(s)s) and (%(n)s::uuid is null or "
        "exists (select 1 from capa_ncrs l where l.capa_id = c.id and l.ncr_id = %(n)s)) "
        "order by c.number desc limit %(l)s offset %(o)s",
        {"s": status, "n": ncr_id, "l": limit, "o": offset},
    )
    return [{**dict(r), "capa_number": doc_number("capa", r["number"])} for r in await cur.fetchall()]


async def patch(conn: Conn, tenant_id: uuid.UUID, capa_id: uuid.UUID, user_id: uuid.UUID | None,
                body: CapaPatch) -> dict[str, Any]:  # fmt: skip
    row = await get(conn, capa_id, lock=True)
    check_version(row, body.expected_version, "the CAPA")
    if row["status"] in ("closed", "cancelled"):
        raise InvalidTransition(f"the CAPA is {row['status']}: it can no longer be edited")
    changes = body.model_dump(mode="json", exclude_unset=True, exclude={"expected_version", "ncr_ids"})
    for k in JSON_FIELDS:
        if k in changes:
            changes[k] = Jsonb(changes[k])
    for k in ("implemented_at", "effectiveness_date"):
        if changes.get(k) is not None:
            changes[k] = getattr(body, k)
    if "effectiveness_result" in changes:
        changes["effectiveness_checked_by"] = user_id
        if body.effectiveness_result is not None and body.effectiveness_date is None and not row["effectiveness_date"]:
            changes["effectiveness_date"] = datetime.now(UTC).date()
    if body.ncr_ids is not None:
        await _link(conn, tenant_id, capa_id, body.ncr_ids)
    if changes:
        sets = ", ".join(f"{k} = %({k})s" for k in changes)
        await conn.execute(f"update capas set {sets} where id = %(id)s", {**changes, "id": capa_id})
    fields = sorted(set(changes) | ({"ncr_ids"} if body.ncr_ids is not None else set()))
    if fields:
        await conn.execute("update capas set version = version + 1, updated_at = now() where id = %s", [capa_id])
        await record_event(conn, tenant_id, "capa", capa_id, "edited", user_id, detail={"fields": fields})
    return await get(conn, capa_id)


async def transition(conn: Conn, tenant_id: uuid.UUID, capa_id: uuid.UUID, user_id: uuid.UUID | None,
                     body: TransitionIn) -> dict[str, Any]:  # fmt: skip
    row = await get(conn, capa_id, lock=True)
    check_version(row, body.expected_version, "the CAPA")
    allowed = TRANSITIONS.get(row["status"], frozenset())
    if body.to not in allowed:
        raise InvalidTransition(f"a CAPA cannot go from {row['status']} to {body.to}", allowed=sorted(allowed))
    extra = ""
    if body.to == "closed":
        if row["effectiveness_result"] != "passed" or row["effectiveness_date"] is None:
            raise CapaNotEffective("closing a CAPA needs a passed effectiveness check (date and result 'passed')")
        extra = ", closed_by = %(u)s, closed_at = now()"
    if body.to == "verifying" and not row["corrective_actions"]:
        raise InvalidTransition("a CAPA needs corrective actions (D5) before verification")
    await conn.execute(
        f"update capas set status = %(to)s{extra}, version = version + 1, updated_at = now() where id = %(id)s",
        {"to": body.to, "id": capa_id, "u": user_id},
    )
    await record_event(conn, tenant_id, "capa", capa_id, "transition", user_id, from_status=row["status"],
                       to_status=body.to, detail={"comment": body.comment})  # fmt: skip
    return await get(conn, capa_id)
