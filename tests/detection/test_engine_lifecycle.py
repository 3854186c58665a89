"""Scope resolution, disabled rules, ``update_rules`` (state kept for unchanged (id, version); clears for
removed or changed rules and for sensors leaving a scope) and ``state`` / ``restore``."""

from __future__ import annotations

import json
import uuid

import pytest

from mip.detection.engine import Engine, SensorInfo
from tests.detection.helpers import NS, batch, machine_sensors, rule, run, series


def plant() -> tuple[list[SensorInfo], dict[str, SensorInfo]]:
    """Two pumps (class pump) and a press: each with temp (kind temperature) and pressure (kind pressure)."""
    kinds = {"temp": "temperature", "pressure": "pressure", "oil": "level"}
    p1 = machine_sensors(["temp", "pressure"], machine_class="pump", kinds=kinds)
    p2 = machine_sensors(["temp", "pressure"], machine_class="pump", kinds=kinds)
    press = machine_sensors(["temp", "pressure", "oil"], machine_class="press", kinds=kinds)
    named = {f"p1.{s.name}": s for s in p1} | {f"p2.{s.name}": s for s in p2} | {f"press.{s.name}": s for s in press}
    return p1 + p2 + press, named


def watched(engine: Engine) -> set[uuid.UUID | None]:
    (ev,) = engine.evaluators.values()
    return {s.sensor_id for s in ev.slots}


@pytest.mark.parametrize(
    ("scope", "expected"),
    [
        ({"sensor_id": "p1.temp"}, {"p1.temp"}),
        ({"machine_id": "p2", "sensor_name": "pressure"}, {"p2.pressure"}),
        ({"machine_id": "press", "sensor_kind": "temperature"}, {"press.temp"}),
        ({"machine_class": "pump", "sensor_kind": "temperature"}, {"p1.temp", "p2.temp"}),
        ({"machine_class": "press", "sensor_name": "oil"}, {"press.oil"}),
        ({"sensor_name": "pressure"}, {"p1.pressure", "p2.pressure", "press.pressure"}),
        ({"sensor_kind": "temperature", "sensor_name": "temp", "machine_class": "pump"}, {"p1.temp", "p2.temp"}),
    ],
)
def test_given_a_scope_then_the_rule_watches_exactly_the_matching_sensors(
    scope: dict[str, str], expected: set[str]
) -> None:
    sensors, named = plant()
    machines = {
        "p1": named["p1.temp"].machine_id,
        "p2": named["p2.temp"].machine_id,
        "press": named["press.temp"].machine_id,
    }
    resolved = dict(scope)
    if "sensor_id" in resolved:
        resolved["sensor_id"] = str(named[resolved["sensor_id"]].id)
    if "machine_id" in resolved:
        resolved["machine_id"] = str(machines[resolved["machine_id"]])
    e = Engine([rule({"type": "threshold", "op": ">", "value": 1}, scope=resolved)], sensors)
    assert watched(e) == {named[k].id for k in expected}


def test_given_scopes_matching_nothing_or_disabled_rules_then_nothing_is_evaluated() -> None:
    sensors, named = plant()
    rules = [
        rule({"type": "threshold", "op": ">", "value": 1}, scope={"sensor_name": "nope"}),
        rule({"type": "threshold", "op": ">", "value": 1}, scope={"sensor_id": str(uuid.uuid4())}),
        rule({"type": "threshold", "op": ">", "value": 1}, scope={"sensor_name": "temp"}, enabled=False),
    ]
    e = Engine(rules, sensors)
    assert e.evaluators == {}
    assert e.process(batch(series(named["p1.temp"], [5, 5]))).transitions == []


def test_given_a_combined_rule_on_a_class_then_one_alarm_per_machine_that_has_every_signal() -> None:
    sensors, named = plant()
    r = rule(
        {
            "type": "combined",
            "all_of": [{"sensor_name": "temp", "op": ">", "value": 1}, {"sensor_name": "oil", "op": "<", "value": 1}],
        },
        scope={},
    )
    e = Engine([r], sensors)
    (ev,) = e.evaluators.values()
    assert [s.machine_id for s in ev.slots] == [named["press.temp"].machine_id]  # the pumps have no oil sensor
    r2 = rule(
        {
            "type": "combined",
            "all_of": [
                {"sensor_name": "temp", "op": ">", "value": 1},
                {"sensor_name": "pressure", "op": ">", "value": 1},
            ],
        },
        scope={"machine_class": "pump"},
    )
    rows = series(named["p1.temp"], [5, 5]) + series(named["p1.pressure"], [5, 5]) + series(named["p2.temp"], [5, 5])
    out = Engine([r2], sensors).process(batch(rows)).transitions
    assert [(t.kind, t.machine_id, t.sensor_id) for t in out] == [("raise", named["p1.temp"].machine_id, None)]


def hot() -> dict[str, object]:
    return {"type": "threshold", "op": ">", "value": 10}


def test_given_unchanged_rules_when_updated_then_active_alarms_stay_and_do_not_raise_again() -> None:
    (s,) = machine_sensors(["t"])
    r = rule(hot())
    e = Engine([r], [s])
    assert [t.kind for t in run(e, series(s, [20]))] == ["raise"]
    other = rule({"type": "threshold", "op": "<", "value": -10})
    assert e.update_rules([r, other], [s]) == []
    assert run(e, series(s, [30], start_s=1)) == []  # still active: no second raise
    assert [t.kind for t in run(e, series(s, [0], start_s=2))] == ["clear"]


def test_given_a_changed_or_removed_rule_when_updated_then_its_active_alarms_are_cleared() -> None:
    (s,) = machine_sensors(["t"])
    r = rule(hot())
    e = Engine([r], [s])
    run(e, series(s, [20]))
    v2 = r.model_copy(update={"version": 2})
    (cleared,) = e.update_rules([v2], [s])
    assert (cleared.kind, cleared.rule_id, cleared.rule_version, cleared.sensor_id) == ("clear", r.id, 1, s.id)
    assert cleared.ts == 0
    assert cleared.details["reason"] == "rule changed or removed"
    # the new version starts fresh: the still-hot sensor raises under version 2
    (raised,) = run(e, series(s, [25], start_s=1))
    assert (raised.kind, raised.rule_version) == ("raise", 2)
    (gone,) = e.update_rules([], [s])
    assert (gone.kind, gone.rule_version, gone.ts) == ("clear", 2, 1 * NS)
    assert e.update_rules([], [s]) == []


def test_given_a_sensor_leaving_the_scope_when_updated_then_its_alarm_clears_and_the_others_keep_state() -> None:
    a, b = machine_sensors(["a", "b"])
    r = rule(hot())
    e = Engine([r], [a, b])
    run(e, series(a, [20]) + series(b, [20]))
    b_moved = SensorInfo(b.id, b.machine_id, b.name, "pressure", b.path)
    (cleared,) = e.update_rules([r], [a, b_moved])
    assert (cleared.sensor_id, cleared.details["reason"]) == (b.id, "no longer in the rule's scope")
    assert run(e, series(a, [30], start_s=1)) == []
    assert [t.kind for t in run(e, series(a, [0], start_s=2))] == ["clear"]


def test_given_a_snapshot_then_it_is_plain_json_and_a_bad_one_is_refused() -> None:
    (s,) = machine_sensors(["t"])
    rules = [rule(hot()), rule({"type": "zscore", "window_s": 60, "min_samples": 3}), rule({"type": "missing_data"})]
    e = Engine(rules, [s])
    run(e, series(s, [1, 2, 3, 20]))
    text = json.dumps(e.state(), allow_nan=False)
    fresh = Engine(rules, [s])
    fresh.restore(json.loads(text))
    assert fresh.state() == e.state()
    hot_id = rules[0].id
    assert [t for t in run(fresh, series(s, [30], start_s=4)) if t.rule_id == hot_id] == []  # restored as active
    for bad in ({"format": 99}, {"format": 1, "rules": {}}, {"format": 1, "last_ts": {"x": 1}, "rules": {}}):
        broken = Engine(rules, [s])
        run(broken, series(s, [20]))
        with pytest.raises(ValueError, match="bad engine snapshot"):
            broken.restore(bad)
        assert [t.kind for t in run(broken, series(s, [20], start_s=5))] == ["raise"]  # fresh again
