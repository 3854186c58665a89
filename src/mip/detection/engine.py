"""The rule engine the stream workers run (and backtests replay): stateful, vectorised per batch.

Contract (implemented by the detection work; the stream worker and `mip detect backtest` use only this):

* ``Engine(rules, sensors)`` compiles the rules against the tenant's sensors (scope resolution: a rule with
  a machine/class/tenant-wide scope becomes one evaluator per matching sensor, or per machine for
  ``combined``).
* ``process(batch)`` consumes one machine's readings (time-ordered per sensor within the batch; batches of
  one machine arrive in order) and returns the alarm transitions they cause, in time order, plus the
  activity (breaching readings) of alarms that are active, so alarm counts and last-seen can be updated.
* ``tick(now_ns)`` drives time-based rules (missing data) without readings.
* ``update_rules(rules, sensors)`` swaps the rule set; evaluators of unchanged (id, version) rules keep
  their state, removed rules drop theirs, and an active alarm of a removed/changed rule is cleared.
* ``state()`` / ``restore(snapshot)``: a JSON-serialisable snapshot of every evaluator's state.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

from mip.detection.spec import RuleSpec, Severity
from mip.telemetry.batch import ReadingBatch


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
    """Breaching readings of an active alarm within one ``process`` call."""

    rule_id: uuid.UUID
    machine_id: uuid.UUID
    sensor_id: uuid.UUID | None
    count: int
    last_ts: int
    last_value: float
    peak_value: float


@dataclass(slots=True)
class EngineResult:
    transitions: list[Transition] = field(default_factory=list)
    activity: list[Activity] = field(default_factory=list)


class Engine:
    def __init__(self, rules: Sequence[RuleSpec], sensors: Iterable[SensorInfo]) -> None:
        raise NotImplementedError

    def process(self, batch: ReadingBatch) -> EngineResult:
        raise NotImplementedError

    def tick(self, now_ns: int) -> list[Transition]:
        raise NotImplementedError

    def update_rules(self, rules: Sequence[RuleSpec], sensors: Iterable[SensorInfo]) -> list[Transition]:
        raise NotImplementedError

    def state(self) -> dict[str, Any]:
        raise NotImplementedError

    def restore(self, snapshot: dict[str, Any]) -> None:
        raise NotImplementedError
