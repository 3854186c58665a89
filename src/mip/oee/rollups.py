"""OEE rollups: the job that materialises per machine x bucket components and the effective timeline
(``compute_oee_rollups``, idempotent), and the read path that serves rolled-up hours from those tables and
computes the rest (the current hour, anything not rolled up yet) live."""

from __future__ import annotations

import logging
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from mip.oee.calc import Components, Segment
from mip.oee.calendar import HOUR_NS, MINUTE_NS, ShiftInstance, Span, ceil_to, clip, floor_to, union
from mip.oee.context import MachineCtx, load_machines
from mip.oee.engine import MachineResult, compute_live
from mip.oee.state import Interval, merge
from mip.platform.db import Conn, Database
from mip.platform.timeutil import now_ns as clock

log = logging.getLogger(__name__)

SETTLE_NS = MINUTE_NS  # an hour is rolled up once it ended this long ago

_ROLLUP_COLS = (
    "tenant_id, machine_id, bucket_start, bucket_end, line_id, shift_id, shift_name, shift_start, shift_end, day, "
    "shift_ns, planned_stop_ns, run_ns, idle_ns, down_ns, total_count, good_count, reject_count, ideal_run_ns, "
    "counted"
)
_ROLLUP_TYPES = (
    "uuid, uuid, bigint, bigint, uuid, uuid, text, bigint, bigint, date, bigint, bigint, bigint, bigint, bigint, "
    "float8, float8, float8, float8, boolean"
)
_INSERT_ROLLUPS = f"""
insert into oee_rollups ({_ROLLUP_COLS})
select * from unnest({", ".join(f"%(c{i})s::{t.strip()}[]" for i, t in enumerate(_ROLLUP_TYPES.split(",")))})
on conflict (tenant_id, machine_id, bucket_start) do update set
  bucket_end = excluded.bucket_end, line_id = excluded.line_id, shift_id = excluded.shift_id,
  shift_name = excluded.shift_name, shift_start = excluded.shift_start, shift_end = excluded.shift_end,
  day = excluded.day, shift_ns = excluded.shift_ns, planned_stop_ns = excluded.planned_stop_ns,
  run_ns = excluded.run_ns, idle_ns = excluded.idle_ns, down_ns = excluded.down_ns,
  total_count = excluded.total_count, good_count = excluded.good_count, reject_count = excluded.reject_count,
  ideal_run_ns = excluded.ideal_run_ns, counted = excluded.counted, computed_at = now()
"""
_INSERT_INTERVALS = """
insert into oee_state_intervals (tenant_id, machine_id, start_ns, end_ns, state, reason_code, source, entry_id)
select * from unnest(%s::uuid[], %s::uuid[], %s::bigint[], %s::bigint[], %s::text[], %s::text[], %s::text[],
                     %s::uuid[])
on conflict (tenant_id, machine_id, start_ns) do update set end_ns = excluded.end_ns, state = excluded.state,
  reason_code = excluded.reason_code, source = excluded.source, entry_id = excluded.entry_id
"""


def _segment_row(tenant_id: uuid.UUID, m: MachineCtx, s: Segment) -> tuple[Any, ...]:
    sh, c = s.shift, s.c
    return (
        tenant_id, m.id, s.start, s.end, m.line_id,
        sh.shift_id if sh else None, sh.name if sh else None, sh.start if sh else None, sh.end if sh else None,
        sh.day if sh else None,
        c.shift_ns, c.planned_stop_ns, c.run_ns, c.idle_ns, c.down_ns,
        c.total_count, c.good_count, c.reject_count, c.ideal_run_ns, c.counted,
    )  # fmt: skip


async def _make_room(conn: Conn, tenant_id: uuid.UUID, ids: list[uuid.UUID], a: int, b: int) -> None:
    """Make room for [a, b): split a stored interval that crosses ``b``, trim one that crosses ``a``."""
    await conn.execute(
        "insert into oee_state_intervals (tenant_id, machine_id, start_ns, end_ns, state, reason_code, source, "
        "entry_id) select tenant_id, machine_id, %(b)s, end_ns, state, reason_code, source, entry_id "
        "from oee_state_intervals where machine_id = any(%(ids)s) and start_ns >= %(a)s and start_ns < %(b)s "
        "and end_ns > %(b)s on conflict do nothing",
        {"ids": ids, "a": a, "b": b},
    )
    await conn.execute(
        "update oee_state_intervals set end_ns = %(a)s where machine_id = any(%(ids)s) and start_ns < %(a)s "
        "and end_ns > %(a)s",
        {"ids": ids, "a": a},
    )
    await conn.execute(
        "delete from oee_state_intervals where machine_id = any(%s) and start_ns >= %s and start_ns < %s",
        [ids, a, b],
    )


async def compute_oee_rollups(
    conn: Conn,
    tenant_id: uuid.UUID,
    start: int,
    end: int,
    *,
    now_ns: int | None = None,
    machine_ids: Sequence[uuid.UUID] | None = None,
) -> dict[str, Any]:
    """Recompute the OEE rollups and stored timeline of every configured machine (or ``machine_ids``) for
    the whole hours of [start, end) that ended at least a minute ago. Idempotent: the span's rows are
    replaced (upsert), so re-running it - e.g. every few minutes over the last hours, to pick up late
    readings and operator input - converges on the same rows. ``conn``: a tenant transaction of
    ``tenant_id``. Returns what it did (hours, machines, rows)."""
    now = clock() if now_ns is None else now_ns
    a = floor_to(start, HOUR_NS)
    b = min(ceil_to(end, HOUR_NS), floor_to(now - SETTLE_NS, HOUR_NS))
    stats: dict[str, Any] = {"from_ns": a, "to_ns": max(a, b), "machines": 0, "rollup_rows": 0, "intervals": 0}
    if b <= a:
        return stats
    machines = await load_machines(
        conn, list(machine_ids) if machine_ids is not None else None, configured_only=machine_ids is None
    )
    if not machines:
        return stats
    ids = [m.id for m in machines]
    # one rollup writer per tenant at a time (the periodic job vs. refreshes after operator input)
    await conn.execute("select pg_advisory_xact_lock(hashtextextended('mip.oee.rollups:' || %s, 0))", [str(tenant_id)])
    results = await compute_live(conn, machines, a, b, now)
    await conn.execute(
        "delete from oee_rollups where machine_id = any(%s) and bucket_start >= %s and bucket_start < %s", [ids, a, b]
    )
    rows = [_segment_row(tenant_id, m, s) for m in machines for s in results[m.id].segments]
    if rows:
        await conn.execute(_INSERT_ROLLUPS, {f"c{i}": [r[i] for r in rows] for i in range(len(rows[0]))})
    await _make_room(conn, tenant_id, ids, a, b)
    ivs = [(m.id, iv) for m in machines for iv in results[m.id].timeline]
    if ivs:
        await conn.execute(
            _INSERT_INTERVALS,
            [
                [tenant_id] * len(ivs),
                [mid for mid, _ in ivs],
                [iv.start for _, iv in ivs],
                [iv.end for _, iv in ivs],
                [iv.state for _, iv in ivs],
                [iv.reason_code for _, iv in ivs],
                [iv.source for _, iv in ivs],
                [iv.entry_id for _, iv in ivs],
            ],
        )
    stats.update(machines=len(machines), rollup_rows=len(rows), intervals=len(ivs))
    return stats


async def run_oee_rollups(db: Database, *, lookback_hours: int = 3, now_ns: int | None = None) -> dict[str, Any]:
    """One round of the periodic job: for every tenant with OEE configuration, recompute the last
    ``lookback_hours`` whole hours (one tenant transaction each; a failing tenant does not stop the rest)."""
    now = clock() if now_ns is None else now_ns
    async with db.system_tx() as conn:
        cur = await conn.execute("select tenant_id from mip_oee_tenants()")
        tenants = [r["tenant_id"] for r in await cur.fetchall()]
    done, failed = 0, 0
    for tenant_id in tenants:
        try:
            async with db.tenant_tx(tenant_id) as conn:
                await compute_oee_rollups(conn, tenant_id, now - lookback_hours * HOUR_NS, now, now_ns=now)
            done += 1
        except Exception:
            failed += 1
            log.exception("OEE rollups failed for a tenant", extra={"tenant_id": str(tenant_id)})
    return {"tenants": done, "failed": failed}


async def refresh_rollups(
    conn: Conn, tenant_id: uuid.UUID, machine_id: uuid.UUID, a: int, b: int, now: int | None = None
) -> None:
    """After operator input for [a, b): recompute the already rolled-up hours of that span."""
    cur = await conn.execute(
        "select min(bucket_start) as lo, max(bucket_end) as hi from oee_rollups where machine_id = %s "
        "and bucket_start >= %s and bucket_start < %s",
        [machine_id, floor_to(a, HOUR_NS), b],
    )
    row = await cur.fetchone()
    if row and row["lo"] is not None:
        await compute_oee_rollups(conn, tenant_id, row["lo"], row["hi"], now_ns=now, machine_ids=[machine_id])


# -- read path ---------------------------------------------------------------------------------------------


@dataclass(slots=True)
class Loaded:
    results: dict[uuid.UUID, MachineResult]
    rolled_up_ns: int = 0
    live_ns: int = 0
    notes: list[str] = field(default_factory=list)


def _row_segment(r: dict[str, Any]) -> Segment:
    shift = None
    if r["shift_start"] is not None:
        shift = ShiftInstance(r["shift_id"], r["shift_name"], r["shift_start"], r["shift_end"], r["day"])
    c = Components(
        r["shift_ns"], r["planned_stop_ns"], r["run_ns"], r["idle_ns"], r["down_ns"],
        r["total_count"], r["good_count"], r["reject_count"], r["ideal_run_ns"], r["counted"],
    )  # fmt: skip
    return Segment(r["machine_id"], r["bucket_start"], r["bucket_end"], shift, c)


def _gaps(a: int, end: int, covered: set[int]) -> list[Span]:
    """Parts of [a, end) not in a covered whole hour."""
    out: list[Span] = []
    cursor = a
    for h in sorted(covered):
        if h < a or h + HOUR_NS > end:
            continue
        if h > cursor:
            out.append((cursor, h))
        cursor = max(cursor, h + HOUR_NS)
    if cursor < end:
        out.append((cursor, end))
    return out


async def load_oee(
    conn: Conn, machines: Sequence[MachineCtx], a: int, b: int, now: int, *, timeline: bool = True
) -> Loaded:
    """Segments (and timelines) of [a, min(b, now)) per machine: rolled-up hours from the rollup tables,
    everything else computed live."""
    end = min(b, now)
    out = Loaded({m.id: MachineResult() for m in machines})
    if end <= a or not machines:
        return out
    ids = [m.id for m in machines]
    cur = await conn.execute(
        "select * from oee_rollups where machine_id = any(%s) and bucket_start >= %s and bucket_end <= %s "
        "order by bucket_start",
        [ids, ceil_to(a, HOUR_NS), floor_to(end, HOUR_NS)],
    )
    covered: dict[uuid.UUID, set[int]] = {m: set() for m in ids}
    for r in await cur.fetchall():
        out.results[r["machine_id"]].segments.append(_row_segment(dict(r)))
        covered[r["machine_id"]].add(floor_to(r["bucket_start"], HOUR_NS))
    gaps = {m: _gaps(a, end, covered[m]) for m in ids}
    stored: dict[uuid.UUID, list[Interval]] = {m: [] for m in ids}
    if timeline and any(covered.values()):
        cur = await conn.execute(
            "select machine_id, start_ns, end_ns, state, reason_code, source, entry_id from oee_state_intervals "
            "where machine_id = any(%s) and start_ns < %s and end_ns > %s order by start_ns",
            [ids, end, a],
        )
        for r in await cur.fetchall():
            stored[r["machine_id"]].append(
                Interval(r["start_ns"], r["end_ns"], r["state"], r["source"], r["reason_code"], r["entry_id"])
            )
    for mid, hours in covered.items():
        out.rolled_up_ns += len(hours) * HOUR_NS
        rolled = union((h, h + HOUR_NS) for h in hours)
        for iv in stored[mid]:
            for s, e in clip(rolled, iv.start, iv.end):
                out.results[mid].timeline.append(Interval(s, e, iv.state, iv.source, iv.reason_code, iv.entry_id))
    # machines with the same gaps are computed together
    groups: dict[tuple[Span, ...], list[MachineCtx]] = {}
    for m in machines:
        groups.setdefault(tuple(gaps[m.id]), []).append(m)
    for spans, group in groups.items():
        for s, e in spans:
            live = await compute_live(conn, group, s, e, now)
            out.live_ns += (e - s) * len(group)
            for mid, res in live.items():
                out.results[mid].segments += res.segments
                out.results[mid].timeline += res.timeline
    for res in out.results.values():
        res.segments.sort(key=lambda seg: seg.start)
        res.timeline = merge(sorted(res.timeline, key=lambda iv: iv.start))
    return out
