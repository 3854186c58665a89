"""The engine's value types (re-exported by ``mip.detection.engine``, which is where callers import them from)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from typing import Literal

from mip.detection.spec import Severity


@dataclass(frozen=True, slots=True)
class SensorInfo:
    id: uuid.UUID
    machine_id: uuid.UUID
    name: str
    kind: str
    path: str
    machine_class: str | None = None
    sample_rate_hz: float = 1.0


@dataclass(frozen=True, slots=True)
class Transition:
    kind: Literal["raise", "clear"]
    rule_id: uuid.UUID
    rule_version: int
    rule_name: str
    machine_id: uuid.UUID
    sensor_id: uuid.UUID | None  # None for machine-level (combined) rules
    ts: int  # epoch ns of the reading (or tick) that raised / cleared it
    value: float | None
    severity: Severity
    safety: bool
    message: str
    details: dict[str, float | str] = field(default_factory=dict)


@dataclass(slots=True)
class Activity:
    """Breaching readings of an active alarm within one ``process`` call (one entry per alarm: if an alarm
    clears and raises again within the call, each episode has its own entry, in time order; ``first_ts``
    tells which alarm it belongs to). The reading that raised an alarm counts.

    ``peak_value`` is the value of the most extreme of them; ``peak_score`` says how extreme (higher = worse,
    comparable across calls of the same rule: keep the peak with the highest score when merging)."""

    rule_id: uuid.UUID
    machine_id: uuid.UUID
    sensor_id: uuid.UUID | None
    count: int
    last_ts: int
    last_value: float
    peak_value: float
    peak_score: float = 0.0
    first_ts: int = 0


@dataclass(slots=True)
class EngineResult:
    transitions: list[Transition] = field(default_factory=list)
    activity: list[Activity] = field(default_factory=list)
