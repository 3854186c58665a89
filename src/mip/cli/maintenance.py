"""CLI: ``mip maintenance train-rul`` / ``predict-rul`` (C-MAPSS benchmark models in a directory)."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated, Any

import typer

from mip.cli.common import emit, fail
from mip.maintenance.artifacts import load_model_dir, save_model_dir
from mip.maintenance.bench import check_format, predict_cmapss, train_cmapss
from mip.maintenance.errors import InputFileNotFound
from mip.maintenance.features import FeatureConfig
from mip.maintenance.metrics import TruncationSpec
from mip.maintenance.rul import RulConfig
from mip.platform.errors import BadRequest, MIPError

maintenance_app = typer.Typer(
    help="Predictive maintenance: train and apply remaining-useful-life models.", no_args_is_help=True
)

FormatOpt = Annotated[str, typer.Option("--format", "-f", help="Input format (supported: cmapss)")]
JsonOpt = Annotated[bool, typer.Option("--json", help="Print JSON on stdout")]


def _require_file(path: Path, what: str) -> None:
    if not path.exists():
        raise InputFileNotFound(f"{what} not found: {path}", path=str(path))
    if not path.is_file():
        raise InputFileNotFound(f"{what} is not a file: {path}", path=str(path))


@maintenance_app.command("train-rul")
def train_rul(
    fmt: FormatOpt,
    train: Annotated[Path, typer.Option("--train", help="Run-to-failure training file")],
    out: Annotated[Path, typer.Option("--out", help="Model directory to write (model.joblib + metadata.json)")],
    as_json: JsonOpt = False,
    folds: Annotated[int, typer.Option("--folds", help="Cross-validation folds, grouped by unit")] = 5,
    units: Annotated[int | None, typer.Option("--units", help="Use only the first N units (quick runs)")] = None,
    cap: Annotated[float, typer.Option("--cap", help="Piecewise-linear RUL cap for training")] = 125.0,
    max_iter: Annotated[int, typer.Option("--max-iter", help="Boosting iterations")] = 500,
    stride: Annotated[int, typer.Option("--stride", help="Train on every n-th cycle of each unit")] = 1,
    truncations: Annotated[int, typer.Option("--truncations", help="Evaluation cut points per held-out unit")] = 10,
    seed: Annotated[int, typer.Option("--seed", help="Seed of the evaluation cut points and the model")] = 0,
) -> None:
    """Train a RUL model with grouped cross-validation; report CV RMSE and the PHM08 score."""
    try:
        check_format(fmt)
        _require_file(train, "training file")
        if folds < 2 or max_iter < 1 or stride < 1 or truncations < 1 or cap <= 0 or (units is not None and units < 2):
            raise BadRequest("--folds ≥ 2, --units ≥ 2, --max-iter ≥ 1, --stride ≥ 1, --truncations ≥ 1, --cap > 0")
        config = RulConfig(cap=cap, features=FeatureConfig(), max_iter=max_iter, row_stride=stride, seed=seed)
        spec = TruncationSpec(per_unit=truncations, seed=seed)
        model, meta = train_cmapss(train, config=config, folds=folds, units=units, truncation=spec)
        meta = save_model_dir(model, meta, out)
    except MIPError as exc:
        fail(exc)
    summary = _summary(meta, out)
    if as_json:
        emit(summary)
        return
    t = summary["cv"]
    sys.stdout.write(
        f"trained on {summary['units']} units ({summary['rows']} rows) in {summary['training_seconds']} s -> {out}\n"
        f"CV ({summary['folds']} folds grouped by unit), truncated trajectories, {t['n']} cut points:\n"
        f"  RMSE {t['rmse']}  PHM08 score {t['phm08_score']} ({t['phm08_score_per_100']} per 100 predictions)\n"
        f"secondary, all cycles vs RUL capped at {summary['cap']}: RMSE {summary['all_cycles_capped_rmse']}\n"
    )


def _summary(meta: dict[str, Any], out: Path) -> dict[str, Any]:
    cv = meta["cv"]
    return {
        "model_dir": str(out),
        "units": meta["data"]["units"],
        "rows": meta["data"]["rows"],
        "folds": cv["folds"],
        "cap": meta["cap"],
        "cv": cv["truncated"],
        "cv_rmse": cv["truncated"]["rmse"],
        "cv_phm08_score": cv["truncated"]["phm08_score"],
        "all_cycles_capped_rmse": cv["all_cycles_capped"]["rmse"],
        "training_seconds": meta["training_seconds"],
        "data_sha256": meta["data"]["sha256"],
        "trained_at": meta["trained_at"],
    }


@maintenance_app.command("predict-rul")
def predict_rul(
    fmt: FormatOpt,
    model: Annotated[Path, typer.Option("--model", help="Model directory written by train-rul")],
    input_file: Annotated[Path, typer.Option("--input", help="Trajectories to score (one or more units)")],
    as_json: JsonOpt = False,
) -> None:
    """Predict the RUL at the last cycle of each unit in the input file."""
    try:
        check_format(fmt)
        _require_file(input_file, "input file")
        rul_model, meta = load_model_dir(model)
        if meta.get("data_format") != fmt:
            raise BadRequest(f"the model was trained on {meta.get('data_format')!r} data, not {fmt!r}")
        preds = predict_cmapss(rul_model, input_file)
    except MIPError as exc:
        fail(exc)
    if as_json:
        emit(preds)
        return
    for p in preds:
        sys.stdout.write(f"{p['unit']}\t{p['rul']}\n")
