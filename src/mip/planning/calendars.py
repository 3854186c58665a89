"""Work calendars (weekly shifts in a site time zone, holidays), machine unavailability windows, and the
function that turns a calendar + windows into available intervals over a horizon."""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Sequence
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from mip.planning import common
from mip.planning.common import Row
from mip.planning.errors import InvalidPlanningInput
from mip.planning.schemas_ops import CalendarIn, CalendarUpdate, UnavailabilityIn
from mip.platform.db import Conn

Span = tuple[datetime, datetime]
MAX_HORIZON = timedelta(days=400)


def _hm(s: str) -> time:
    h, m = s.split(":")
    return time(int(h), int(m))


def shift_intervals(calendar: Row | None, start: datetime, end: datetime) -> list[Span]:
    """Open time of a calendar within ``[start, end)``, in UTC, merged. ``None``: always open.

    Shifts are wall-clock times in the calendar's zone, so a shift across a DST change is an hour shorter or
    longer in real time. A shift that starts on a holiday (local date) does not happen."""
    if start.tzinfo is None or end.tzinfo is None:
        raise InvalidPlanningInput("start and end need a time zone")
    if end <= start:
        return []
    if end - start > MAX_HORIZON:
        raise InvalidPlanningInput(f"horizon longer than {MAX_HORIZON.days} days")
    if calendar is None:
        return [(start.astimezone(UTC), end.astimezone(UTC))]
    tz = ZoneInfo(calendar["timezone"])
    holidays = {date.fromisoformat(str(h["date"])) for h in calendar["holidays"]}
    by_day: dict[int, list[tuple[time, time]]] = {}
    for s in calendar["shifts"]:
        by_day.setdefault(int(s["weekday"]), []).append((_hm(s["start"]), _hm(s["end"])))
    out: list[Span] = []
    day = start.astimezone(tz).date() - timedelta(days=1)
    last = end.astimezone(tz).date()
    while day <= last:
        if day not in holidays:
            for a, b in by_day.get(day.weekday(), []):
                a_dt = datetime.combine(day, a, tzinfo=tz)
                b_dt = datetime.combine(day + timedelta(days=1) if b <= a else day, b, tzinfo=tz)
                lo, hi = max(a_dt.astimezone(UTC), start), min(b_dt.astimezone(UTC), end)
                if lo < hi:
                    out.append((lo.astimezone(UTC), hi.astimezone(UTC)))
        day += timedelta(days=1)
    return merge(out)


def merge(spans: Iterable[Span]) -> list[Span]:
    out: list[Span] = []
    for a, b in sorted(spans):
        if out and a <= out[-1][1]:
            if b > out[-1][1]:
                out[-1] = (out[-1][0], b)
        else:
            out.append((a, b))
    return out


def subtract(spans: Sequence[Span], holes: Iterable[Span]) -> list[Span]:
    out = list(spans)
    for h0, h1 in merge(holes):
        nxt: list[Span] = []
        for a, b in out:
            if h1 <= a or h0 >= b:
                nxt.append((a, b))
                continue
            if a < h0:
                nxt.append((a, h0))
            if h1 < b:
                nxt.append((h1, b))
        out = nxt
    return out


def available_intervals(calendar: Row | None, windows: Iterable[Span], start: datetime, end: datetime) -> list[Span]:
    """Calendar open time over ``[start, end)`` minus unavailability windows (UTC, sorted, disjoint)."""
    return subtract(shift_intervals(calendar, start, end), windows)


def closed_intervals(open_spans: Sequence[Span], start: datetime, end: datetime) -> list[Span]:
    """The complement of ``open_spans`` within ``[start, end)``."""
    return subtract([(start.astimezone(UTC), end.astimezone(UTC))], open_spans)


# --- calendars ------------------------------------------------------------------------------------------


def _cal_values(body: CalendarIn) -> dict[str, Any]:
    return {
        "name": body.name,
        "timezone": body.timezone,
        "shifts": [s.model_dump() for s in body.shifts],
        "holidays": [{"date": h.date.isoformat(), "name": h.name} for h in body.holidays],
    }


async def create_calendar(conn: Conn, tenant_id: uuid.UUID, body: CalendarIn) -> Row:
    dup = f"calendar {body.name!r} already exists"
    return await common.insert(conn, "plan_calendars", {"tenant_id": tenant_id, **_cal_values(body)}, duplicate=dup)


async def update_calendar(conn: Conn, cal_id: uuid.UUID, body: CalendarUpdate) -> Row:
    return await common.update(
        conn,
        "plan_calendars",
        cal_id,
        _cal_values(body),
        body.expected_version,
        what="calendar",
        duplicate=f"calendar {body.name!r} already exists",
    )


async def get_calendar(conn: Conn, cal_id: uuid.UUID) -> Row:
    return await common.fetch(conn, "plan_calendars", cal_id, "calendar")


async def list_calendars(conn: Conn) -> list[Row]:
    cur = await conn.execute("select * from plan_calendars order by name")
    return await cur.fetchall()


async def delete_calendar(conn: Conn, cal_id: uuid.UUID) -> None:
    await common.delete(conn, "plan_calendars", cal_id, what="calendar", in_use="a work centre uses the calendar")


# --- unavailability -------------------------------------------------------------------------------------


async def require_machines(conn: Conn, machine_ids: Iterable[uuid.UUID]) -> None:
    """404 naming machine ids that are not machines of the tenant (another tenant's are invisible)."""
    ids = sorted(set(machine_ids), key=str)
    if not ids:
        return
    cur = await conn.execute("select id from assets where kind = 'machine' and id = any(%s)", [ids])
    found = {r["id"] for r in await cur.fetchall()}
    missing = [str(i) for i in ids if i not in found]
    if missing:
        from mip.planning.errors import PlanningNotFound

        raise PlanningNotFound(f"machine(s) not found: {', '.join(missing)}", machine_ids=missing)


async def create_window(conn: Conn, tenant_id: uuid.UUID, body: UnavailabilityIn) -> Row:
    await require_machines(conn, [body.machine_id])
    return await common.insert(
        conn, "plan_unavailability", {"tenant_id": tenant_id, **body.model_dump()}, duplicate="duplicate window"
    )


async def list_windows(
    conn: Conn, *, machine_id: uuid.UUID | None, start: datetime | None, end: datetime | None
) -> list[Row]:
    where: list[str] = ["true"]
    args: list[object] = []
    if machine_id:
        where.append("machine_id = %s")
        args.append(machine_id)
    if start:
        where.append("end_at > %s")
        args.append(start)
    if end:
        where.append("start_at < %s")
        args.append(end)
    cur = await conn.execute(f"select * from plan_unavailability where {' and '.join(where)} order by start_at", args)
    return await cur.fetchall()


async def delete_window(conn: Conn, window_id: uuid.UUID) -> None:
    await common.delete(conn, "plan_unavailability", window_id, what="unavailability window", in_use="in use")


async def windows_by_machine(
    conn: Conn, machine_ids: Sequence[uuid.UUID], start: datetime, end: datetime
) -> dict[uuid.UUID, list[Row]]:
    cur = await conn.execute(
        "select * from plan_unavailability where machine_id = any(%s) and end_at > %s and start_at < %s"
        " order by start_at",
        [list(machine_ids), start, end],
    )
    out: dict[uuid.UUID, list[Row]] = {}
    for r in await cur.fetchall():
        out.setdefault(r["machine_id"], []).append(r)
    return out
