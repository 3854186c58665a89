"""The vectorised engine agrees with a naive per-reading model of every condition, whatever the batching
(one reading per batch, random cuts, everything at once) and across a state snapshot/restore."""

from __future__ import annotations

import json
import random
import zlib
from collections import defaultdict
from typing import Any

import numpy as np
import pytest

from mip.detection.engine import Engine, SensorInfo
from tests.detection.helpers import NS, interleave, machine_sensors, rule, run
from tests.detection.reference import combined_transitions, sensor_transitions

CONDITIONS: list[dict[str, Any]] = [
    {"type": "threshold", "op": ">", "value": 1.5},
    {"type": "threshold", "op": ">=", "value": 1.0, "deadband": 0.8, "min_duration_s": 3},
    {"type": "threshold", "op": "<", "value": -1.2, "deadband": 0.5},
    {"type": "threshold", "op": "<=", "value": -0.5, "min_duration_s": 2.5},
    {"type": "rate_of_change", "max_per_s": 0.8, "window_s": 3},
    {"type": "rate_of_change", "max_per_s": 0.5, "window_s": 1.5, "direction": "up"},
    {"type": "rate_of_change", "max_per_s": 0.5, "window_s": 10, "direction": "down"},
    {"type": "zscore", "window_s": 30, "z": 2.5, "min_samples": 10},
    {"type": "zscore", "window_s": 8, "z": 2.0, "min_samples": 3},
    {"type": "ewma", "alpha": 0.3, "sigmas": 2.0, "warmup": 20},
    {"type": "ewma", "alpha": 0.02, "sigmas": 3.0, "warmup": 5},
    {"type": "window", "agg": "avg", "window_s": 10, "op": ">", "value": 0.6},
    {"type": "window", "agg": "max", "window_s": 7, "op": ">=", "value": 2.0},
    {"type": "window", "agg": "min", "window_s": 4, "op": "<", "value": -1.5},
    {"type": "window", "agg": "max", "window_s": 5, "op": "<", "value": 0.3},
    {"type": "flatline", "window_s": 6},
    {"type": "flatline", "window_s": 4, "tolerance": 0.3},
    {"type": "missing_data", "intervals": 3},
]


def signal(rng: np.random.Generator, n: int) -> tuple[np.ndarray, np.ndarray]:
    """Irregular timestamps (with gaps), noise, spikes, level shifts, stuck and quantised stretches."""
    dt = rng.choice([0.5, 1.0, 1.0, 1.0, 1.5], size=n)
    dt[rng.random(n) < 0.02] = rng.uniform(4, 12)
    t = np.cumsum(dt)
    x = rng.normal(0, 0.6, n)
    for _ in range(n // 60):
        a = int(rng.integers(0, n - 20))
        kind = rng.integers(0, 4)
        if kind == 0:
            x[a] += rng.choice([-1, 1]) * rng.uniform(2, 5)
        elif kind == 1:
            x[a : a + int(rng.integers(5, 20))] += rng.uniform(-2.5, 2.5)
        elif kind == 2:
            x[a : a + int(rng.integers(5, 20))] = x[a]
        else:
            seg = slice(a, a + int(rng.integers(5, 20)))
            x[seg] = np.round(x[seg] * 2) / 2
    return t, x


@pytest.mark.parametrize("cond", CONDITIONS, ids=lambda c: "-".join(str(v) for v in c.values()))
def test_given_random_signals_and_batching_when_processed_then_engine_matches_the_naive_model(
    cond: dict[str, Any],
) -> None:
    rng = np.random.default_rng(zlib.crc32(json.dumps(cond, sort_keys=True).encode()))
    sensors = machine_sensors(["a", "b", "c"], rate_hz=1.0)
    r = rule(cond)
    data = {s.id: signal(rng, 400) for s in sensors}
    streams = [[(s, round(t * NS), float(v)) for t, v in zip(*data[s.id], strict=True)] for s in sensors]
    rows = interleave(*streams)
    expected = {
        s.id: sensor_transitions(r, [(ts, v) for _, ts, v in st], s.sample_rate_hz)
        for s, st in zip(sensors, streams, strict=True)
    }
    assert sum(len(v) for v in expected.values()) >= 2, "the random signal should exercise the condition"

    rnd = random.Random(1)
    splits = {
        "one batch": [],
        "one reading per batch": list(range(1, len(rows))),
        "random cuts": sorted(rnd.sample(range(1, len(rows)), 60)),
    }
    for how, cuts in splits.items():
        engine = Engine([r], sensors)
        got: dict[Any, list[tuple[str, int]]] = defaultdict(list)
        for tr in run(engine, rows, cuts):
            got[tr.sensor_id].append((tr.kind, tr.ts))
        for s in sensors:
            assert got[s.id] == expected[s.id], f"{how}: sensor {s.name}"


@pytest.mark.parametrize("cond", CONDITIONS, ids=lambda c: "-".join(str(v) for v in c.values()))
def test_given_a_snapshot_mid_stream_when_restored_into_a_new_engine_then_same_transitions(
    cond: dict[str, Any],
) -> None:
    rng = np.random.default_rng(3)
    sensors = machine_sensors(["a", "b"], rate_hz=1.0)
    r = rule(cond)
    rows = interleave(
        *[[(s, round(t * NS), float(v)) for t, v in zip(*signal(rng, 300), strict=True)] for s in sensors]
    )
    cuts = sorted(random.Random(2).sample(range(1, len(rows)), 25))
    whole = Engine([r], sensors)
    expected = run(whole, rows, cuts)

    half = len(rows) // 2
    first = Engine([r], sensors)
    got = run(first, rows[:half], [c for c in cuts if c < half])
    snapshot = json.loads(json.dumps(first.state(), allow_nan=False))  # numbers, lists, strings only
    second = Engine([r], sensors)
    second.restore(snapshot)
    got += run(second, rows[half:], [c - half for c in cuts if c > half])
    assert [(t.kind, t.sensor_id, t.ts) for t in got] == [(t.kind, t.sensor_id, t.ts) for t in expected]
    assert second.state() == whole.state()


def test_given_combined_rule_and_random_signals_then_engine_matches_the_naive_model() -> None:
    rng = np.random.default_rng(11)
    sensors = machine_sensors(["temp", "pressure", "speed"])
    by_name = {s.name: s for s in sensors}
    r = rule(
        {
            "type": "combined",
            "window_s": 4,
            "all_of": [
                {"sensor_name": "temp", "op": ">", "value": 0.2},
                {"sensor_name": "pressure", "op": "<", "value": 0.3},
            ],
        },
        scope={},
    )
    data: dict[str, list[tuple[int, float]]] = {}
    for name in ("temp", "pressure", "speed"):
        t, x = signal(rng, 300)
        data[name] = [(round(ti * NS), float(v)) for ti, v in zip(t, x, strict=True)]
    rows = interleave(*[[(by_name[n], ts, v) for ts, v in data[n]] for n in data])
    expected = combined_transitions(r, data)
    assert len(expected) >= 4
    for cuts in ([], list(range(1, len(rows))), sorted(random.Random(5).sample(range(1, len(rows)), 40))):
        engine = Engine([r], sensors)
        got = [(t.kind, t.ts) for t in run(engine, rows, cuts)]
        assert got == expected
        assert all(t.sensor_id is None for t in run(Engine([r], sensors), rows))


def test_given_many_sensors_in_one_merged_batch_then_each_is_evaluated_on_its_own() -> None:
    rng = np.random.default_rng(4)
    machines = [machine_sensors([f"s{i}" for i in range(4)]) for _ in range(3)]
    sensors: list[SensorInfo] = [s for m in machines for s in m]
    r = rule({"type": "zscore", "window_s": 20, "z": 2.5, "min_samples": 8})
    streams = [[(s, round(t * NS), float(v)) for t, v in zip(*signal(rng, 200), strict=True)] for s in sensors]
    rows = interleave(*streams)
    engine = Engine([r], sensors)
    got: dict[Any, list[tuple[str, int]]] = defaultdict(list)
    for tr in run(engine, rows, range(50, len(rows), 97)):
        got[tr.sensor_id].append((tr.kind, tr.ts))
    for s, st in zip(sensors, streams, strict=True):
        assert got[s.id] == sensor_transitions(r, [(ts, v) for _, ts, v in st])
