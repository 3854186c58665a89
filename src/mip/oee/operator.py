"""Operator input: state overrides (win over the signal and the schedule), downtime classifications, and
part counts. A reason of the ``planned`` category turns the time into a planned stop (it leaves planned
production time). Every write recomputes the hours of its span that were already rolled up."""

from __future__ import annotations

import uuid
from typing import Any

from mip.oee.calendar import HOUR_NS
from mip.oee.config import reason_category
from mip.oee.errors import EntryNotFound, InvalidOeeInput
from mip.oee.rollups import load_oee, refresh_rollups
from mip.oee.service import machine_ctx
from mip.oee.state import IDLE, PLANNED_STOP, RUNNING
from mip.platform.db import Conn
from mip.platform.ids import uuid7

MAX_ENTRY_NS = 7 * 24 * HOUR_NS  # operator input is about shifts; it also bounds the rollup refresh
ENTRY_COLS = "id, machine_id, start_ns, end_ns, state, reason_code, note, kind, created_by, created_at"
COUNT_COLS = "id, machine_id, start_ns, end_ns, good, reject, note, created_by, created_at"


def _check_span(start: int, end: int | None, now: int) -> None:
    if end is not None and end <= start:
        raise InvalidOeeInput("'end' must be after 'start'")
    if (end if end is not None else now) - start > MAX_ENTRY_NS:
        raise InvalidOeeInput("an entry may span at most 7 days (an open one: start at most 7 days ago)")


async def post_state(
    conn: Conn, tenant_id: uuid.UUID, user_id: uuid.UUID | None, machine_id: uuid.UUID, *, state: str,
    start: int, end: int | None, reason_code: str | None, note: str, now: int,
) -> dict[str, Any]:  # fmt: skip
    """Record the machine's state from ``start`` to ``end`` (a correction of that window), or, without
    ``end``, from ``start`` on: then an earlier open entry of the machine ends where this one starts."""
    await machine_ctx(conn, machine_id)
    _check_span(start, end, now)
    category = await reason_category(conn, reason_code)
    if category == "planned" and state in (IDLE, "down"):
        state = PLANNED_STOP
    if category == "unplanned" and state == PLANNED_STOP:
        raise InvalidOeeInput(f"reason {reason_code!r} is unplanned; a planned stop needs a planned reason")
    if reason_code is not None and state == RUNNING:
        raise InvalidOeeInput("a running interval takes no downtime reason")
    if end is None and start > now:
        raise InvalidOeeInput("an open entry cannot start in the future; give an 'end'")
    if end is None:
        await conn.execute(
            "update oee_operator_states set end_ns = %s where machine_id = %s and end_ns is null and start_ns < %s",
            [start, machine_id, start],
        )
    cur = await conn.execute(
        f"insert into oee_operator_states (id, tenant_id, machine_id, start_ns, end_ns, state, reason_code, note, "
        f"kind, created_by) values (%s, %s, %s, %s, %s, %s, %s, %s, 'override', %s) returning {ENTRY_COLS}",
        [uuid7(), tenant_id, machine_id, start, end, state, reason_code, note, user_id],
    )
    row = await cur.fetchone()
    assert row is not None
    await refresh_rollups(conn, tenant_id, machine_id, start, end if end is not None else now, now)
    return dict(row)


async def classify(
    conn: Conn, tenant_id: uuid.UUID, user_id: uuid.UUID | None, machine_id: uuid.UUID, *, start: int, end: int,
    reason_code: str, note: str, now: int,
) -> dict[str, Any]:  # fmt: skip
    """Give a downtime interval a reason. It keeps its state (idle stays idle; mixed idle/down becomes down)
    unless the reason is planned, which makes it a planned stop. Running time cannot be classified."""
    m = await machine_ctx(conn, machine_id)
    _check_span(start, end, now)
    if end > now:
        raise InvalidOeeInput("only past downtime can be classified")
    category = await reason_category(conn, reason_code)
    loaded = await load_oee(conn, [m], start, end, now)
    states = {iv.state for iv in loaded.results[m.id].timeline}
    if RUNNING in states:
        raise InvalidOeeInput("the interval contains running time; classify only the downtime", states=sorted(states))
    state = PLANNED_STOP if category == "planned" else IDLE if states == {IDLE} else "down"
    cur = await conn.execute(
        f"insert into oee_operator_states (id, tenant_id, machine_id, start_ns, end_ns, state, reason_code, note, "
        f"kind, created_by) values (%s, %s, %s, %s, %s, %s, %s, %s, 'classification', %s) returning {ENTRY_COLS}",
        [uuid7(), tenant_id, machine_id, start, end, state, reason_code, note, user_id],
    )
    row = await cur.fetchone()
    assert row is not None
    await refresh_rollups(conn, tenant_id, machine_id, start, end, now)
    return dict(row)


async def delete_entry(conn: Conn, tenant_id: uuid.UUID, entry_id: uuid.UUID, now: int) -> None:
    cur = await conn.execute(
        "delete from oee_operator_states where id = %s returning machine_id, start_ns, end_ns", [entry_id]
    )
    row = await cur.fetchone()
    if row is None:
        raise EntryNotFound(f"state entry {entry_id} not found")
    await refresh_rollups(conn, tenant_id, row["machine_id"], row["start_ns"], row["end_ns"] or now, now)


async def add_count(
    conn: Conn, tenant_id: uuid.UUID, user_id: uuid.UUID | None, machine_id: uuid.UUID, *, start: int, end: int,
    good: float, reject: float, note: str, now: int,
) -> dict[str, Any]:  # fmt: skip
    await machine_ctx(conn, machine_id)
    _check_span(start, end, now)
    cur = await conn.execute(
        f"insert into oee_counts (id, tenant_id, machine_id, start_ns, end_ns, good, reject, note, created_by) "
        f"values (%s, %s, %s, %s, %s, %s, %s, %s, %s) returning {COUNT_COLS}",
        [uuid7(), tenant_id, machine_id, start, end, good, reject, note, user_id],
    )
    row = await cur.fetchone()
    assert row is not None
    await refresh_rollups(conn, tenant_id, machine_id, start, end, now)
    return dict(row)


async def list_counts(conn: Conn, machine_id: uuid.UUID, a: int, b: int) -> list[dict[str, Any]]:
    await machine_ctx(conn, machine_id)
    cur = await conn.execute(
        f"select {COUNT_COLS} from oee_counts where machine_id = %s and start_ns < %s and end_ns > %s "
        "order by start_ns, id",
        [machine_id, b, a],
    )
    return [dict(r) for r in await cur.fetchall()]


async def delete_count(conn: Conn, tenant_id: uuid.UUID, count_id: uuid.UUID, now: int) -> None:
    cur = await conn.execute("delete from oee_counts where id = %s returning machine_id, start_ns, end_ns", [count_id])
    row = await cur.fetchone()
    if row is None:
        raise EntryNotFound(f"count entry {count_id} not found")
    await refresh_rollups(conn, tenant_id, row["machine_id"], row["start_ns"], row["end_ns"], now)
