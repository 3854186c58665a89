"""Each chart type against hand-computed values, variable subgroup sizes, run rules, Phase I iteration,
capability intervals."""

from __future__ import annotations

import math

import numpy as np
import pytest

from mip.quality.spc import constants as K
from mip.quality.spc.capability import capability
from mip.quality.spc.charts import ChartOptions, Params, Series, estimate, evaluate
from mip.quality.spc.data import Subgroups
from mip.quality.spc.engine import RunSpec, run_chart
from mip.quality.spc.errors import SpcInputError
from mip.quality.spc.rules import check, nelson_rule, preset


def _spec(t: str, **kw: object) -> RunSpec:
    rules = kw.pop("rules", preset("limits"))
    return RunSpec(ChartOptions(t, **kw), rules)  # type: ignore[arg-type]


def test_xbar_with_variable_sizes_has_limits_per_subgroup() -> None:
    groups = [[10.0, 12.0, 11.0], [11.0, 13.0], [9.0, 10.0, 11.0, 12.0], [10.0, 11.0, 12.0]]
    out = run_chart(_spec("xbar", sigma_method="sbar"), Subgroups.from_groups(groups))
    n = np.array([3, 2, 4, 3])
    s = np.array([np.std(g, ddof=1) for g in groups])
    c4 = np.array([K.c4(int(m)) for m in n])
    h = c4**2 / (1 - c4**2)
    sigma = float(np.sum(h * s / c4) / np.sum(h))
    mu = sum(sum(g) for g in groups) / n.sum()
    assert out["sigma"] == pytest.approx(sigma, rel=1e-12)
    assert out["center"] == pytest.approx(mu)
    assert out["limits"]["ucl"] is None  # varies per point
    for p, m in zip(out["points"], n, strict=True):
        assert p["ucl"] == pytest.approx(mu + 3 * sigma / math.sqrt(m))
        assert p["lcl"] == pytest.approx(mu - 3 * sigma / math.sqrt(m))


def test_imr_chart_uses_mr_over_1_128_and_d4_3_267() -> None:
    x = [10.0, 12.0, 11.0, 14.0, 13.0, 12.0]
    out = run_chart(_spec("imr"), Subgroups.from_groups([[v] for v in x]))
    mr = np.abs(np.diff(x)).mean()  # (2+1+3+1+1)/5 = 1.6
    assert mr == pytest.approx(1.6)
    assert out["sigma"] == pytest.approx(1.6 / K.d2(2))
    assert out["limits"]["ucl"] == pytest.approx(np.mean(x) + 3 * 1.6 / 1.1283791671)
    mrc = out["moving_range"]
    assert mrc["center"] == pytest.approx(1.6)
    assert mrc["limits"]["ucl"] == pytest.approx(1.6 * K.D4(2))
    assert round(K.D4(2), 3) == 3.267
    assert mrc["points"][0]["value"] is None


def test_p_chart_with_variable_sizes() -> None:
    d, n = [12, 8, 6, 9, 10], [100, 80, 80, 100, 110]
    out = run_chart(_spec("p"), Subgroups.from_counts(d, n))
    pbar = 45 / 470
    assert out["center"] == pytest.approx(pbar)
    for p, ni, di in zip(out["points"], n, d, strict=True):
        half = 3 * math.sqrt(pbar * (1 - pbar) / ni)
        assert p["value"] == pytest.approx(di / ni)
        assert p["ucl"] == pytest.approx(pbar + half)
        assert p["lcl"] == pytest.approx(max(0.0, pbar - half))


def test_np_c_u_charts() -> None:
    np_ = run_chart(_spec("np"), Subgroups.from_counts([3, 5, 2, 4], [50, 50, 50, 50]))
    pbar = 14 / 200
    assert np_["limits"]["center"] == pytest.approx(50 * pbar)
    assert np_["limits"]["ucl"] == pytest.approx(50 * pbar + 3 * math.sqrt(50 * pbar * (1 - pbar)))
    assert np_["limits"]["lcl"] == 0.0
    with pytest.raises(SpcInputError, match="use a p chart"):
        run_chart(_spec("np"), Subgroups.from_counts([3, 5], [50, 60]))
    c = run_chart(_spec("c"), Subgroups.from_counts([21, 24, 16, 12, 15], None))  # Montgomery-style counts
    assert c["center"] == pytest.approx(17.6)
    assert c["limits"]["ucl"] == pytest.approx(17.6 + 3 * math.sqrt(17.6))
    assert c["limits"]["lcl"] == pytest.approx(17.6 - 3 * math.sqrt(17.6))
    u = run_chart(_spec("u"), Subgroups.from_counts([10, 12, 8], [5.0, 6.0, 4.0]))
    ubar = 30 / 15
    assert u["center"] == pytest.approx(ubar)
    assert [p["ucl"] for p in u["points"]] == pytest.approx([ubar + 3 * math.sqrt(ubar / n) for n in (5, 6, 4)])


def test_r_and_s_charts_with_variable_sizes() -> None:
    groups = [[1.0, 2.0, 4.0], [2.0, 3.0], [1.0, 3.0, 2.0, 5.0], [2.0, 2.5, 3.5]]
    r = run_chart(_spec("r"), Subgroups.from_groups(groups))
    sigma = r["sigma"]
    for p, g in zip(r["points"], groups, strict=True):
        n = len(g)
        assert p["value"] == pytest.approx(max(g) - min(g))
        assert p["center"] == pytest.approx(K.d2(n) * sigma)
        assert p["ucl"] == pytest.approx(K.d2(n) * sigma + 3 * K.d3(n) * sigma)
    s = run_chart(_spec("s"), Subgroups.from_groups(groups))
    for p, g in zip(s["points"], groups, strict=True):
        c4 = K.c4(len(g))
        assert p["ucl"] == pytest.approx(s["sigma"] * (c4 + 3 * math.sqrt(1 - c4 * c4)))
    with pytest.raises(SpcInputError, match="size >= 2"):
        run_chart(_spec("r"), Subgroups.from_groups([[1.0], [2.0, 3.0]]))


def test_ewma_matches_the_recursion_and_textbook_limits() -> None:
    x = [10.0, 11.0, 9.0, 10.5, 12.0, 13.0]
    p = Params("ewma", center=10.0, sigma=1.0, options={"lam": 0.1, "sigmas": 2.7})
    s = evaluate(p, Subgroups.from_groups([[v] for v in x]))
    z, want = 10.0, []
    for v in x:
        z = 0.1 * v + 0.9 * z
        want.append(z)
    assert s.stat == pytest.approx(want)
    i = np.arange(1, 7)
    assert s.ucl == pytest.approx(10 + 2.7 * np.sqrt(0.1 / 1.9 * (1 - 0.9 ** (2 * i))))


def test_tabular_cusum_matches_the_loop() -> None:
    x = np.array([9.45, 7.99, 9.29, 11.66, 12.16, 10.18, 8.04, 11.46, 9.2, 10.34, 11.45, 11.96, 12.5, 11.0, 11.5])
    p = Params("cusum", center=10.0, sigma=1.0, options={"k": 0.5, "h": 5.0})
    s = evaluate(p, Subgroups.from_groups([[v] for v in x]))
    cp = cm = 0.0
    ups, downs = [], []
    for v in x:
        cp, cm = max(0.0, v - 10.5 + cp), max(0.0, 9.5 - v + cm)
        ups.append(cp)
        downs.append(-cm)
    assert s.stat == pytest.approx(ups)
    assert s.lower == pytest.approx(downs)
    v = check(s, preset("we"))
    assert v
    assert {x.rule for x in v} == {"we1"}
    assert v[0].index == int(np.argmax(np.array(ups) > 5))


def _series(z: list[float]) -> Series:
    a = np.asarray(z, float)
    one = np.ones(a.size)
    return Series(a, 0 * one, one, -3 * one, 3 * one)


CRAFTED = {
    1: [0, 0.5, -0.3, 0.1, 3.5],
    2: [0.5] * 9,
    3: [-1.0, -0.6, -0.2, 0.2, 0.6, 1.0],
    4: [0.5, -0.5] * 7,
    5: [0.2, 0.1, 2.5, -0.4, 2.4],
    6: [1.5, 1.2, 0.2, 1.7, 1.3],
    7: [0.3, -0.3, 0.2, -0.2, 0.1, -0.1, 0.4, -0.4, 0.5, -0.5, 0.3, -0.3, 0.2, -0.2, 0.1],
    8: [1.5, -1.5, 1.6, -1.6, 1.4, -1.4, 1.3, -1.3],
}
CLEAN = [0.8, -1.3, 0.2, 1.4, -0.7, 1.6, -0.4, -1.2, 0.9, 0.3, -1.1, 2.1, -0.6]


@pytest.mark.parametrize("rule", range(1, 9))
def test_each_nelson_rule_fires_on_its_pattern_and_not_on_a_clean_series(rule: int) -> None:
    r = nelson_rule(rule)
    hits = check(_series(CRAFTED[rule]), (r,))
    assert hits, f"rule {rule} did not fire"
    assert hits[-1].index == len(CRAFTED[rule]) - 1
    assert hits[0].rule == f"nelson{rule}"
    assert not check(_series(CLEAN), (r,)), f"rule {rule} fired on a clean series"
    assert not check(_series(CRAFTED[rule][:-1]), (r,)), "the pattern completes only at its last point"


def test_rule_parameters_and_western_electric_set() -> None:
    assert check(_series([0.5] * 7), (nelson_rule(2, n=7),))
    assert not check(_series([0.5] * 7), (nelson_rule(2),))
    we = preset("we")
    assert [r.id for r in we] == ["we1", "we2", "we3", "we4"]
    assert [v.rule for v in check(_series([0.5] * 8), we)] == ["we4"]
    with pytest.raises(SpcInputError):
        nelson_rule(9)


def test_phase1_iteration_drops_flagged_subgroups_until_stable() -> None:
    rng = np.random.default_rng(7)
    x = rng.normal(10, 1, 40)
    x[5], x[20] = 25.0, 14.0  # 14 hides inside the limits inflated by 25
    spec = RunSpec(ChartOptions("imr"), preset("limits"), auto_exclude=True)
    out = run_chart(spec, Subgroups.from_groups([[v] for v in x]))
    its = out["phase1"]["iterations"]
    assert its[0]["excluded"] == ["6"]
    assert its[1]["excluded"] == ["21"]
    assert out["phase1"]["stable"]
    assert its[-1]["excluded"] == []
    assert out["phase1"]["included"] == 40 - len(out["phase1"]["excluded"])
    assert its[-1]["sigma"] < its[0]["sigma"]
    fixed = run_chart(RunSpec(ChartOptions("imr"), preset("limits")), Subgroups.from_groups([[v] for v in x]))
    assert not fixed["phase1"]["stable"]
    assert fixed["phase1"]["excluded"] == []


def test_phase2_is_monitored_against_frozen_phase1_limits() -> None:
    x = [10.0, 10.5, 9.5, 10.2, 9.8, 10.1, 9.9, 10.3, 14.0, 10.0]
    out = run_chart(RunSpec(ChartOptions("imr"), preset("limits"), phase1=8), Subgroups.from_groups([[v] for v in x]))
    p1 = estimate(ChartOptions("imr"), Subgroups.from_groups([[v] for v in x[:8]]))
    assert out["center"] == pytest.approx(p1.center)
    assert out["sigma"] == pytest.approx(p1.sigma)
    assert [(v["label"], v["phase"]) for v in out["violations"]] == [("9", 2)]


def test_capability_interval_coverage_is_near_nominal() -> None:
    rng = np.random.default_rng(1)
    true_cp, true_cpk = 1.0 / 0.6, (0.5 - 0.1) / 0.3
    cover_cp = cover_cpk = 0
    trials = 400
    for _ in range(trials):
        x = rng.normal(0.1, 0.1, 100)
        c = capability(x, float(np.std(x, ddof=1)), lsl=-0.5, usl=0.5)
        cover_cp += c["ci"]["cp"][0] <= true_cp <= c["ci"]["cp"][1]
        cover_cpk += c["ci"]["cpk"][0] <= true_cpk <= c["ci"]["cpk"][1]
    assert 0.91 <= cover_cp / trials <= 0.98
    assert 0.90 <= cover_cpk / trials <= 0.98


def test_capability_one_sided_and_bad_specs() -> None:
    c = capability(np.array([1.0, 2.0, 3.0, 2.0]), 1.0, lsl=None, usl=5.0)
    assert c["cp"] is None
    assert c["cpk"] == pytest.approx((5 - 2) / 3)
    assert c["cpm"] is None
    assert c["expected_ppm_within"]["below"] is None
    with pytest.raises(SpcInputError):
        capability(np.array([1.0, 2.0]), 1.0, lsl=5.0, usl=4.0)
    with pytest.raises(SpcInputError):
        capability(np.array([1.0, 2.0]), 1.0, lsl=None, usl=None)
