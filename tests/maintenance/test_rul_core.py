"""The RUL core: PHM08 score, grouped CV without unit leakage, causal features, the truncation protocol,
the C-MAPSS reader and the failure-probability distribution."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pytest

from mip.maintenance.cmapss import read_cmapss
from mip.maintenance.errors import DataFormatError, InputFileNotFound
from mip.maintenance.features import FeatureConfig, Normaliser, SeriesTable, feature_names, window_features
from mip.maintenance.metrics import TruncationSpec, phm08_score, rmse, truncation_rows
from mip.maintenance.rul import RulConfig, RulModel, cross_validate, grouped_folds

FD001 = Path(__file__).resolve().parents[3] / "shared" / "datasets" / "cmapss" / "train_FD001.txt"


def synthetic(units: int = 12, seed: int = 0) -> SeriesTable:
    """Run-to-failure units: an exponential degradation visible in two noisy sensors, one constant sensor."""
    rng = np.random.default_rng(seed)
    parts = []
    for u in range(units):
        life = int(rng.integers(120, 220))
        t = np.arange(1, life + 1, dtype=float)
        wear = np.exp((t - life) / 40.0)
        s1 = 10 + 3 * wear + rng.normal(0, 0.2, life)
        s2 = 5 - 2 * wear + rng.normal(0, 0.2, life)
        const = np.full(life, 7.0)
        parts.append((np.full(life, u + 1), t, np.column_stack([s1, s2, const]), life - t))
    return SeriesTable(
        units=np.concatenate([p[0] for p in parts]).astype(np.int64),
        time=np.concatenate([p[1] for p in parts]),
        values=np.vstack([p[2] for p in parts]),
        columns=["s1", "s2", "const"],
        target=np.concatenate([p[3] for p in parts]),
    )


def test_phm08_score_matches_the_definition() -> None:
    assert phm08_score(np.array([10.0]), np.array([10.0])) == 0.0
    assert phm08_score(np.array([20.0]), np.array([10.0])) == pytest.approx(math.e - 1)  # late: exp(10/10) - 1
    assert phm08_score(np.array([0.0]), np.array([13.0])) == pytest.approx(math.e - 1)  # early: exp(13/13) - 1
    both = phm08_score(np.array([20.0, 0.0]), np.array([10.0, 13.0]))
    assert both == pytest.approx(2 * (math.e - 1))
    # late predictions cost more than early ones of the same size
    assert phm08_score(np.array([15.0]), np.array([10.0])) > phm08_score(np.array([5.0]), np.array([10.0]))
    assert rmse(np.array([1.0, 3.0]), np.array([2.0, 2.0])) == 1.0


def test_grouped_folds_never_split_a_unit() -> None:
    table = synthetic(units=11)
    folds = grouped_folds(table.units, 5)
    assert len(folds) == 5
    seen: list[int] = []
    for train, test in folds:
        assert not set(table.units[train]) & set(table.units[test])  # no unit on both sides
        assert len(train) + len(test) == table.n_rows
        seen += sorted(set(table.units[test].tolist()))
    assert sorted(seen) == list(range(1, 12))  # every unit held out exactly once


def test_features_are_causal_truncated_equals_full() -> None:
    table = synthetic(units=3)
    norm = Normaliser.fit(table)
    config = FeatureConfig()
    full = window_features(table, norm.transform(table), config)
    _, sl = table.unit_slices()[1]
    cut = np.arange(sl.start, sl.start + 57, dtype=np.int64)
    part = table.take(cut)
    truncated = window_features(part, norm.transform(part), config)
    np.testing.assert_allclose(truncated[-1], full[cut[-1]], rtol=1e-9, atol=1e-9)
    assert full.shape[1] == len(feature_names(norm.columns, config))
    assert "const" not in norm.columns  # constant sensors are dropped
    assert not any("unit" in n for n in feature_names(norm.columns, config))  # unit ids are never features


def test_truncation_protocol_rows() -> None:
    table = synthetic(units=6)
    spec = TruncationSpec(per_unit=4, min_rul=7, max_rul=145, min_prefix=31, seed=3)
    rows = truncation_rows(table, spec)
    assert rows.size == 24
    assert table.target is not None
    assert np.all((table.target[rows] >= 7) & (table.target[rows] <= 145))
    for u, sl in table.unit_slices():
        mine = rows[(rows >= sl.start) & (rows < sl.stop)]
        assert mine.size == 4, u
        assert np.all(mine - sl.start >= 30), u
    np.testing.assert_array_equal(rows, truncation_rows(table, spec))  # deterministic seed


def test_cross_validation_learns_the_synthetic_degradation() -> None:
    table = synthetic(units=15)
    config = RulConfig(cap=100, max_iter=60, min_samples_leaf=10)
    cv = cross_validate(table, config, n_folds=3, truncation=TruncationSpec(per_unit=5, max_rul=120, min_prefix=20))
    m = cv.metrics
    assert m["grouped_by"] == "unit"
    assert m["folds"] == 3
    assert m["units"] == 15
    assert m["truncated"]["n"] == 75
    assert m["truncated"]["rmse"] < 20, m  # a flat prediction of the mean would be ~30
    assert m["all_cycles_capped"]["cap"] == 100
    assert not np.isnan(cv.oof).any()


def test_failure_probability_follows_the_residuals() -> None:
    table = synthetic(units=10)
    model = RulModel(RulConfig(cap=100, max_iter=40, min_samples_leaf=10)).fit(table)
    pred = np.linspace(0, 100, 400)
    rng = np.random.default_rng(1)
    model.set_residuals(pred, pred + rng.normal(0, 5, pred.size))
    p = model.failure_probability(np.array([2.0, 30.0, 95.0]), horizon=20.0)
    assert p[0] > 0.95
    assert p[2] < 0.05
    assert p[0] >= p[1] >= p[2]
    last = model.predict_last(table)
    assert [u for u, _ in last] == list(range(1, 11))
    assert all(0 <= r <= 100 for _, r in last)


def test_cmapss_reader(tmp_path: Path) -> None:
    table = read_cmapss(FD001)
    assert table.n_rows == 20631
    assert np.unique(table.units).size == 100
    assert len(table.columns) == 21
    assert table.target is not None
    _, first = table.unit_slices()[0]
    assert table.target[first.stop - 1] == 0
    assert table.target[first.start] == first.stop - first.start - 1
    bad = tmp_path / "bad.txt"
    bad.write_text("1 1 0.1 0.2\n")
    with pytest.raises(DataFormatError, match="26"):
        read_cmapss(bad)
    bad.write_text("1 1 " + " ".join(["x"] * 24) + "\n")
    with pytest.raises(DataFormatError, match="not a number"):
        read_cmapss(bad)
    with pytest.raises(InputFileNotFound):
        read_cmapss(tmp_path / "missing.txt")
