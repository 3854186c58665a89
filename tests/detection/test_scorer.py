"""The streaming anomaly scorer: ``mip detect score`` output, scores in [0, 1], no look-ahead, and injected
spikes / level shifts scored high while normal noise stays low; the benchmark functions run."""

from __future__ import annotations

import csv
import json
import math
from pathlib import Path

import numpy as np
from typer.testing import CliRunner

from mip.cli.detect import detect_app
from mip.detection.bench import engine_throughput, run_detect_bench
from mip.detection.scorer import StreamingScorer, score_series
from mip.detection.skab import best_f1, default_root, roc_auc


def noisy(n: int, seed: int = 0) -> np.ndarray:
    rng = np.random.default_rng(seed)
    # a slowly wandering, noisy, slightly quantised industrial-looking signal
    return np.round(50 + np.cumsum(rng.normal(0, 0.02, n)) + rng.normal(0, 0.5, n), 2)


def test_given_a_csv_when_scored_then_every_row_is_written_with_a_score_in_0_1(tmp_path: Path) -> None:
    x = noisy(600)
    src = tmp_path / "in.csv"
    src.write_text(
        "timestamp,value\n" + "".join(f"{1_700_000_000 + i},{v}\n" for i, v in enumerate(x)), encoding="utf-8"
    )
    dst = tmp_path / "out.csv"
    res = CliRunner().invoke(detect_app, ["score", "--input", str(src), "--output", str(dst)])
    assert res.exit_code == 0, res.output
    summary = json.loads(res.stdout)
    assert summary["rows"] == 600
    with dst.open(newline="") as f:
        rows = list(csv.reader(f))
    assert rows[0] == ["timestamp", "value", "anomaly_score"]
    assert [r[0] for r in rows[1:]] == [str(1_700_000_000 + i) for i in range(600)]
    assert [float(r[1]) for r in rows[1:]] == list(x)
    scores = np.array([float(r[2]) for r in rows[1:]])
    assert ((scores >= 0) & (scores <= 1)).all()
    assert np.allclose(scores, score_series(x), atol=1e-6)


def test_given_rfc3339_rows_without_header_then_scored(tmp_path: Path) -> None:
    src = tmp_path / "in.csv"
    src.write_text("".join(f"2024-01-01T00:{i // 60:02d}:{i % 60:02d}Z,{v}\n" for i, v in enumerate(noisy(100))))
    res = CliRunner().invoke(detect_app, ["score", "--input", str(src), "--output", str(tmp_path / "o.csv")])
    assert res.exit_code == 0, res.output
    assert json.loads(res.stdout)["rows"] == 100


def test_given_bad_rows_then_exit_2_with_the_line(tmp_path: Path) -> None:
    for body, line in (
        ("timestamp,value\n1,2\n2,x\n", 3),
        ("timestamp,value\n1,2\nlater,3\n", 3),
        ("timestamp,value\n1,2,3\n", 2),
    ):
        src = tmp_path / "in.csv"
        src.write_text(body)
        res = CliRunner().invoke(detect_app, ["score", "--input", str(src), "--output", str(tmp_path / "o.csv")])
        assert res.exit_code == 2, res.output
        problem = json.loads(res.stderr)
        assert (problem["code"], problem["line"]) == ("invalid_csv", line)


def test_given_rows_after_i_are_altered_then_the_scores_up_to_i_do_not_change() -> None:
    x = noisy(800, seed=3)
    base = score_series(x)
    rng = np.random.default_rng(9)
    for i in (0, 45, 300, 799):
        y = x.copy()
        y[i + 1 :] = rng.normal(0, 100, y.shape[0] - i - 1)  # wildly different future
        assert np.array_equal(score_series(y)[: i + 1], base[: i + 1])


def test_given_an_injected_spike_then_it_scores_high_and_normal_rows_low() -> None:
    x = noisy(1500, seed=1)
    x[1000] += 8.0  # 16 σ of the noise
    s = score_series(x)
    assert s[1000] >= 0.8
    assert s[900:1000].max() < 0.5
    normal = np.r_[s[100:1000], s[1010:]]
    assert (normal >= 0.5).mean() < 0.01


def test_given_an_injected_level_shift_then_it_scores_high_and_stays_elevated() -> None:
    x = noisy(1600, seed=2)
    x[1000:1300] += 2.0  # 4 σ of the noise, for 300 readings
    s = score_series(x)
    assert s[600:1000].max() < 0.5
    assert s[1000:1030].max() >= 0.8
    assert s[1015:1100].min() >= 0.5  # the long median baseline keeps seeing it
    assert roc_auc(np.r_[np.zeros(400, bool), np.ones(150, bool)], np.r_[s[600:1000], s[1000:1150]]) > 0.95


def test_given_constant_or_quantised_signals_then_scores_stay_finite_and_in_range() -> None:
    for x in (np.full(300, 7.0), np.r_[np.full(200, 1.0), np.full(100, 2.0)], np.tile([0.0, 1.0], 150)):
        s = StreamingScorer()
        scores = [s.update(float(v)) for v in x]
        assert all(0.0 <= v <= 1.0 and math.isfinite(v) for v in scores)
    step = score_series(np.r_[np.full(200, 1.0), np.full(100, 2.0)])
    assert step[200] >= 0.8
    assert step[:200].max() == 0.0


def test_given_two_skab_files_then_the_detect_bench_reports_the_metrics(tmp_path: Path) -> None:
    root = default_root()
    for group, name in (("valve1", "1.csv"), ("other", "9.csv")):
        (tmp_path / group).mkdir()
        (tmp_path / group / name).symlink_to(root / group / name)
    out = run_detect_bench(tmp_path)
    assert (out["files"], out["dataset"]) == (2, "SKAB v0.9")
    m = out["machine"]
    assert 0.6 < m["roc_auc"] <= 1.0
    assert 0 < m["best_f1"] <= 1
    assert 0 <= m["far_pct"] <= 100
    assert set(out["channels"]) >= {"Volume Flow RateRMS", "Accelerometer1RMS"}
    assert set(out["groups"]) == {"valve1", "other"}
    assert out["trivial_all_anomalous_f1"] > 0.5
    assert "Conv-AE" in out["published_f1_far_mar"]


def test_metrics_agree_with_their_definitions() -> None:
    labels = np.array([0, 0, 1, 1, 0, 1], bool)
    scores = np.array([0.1, 0.4, 0.35, 0.8, 0.2, 0.9])
    assert roc_auc(labels, scores) == 8 / 9  # 8 of the 9 (positive, negative) pairs ordered right
    assert roc_auc(labels, np.ones(6)) == 0.5
    f1, th = best_f1(labels, scores)
    assert (round(f1, 4), th) == (round(2 * 3 / (2 * 3 + 1), 4), 0.35)  # threshold 0.35: tp 3, fp 1


def test_engine_throughput_runs_and_reports_readings_per_second() -> None:
    out = engine_throughput(readings=6000, batch_rows=600)
    assert out["rules"] == 10
    assert out["sensors"] == 30
    assert out["readings"] >= 5000
    assert out["readings_per_s"] > 0
    assert out["batches"] >= 10
