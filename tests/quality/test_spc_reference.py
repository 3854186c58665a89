"""Pistonrings (Montgomery) against the R package qcc's published numbers (../shared/datasets/README.md), and
the chart constants against the textbook tables."""

from __future__ import annotations

import math

import pytest

from mip.quality.spc import constants as K
from mip.quality.spc.charts import ChartOptions
from mip.quality.spc.data import Subgroups
from mip.quality.spc.engine import RunSpec, run_chart
from mip.quality.spc.rules import preset
from tests.quality.helpers import pistonrings, sig

D3_TEXTBOOK = (0.853, 0.888, 0.880, 0.864, 0.848, 0.833, 0.820, 0.808, 0.797, 0.787, 0.778, 0.770, 0.763, 0.756,
               0.750, 0.744, 0.739, 0.734, 0.729, 0.724, 0.720, 0.716, 0.712, 0.708)  # fmt: skip
C4_TEXTBOOK = {2: 0.7979, 3: 0.8862, 4: 0.9213, 5: 0.9400, 6: 0.9515, 10: 0.9727, 25: 0.9896}
A2_TEXTBOOK = {2: 1.880, 3: 1.023, 4: 0.729, 5: 0.577, 10: 0.308}
D4_TEXTBOOK = {2: 3.267, 3: 2.574, 4: 2.282, 5: 2.114, 10: 1.777}
B4_TEXTBOOK = {2: 3.267, 3: 2.568, 4: 2.266, 5: 2.089, 10: 1.716}


def _run(chart: str, sigmas: float = 3.0, constants: str = "table", **kw: object) -> dict:
    groups, labels, k = pistonrings()
    opts = ChartOptions(chart, sigmas=sigmas, constants=constants)  # type: ignore[arg-type]
    return run_chart(RunSpec(opts, preset("limits"), phase1=k, **kw), Subgroups.from_groups(groups, labels))  # type: ignore[arg-type]


def test_exact_constants_agree_with_the_textbook_tables() -> None:
    assert K.d2(2) == pytest.approx(2 / math.sqrt(math.pi), abs=1e-10)
    assert K.d3(2) == pytest.approx(math.sqrt(2 - 4 / math.pi), abs=1e-10)
    assert [round(K.d2(n), 3) for n in range(2, 26)] == list(K.TABLE_D2)
    for n, d3 in zip(range(2, 26), D3_TEXTBOOK, strict=True):
        assert K.d3(n) == pytest.approx(d3, abs=6e-4), n
    for n, v in C4_TEXTBOOK.items():
        assert round(K.c4(n), 4) == v
    for n, v in A2_TEXTBOOK.items():
        assert round(K.A2(n), 3) == v
    for n, v in D4_TEXTBOOK.items():
        assert round(K.D4(n), 3) == pytest.approx(v, abs=1.1e-3)
    for n, v in B4_TEXTBOOK.items():
        assert round(K.B4(n), 3) == v
    assert K.D3(5) == 0.0
    assert round(K.D3(10), 3) == 0.223
    assert round(K.B3(10), 3) == 0.284


def test_xbar_chart_matches_qcc() -> None:
    out = _run("xbar")
    assert sig(out["center"], 7) == sig(74.00118, 7)
    assert sig(out["sigma"], 7) == sig(0.009785039, 7)
    assert sig(out["limits"]["lcl"], 7) == sig(73.98805, 7)
    assert sig(out["limits"]["ucl"], 6) == sig(74.0143, 6)
    assert not [v for v in out["violations"] if v["phase"] == 1]


def test_xbar_two_sigma_flags_samples_1_above_and_14_below() -> None:
    out = _run("xbar", sigmas=2)
    assert sig(out["limits"]["lcl"], 7) == sig(73.99242, 7)
    assert sig(out["limits"]["ucl"], 7) == sig(74.00993, 7)
    phase1 = {v["label"]: out["points"][v["index"]] for v in out["violations"] if v["phase"] == 1}
    assert set(phase1) == {"1", "14"}
    assert phase1["1"]["value"] > phase1["1"]["ucl"]
    assert phase1["14"]["value"] < phase1["14"]["lcl"]


def test_r_and_s_charts_match_qcc() -> None:
    r = _run("r")
    assert sig(r["limits"]["center"], 4) == sig(0.02276, 4)
    assert sig(r["limits"]["ucl"], 7) == sig(0.04812533, 7)
    assert r["limits"]["lcl"] == 0.0
    s = _run("s")
    assert sig(s["limits"]["center"], 7) == sig(0.009240037, 7)
    assert sig(s["limits"]["ucl"], 8) == sig(0.019302417, 8)  # README 0.019302416 is truncated: 0.0193024168


def test_exact_constants_agree_to_the_precision_the_tables_allow() -> None:
    """The exact d2 (2.32593) differs from the table's 2.326 in the 5th digit, so σ̂ does too."""
    out = _run("xbar", constants="exact")
    assert out["sigma"] == pytest.approx(0.009785039, rel=5e-5)
    assert sig(out["limits"]["lcl"], 7) == sig(73.98805, 7)
    assert sig(out["limits"]["ucl"], 6) == sig(74.0143, 6)
    assert _run("r", constants="exact")["limits"]["ucl"] == pytest.approx(0.04812533, rel=2e-5)


@pytest.mark.parametrize("constants", ["table", "exact"])
def test_capability_of_the_phase1_rings(constants: str) -> None:
    c = _run("xbar", constants=constants, lsl=73.95, usl=74.05)["capability"]
    assert c["n"] == 125
    assert (round(c["cp"], 3), round(c["cpk"], 3), round(c["cpm"], 3)) == (1.703, 1.663, 1.691)
    lo, hi = c["ci"]["cp"]
    assert lo < c["cp"] < hi
    assert c["expected_ppm_within"]["total"] < 1.0
