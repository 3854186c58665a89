"""Vectorised sensor signals for a simulated plant, deterministic for a seed and a start time.

For each machine and a vector of timestamps this computes, with numpy only:

* a **shift pattern** in the site's local time: early 06:00-14:00, late 14:00-22:00 and night 22:00-06:00,
  with a 20 min changeover at each shift start and a 30 min break mid-shift; most machines idle at night.
  Idle means no spindle speed, standby power, lower pressure, and the spindle cooling down to ambient.
* **baselines + noise**: each sensor moves between its idle and running value with the load (spin-up in
  2 min, thermal inertia 15 min), plus a slow drift and Gaussian noise clipped at 4 sigma.
* **wear** on some machines: vibration and temperature creep up toward (never past) their limits, and
  faults become up to five times more likely as wear grows.
* **injected events** at a configurable rate: faults (several seconds above ``high_limit``) and spikes
  (a fraction of a second above it).

Noise and events come from per-machine ``numpy.random.default_rng`` streams that advance one row per
timestamp, so the readings depend only on (seed, start time, timestamps) - not on how the timestamps are
split into calls.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import numpy as np
import numpy.typing as npt

from mip.sim.plant import Machine, Plant

NS_PER_S = 1_000_000_000
NS_PER_HOUR = 3600 * NS_PER_S
DAY_S = 86_400.0
RAMP_S = 120.0
THERMAL_RAMP_S = 900.0
MAX_WEAR_FAULT_FACTOR = 5.0
FAULT_S = (3.0, 12.0)
SPIKE_S = (0.05, 0.5)

FloatArray = npt.NDArray[np.float64]
BoolArray = npt.NDArray[np.bool_]
IntArray = npt.NDArray[np.int64]


def shift_intervals(night_shift: bool) -> list[tuple[float, float]]:
    """Running intervals in seconds of the local day (the night shift may end past 24 h)."""
    shifts = [(6, 14), (14, 22)] + ([(22, 30)] if night_shift else [])
    out: list[tuple[float, float]] = []
    for a, b in shifts:
        brk = (a + 4) * 3600.0
        out += [(a * 3600.0 + 20 * 60, brk), (brk + 30 * 60, b * 3600.0)]
    return out


def _knots(intervals: list[tuple[float, float]], ramp_s: float) -> tuple[FloatArray, FloatArray]:
    xs: list[float] = []
    fs: list[float] = []
    for a, b in intervals:
        xs += [a, a + ramp_s, b, b + ramp_s]
        fs += [0.0, 1.0, 1.0, 0.0]
    xp = np.mod(np.asarray(xs), DAY_S)
    order = np.argsort(xp)
    return xp[order], np.asarray(fs)[order]


@dataclass(frozen=True, slots=True)
class _Event:
    start_ns: int
    end_ns: int
    col: int
    level: float
    fault: bool


@dataclass(frozen=True, slots=True)
class Signals:
    """Readings for ``n`` timestamps x ``S`` sensors (columns in :meth:`Plant.sensor_paths` order)."""

    ts: IntArray  # (n,)
    values: FloatArray  # (n, S)
    injected: BoolArray  # (n, S): inside an injected fault or spike
    faulted: BoolArray  # (n, S): inside an injected fault (the multi-second excursions)
    load: FloatArray  # (n, M): 0 idle .. 1 running, per machine

    @property
    def count(self) -> int:
        return int(self.values.size)


class MachineSignals:
    """One machine's five sensors; call :meth:`generate` with increasing timestamps."""

    def __init__(
        self,
        machine: Machine,
        *,
        seed: int,
        index: int,
        start_ns: int,
        fault_rate_per_hour: float,
        spike_rate_per_hour: float,
        degradation_hours: float,
    ) -> None:
        specs = machine.sensors
        self.machine = machine
        self.start_ns = start_ns
        self.degradation_ns = max(degradation_hours, 1e-9) * NS_PER_HOUR
        self.run = np.array([s.run for s in specs])
        self.idle = np.array([s.idle for s in specs])
        self.noise = np.array([s.noise for s in specs])
        self.idle_noise = np.array([s.idle_noise for s in specs])
        self.wear_cap = np.array([s.wear_cap for s in specs])
        self.high = np.array([math.nan if s.high_limit is None else s.high_limit for s in specs])
        self.thermal = np.array([s.kind == "temperature" for s in specs])
        shape = np.random.default_rng([seed, index, 0])
        self.drift_period_s = shape.uniform(600.0, 2400.0, len(specs))
        self.drift_phase = shape.uniform(0.0, 2 * math.pi, len(specs))
        self._noise_rng = np.random.default_rng([seed, index, 1])
        self._event_rng = np.random.default_rng([seed, index, 2])
        intervals = shift_intervals(machine.night_shift)
        self._load_knots = _knots(intervals, RAMP_S)
        self._thermal_knots = _knots(intervals, THERMAL_RAMP_S)
        self._fault_rate = max(fault_rate_per_hour, 0.0) / 3600.0
        self._spike_rate = max(spike_rate_per_hour, 0.0) / 3600.0
        self._fault_factor = MAX_WEAR_FAULT_FACTOR if machine.degrading else 1.0
        self._candidate_rate = self._fault_rate * self._fault_factor + self._spike_rate
        self._events: list[_Event] = []
        self._next_ns: float = math.inf
        if self._candidate_rate > 0:
            self._next_ns = start_ns + self._event_rng.exponential(1.0 / self._candidate_rate) * NS_PER_S
        weights = np.full(len(specs), 1.0)
        if machine.degrading:  # worn bearings: vibration and temperature faults dominate
            weights[self.thermal | np.array([s.kind == "vibration" for s in specs])] = 6.0
        self._fault_cdf = np.cumsum(weights) / weights.sum()

    def wear(self, ts: IntArray) -> FloatArray:
        if not self.machine.degrading:
            return np.zeros(ts.shape)
        age = (ts - self.start_ns).astype(np.float64) / self.degradation_ns
        return np.clip(self.machine.wear0 + age, 0.0, 1.0)

    def _schedule(self, until_ns: int) -> None:
        """Draw candidate events up to ``until_ns``; each candidate consumes the same draws."""
        while self._next_ns <= until_ns:
            t = int(self._next_ns)
            u = self._event_rng.random(5)
            self._next_ns += self._event_rng.exponential(1.0 / self._candidate_rate) * NS_PER_S
            fault = u[0] < self._fault_rate * self._fault_factor / self._candidate_rate
            if fault:
                wear = float(self.wear(np.array([t], dtype=np.int64))[0])
                factor = 1.0 + (MAX_WEAR_FAULT_FACTOR - 1.0) * wear * wear if self.machine.degrading else 1.0
                if u[1] >= factor / self._fault_factor:
                    continue
                col = int(np.searchsorted(self._fault_cdf, u[2], side="right"))
                lo, hi = FAULT_S
                excess = 0.1 + 0.3 * u[4]
            else:
                col = int(u[2] * len(self.run))
                lo, hi = SPIKE_S
                excess = 0.05 + 0.5 * u[4]
            col = min(col, len(self.run) - 1)
            if math.isnan(self.high[col]):
                continue
            span = self.high[col] - self.run[col]
            dur_ns = int((lo + (hi - lo) * u[3]) * NS_PER_S)
            self._events.append(_Event(t, t + dur_ns, col, float(self.high[col] + excess * span), bool(fault)))

    def generate(self, ts: IntArray, local_s: FloatArray) -> tuple[FloatArray, BoolArray, BoolArray, FloatArray]:
        """(values (n, k), injected (n, k), faulted (n, k), load (n,)) for timestamps ``ts``."""
        n, k = ts.shape[0], self.run.shape[0]
        z = np.clip(self._noise_rng.standard_normal((n, k)), -4.0, 4.0)
        if n == 0:
            empty = np.zeros((0, k), dtype=bool)
            return np.zeros((0, k)), empty, empty.copy(), np.zeros(0)
        load = np.interp(local_s, *self._load_knots, period=DAY_S)
        thermal = np.interp(local_s, *self._thermal_knots, period=DAY_S)
        lvl = np.where(self.thermal, thermal[:, None], load[:, None])
        sigma = self.idle_noise + (self.noise - self.idle_noise) * lvl
        secs = ts.astype(np.float64) / NS_PER_S
        drift = sigma * np.sin(2 * math.pi * secs[:, None] / self.drift_period_s + self.drift_phase)
        wear = self.wear(ts)
        values = self.idle + (self.run - self.idle) * lvl + self.wear_cap * (wear * wear)[:, None] * lvl
        values += drift + sigma * z
        np.maximum(values, 0.0, out=values)
        injected = np.zeros((n, k), dtype=bool)
        faulted = np.zeros((n, k), dtype=bool)
        self._schedule(int(ts[-1]))
        first = int(ts[0])
        self._events = [e for e in self._events if e.end_ns > first]
        for e in self._events:
            lo_i, hi_i = np.searchsorted(ts, [e.start_ns, e.end_ns], side="left")
            if lo_i >= hi_i:
                continue
            rows = slice(int(lo_i), int(hi_i))
            floor = self.high[e.col] + 0.05 * (self.high[e.col] - self.run[e.col])
            values[rows, e.col] = np.maximum(e.level + self.noise[e.col] * z[rows, e.col], floor)
            injected[rows, e.col] = True
            faulted[rows, e.col] |= e.fault
        return values, injected, faulted, load


class PlantSignals:
    """All machines of a plant; ``generate(ts)`` gives every sensor's reading at every timestamp."""

    def __init__(
        self,
        plant: Plant,
        *,
        start_ns: int,
        seed: int | None = None,
        fault_rate_per_hour: float = 1.0,
        spike_rate_per_hour: float = 4.0,
        degradation_hours: float = 24.0,
    ) -> None:
        seed = plant.seed if seed is None else seed
        if seed < 0:
            raise ValueError("seed must not be negative")
        self.plant = plant
        self.start_ns = start_ns
        self.paths = plant.sensor_paths()
        self.machines = [
            MachineSignals(
                m,
                seed=seed,
                index=i,
                start_ns=start_ns,
                fault_rate_per_hour=fault_rate_per_hour,
                spike_rate_per_hour=spike_rate_per_hour,
                degradation_hours=degradation_hours,
            )
            for i, m in enumerate(plant.machines())
        ]
        self._offsets: dict[tuple[str, int], int] = {}
        self._last_ns: int | None = None

    def _local_seconds(self, ts: IntArray, tz: str) -> FloatArray:
        """Seconds of the local day; the UTC offset is looked up once per UTC hour."""
        hours = ts // NS_PER_HOUR
        uniq, inverse = np.unique(hours, return_inverse=True)
        zone = ZoneInfo(tz)
        offs = np.empty(uniq.shape[0], dtype=np.int64)
        for i, h in enumerate(uniq.tolist()):
            key = (tz, h)
            off = self._offsets.get(key)
            if off is None:
                delta = datetime.fromtimestamp(h * 3600, tz=UTC).astimezone(zone).utcoffset()
                off = self._offsets[key] = int(delta.total_seconds()) if delta else 0
            offs[i] = off
        ms = ts // 1_000_000 + offs[inverse] * 1000
        seconds: FloatArray = np.mod(ms, 86_400_000).astype(np.float64) / 1000.0
        return seconds

    def generate(self, ts: npt.ArrayLike) -> Signals:
        """Readings at strictly increasing epoch-ns timestamps, later than any earlier call's."""
        t = np.asarray(ts, dtype=np.int64)
        if t.ndim != 1:
            raise ValueError("timestamps must be a 1-d array")
        if t.shape[0] > 1 and not bool(np.all(np.diff(t) > 0)):
            raise ValueError("timestamps must be strictly increasing")
        if t.shape[0] and self._last_ns is not None and int(t[0]) <= self._last_ns:
            raise ValueError("timestamps must continue after the previous call's")
        if t.shape[0]:
            self._last_ns = int(t[-1])
        local: dict[str, FloatArray] = {}
        vals, inj, flt, loads = [], [], [], []
        for ms in self.machines:
            tz = ms.machine.timezone
            if tz not in local:
                local[tz] = self._local_seconds(t, tz)
            v, i, f, ld = ms.generate(t, local[tz])
            vals.append(v)
            inj.append(i)
            flt.append(f)
            loads.append(ld)
        return Signals(
            ts=t,
            values=np.hstack(vals),
            injected=np.hstack(inj),
            faulted=np.hstack(flt),
            load=np.column_stack(loads) if t.shape[0] else np.zeros((0, len(self.machines))),
        )

    def sample(self, count: int, period_ns: int, *, first_ns: int | None = None) -> Signals:
        """``count`` evenly spaced timestamps from ``first_ns`` (default: the start time)."""
        first = self.start_ns if first_ns is None else first_ns
        return self.generate(first + np.arange(count, dtype=np.int64) * period_ns)
