"""Vectorised threshold rules from each sensor's engineering limits (the safety fast path)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

import numpy as np

from mip.telemetry.batch import ReadingBatch
from mip.telemetry.directory import TenantSensors

HIGH = "high_limit"
LOW = "low_limit"


@dataclass(frozen=True, slots=True)
class Breach:
    sensor_id: uuid.UUID
    rule: str
    threshold: float
    first_ts: int
    last_ts: int
    last_value: float
    peak_value: float
    count: int
    safety: bool
    sensor_path: str


def evaluate_limits(batch: ReadingBatch, sensors: TenantSensors) -> list[Breach]:
    """Every (sensor, rule) with at least one reading outside the sensor's limits in this batch."""
    k = len(batch.sensors)
    nan = float("nan")
    infos = [sensors.by_id.get(s) for s in batch.sensors]
    high = np.array([i.high_limit if i and i.high_limit is not None else nan for i in infos], dtype=np.float64)
    low = np.array([i.low_limit if i and i.low_limit is not None else nan for i in infos], dtype=np.float64)
    if k == 0 or (np.isnan(high).all() and np.isnan(low).all()):
        return []
    idx = batch.sensor_idx.astype(np.intp)
    with np.errstate(invalid="ignore"):
        over = batch.value > high[idx]
        under = batch.value < low[idx]
    out: list[Breach] = []
    for rule, mask, limits, peak_fn in ((HIGH, over, high, np.max), (LOW, under, low, np.min)):
        if not mask.any():
            continue
        hit_idx = idx[mask]
        hit_ts = batch.ts[mask]
        hit_val = batch.value[mask]
        for s in np.unique(hit_idx).tolist():
            sel = hit_idx == s
            ts_s = hit_ts[sel]
            val_s = hit_val[sel]
            last = int(np.argmax(ts_s))
            info = infos[s]
            assert info is not None
            out.append(
                Breach(
                    sensor_id=batch.sensors[s],
                    rule=rule,
                    threshold=float(limits[s]),
                    first_ts=int(ts_s.min()),
                    last_ts=int(ts_s[last]),
                    last_value=float(val_s[last]),
                    peak_value=float(peak_fn(val_s)),
                    count=int(sel.sum()),
                    safety=info.safety,
                    sensor_path=info.path,
                )
            )
    return out
