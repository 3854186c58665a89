"""Simulated signals: deterministic, inside the limits in normal operation, outside them during faults."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import numpy as np
import pytest

from mip.sim.plant import Plant, build_plant
from mip.sim.signals import PlantSignals, Signals

S = 1_000_000_000
START = 1_767_000_000 * S  # late December 2025


def limits(plant: Plant) -> tuple[np.ndarray, np.ndarray]:
    specs = [s for m in plant.machines() for s in m.sensors]
    high = np.array([np.inf if s.high_limit is None else s.high_limit for s in specs])
    low = np.array([-np.inf if s.low_limit is None else s.low_limit for s in specs])
    return high, low


def local_ns(plant: Plant, day: int, hour: int, minute: int = 0) -> int:
    tz = ZoneInfo(plant.sites[0].timezone)
    return int(datetime(2026, 3, day, hour, minute, tzinfo=tz).timestamp()) * S


def runs(mask: np.ndarray) -> list[tuple[int, int]]:
    """(start, length) of each run of True in a 1-d mask."""
    padded = np.concatenate([[False], mask, [False]])
    edges = np.flatnonzero(np.diff(padded.astype(np.int8)))
    return [(int(a), int(b - a)) for a, b in zip(edges[::2], edges[1::2], strict=True)]


def sample(plant: Plant, count: int, period_s: float, **kw: float) -> Signals:
    sim = PlantSignals(plant, start_ns=START, **kw)  # type: ignore[arg-type]
    return sim.sample(count, int(period_s * S))


def test_given_the_same_seed_and_start_when_generating_then_readings_are_identical() -> None:
    plant = build_plant(7)
    a = sample(plant, 3000, 0.1, fault_rate_per_hour=600)
    b = sample(plant, 3000, 0.1, fault_rate_per_hour=600)
    assert np.array_equal(a.values, b.values)
    assert np.array_equal(a.injected, b.injected)
    assert a.injected.any()


def test_given_different_seeds_when_generating_then_readings_differ() -> None:
    a = sample(build_plant(7), 100, 1.0)
    b = sample(build_plant(8), 100, 1.0)
    assert not np.array_equal(a.values, b.values)


def test_given_one_plant_and_two_signal_seeds_then_readings_differ() -> None:
    plant = build_plant(7)
    a = PlantSignals(plant, start_ns=START, seed=1).sample(100, S)
    b = PlantSignals(plant, start_ns=START, seed=2).sample(100, S)
    assert not np.array_equal(a.values, b.values)


def test_given_timestamps_split_into_chunks_when_generating_then_readings_match_one_call() -> None:
    plant = build_plant(7)
    ts = START + np.arange(5000, dtype=np.int64) * (S // 10)
    whole = PlantSignals(plant, start_ns=START, fault_rate_per_hour=900).generate(ts)
    sim = PlantSignals(plant, start_ns=START, fault_rate_per_hour=900)
    parts = [sim.generate(ts[a:b]) for a, b in ((0, 1), (1, 777), (777, 778), (778, 5000))]
    assert np.array_equal(whole.values, np.vstack([p.values for p in parts]))
    assert np.array_equal(whole.faulted, np.vstack([p.faulted for p in parts]))
    assert whole.faulted.any()


def test_given_no_injected_events_then_two_days_of_readings_stay_inside_the_limits() -> None:
    plant = build_plant(7, lines_per_site=4)
    sig = sample(plant, 2 * 8640, 20.0, fault_rate_per_hour=0, spike_rate_per_hour=0, degradation_hours=6)
    high, low = limits(plant)
    assert not sig.injected.any()
    assert (sig.values <= high).all()
    assert (sig.values >= low).all()
    assert (sig.values >= 0).all()


def test_given_injected_faults_then_they_cross_high_limit_for_several_seconds() -> None:
    plant = build_plant(7)
    sig = sample(plant, 6000, 0.1, fault_rate_per_hour=300, spike_rate_per_hour=0)
    high, _ = limits(plant)
    assert sig.faulted.sum() > 0
    assert (sig.values[sig.faulted] > np.broadcast_to(high, sig.values.shape)[sig.faulted]).all()
    assert (sig.values[~sig.injected] <= np.broadcast_to(high, sig.values.shape)[~sig.injected]).all()
    inner = [n for col in sig.faulted.T for a, n in runs(col) if a > 0 and a + n < sig.faulted.shape[0]]
    assert inner, "expected at least one complete fault inside the window"
    assert min(inner) >= 29  # >= 3 s at 10 samples per second


def test_given_injected_spikes_then_they_cross_high_limit_briefly() -> None:
    plant = build_plant(7)
    sig = sample(plant, 6000, 0.05, fault_rate_per_hour=0, spike_rate_per_hour=120)
    high, _ = limits(plant)
    assert sig.injected.any()
    assert not sig.faulted.any()
    assert (sig.values[sig.injected] > np.broadcast_to(high, sig.values.shape)[sig.injected]).all()
    assert max(n for col in sig.injected.T for _, n in runs(col)) <= 11  # <= 0.5 s at 20 per second


def test_given_the_shift_pattern_then_day_shift_runs_and_night_and_changeover_idle() -> None:
    plant = build_plant(7)
    sim = PlantSignals(plant, start_ns=local_ns(plant, 10, 0), fault_rate_per_hour=0, spike_rate_per_hour=0)
    windows = {
        "night": local_ns(plant, 10, 3),
        "day": local_ns(plant, 10, 12),
        "changeover": local_ns(plant, 10, 14, 10),
    }
    got = {k: sim.sample(60, S, first_ns=t) for k, t in windows.items()}
    speed = [i for i, p in enumerate(sim.paths) if p.endswith("/spindle_speed")]
    power = [i for i, p in enumerate(sim.paths) if p.endswith("/power")]
    for m, machine in enumerate(plant.machines()):
        day_speed = got["day"].values[:, speed[m]].mean()
        assert day_speed > 0.9 * machine.sensors[3].run
        assert got["changeover"].values[:, speed[m]].max() == 0.0
        assert got["changeover"].values[:, power[m]].mean() < 0.3 * got["day"].values[:, power[m]].mean()
        night = got["night"].load[:, m].mean()
        assert night == (1.0 if machine.night_shift else 0.0)
    assert not all(m.night_shift for m in plant.machines())


def test_given_a_degrading_machine_then_its_vibration_and_temperature_creep_up() -> None:
    plant = build_plant(7)
    worn = [m.degrading for m in plant.machines()]
    assert any(worn)
    assert not all(worn)
    sim = PlantSignals(plant, start_ns=local_ns(plant, 10, 11), fault_rate_per_hour=0, spike_rate_per_hour=0)
    first = sim.sample(600, S, first_ns=local_ns(plant, 10, 11))
    later = sim.sample(600, S, first_ns=local_ns(plant, 11, 11))  # a day later, wear has grown
    for m, degrading in enumerate(worn):
        temp, vib = 5 * m, 5 * m + 1
        grew_vib = later.values[:, vib].mean() - first.values[:, vib].mean()
        grew_temp = later.values[:, temp].mean() - first.values[:, temp].mean()
        if degrading:
            assert grew_vib > 0.3
            assert grew_temp > 2.0
        else:
            assert abs(grew_vib) < 0.1
            assert abs(grew_temp) < 1.0


def test_given_50000_readings_requested_then_one_call_generates_them() -> None:
    plant = build_plant(7)
    sig = PlantSignals(plant, start_ns=START).sample(50_000 // plant.sensor_count(), S // 100)
    assert sig.count == 50_000 // plant.sensor_count() * plant.sensor_count() >= 49_980
    assert sig.values.shape == (sig.ts.shape[0], 30)
    assert np.isfinite(sig.values).all()


def test_given_timestamps_out_of_order_when_generating_then_it_refuses() -> None:
    sim = PlantSignals(build_plant(7), start_ns=START)
    with pytest.raises(ValueError, match="strictly increasing"):
        sim.generate([START + 2, START + 1])
    sim.generate([START + 10])
    with pytest.raises(ValueError, match="continue after"):
        sim.generate([START + 5])
