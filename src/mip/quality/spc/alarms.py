"""Out-of-control signals of a stored chart → the alarm lifecycle (``mip.alerts.lifecycle.apply_engine_result``):
one active alarm per originator (the chart's sensor, or its machine for manual charts) and rule key (the chart
id). A first signal raises it; later signals while it is active only add to its count (one per out-of-control
subgroup), so repeats never open a duplicate. The caller publishes the returned events after commit."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

from mip.alerts.lifecycle import Event, apply_engine_result
from mip.detection.engine import Activity, EngineResult, Transition
from mip.platform.db import Conn


@dataclass(frozen=True)
class OutOfControl:
    ts: int
    value: float
    score: float  # distance from the centre in σ of the statistic (higher = worse)
    threshold: float
    label: str
    rules: tuple[str, ...]
    description: str


async def raise_chart_alarm(
    conn: Conn, tenant_id: uuid.UUID, chart: dict[str, Any], points: list[OutOfControl]
) -> tuple[list[Event], uuid.UUID | None]:
    """Raise (or count into) the chart's active alarm; returns the events and the alarm id."""
    if not points:
        return [], None
    points = sorted(points, key=lambda p: p.ts)
    first, last = points[0], points[-1]
    peak = max(points, key=lambda p: p.score)
    chart_id: uuid.UUID = chart["id"]
    machine_id: uuid.UUID = chart["machine_id"]
    sensor_id: uuid.UUID | None = chart["sensor_id"]
    version = int(chart["limits_version"])
    message = f"SPC chart '{chart['name']}' out of control at subgroup {first.label}: {first.description}" + (
        f" (+{len(points) - 1} more)" if len(points) > 1 else ""
    )
    raise_ = Transition(
        kind="raise",
        rule_id=chart_id,
        rule_version=version,
        rule_name=str(chart["name"]),
        machine_id=machine_id,
        sensor_id=sensor_id,
        ts=first.ts,
        value=first.value,
        severity=chart["severity"],
        safety=False,
        message=message,
        details={"threshold": first.threshold, "rules": ",".join(first.rules), "chart_id": str(chart_id)},
    )
    activity = Activity(
        rule_id=chart_id,
        machine_id=machine_id,
        sensor_id=sensor_id,
        count=len(points),
        last_ts=last.ts,
        last_value=last.value,
        peak_value=peak.value,
        peak_score=peak.score,
        first_ts=first.ts,
    )
    events = await apply_engine_result(conn, tenant_id, EngineResult([raise_], [activity]), {})
    originator = sensor_id if sensor_id is not None else machine_id
    cur = await conn.execute(
        "select id from alerts where originator_id = %s and rule = %s and state <> 'resolved' and cleared_at is null",
        [originator, str(chart_id)],
    )
    row = await cur.fetchone()
    return events, row["id"] if row else None
