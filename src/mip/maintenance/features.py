"""Generic feature table and causal trailing-window features, shared by C-MAPSS and plant machines.

A :class:`SeriesTable` holds the time series of many units (engines, machines): one row per unit and time
step, any number of sensor columns, optionally the target (remaining useful life in time units). Rows are
sorted by (unit, time). Every feature of a row is computed from that row and the rows *before* it of the
same unit only, so the features of a trajectory truncated at step t equal the full trajectory's features
at t: a prediction at the last row of a truncated series is exactly what the model would say online.

Per informative sensor (after per-operating-condition z-scoring): last value, trailing means and
least-squares slopes over several windows, trailing standard deviations, EWMAs; plus the unit's age.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
import numpy.typing as npt
from scipy.signal import lfilter

from mip.maintenance.errors import DataFormatError, InsufficientTrainingData

F64 = npt.NDArray[np.float64]
I64 = npt.NDArray[np.int64]


@dataclass
class SeriesTable:
    units: I64  # (n,) unit code per row
    time: F64  # (n,) time index (cycles, hours ...), increasing within a unit
    values: F64  # (n, k) sensor values
    columns: list[str]
    target: F64 | None = None  # (n,) remaining useful life in time units, if known
    condition: I64 | None = None  # (n,) operating-condition code, if the units run in several regimes

    def __post_init__(self) -> None:
        n = self.units.shape[0]
        if self.values.ndim != 2 or self.values.shape != (n, len(self.columns)) or self.time.shape != (n,):
            raise DataFormatError("feature table columns have inconsistent shapes")
        if self.target is not None and self.target.shape != (n,):
            raise DataFormatError("target has the wrong length")
        if n and not np.all(np.isfinite(self.values)):
            raise DataFormatError("feature table contains non-finite sensor values")
        if n > 1:
            same = self.units[1:] == self.units[:-1]
            if np.any(same & (self.time[1:] <= self.time[:-1])):
                raise DataFormatError("rows must be sorted by unit and strictly increasing time")
            if np.unique(self.units[np.r_[True, ~same]]).size != np.unique(self.units).size:
                raise DataFormatError("the rows of one unit must be contiguous")

    @property
    def n_rows(self) -> int:
        return int(self.units.shape[0])

    def unit_slices(self) -> list[tuple[int, slice]]:
        """(unit code, row slice) for each unit, in row order."""
        if self.n_rows == 0:
            return []
        starts = np.flatnonzero(np.r_[True, self.units[1:] != self.units[:-1]])
        ends = np.r_[starts[1:], self.n_rows]
        return [(int(self.units[s]), slice(int(s), int(e))) for s, e in zip(starts, ends, strict=True)]

    def last_rows(self) -> I64:
        return np.array([sl.stop - 1 for _, sl in self.unit_slices()], np.int64)

    def take(self, rows: I64) -> SeriesTable:
        return SeriesTable(
            units=self.units[rows],
            time=self.time[rows],
            values=self.values[rows],
            columns=list(self.columns),
            target=None if self.target is None else self.target[rows],
            condition=None if self.condition is None else self.condition[rows],
        )


@dataclass(frozen=True)
class FeatureConfig:
    """Trailing-window features per channel. Windows count rows (cycles, hours ...)."""

    windows: tuple[int, ...] = (10, 30, 60, 100, 160, 250)  # trailing means and least-squares slopes
    std_windows: tuple[int, ...] = ()
    ewma_alphas: tuple[float, ...] = (0.3,)
    baseline_rows: int = 20  # the unit's own baseline: mean of its first rows (0: no drift features)
    drift_alphas: tuple[float, ...] = (0.3, 0.1, 0.05)  # EWMA minus the baseline
    include_age: bool = True

    def to_json(self) -> dict[str, Any]:
        return {
            "windows": list(self.windows),
            "std_windows": list(self.std_windows),
            "ewma_alphas": list(self.ewma_alphas),
            "baseline_rows": self.baseline_rows,
            "drift_alphas": list(self.drift_alphas),
            "include_age": self.include_age,
        }

    @classmethod
    def from_json(cls, d: dict[str, Any]) -> FeatureConfig:
        return cls(
            windows=tuple(int(w) for w in d["windows"]),
            std_windows=tuple(int(w) for w in d["std_windows"]),
            ewma_alphas=tuple(float(a) for a in d["ewma_alphas"]),
            baseline_rows=int(d["baseline_rows"]),
            drift_alphas=tuple(float(a) for a in d["drift_alphas"]),
            include_age=bool(d["include_age"]),
        )


@dataclass
class Normaliser:
    """Drops constant sensors; z-scores the others per operating condition (one global regime if none)."""

    columns: list[str] = field(default_factory=list)  # the informative sensors kept
    stats: dict[int, tuple[list[float], list[float]]] = field(default_factory=dict)  # condition -> (mean, std)

    @classmethod
    def fit(cls, table: SeriesTable, min_distinct: int = 3) -> Normaliser:
        if table.n_rows < 2:
            raise InsufficientTrainingData("need at least two rows to fit a normaliser")
        cond = _conditions(table)
        keep: list[int] = []
        for j in range(len(table.columns)):
            col = table.values[:, j]
            varies = all(
                np.unique(col[cond == c]).size >= min_distinct and float(np.std(col[cond == c])) > 0
                for c in np.unique(cond)
            )
            if varies:
                keep.append(j)
        if not keep:
            raise InsufficientTrainingData("no sensor varies in the training data")
        stats: dict[int, tuple[list[float], list[float]]] = {}
        for c in np.unique(cond):
            block = table.values[cond == c][:, keep]
            std = block.std(axis=0)
            stats[int(c)] = (block.mean(axis=0).tolist(), np.where(std > 0, std, 1.0).tolist())
        return cls([table.columns[j] for j in keep], stats)

    def transform(self, table: SeriesTable) -> F64:
        index = {c: j for j, c in enumerate(table.columns)}
        missing = [c for c in self.columns if c not in index]
        if missing:
            raise DataFormatError(f"input lacks the model's sensors: {', '.join(missing)}")
        x = table.values[:, [index[c] for c in self.columns]].astype(np.float64, copy=True)
        cond = _conditions(table)
        fallback = next(iter(self.stats.values()))
        for c in np.unique(cond):
            mean, std = self.stats.get(int(c), fallback)
            rows = cond == c
            x[rows] = (x[rows] - np.asarray(mean)) / np.asarray(std)
        return x

    def to_json(self) -> dict[str, Any]:
        return {"columns": self.columns, "stats": {str(k): [m, s] for k, (m, s) in self.stats.items()}}

    @classmethod
    def from_json(cls, d: dict[str, Any]) -> Normaliser:
        return cls(list(d["columns"]), {int(k): (list(v[0]), list(v[1])) for k, v in d["stats"].items()})


def _conditions(table: SeriesTable) -> I64:
    return table.condition if table.condition is not None else np.zeros(table.n_rows, np.int64)


def feature_names(channels: list[str], config: FeatureConfig) -> list[str]:
    names: list[str] = []
    for c in channels:
        names.append(f"{c}:last")
        names += [f"{c}:mean{w}" for w in config.windows]
        names += [f"{c}:slope{w}" for w in config.windows]
        names += [f"{c}:std{w}" for w in config.std_windows]
        names += [f"{c}:ewma{a:g}" for a in config.ewma_alphas]
        if config.baseline_rows > 0:
            names += [f"{c}:drift{a:g}" for a in config.drift_alphas]
            names.append(f"{c}:baseline")
    if config.include_age:
        names.append("age")
    return names


def _trailing_sum(cs: F64, w: int) -> F64:
    """Trailing sums over up to ``w`` rows from a zero-padded cumulative sum (len n+1) along axis 0."""
    n = cs.shape[0] - 1
    idx = np.arange(1, n + 1)
    lo = np.maximum(idx - w, 0)
    out: F64 = cs[idx] - cs[lo]
    return out


def _ewma(x: F64, alpha: float) -> F64:
    y, _ = lfilter([alpha], [1.0, -(1.0 - alpha)], x, axis=0, zi=(1.0 - alpha) * x[:1])
    return np.asarray(y, np.float64)


def _unit_features(t: F64, x: F64, config: FeatureConfig) -> F64:
    """Features of one unit's rows (``x``: its channels, rows in time order); row i uses rows ≤ i only."""
    n, k = x.shape
    t = t - t[0]
    pad = np.zeros((1, k))
    cs_x = np.vstack([pad, np.cumsum(x, axis=0)])
    cs_xx = np.vstack([pad, np.cumsum(x * x, axis=0)])
    cs_tx = np.vstack([pad, np.cumsum(t[:, None] * x, axis=0)])
    cs_t = np.r_[0.0, np.cumsum(t)][:, None]
    cs_tt = np.r_[0.0, np.cumsum(t * t)][:, None]
    count = np.arange(1, n + 1, dtype=np.float64)[:, None]
    means, slopes, stds = [], [], []
    for w in config.windows:
        m = np.minimum(count, w)
        sx, st = _trailing_sum(cs_x, w), _trailing_sum(cs_t, w)
        means.append(sx / m)
        denom = m * _trailing_sum(cs_tt, w) - st * st
        num = m * _trailing_sum(cs_tx, w) - st * sx
        slopes.append(np.divide(num, denom, out=np.zeros_like(num), where=denom > 1e-12))
    for w in config.std_windows:
        m = np.minimum(count, w)
        mean = _trailing_sum(cs_x, w) / m
        stds.append(np.sqrt(np.maximum(_trailing_sum(cs_xx, w) / m - mean * mean, 0.0)))
    ewmas = [_ewma(x, a) for a in config.ewma_alphas]
    drift: list[F64] = []
    if config.baseline_rows > 0:
        b = config.baseline_rows
        base = cs_x[1:] / count  # running mean while the baseline period lasts, then frozen
        if n > b:
            base[b:] = cs_x[b] / b
        drift = [_ewma(x, a) - base for a in config.drift_alphas] + [base]
    blocks = [x, *means, *slopes, *stds, *ewmas, *drift]
    per_sensor = np.stack(blocks, axis=2).reshape(n, -1)  # channel-major, as in feature_names()
    if config.include_age:
        per_sensor = np.hstack([per_sensor, t[:, None]])
    out: F64 = per_sensor
    return out


def window_features(table: SeriesTable, channels: F64, config: FeatureConfig) -> F64:
    """Features of every row from ``channels`` (the table's normalised sensors, plus any derived channel)."""
    if channels.shape[0] != table.n_rows:
        raise DataFormatError("channel matrix and table differ in rows")
    per_channel = len(feature_names(["x"], config)) - int(config.include_age)
    width = per_channel * channels.shape[1] + int(config.include_age)
    out = np.empty((table.n_rows, width), np.float64)
    for _, sl in table.unit_slices():
        out[sl] = _unit_features(table.time[sl], channels[sl], config)
    return out
