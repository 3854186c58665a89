"""Detection benchmarks: the streaming scorer on SKAB (``run_detect_bench``) and rule-engine throughput
(``engine_throughput``)."""

from __future__ import annotations

import math
import time
import uuid
from dataclasses import asdict
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from mip.detection.engine import Engine, SensorInfo
from mip.detection.scorer import ScorerConfig, score_series
from mip.detection.skab import CHANNELS, GROUPS, TRAIN_ROWS, best_f1, confusion, default_root, load_skab, roc_auc
from mip.detection.spec import RuleSpec
from mip.telemetry.batch import ReadingBatch

F64 = npt.NDArray[np.float64]
B = npt.NDArray[np.bool_]

PUBLISHED = {  # SKAB outlier detection, from ../shared/datasets/README.md: F1, false-alarm %, missed-alarm %
    "Conv-AE": [0.78, 13.55, 28.02],
    "MSET": [0.78, 39.73, 14.13],
    "PCA T2+Q": [0.76, 26.62, 24.92],
    "LSTM-AE": [0.74, None, None],
    "T2": [0.66, None, None],
    "LSTM-VAE": [0.56, None, None],
    "Isolation Forest": [0.29, 2.56, 82.89],
}


def combine_channels(scores: F64, full_scale: float) -> F64:
    """One score per row from per-channel scores (rows × channels): the max, Bonferroni-corrected for the
    number of channels (so it stays a calibrated surprise: score s ⇔ p = 10^(−s·full_scale))."""
    return np.asarray(
        np.clip(scores.max(axis=1) - math.log10(scores.shape[1]) / full_scale, 0.0, 1.0), dtype=np.float64
    )


def _metrics(labels: B, scores: F64, threshold: float) -> dict[str, float]:
    f1, th = best_f1(labels, scores)
    at = confusion(labels, scores >= threshold)
    return {
        "roc_auc": round(roc_auc(labels, scores), 4),
        "best_f1": round(f1, 4),
        "best_f1_threshold": round(th, 4),
        f"f1_at_{threshold:g}": round(at["f1"], 4),
        "far_pct": round(at["far_pct"], 2),
        "mar_pct": round(at["mar_pct"], 2),
    }


def run_detect_bench(
    root: Path | None = None, config: ScorerConfig | None = None, threshold: float = 0.5
) -> dict[str, Any]:
    """Score every channel of every labelled SKAB file with its own streaming scorer (one configuration, from
    the first row, no training, no look-ahead) and evaluate rows after the first 400 (the usual protocol's
    test part) pooled over all files: per channel, and for the machine (Bonferroni-corrected max over the
    8 channels). Also: mean per-file ROC-AUC, per group, the false-alarm rate on the anomaly-free file and
    the trivial all-anomalous F1 for scale."""
    t0 = time.perf_counter()
    cfg = config or ScorerConfig()
    root = root or default_root()
    files = load_skab(root)
    labels: list[B] = []
    per_channel: list[F64] = []
    machine: list[F64] = []
    for f in files:
        s = np.stack([score_series(f.values[:, c], cfg) for c in range(len(CHANNELS))], axis=1)
        labels.append(f.anomaly[TRAIN_ROWS:])
        per_channel.append(s[TRAIN_ROWS:])
        machine.append(combine_channels(s, cfg.full_scale)[TRAIN_ROWS:])
    lab = np.concatenate(labels)
    mach = np.concatenate(machine)
    chan = np.concatenate(per_channel)
    groups = {}
    for g in GROUPS:
        idx = [i for i, f in enumerate(files) if f.group == g]
        if idx:
            gl = np.concatenate([labels[i] for i in idx])
            gm = np.concatenate([machine[i] for i in idx])
            groups[g] = {"files": len(idx), **_metrics(gl, gm, threshold)}
    per_file = [roc_auc(labels[i], machine[i]) for i in range(len(files))]
    out: dict[str, Any] = {
        "dataset": "SKAB v0.9",
        "root": str(root),
        "files": len(files),
        "rows_evaluated": int(lab.shape[0]),
        "anomalous_share": round(float(lab.mean()), 4),
        "protocol": (
            f"one streaming scorer per channel from row 0 (no training, no look-ahead, one configuration); "
            f"rows >= {TRAIN_ROWS} of each file evaluated, pooled; machine score = max over channels, "
            f"Bonferroni-corrected; fixed threshold {threshold:g} chosen a priori "
            f"(p <= 10^-{cfg.full_scale * threshold:g})"
        ),
        "machine": {**_metrics(lab, mach, threshold), "roc_auc_per_file_mean": round(float(np.nanmean(per_file)), 4)},
        "channels": {
            name: {
                "roc_auc": round(roc_auc(lab, chan[:, c]), 4),
                "best_f1": round(best_f1(lab, chan[:, c])[0], 4),
            }
            for c, name in enumerate(CHANNELS)
        },
        "groups": groups,
        "trivial_all_anomalous_f1": round(2 * float(lab.mean()) / (1 + float(lab.mean())), 4),
        "published_f1_far_mar": PUBLISHED,
        "scorer": asdict(cfg),
    }
    free = root / "anomaly-free" / "anomaly-free.csv"
    if free.is_file():
        out["anomaly_free_far_pct"] = _anomaly_free_far(free, cfg, threshold)
    out["seconds"] = round(time.perf_counter() - t0, 1)
    return out


def _anomaly_free_far(path: Path, cfg: ScorerConfig, threshold: float) -> float:
    import csv

    with path.open(newline="", encoding="utf-8") as f:
        rows = list(csv.reader(f, delimiter=";"))
    cols = [rows[0].index(c) for c in CHANNELS]
    values = np.array([[float(r[c]) for c in cols] for r in rows[1:] if r], dtype=np.float64)
    s = np.stack([score_series(values[:, c], cfg) for c in range(len(CHANNELS))], axis=1)
    m = combine_channels(s, cfg.full_scale)[TRAIN_ROWS:]
    return round(100.0 * float((m >= threshold).mean()), 2)


# -- rule engine throughput ---------------------------------------------------------------------------------


def throughput_rules() -> list[RuleSpec]:
    """Ten rules over 30 sensors (10 each of three kinds): every condition type."""

    def rule(name: str, cond: dict[str, Any], **scope: Any) -> RuleSpec:
        return RuleSpec.model_validate({"name": name, "scope": scope, "condition": cond})

    return [
        rule(
            "temp high",
            {"type": "threshold", "op": ">", "value": 3.5, "deadband": 0.5, "min_duration_s": 1},
            sensor_kind="temperature",
        ),
        rule("pressure low", {"type": "threshold", "op": "<", "value": -3.5}, sensor_kind="pressure"),
        rule("vibration jump", {"type": "rate_of_change", "max_per_s": 40, "window_s": 2}, sensor_kind="vibration"),
        rule("temp z", {"type": "zscore", "window_s": 60, "z": 5}, sensor_kind="temperature"),
        rule("pressure ewma", {"type": "ewma", "alpha": 0.1, "sigmas": 4}, sensor_kind="pressure"),
        rule(
            "vibration avg",
            {"type": "window", "agg": "avg", "window_s": 30, "op": ">", "value": 2},
            sensor_kind="vibration",
        ),
        rule(
            "temp max",
            {"type": "window", "agg": "max", "window_s": 10, "op": ">", "value": 4.5},
            sensor_kind="temperature",
        ),
        rule("pressure stuck", {"type": "flatline", "window_s": 30}, sensor_kind="pressure"),
        rule("vibration missing", {"type": "missing_data", "intervals": 5}, sensor_kind="vibration"),
        rule(
            "s0 and s1 high",
            {
                "type": "combined",
                "all_of": [{"sensor_name": "s0", "op": ">", "value": 2}, {"sensor_name": "s1", "op": ">", "value": 2}],
            },
        ),
    ]


def engine_throughput(readings: int = 300_000, batch_rows: int = 1_000, sample_rate_hz: float = 10.0) -> dict[str, Any]:
    """Readings/s of ``Engine.process`` (one core) with the ten rules of ``throughput_rules`` on one machine's
    30 sensors, batches of ``batch_rows`` readings interleaved across the sensors (as the stream delivers
    them). Batches are built before the clock starts."""
    machine = uuid.UUID(int=1)
    kinds = ("temperature", "pressure", "vibration")
    sensors = [
        SensorInfo(
            uuid.UUID(int=100 + i), machine, f"s{i}", kinds[i % 3], f"plant/m1/s{i}", sample_rate_hz=sample_rate_hz
        )
        for i in range(30)
    ]
    engine = Engine(throughput_rules(), sensors)
    rng = np.random.default_rng(7)
    per = max(1, batch_rows // 30)
    step = round(1e9 / sample_rate_hz)
    ids = tuple(s.id for s in sensors)
    batches = []
    for k in range(max(1, readings // (per * 30))):
        t = np.repeat((k * per + np.arange(per, dtype=np.int64)) * step, 30)
        idx = np.tile(np.arange(30, dtype=np.uint16), per)
        v = rng.normal(0.0, 1.0, t.shape[0])
        batches.append(
            ReadingBatch(uuid.UUID(int=0), machine, uuid.uuid4(), 0, ids, idx, t, v, np.zeros(t.shape[0], np.int16))
        )
    transitions = 0
    t0 = time.perf_counter()
    for b in batches:
        transitions += len(engine.process(b).transitions)
    dt = time.perf_counter() - t0
    n = sum(len(b) for b in batches)
    return {
        "readings": n,
        "batches": len(batches),
        "batch_rows": per * 30,
        "rules": len(throughput_rules()),
        "sensors": len(sensors),
        "transitions": transitions,
        "seconds": round(dt, 3),
        "readings_per_s": round(n / dt),
        "us_per_batch": round(dt / len(batches) * 1e6, 1),
    }
