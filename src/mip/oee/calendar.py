"""Shift calendars in a site's local time, turned into UTC epoch-ns instances; interval arithmetic.

A shift (or a recurring planned stop) is a local start time, a local end time and the ISO weekdays (1 =
Monday) on which it *starts*; an end at or before the start means it ends the next day (22:00-06:00). The
instances are computed in wall-clock time of the site's zone, so a night shift over a DST change really is
7 or 9 hours long. The production ``day`` of an instance is the local date it starts on.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

NS_PER_S = 1_000_000_000
MINUTE_NS = 60 * NS_PER_S
HOUR_NS = 60 * MINUTE_NS
DAY_MIN = 24 * 60
WEEK_MIN = 7 * DAY_MIN
ALL_DAYS = frozenset(range(1, 8))
DEFAULT_SHIFT_NAME = "all day"  # a site without shifts is planned 24/7, one instance per local day

Span = tuple[int, int]


@dataclass(frozen=True, slots=True)
class Weekly:
    """A weekly recurring window: local start/end minute of the day, ISO weekdays of the start."""

    start_min: int
    end_min: int
    days: frozenset[int]

    @property
    def duration_min(self) -> int:
        return (self.end_min - self.start_min) % DAY_MIN or DAY_MIN

    def week_spans(self) -> list[Span]:
        """Minutes of the week [0, 10080) covered, split where the week wraps."""
        out: list[Span] = []
        for d in sorted(self.days):
            a = (d - 1) * DAY_MIN + self.start_min
            b = a + self.duration_min
            out += [(a, min(b, WEEK_MIN))] + ([(0, b - WEEK_MIN)] if b > WEEK_MIN else [])
        return out


@dataclass(frozen=True, slots=True)
class ShiftDef:
    id: uuid.UUID | None
    name: str
    window: Weekly


@dataclass(frozen=True, slots=True)
class ShiftInstance:
    shift_id: uuid.UUID | None
    name: str
    start: int
    end: int
    day: date


def minute_of_day(t: time) -> int:
    return t.hour * 60 + t.minute


def local_ns(day: date, minute: int, tz: ZoneInfo) -> int:
    """Epoch ns of ``minute`` minutes of wall-clock time after local midnight of ``day`` (may pass midnight)."""
    wall = datetime.combine(day, time()) + timedelta(minutes=minute)
    return round(wall.replace(tzinfo=tz).timestamp()) * NS_PER_S


def local_date(ns: int, tz: ZoneInfo) -> date:
    return datetime.fromtimestamp(ns // NS_PER_S, tz=UTC).astimezone(tz).date()


def _days_between(a: int, b: int, tz: ZoneInfo) -> Iterable[date]:
    day, last = local_date(a, tz) - timedelta(days=1), local_date(b, tz)
    while day <= last:
        yield day
        day += timedelta(days=1)


def weekly_instances(window: Weekly, tz: ZoneInfo, a: int, b: int) -> list[tuple[int, int, date]]:
    """(start, end, local start date) of every occurrence overlapping [a, b), unclipped."""
    out: list[tuple[int, int, date]] = []
    for day in _days_between(a, b, tz):
        if day.isoweekday() in window.days:
            s = local_ns(day, window.start_min, tz)
            e = local_ns(day, window.start_min + window.duration_min, tz)
            if s < b and e > a and e > s:
                out.append((s, e, day))
    return out


def shift_instances(shifts: Sequence[ShiftDef], tz: ZoneInfo, a: int, b: int) -> list[ShiftInstance]:
    """Shift instances overlapping [a, b) in start order; with no shifts, one 24 h instance per local day."""
    defs = shifts or [ShiftDef(None, DEFAULT_SHIFT_NAME, Weekly(0, 0, ALL_DAYS))]
    out = [
        ShiftInstance(s.id, s.name, start, end, day)
        for s in defs
        for start, end, day in weekly_instances(s.window, tz, a, b)
    ]
    out.sort(key=lambda i: i.start)
    return out


def weekly_overlap(x: Weekly, y: Weekly) -> bool:
    return any(a < d and c < b for a, b in x.week_spans() for c, d in y.week_spans())


# -- interval arithmetic on [start, end) spans -------------------------------------------------------------


def union(spans: Iterable[Span]) -> list[Span]:
    out: list[Span] = []
    for a, b in sorted(s for s in spans if s[1] > s[0]):
        if out and a <= out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], b))
        else:
            out.append((a, b))
    return out


def overlap(a: int, b: int, c: int, d: int) -> int:
    return max(0, min(b, d) - max(a, c))


def clip(spans: Iterable[Span], a: int, b: int) -> list[Span]:
    return [(max(s, a), min(e, b)) for s, e in spans if s < b and e > a]


def floor_to(ns: int, width: int) -> int:
    return ns - ns % width


def ceil_to(ns: int, width: int) -> int:
    return -(-ns // width) * width
