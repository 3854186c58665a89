"""Builders for engine tests: sensors, rules, reading batches, and running an engine over a series."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from typing import Any

import numpy as np

from mip.detection.engine import Engine, SensorInfo, Transition
from mip.detection.spec import RuleSpec
from mip.telemetry.batch import ReadingBatch

NS = 1_000_000_000
TENANT = uuid.UUID(int=7)


def machine_sensors(
    names: Sequence[str],
    *,
    machine: uuid.UUID | None = None,
    kind: str = "temperature",
    rate_hz: float = 1.0,
    machine_class: str | None = None,
    kinds: dict[str, str] | None = None,
) -> list[SensorInfo]:
    m = machine or uuid.uuid4()
    return [
        SensorInfo(
            uuid.uuid4(), m, n, (kinds or {}).get(n, kind), f"site/line/m-{str(m)[:4]}/{n}", machine_class, rate_hz
        )
        for n in names
    ]


def rule(condition: dict[str, Any], scope: dict[str, Any] | None = None, **kw: Any) -> RuleSpec:
    return RuleSpec.model_validate(
        {
            "name": kw.pop("name", condition["type"]),
            "scope": scope or {"sensor_kind": "temperature"},
            "condition": condition,
            **kw,
        }
    )


def batch(rows: Sequence[tuple[SensorInfo, int, float]], machine: uuid.UUID | None = None) -> ReadingBatch:
    """Rows (sensor, ts ns, value) as one batch, in the given order."""
    ids: dict[uuid.UUID, int] = {}
    for s, _, _ in rows:
        ids.setdefault(s.id, len(ids))
    return ReadingBatch(
        tenant_id=TENANT,
        machine_id=machine or (rows[0][0].machine_id if rows else uuid.uuid4()),
        batch_id=uuid.uuid4(),
        received_ns=0,
        sensors=tuple(ids),
        sensor_idx=np.array([ids[s.id] for s, _, _ in rows], dtype=np.uint16),
        ts=np.array([t for _, t, _ in rows], dtype=np.int64),
        value=np.array([v for _, _, v in rows], dtype=np.float64),
        quality=np.zeros(len(rows), dtype=np.int16),
    )


def series(
    sensor: SensorInfo, values: Sequence[float], *, start_s: float = 0.0, step_s: float = 1.0
) -> list[tuple[SensorInfo, int, float]]:
    return [(sensor, round((start_s + i * step_s) * NS), float(v)) for i, v in enumerate(values)]


def interleave(*streams: list[tuple[SensorInfo, int, float]]) -> list[tuple[SensorInfo, int, float]]:
    """Rows of several sensors in global time order (as a gateway would send them)."""
    return sorted((r for s in streams for r in s), key=lambda r: r[1])


def run(engine: Engine, rows: list[tuple[SensorInfo, int, float]], cuts: Sequence[int] = ()) -> list[Transition]:
    """Feed rows in batches split at the given row indices; all transitions in order."""
    out: list[Transition] = []
    bounds = [0, *sorted(c for c in cuts if 0 < c < len(rows)), len(rows)]
    for a, b in zip(bounds[:-1], bounds[1:], strict=True):
        if b > a:
            out += engine.process(batch(rows[a:b])).transitions
    return out


def kinds_ts(transitions: list[Transition]) -> list[tuple[str, float]]:
    return [(t.kind, t.ts / NS) for t in transitions]
