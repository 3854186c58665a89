"""``mip maintenance train-rul`` / ``predict-rul`` end to end on a C-MAPSS subset, and their errors."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from mip.cli.maintenance import maintenance_app
from tests.maintenance.test_rul_core import FD001

runner = CliRunner()


@pytest.fixture(scope="module")
def model_dir(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, object]]:
    out = tmp_path_factory.mktemp("rul") / "model"
    args = ["train-rul", "--format", "cmapss", "--train", str(FD001), "--out", str(out)]
    r = runner.invoke(maintenance_app, [*args, "--units", "20", "--max-iter", "40", "--folds", "4", "--json"])
    assert r.exit_code == 0, r.stderr
    return out, json.loads(r.stdout)


def _subset(tmp_path: Path, units: dict[int, int]) -> Path:
    """The first ``cycles`` rows of the given units (a test-set-like truncated file)."""
    lines = [
        line
        for line in FD001.read_text().splitlines()
        if (p := line.split()) and int(p[0]) in units and int(p[1]) <= units[int(p[0])]
    ]
    path = tmp_path / "test_subset.txt"
    path.write_text("\n".join(lines) + "\n")
    return path


def test_train_reports_grouped_cv_and_writes_the_model(model_dir: tuple[Path, dict[str, object]]) -> None:
    out, summary = model_dir
    assert summary["units"] == 20
    assert summary["folds"] == 4
    assert summary["cap"] == 125.0
    cv = summary["cv"]
    assert isinstance(cv, dict)
    assert cv["n"] == 200  # 10 cut points per held-out unit
    assert 0 < cv["rmse"] < 40
    assert cv["phm08_score"] > 0
    assert summary["cv_rmse"] == cv["rmse"]
    assert 0 < float(summary["all_cycles_capped_rmse"]) < 40  # type: ignore[arg-type]
    meta = json.loads((out / "metadata.json").read_text())
    for key in ("features", "cap", "cv", "trained_at", "sklearn_version", "config"):
        assert key in meta
    assert meta["data"]["sha256"] == summary["data_sha256"]
    assert len(meta["data"]["sha256"]) == 64
    assert meta["data"]["units"] == 20
    assert not any(f.startswith("unit") for f in meta["features"])
    assert (out / "model.joblib").stat().st_size > 1000


def test_predict_gives_the_rul_at_the_last_cycle_of_each_unit(
    model_dir: tuple[Path, dict[str, object]], tmp_path: Path
) -> None:
    out, _ = model_dir
    subset = _subset(tmp_path, {31: 60, 40: 150, 55: 500})
    r = runner.invoke(
        maintenance_app, ["predict-rul", "--format", "cmapss", "--model", str(out), "--input", str(subset), "--json"]
    )
    assert r.exit_code == 0, r.stderr
    preds = json.loads(r.stdout)
    assert [p["unit"] for p in preds] == [31, 40, 55]
    assert all(set(p) == {"unit", "rul"} and isinstance(p["rul"], float) for p in preds)
    assert all(0 <= p["rul"] <= 125 for p in preds)
    early, late = preds[0]["rul"], preds[2]["rul"]  # unit 55 is cut at its very end, unit 31 early in life
    assert early > late
    plain = runner.invoke(
        maintenance_app, ["predict-rul", "--format", "cmapss", "--model", str(out), "--input", str(subset)]
    )
    assert plain.exit_code == 0
    assert plain.stdout.splitlines()[0].startswith("31\t")


def _problem(r: object) -> dict[str, object]:
    stderr = r.stderr  # type: ignore[attr-defined]
    body = json.loads(stderr.strip().splitlines()[-1])
    assert body["status"]
    assert body["code"]
    assert body["detail"]
    return body  # type: ignore[no-any-return]


def test_errors_are_problem_json_with_exit_2(model_dir: tuple[Path, dict[str, object]], tmp_path: Path) -> None:
    out, _ = model_dir
    missing = tmp_path / "nope.txt"
    r = runner.invoke(maintenance_app, ["train-rul", "--format", "cmapss", "--train", str(missing), "--out", "x"])
    assert r.exit_code == 2
    assert _problem(r)["code"] == "input_file_not_found"

    r = runner.invoke(maintenance_app, ["train-rul", "--format", "csv", "--train", str(FD001), "--out", "x"])
    assert r.exit_code == 2
    assert _problem(r)["code"] == "maintenance_data_format"

    garbage = tmp_path / "garbage.txt"
    garbage.write_text("unit,cycle,s1\n1,1,0.5\n")
    args = ["predict-rul", "--format", "cmapss", "--model", str(out), "--input", str(garbage), "--json"]
    r = runner.invoke(maintenance_app, args)
    assert r.exit_code == 2
    assert _problem(r)["code"] == "maintenance_data_format"

    r = runner.invoke(
        maintenance_app, ["predict-rul", "--format", "cmapss", "--model", str(tmp_path), "--input", str(FD001)]
    )
    assert r.exit_code == 2
    assert _problem(r)["code"] == "model_artifact_invalid"

    r = runner.invoke(
        maintenance_app, ["predict-rul", "--format", "cmapss", "--model", str(out), "--input", str(missing), "--json"]
    )
    assert r.exit_code == 2
    assert _problem(r)["code"] == "input_file_not_found"

    r = runner.invoke(
        maintenance_app,
        ["train-rul", "--format", "cmapss", "--train", str(FD001), "--out", str(tmp_path / "m"), "--folds", "1"],
    )
    assert r.exit_code == 2
    assert _problem(r)["status"] == 400
