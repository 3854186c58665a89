"""Shared store helpers: per-tenant document numbers, reference checks, optimistic versions, the events log.
Every function runs in the caller's tenant transaction (RLS scopes every statement)."""

from __future__ import annotations

import uuid
from typing import Any

from psycopg.types.json import Jsonb

from mip.platform.db import Conn
from mip.platform.ids import uuid7
from mip.quality.inspection.errors import QualityNotFound, UnknownReference, VersionConflict

PREFIX = {"ncr": "NCR", "capa": "CAPA", "fai": "FAI"}


def doc_number(kind: str, number: int) -> str:
    return f"{PREFIX[kind]}-{number:06d}"


async def next_number(conn: Conn, tenant_id: uuid.UUID, name: str) -> int:
    """The tenant's next number for ``name`` (row-locked counter: concurrent creators queue, no gaps)."""
    cur = await conn.execute(
        "insert into quality_counters (tenant_id, name, value) values (%s, %s, 1) "
        "on conflict (tenant_id, name) do update set value = quality_counters.value + 1 returning value",
        [tenant_id, name],
    )
    row = await cur.fetchone()
    assert row is not None
    return int(row["value"])


REFS = {
    "item_id": ("plan_items", "item"),
    "supplier_id": ("quality_suppliers", "supplier"),
    "line_id": ("assets", "line"),
    "inspection_id": ("inspections", "inspection"),
    "plan_id": ("inspection_plans", "inspection plan"),
    "work_order_id": ("plan_supply_orders", "work order"),
    "spc_chart_id": ("spc_charts", "SPC chart"),
}


async def check_refs(conn: Conn, fields: dict[str, Any]) -> None:
    """Every non-null reference in ``fields`` exists in the caller's tenant, else 422 naming it."""
    for key, value in fields.items():
        if value is None or key not in REFS:
            continue
        table, what = REFS[key]
        extra = " and kind = 'line'" if key == "line_id" else ""
        extra += " and kind = 'make'" if key == "work_order_id" else ""
        cur = await conn.execute(f"select 1 from {table} where id = %s{extra}", [value])
        if await cur.fetchone() is None:
            raise UnknownReference(f"unknown {what} {value}", field=key)


async def check_alerts(conn: Conn, alert_ids: list[uuid.UUID]) -> None:
    if not alert_ids:
        return
    cur = await conn.execute("select id from alerts where id = any(%s)", [alert_ids])
    found = {r["id"] for r in await cur.fetchall()}
    missing = [str(a) for a in alert_ids if a not in found]
    if missing:
        raise UnknownReference(f"unknown alarm(s) {', '.join(missing)}", field="alert_ids")


async def fetch_one(conn: Conn, sql: str, params: list[Any], what: str) -> dict[str, Any]:
    cur = await conn.execute(sql, params)
    row = await cur.fetchone()
    if row is None:
        raise QualityNotFound(f"{what} not found")
    return dict(row)


def check_version(row: dict[str, Any], expected: int, what: str) -> None:
    if row["version"] != expected:
        raise VersionConflict(
            f"{what} is at version {row['version']}, not {expected}: reload and retry", current_version=row["version"]
        )


async def record_event(
    conn: Conn,
    tenant_id: uuid.UUID,
    entity: str,
    entity_id: uuid.UUID,
    kind: str,
    actor: uuid.UUID | None,
    *,
    from_status: str | None = None,
    to_status: str | None = None,
    detail: dict[str, Any] | None = None,
) -> None:
    await conn.execute(
        "insert into quality_events (id, tenant_id, entity, entity_id, kind, from_status, to_status, actor_id, detail)"
        " values (%s,%s,%s,%s,%s,%s,%s,%s,%s)",
        [uuid7(), tenant_id, entity, entity_id, kind, from_status, to_status, actor, Jsonb(detail or {})],
    )


async def events(conn: Conn, entity: str, entity_id: uuid.UUID) -> list[dict[str, Any]]:
    cur = await conn.execute(
        "select id, kind, from_status, to_status, actor_id, detail, at from quality_events "
        "where entity = %s and entity_id = %s order by at, id",
        [entity, entity_id],
    )
    return [dict(r) for r in await cur.fetchall()]
