"""Scope resolution: which sensors (or machines, for combined rules) a rule watches, and its evaluator."""

from __future__ import annotations

import uuid
from collections.abc import Sequence

from mip.detection.evaluators import Evaluator, EwmaEval, Slot, ThresholdEval
from mip.detection.results import SensorInfo
from mip.detection.spec import Combined, RuleSpec, Scope
from mip.detection.special import CombinedEval, MissingEval
from mip.detection.windowed import FlatlineEval, RateEval, WindowEval, ZScoreEval

SENSOR_EVALUATORS: dict[str, type[Evaluator]] = {
    "threshold": ThresholdEval,
    "rate_of_change": RateEval,
    "zscore": ZScoreEval,
    "ewma": EwmaEval,
    "window": WindowEval,
    "flatline": FlatlineEval,
    "missing_data": MissingEval,
}


def machine_matches(scope: Scope, s: SensorInfo) -> bool:
    if scope.machine_id is not None:
        return s.machine_id == scope.machine_id
    if scope.machine_class is not None:
        return s.machine_class == scope.machine_class
    return True


def resolve_sensors(scope: Scope, sensors: Sequence[SensorInfo]) -> list[SensorInfo]:
    """Sensors a (non-combined) rule watches, in the order given."""
    if scope.sensor_id is not None:
        return [s for s in sensors if s.id == scope.sensor_id]
    return [
        s
        for s in sensors
        if machine_matches(scope, s)
        and (scope.sensor_name is None or s.name == scope.sensor_name)
        and (scope.sensor_kind is None or s.kind == scope.sensor_kind)
    ]


def resolve_machines(rule: RuleSpec, sensors: Sequence[SensorInfo]) -> list[tuple[uuid.UUID, list[SensorInfo]]]:
    """For a combined rule: each machine in scope that has every term's sensor (by name), with those sensors in
    term order."""
    c = rule.condition
    assert isinstance(c, Combined)
    by_machine: dict[uuid.UUID, dict[str, SensorInfo]] = {}
    for s in sensors:
        if machine_matches(rule.scope, s):
            by_machine.setdefault(s.machine_id, {}).setdefault(s.name, s)
    out = []
    for machine_id, named in by_machine.items():
        terms = [named.get(t.sensor_name) for t in c.all_of]
        if all(t is not None for t in terms):
            out.append((machine_id, [t for t in terms if t is not None]))
    return out


def machine_label(path: str) -> str:
    return path.rsplit("/", 1)[0] if "/" in path else path


def build_evaluator(rule: RuleSpec, sensors: Sequence[SensorInfo]) -> Evaluator | None:
    """The rule's evaluator over every slot it resolves to; None if disabled or it matches nothing."""
    if not rule.enabled:
        return None
    if isinstance(rule.condition, Combined):
        machines = resolve_machines(rule, sensors)
        if not machines:
            return None
        slots, inputs, input_slot, input_term = [], [], [], []
        for m, (machine_id, terms) in enumerate(machines):
            slots.append(Slot(str(machine_id), machine_id, None, machine_label(terms[0].path)))
            for k, s in enumerate(terms):
                inputs.append(s.id)
                input_slot.append(m)
                input_term.append(k)
        return CombinedEval(rule, slots, inputs, input_slot, input_term)
    matched = resolve_sensors(rule.scope, sensors)
    if not matched:
        return None
    slots = [Slot(str(s.id), s.machine_id, s.id, s.path or s.name, s.sample_rate_hz) for s in matched]
    return SENSOR_EVALUATORS[rule.condition.type](rule, slots, [s.id for s in matched])
