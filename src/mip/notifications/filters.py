"""Pure decisions: does a subscription or endpoint want an alarm event, and is a user in quiet hours."""

from __future__ import annotations

import uuid
import zoneinfo
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta
from typing import Any

SEVERITY_RANK = {"warning": 1, "minor": 2, "major": 3, "critical": 4}


@dataclass(frozen=True)
class EventFacts:
    """What filters look at: the event kind (``opened``, ``escalated`` …) and the alarm's place and severity."""

    kind: str
    severity: str
    safety: bool
    site_id: uuid.UUID | None
    line_id: uuid.UUID | None


def event_kind(event_type: str) -> str:
    """``alert.opened`` -> ``opened``."""
    return event_type.split(".", 1)[1] if event_type.startswith("alert.") else event_type


def matches(flt: Mapping[str, Any], facts: EventFacts) -> bool:
    """A subscription / endpoint row (site_ids, line_ids, min_severity, safety_only, event_kinds) against an event.

    A safety alarm passes the severity floor: a subscriber who asked for critical alarms still hears about a
    safety alarm, whatever severity its rule gave it.
    """
    if facts.kind not in flt["event_kinds"]:
        return False
    if flt["safety_only"] and not facts.safety:
        return False
    if not facts.safety and SEVERITY_RANK.get(facts.severity, 0) < SEVERITY_RANK[flt["min_severity"]]:
        return False
    if flt["site_ids"] and facts.site_id not in flt["site_ids"]:
        return False
    return not (flt["line_ids"] and facts.line_id not in flt["line_ids"])


def in_quiet_hours(
    now: datetime, *, start: time, end: time, timezone: str, days: Sequence[int], enabled: bool = True
) -> bool:
    """Whether ``now`` falls in the window ``start``–``end`` (local time in ``timezone``) on one of ``days``
    (ISO weekdays). A window with ``end < start`` runs over midnight and belongs to the day it starts on
    (Fri 22:00–06:00 covers Saturday 03:00); ``start == end`` is the whole day."""
    if not enabled:
        return False
    if now.tzinfo is None:
        now = now.replace(tzinfo=UTC)
    local = now.astimezone(zoneinfo.ZoneInfo(timezone))
    t = local.time().replace(tzinfo=None)
    today = local.isoweekday()
    if start == end:
        return today in days
    if start < end:
        return today in days and start <= t < end
    yesterday = (local - timedelta(days=1)).isoweekday()
    return (t >= start and today in days) or (t < end and yesterday in days)
