"""SKAB (Skoltech Anomaly Benchmark) files and the metrics the detection benchmark reports.

Layout: ``<root>/{valve1,valve2,other}/*.csv``, ``;``-separated, 1 Hz, columns ``datetime``, 8 sensor channels,
``anomaly`` (0/1), ``changepoint`` (0/1). ``anomaly-free/`` has no labels and is not used for scoring.
"""

from __future__ import annotations

import csv
import os
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import numpy.typing as npt

from mip.platform.errors import NotFound

CHANNELS = (
    "Accelerometer1RMS",
    "Accelerometer2RMS",
    "Current",
    "Pressure",
    "Temperature",
    "Thermocouple",
    "Voltage",
    "Volume Flow RateRMS",
)
GROUPS = ("valve1", "valve2", "other")
TRAIN_ROWS = 400  # the usual SKAB protocol: the first 400 rows of each file are the (normal) training part


class DatasetMissing(NotFound):
    code = "dataset_missing"


@dataclass(frozen=True, slots=True)
class SkabFile:
    name: str  # e.g. "valve1/3"
    group: str
    values: npt.NDArray[np.float64]  # rows × channels, in CHANNELS order
    anomaly: npt.NDArray[np.bool_]


def default_root() -> Path:
    """``$MIP_SKAB_DIR``, else ``../shared/datasets/skab`` from the repository (the working directory or above)."""
    env = os.environ.get("MIP_SKAB_DIR")
    if env:
        return Path(env)
    here = Path.cwd().resolve()
    for base in (here, *here.parents):
        p = base.parent / "shared" / "datasets" / "skab"
        if p.is_dir():
            return p
    return Path("/work/shared/datasets/skab")


def _key(p: Path) -> tuple[str, int]:
    return (p.parent.name, int(p.stem) if p.stem.isdigit() else 10**6)


def load_skab(root: Path | None = None) -> list[SkabFile]:
    root = root or default_root()
    paths = sorted((p for g in GROUPS for p in (root / g).glob("*.csv")), key=_key)
    if not paths:
        raise DatasetMissing(f"no SKAB files under {root} (set MIP_SKAB_DIR)")
    out = []
    for p in paths:
        with p.open(newline="", encoding="utf-8") as f:
            rows = list(csv.reader(f, delimiter=";"))
        head = rows[0]
        cols = [head.index(c) for c in CHANNELS]
        ai = head.index("anomaly")
        body = [r for r in rows[1:] if r]
        values = np.array([[float(r[c]) for c in cols] for r in body], dtype=np.float64)
        anomaly = np.array([float(r[ai]) > 0.5 for r in body], dtype=np.bool_)
        out.append(SkabFile(f"{p.parent.name}/{p.stem}", p.parent.name, values, anomaly))
    return out


def roc_auc(labels: npt.NDArray[np.bool_], scores: npt.NDArray[np.float64]) -> float:
    """Area under the ROC curve (ties count half), i.e. the Mann-Whitney U statistic."""
    pos = int(labels.sum())
    neg = labels.shape[0] - pos
    if pos == 0 or neg == 0:
        return float("nan")
    order = np.argsort(scores, kind="mergesort")
    s = scores[order]
    ranks = np.empty(s.shape[0], dtype=np.float64)
    # average ranks for ties
    bounds = np.flatnonzero(np.diff(s)) + 1
    starts = np.concatenate(([0], bounds))
    ends = np.concatenate((bounds, [s.shape[0]]))
    avg = (starts + ends + 1) / 2.0
    ranks[order] = np.repeat(avg, ends - starts)
    return float((ranks[labels].sum() - pos * (pos + 1) / 2.0) / (pos * neg))


def confusion(labels: npt.NDArray[np.bool_], pred: npt.NDArray[np.bool_]) -> dict[str, float]:
    tp = int((labels & pred).sum())
    fp = int((~labels & pred).sum())
    fn = int((labels & ~pred).sum())
    tn = int((~labels & ~pred).sum())
    f1 = 2 * tp / (2 * tp + fp + fn) if tp else 0.0
    return {
        "f1": f1,
        "far_pct": 100.0 * fp / (fp + tn) if fp + tn else 0.0,
        "mar_pct": 100.0 * fn / (fn + tp) if fn + tp else 0.0,
        "precision": tp / (tp + fp) if tp + fp else 0.0,
        "recall": tp / (tp + fn) if tp + fn else 0.0,
    }


def best_f1(labels: npt.NDArray[np.bool_], scores: npt.NDArray[np.float64]) -> tuple[float, float]:
    """Best F1 over every threshold (an oracle: the threshold is chosen with the labels) and that threshold."""
    order = np.argsort(-scores, kind="mergesort")
    s = scores[order]
    lab = labels[order]
    tp = np.cumsum(lab)
    fp = np.cumsum(~lab)
    last = np.flatnonzero(np.r_[s[1:] != s[:-1], True])  # cut only between distinct scores
    tp, fp = tp[last], fp[last]
    f1 = 2 * tp / (tp + fp + int(lab.sum()))
    k = int(np.argmax(f1))
    return float(f1[k]), float(s[last[k]])
