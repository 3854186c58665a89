"""RUL error measures and the truncated-trajectory evaluation protocol.

PHM08 score (Saxena et al. 2008), with d = predicted − true RUL: Σ exp(−d/13) − 1 for d < 0 (early) and
exp(d/10) − 1 for d ≥ 0 (late predictions cost more).

The published C-MAPSS test numbers score one prediction per engine at the last cycle of a trajectory cut
at a random point, against the true RUL there. :func:`truncation_rows` draws such cut points from held-out
run-to-failure units: per unit ``per_unit`` rows (deterministic seed) whose true RUL lies in
[``min_rul``, ``max_rul``] and which have at least ``min_prefix`` rows before them. The defaults follow the
official FD001 test set (trajectories of 31 to 303 cycles, true RULs of 7 to 145 cycles).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

import numpy as np

from mip.maintenance.features import F64, I64, SeriesTable


def rmse(pred: F64, true: F64) -> float:
    return float(np.sqrt(np.mean((pred - true) ** 2))) if pred.size else float("nan")


def phm08_score(pred: F64, true: F64) -> float:
    """Σ exp(−d/13) − 1 (d < 0) + Σ exp(d/10) − 1 (d ≥ 0), d = pred − true."""
    d = np.asarray(pred, np.float64) - np.asarray(true, np.float64)
    return float(np.sum(np.where(d < 0, np.expm1(-d / 13.0), np.expm1(d / 10.0))))


@dataclass(frozen=True)
class TruncationSpec:
    per_unit: int = 10
    min_rul: float = 7.0
    max_rul: float = 145.0
    min_prefix: int = 31
    seed: int = 0

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


def truncation_rows(table: SeriesTable, spec: TruncationSpec) -> I64:
    """Evaluation rows (cut points) of run-to-failure units, ``spec.per_unit`` per unit at most."""
    if table.target is None:
        raise ValueError("truncation needs the true RUL")
    rng = np.random.default_rng(spec.seed)
    out: list[I64] = []
    for _, sl in table.unit_slices():
        idx = np.arange(sl.start, sl.stop, dtype=np.int64)
        y = table.target[sl]
        ok = (y >= spec.min_rul) & (y <= spec.max_rul) & (np.arange(idx.size) >= spec.min_prefix - 1)
        pool = idx[ok]
        if pool.size == 0:
            pool = idx[-1:]  # a unit too short for the protocol still contributes its last row
        out.append(np.sort(rng.choice(pool, size=min(spec.per_unit, pool.size), replace=False)))
    return np.concatenate(out) if out else np.zeros(0, np.int64)


def summarize(pred: F64, true: F64) -> dict[str, float | int]:
    n = int(pred.size)
    score = phm08_score(pred, true)
    return {
        "n": n,
        "rmse": round(rmse(pred, true), 4),
        "mae": round(float(np.mean(np.abs(pred - true))), 4) if n else float("nan"),
        "bias": round(float(np.mean(pred - true)), 4) if n else float("nan"),
        "phm08_score": round(score, 3),
        "phm08_score_per_100": round(score * 100.0 / n, 3) if n else float("nan"),
    }
