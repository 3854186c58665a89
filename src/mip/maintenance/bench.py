"""C-MAPSS benchmark: train with grouped cross-validation, save, predict. Used by ``mip maintenance
train-rul`` / ``predict-rul`` and ``mip bench rul`` (:func:`run_rul_bench`)."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import numpy as np

from mip.maintenance.artifacts import environment, now_iso
from mip.maintenance.cmapss import read_cmapss, sha256_file
from mip.maintenance.errors import DataFormatError
from mip.maintenance.features import SeriesTable
from mip.maintenance.metrics import TruncationSpec
from mip.maintenance.rul import RulConfig, RulModel, cross_validate

FORMATS = ("cmapss",)
PUBLISHED_FD001_TEST_RMSE = {
    "SVR": 20.96,
    "CNN": 18.45,
    "deep LSTM": 16.14,
    "AGCNN": 12.42,
    "MS-DCNN": 11.44,
    "DCNN+LSTM": 10.74,
    "TCNA": 10.45,
}


def check_format(fmt: str) -> None:
    if fmt not in FORMATS:
        raise DataFormatError(f"unsupported format {fmt!r}: supported formats are {', '.join(FORMATS)}", format=fmt)


def first_units(table: SeriesTable, n: int) -> SeriesTable:
    keep = np.unique(table.units)[:n]
    return table.take(np.flatnonzero(np.isin(table.units, keep)).astype(np.int64))


def train_cmapss(
    train_file: Path,
    *,
    config: RulConfig | None = None,
    folds: int = 5,
    units: int | None = None,
    truncation: TruncationSpec | None = None,
) -> tuple[RulModel, dict[str, Any]]:
    """Cross-validate (grouped by unit), then fit on every unit. Returns the model and its metadata."""
    config = config or RulConfig()
    started = time.perf_counter()
    table = read_cmapss(train_file)
    if units is not None:
        table = first_units(table, units)
    cv = cross_validate(table, config, n_folds=folds, truncation=truncation)
    fit_started = time.perf_counter()
    model = RulModel(config).fit(table)
    assert table.target is not None
    model.set_residuals(cv.oof, table.target)
    fit_seconds = time.perf_counter() - fit_started
    metadata: dict[str, Any] = {
        "kind": "rul",
        "data_format": "cmapss",
        "target": "remaining useful life in cycles, trained capped (piecewise linear)",
        "cap": config.cap,
        "sensors": model.normaliser.columns if model.normaliser else [],
        "channels": model.channels,
        "features": model.feature_names,
        "config": config.to_json(),
        "cv": cv.metrics,
        "trained_at": now_iso(),
        "training_seconds": round(time.perf_counter() - started, 2),
        "final_fit_seconds": round(fit_seconds, 2),
        "data": {
            "file": train_file.name,
            "sha256": sha256_file(train_file),
            "rows": table.n_rows,
            "units": int(np.unique(table.units).size),
        },
        **environment(),
    }
    return model, metadata


def predict_cmapss(model: RulModel, input_file: Path) -> list[dict[str, Any]]:
    """The RUL at the last cycle of each unit in ``input_file``."""
    table = read_cmapss(input_file, with_target=False)
    return [{"unit": u, "rul": round(r, 3)} for u, r in model.predict_last(table)]


def run_rul_bench(train_file: Path | str, *, folds: int = 5, config: RulConfig | None = None) -> dict[str, Any]:
    """``mip bench rul``: grouped CV on C-MAPSS FD001 plus a final fit; the numbers to compare with the
    published test-set RMSEs."""
    path = Path(train_file)
    model, meta = train_cmapss(path, config=config, folds=folds)
    started = time.perf_counter()
    table = read_cmapss(path)
    model.predict(table)
    predict_ms = (time.perf_counter() - started) * 1000
    cv = meta["cv"]
    return {
        "benchmark": "rul",
        "dataset": f"C-MAPSS {path.name}",
        "units": meta["data"]["units"],
        "rows": meta["data"]["rows"],
        "cv_rmse": cv["truncated"]["rmse"],
        "cv_phm08_score": cv["truncated"]["phm08_score"],
        "cv_phm08_score_per_100": cv["truncated"]["phm08_score_per_100"],
        "cv_rmse_vs_capped_truth": cv["truncated"]["rmse_vs_capped_truth"],
        "all_cycles_capped_rmse": cv["all_cycles_capped"]["rmse"],
        "cv": cv,
        "training_seconds": meta["training_seconds"],
        "predict_all_rows_ms": round(predict_ms, 1),
        "published_test_rmse": PUBLISHED_FD001_TEST_RMSE,
        "config": meta["config"],
        **{k: meta[k] for k in ("sklearn_version", "numpy_version", "python")},
    }
