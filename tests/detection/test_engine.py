"""Rule engine behaviour: raise/clear timing per condition, hysteresis, min duration, activity, ordering and
duplicates, missing data by tick and by gap, combined conditions."""

from __future__ import annotations

import math
import uuid
from collections import defaultdict

import pytest

from mip.detection.engine import Engine
from tests.detection.helpers import NS, batch, interleave, kinds_ts, machine_sensors, rule, run, series


def test_given_threshold_when_value_crosses_and_returns_then_one_raise_and_one_clear_at_those_readings() -> None:
    (s,) = machine_sensors(["t"])
    e = Engine([rule({"type": "threshold", "op": ">", "value": 1.0})], [s])
    out = run(e, series(s, [0, 0, 5, 6, 5, 0, 0]))
    assert kinds_ts(out) == [("raise", 2.0), ("clear", 5.0)]
    assert out[0].value == 5.0
    assert out[0].sensor_id == s.id
    assert out[0].machine_id == s.machine_id
    assert out[0].severity == "major"
    assert out[0].safety is False
    assert out[0].details["limit"] == 1.0
    assert "value > 1" in out[0].message
    assert s.path in out[0].message


def test_given_deadband_then_the_alarm_clears_only_past_the_deadband_and_never_raises_twice() -> None:
    (s,) = machine_sensors(["t"])
    e = Engine([rule({"type": "threshold", "op": ">", "value": 10, "deadband": 2})], [s])
    out = run(e, series(s, [9, 11, 9.5, 11, 8.5, 11, 7.9, 9, 11]), cuts=[2, 5])
    # 9.5 and 8.5 are inside the deadband (> 8): no clear, and the breaches at 11 don't raise again
    assert kinds_ts(out) == [("raise", 1.0), ("clear", 6.0), ("raise", 8.0)]


@pytest.mark.parametrize(
    ("op", "values", "expected"),
    [
        ("<", [5, -1, 0.4, 0.6, 2.1], [("raise", 1.0), ("clear", 4.0)]),  # < 1 deadband 1: clears at >= 2
        ("<=", [5, 1, 1.9, 2.0, 2.1], [("raise", 1.0), ("clear", 4.0)]),  # <= 1: clears at > 2
        (">=", [0, 1, 0.1, 0.0, -0.1], [("raise", 1.0), ("clear", 4.0)]),  # >= 1: clears at < 0
    ],
)
def test_given_each_operator_with_deadband_then_hysteresis_in_the_right_direction(
    op: str, values: list[float], expected: list[tuple[str, float]]
) -> None:
    (s,) = machine_sensors(["t"])
    e = Engine([rule({"type": "threshold", "op": op, "value": 1, "deadband": 1})], [s])
    assert kinds_ts(run(e, series(s, values))) == expected


def test_given_min_duration_then_raised_only_after_continuous_breach_and_a_dip_restarts_the_clock() -> None:
    (s,) = machine_sensors(["t"])
    e = Engine([rule({"type": "threshold", "op": ">", "value": 10, "min_duration_s": 3})], [s])
    vals = [11, 11, 11, 5, 11, 11, 11, 11, 11, 5]  # breach 0-2 (only 2 s), dip, breach from 4
    out = run(e, series(s, vals), cuts=[1, 5, 6])
    assert kinds_ts(out) == [("raise", 7.0), ("clear", 9.0)]


def test_given_active_alarm_then_activity_reports_each_process_calls_breaching_readings() -> None:
    (s,) = machine_sensors(["t"])
    e = Engine([rule({"type": "threshold", "op": ">", "value": 10, "deadband": 1})], [s])
    r1 = e.process(batch(series(s, [5, 12, 15, 9.5])))  # raise at 12; 9.5 in deadband: active, not breaching
    assert [t.kind for t in r1.transitions] == ["raise"]
    (a,) = r1.activity
    assert (a.count, a.last_ts, a.last_value, a.peak_value, a.first_ts) == (2, 2 * NS, 15.0, 15.0, 1 * NS)
    r2 = e.process(batch(series(s, [13, 11, 5, 14, 12], start_s=4)))  # clear at 5, raise again at 14
    assert kinds_ts(r2.transitions) == [("clear", 6.0), ("raise", 7.0)]
    assert [(x.count, x.peak_value, x.first_ts // NS) for x in r2.activity] == [(2, 13.0, 4), (2, 14.0, 7)]
    assert e.process(batch(series(s, [5], start_s=9))).activity == []


def test_given_low_threshold_then_peak_is_the_lowest_value() -> None:
    (s,) = machine_sensors(["t"])
    e = Engine([rule({"type": "threshold", "op": "<", "value": 0})], [s])
    (a,) = e.process(batch(series(s, [1, -1, -5, -2]))).activity
    assert (a.peak_value, a.last_value, a.count) == (-5.0, -2.0, 3)


def test_given_duplicate_late_and_non_finite_readings_then_they_are_ignored() -> None:
    (s,) = machine_sensors(["t"])
    e = Engine([rule({"type": "threshold", "op": ">", "value": 10})], [s])
    assert kinds_ts(run(e, series(s, [0, 20, 0]))) == [("raise", 1.0), ("clear", 2.0)]
    # a redelivery of the same readings and an older one change nothing
    assert run(e, series(s, [0, 20, 0])) == []
    assert run(e, [(s, int(1.5 * NS), 50.0)]) == []
    assert run(e, [(s, 3 * NS, math.nan), (s, 4 * NS, math.inf)]) == []
    assert kinds_ts(run(e, [(s, 5 * NS, 11.0), (s, 5 * NS, 0.0)])) == [("raise", 5.0)]  # same ts: first one counts


def test_given_rows_out_of_order_within_a_batch_then_they_are_evaluated_in_time_order() -> None:
    (s,) = machine_sensors(["t"])
    e = Engine([rule({"type": "threshold", "op": ">", "value": 10})], [s])
    rows = series(s, [0, 20, 20, 0])
    assert kinds_ts(e.process(batch([rows[3], rows[1], rows[0], rows[2]])).transitions) == [
        ("raise", 1.0),
        ("clear", 3.0),
    ]


def test_given_rate_of_change_then_raised_on_the_jump_and_cleared_when_the_window_has_passed() -> None:
    (s,) = machine_sensors(["t"])
    e = Engine([rule({"type": "rate_of_change", "max_per_s": 2, "window_s": 3})], [s])
    out = run(e, series(s, [0, 0, 0, 0, 10, 10, 10, 10, 10]))
    assert kinds_ts(out) == [("raise", 4.0), ("clear", 7.0)]  # (10-0)/3 s at t=5,6 still > 2; at t=7 it is 0
    assert out[0].details["rate_per_s"] == pytest.approx(10 / 3)
    up = Engine([rule({"type": "rate_of_change", "max_per_s": 2, "window_s": 3, "direction": "up"})], [s])
    assert run(up, series(s, [10, 10, 10, 0, 0, 0, 0])) == []


def test_given_zscore_then_an_outlier_against_the_previous_window_raises() -> None:
    (s,) = machine_sensors(["t"])
    e = Engine([rule({"type": "zscore", "window_s": 10, "z": 4, "min_samples": 5})], [s])
    vals = [10 + 0.1 * ((i * 7) % 5 - 2) for i in range(30)]
    vals[3] = 50  # too early: fewer than 5 readings before it
    vals[20] = 12
    out = run(e, series(s, vals))
    assert kinds_ts(out) == [("raise", 20.0), ("clear", 21.0)]
    assert out[0].details["z"] > 4
    assert out[0].details["mean"] == pytest.approx(10.0, abs=0.1)


def test_given_ewma_then_a_learned_baseline_flags_a_shift_but_not_during_warmup() -> None:
    (s,) = machine_sensors(["t"])
    rules = [rule({"type": "ewma", "alpha": 0.3, "sigmas": 3, "warmup": 30})]
    noise = [((i * 37) % 11 - 5) / 10 for i in range(120)]
    shifted = [v + (5 if 60 <= i < 70 else 0) for i, v in enumerate(noise)]
    out = run(Engine(rules, [s]), series(s, shifted), cuts=[25, 61, 62])
    assert [t.kind for t in out] == ["raise", "clear"]
    assert 60 <= out[0].ts / NS <= 61
    assert 70 <= out[1].ts / NS <= 80
    early = [v + (5 if 10 <= i < 20 else 0) for i, v in enumerate(noise)]
    assert run(Engine(rules, [s]), series(s, early)) == []


@pytest.mark.parametrize(
    ("agg", "op", "value", "expected"),
    [
        ("avg", ">", 3, [("raise", 3.0), ("clear", 7.0)]),
        ("max", ">=", 10, [("raise", 3.0), ("clear", 7.0)]),
        ("min", "<", 1, [("raise", 0.0), ("clear", 4.0), ("raise", 7.0)]),  # the window includes t − 3
    ],
)
def test_given_window_aggregate_then_it_is_computed_over_the_trailing_window(
    agg: str, op: str, value: float, expected: list[tuple[str, float]]
) -> None:
    (s,) = machine_sensors(["t"])
    e = Engine([rule({"type": "window", "agg": agg, "window_s": 3, "op": op, "value": value})], [s])
    # t:  0  1  2  3   4  5  6  7  8
    vals = [0, 2, 2, 10, 2, 2, 2, 0, 0]
    out = run(e, series(s, vals), cuts=[2, 4])
    assert kinds_ts(out) == expected
    if agg == "avg":
        assert out[0].value == pytest.approx((0 + 2 + 2 + 10) / 4)


def test_given_flatline_then_raised_once_stuck_for_the_window_and_cleared_when_it_moves() -> None:
    (s,) = machine_sensors(["t"])
    e = Engine([rule({"type": "flatline", "window_s": 5, "tolerance": 0.05})], [s])
    vals = [1, 2, 3, 4, 4.01, 4.02, 4, 4.03, 4.01, 4.0, 5, 6]
    out = run(e, series(s, vals), cuts=[6])
    assert kinds_ts(out) == [("raise", 8.0), ("clear", 10.0)]  # flat since t=3: 5 s at t=8


def test_given_missing_data_then_tick_raises_and_the_next_reading_clears() -> None:
    (s,) = machine_sensors(["t"], rate_hz=2.0)  # expected interval 0.5 s; 4 intervals = 2 s
    e = Engine([rule({"type": "missing_data", "intervals": 4})], [s])
    run(e, series(s, [1, 1, 1], step_s=0.5))  # last reading at t=1
    assert e.tick(int(2.9 * NS)) == []
    (raised,) = e.tick(int(3.1 * NS))
    assert (raised.kind, raised.ts, raised.value) == ("raise", int(3.1 * NS), None)
    assert raised.details["gap_s"] == pytest.approx(2.1)
    assert e.tick(int(9 * NS)) == []  # no second raise
    assert kinds_ts(run(e, series(s, [1], start_s=10))) == [("clear", 10.0)]


def test_given_missing_data_without_ticks_then_a_gap_between_readings_raises_and_clears() -> None:
    (s,) = machine_sensors(["t"])
    e = Engine([rule({"type": "missing_data", "intervals": 3})], [s])
    rows = series(s, [1, 1, 1]) + series(s, [1, 1], start_s=10)
    assert kinds_ts(run(e, rows)) == [("raise", 5.0), ("clear", 10.0)]  # last at 2 + 3 s; back at 10


def test_given_a_sensor_never_seen_then_the_first_tick_starts_watching_it() -> None:
    (s,) = machine_sensors(["t"])
    e = Engine([rule({"type": "missing_data", "intervals": 3})], [s])
    assert e.tick(100 * NS) == []
    assert [t.kind for t in e.tick(104 * NS)] == ["raise"]


def test_given_combined_rule_then_raised_while_every_term_holds_on_fresh_values() -> None:
    temp, pres, other = machine_sensors(["temp", "pressure", "other"])
    r = rule(
        {
            "type": "combined",
            "window_s": 5,
            "all_of": [
                {"sensor_name": "temp", "op": ">", "value": 80},
                {"sensor_name": "pressure", "op": "<", "value": 2},
            ],
        },
        scope={},
    )
    e = Engine([r], [temp, pres, other])
    rows = interleave(series(temp, [70, 85, 85, 85, 85, 70]), series(pres, [1, 1, 1], step_s=1), series(other, [0] * 6))
    out = run(e, rows)
    # both hold from t=1; the pressure reading of t=2 becomes stale (> 5 s old) after t=7 — but temp drops at 5
    assert kinds_ts(out) == [("raise", 1.0), ("clear", 5.0)]
    assert out[0].sensor_id is None
    assert out[0].machine_id == temp.machine_id
    assert out[0].details == {"temp": 85.0, "pressure": 1.0}
    stale = Engine([r], [temp, pres])
    assert kinds_ts(run(stale, interleave(series(temp, [85] * 9), series(pres, [1])))) == [
        ("raise", 0.0),
        ("clear", 6.0),
    ]


def test_given_alarms_on_many_keys_then_raises_and_clears_alternate_per_key() -> None:
    sensors = machine_sensors(["a", "b", "c"])
    rules = [
        rule({"type": "threshold", "op": ">", "value": 0.0}),
        rule({"type": "window", "agg": "avg", "window_s": 2, "op": ">", "value": 0}),
    ]
    e = Engine(rules, sensors)
    rows = interleave(*[series(s, [math.sin(i * (k + 1) * 0.7) for i in range(200)]) for k, s in enumerate(sensors)])
    seq: dict[tuple[uuid.UUID, uuid.UUID | None], list[str]] = defaultdict(list)
    for t in run(e, rows, cuts=range(7, len(rows), 13)):
        seq[(t.rule_id, t.sensor_id)].append(t.kind)
    assert len(seq) == 6
    for kinds in seq.values():
        assert kinds[0] == "raise"
        assert all(a != b for a, b in zip(kinds, kinds[1:], strict=False))
