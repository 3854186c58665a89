"""`mip spc chart|capability`: JSON output on the pistonrings file and problem JSON (exit 2) on bad input."""

from __future__ import annotations

from pathlib import Path

import orjson
import pytest
from typer.testing import CliRunner

from mip.cli.spc import spc_app
from tests.quality.helpers import PISTONRINGS, sig

runner = CliRunner()
BASE = ["--input", str(PISTONRINGS), "--value-col", "diameter", "--group-col", "sample", "--json"]


def _ok(args: list[str]) -> dict:
    r = runner.invoke(spc_app, args)
    assert r.exit_code == 0, r.output
    return orjson.loads(r.stdout)


def _problem(args: list[str]) -> dict:
    r = runner.invoke(spc_app, args)
    assert r.exit_code == 2, r.output
    problem = orjson.loads(r.stderr)
    assert problem["status"] == 400
    return problem


def test_xbar_chart_with_trial_column_and_capability() -> None:
    out = _ok(["chart", "--type", "xbar", *BASE, "--trial-col", "trial", "--constants", "table", "--rules", "limits",
               "--lsl", "73.95", "--usl", "74.05"])  # fmt: skip
    assert sig(out["center"], 7) == sig(74.00118, 7)
    assert sig(out["sigma"], 7) == sig(0.009785039, 7)
    assert (sig(out["limits"]["lcl"], 7), sig(out["limits"]["ucl"], 6)) == (sig(73.98805, 7), sig(74.0143, 6))
    assert out["phase1"]["subgroups"] == 25
    assert len(out["points"]) == 40
    assert {v["label"] for v in out["violations"]} == {"37", "38", "39"}  # Phase II: the process shifted
    assert all(v["phase"] == 2 for v in out["violations"])
    cap = out["capability"]
    assert (round(cap["cp"], 3), round(cap["cpk"], 3), round(cap["cpm"], 3)) == (1.703, 1.663, 1.691)


def test_phase1_option_two_sigma_and_r_s_charts() -> None:
    out = _ok(["chart", "--type", "xbar", *BASE, "--phase1", "25", "--sigmas", "2", "--rules", "limits",
               "--constants", "table"])  # fmt: skip
    assert {v["label"] for v in out["violations"] if v["phase"] == 1} == {"1", "14"}
    r = _ok(["chart", "--type", "r", *BASE, "--phase1", "25", "--constants", "table"])
    assert sig(r["limits"]["ucl"], 7) == sig(0.04812533, 7)
    s = _ok(["chart", "--type", "s", *BASE, "--phase1", "25"])
    assert sig(s["limits"]["ucl"], 8) == sig(0.019302417, 8)


@pytest.mark.parametrize("chart", ["imr", "ewma", "cusum"])
def test_individuals_and_time_weighted_charts_run(chart: str) -> None:
    out = _ok(["chart", "--type", chart, *BASE, "--phase1", "25", "--rules", "nelson"])
    assert len(out["points"]) == 40
    if chart == "cusum":
        assert out["h"] == 5.0
        assert all("lower" in p for p in out["points"])


def test_attribute_chart_from_csv(tmp_path: Path) -> None:
    f = tmp_path / "p.csv"
    f.write_text("lot,defective,inspected\n1,12,100\n2,8,80\n3,6,80\n4,9,100\n5,10,110\n")
    out = _ok(["chart", "--type", "p", "--input", str(f), "--value-col", "defective", "--size-col", "inspected",
               "--group-col", "lot", "--json"])  # fmt: skip
    assert out["center"] == pytest.approx(45 / 470)
    assert out["limits"]["ucl"] is None  # per point


def test_capability_command() -> None:
    out = _ok(["capability", *BASE, "--trial-col", "trial", "--lsl", "73.95", "--usl", "74.05"])
    assert round(out["cp"], 3) == 1.703
    assert out["ci_methods"]["cpk"] == "Bissell"


def test_bad_input_is_a_problem_with_exit_2(tmp_path: Path) -> None:
    p = _problem(["chart", "--type", "xbar", "--input", str(PISTONRINGS), "--value-col", "nope", "--json"])
    assert "nope" in p["detail"]
    assert "diameter" in p["detail"]
    bad = tmp_path / "bad.csv"
    bad.write_text("sample,x\n1,1.0\n1,2.0\n2,abc\n2,3\n")
    p = _problem(["chart", "--input", str(bad), "--value-col", "x", "--group-col", "sample"])
    assert p["line"] == 4
    assert "abc" in p["detail"]
    few = tmp_path / "few.csv"
    few.write_text("x\n1.0\n")
    assert "at least 2" in _problem(["chart", "--type", "imr", "--input", str(few), "--value-col", "x"])["detail"]
    ones = tmp_path / "ones.csv"
    ones.write_text("x\n1.0\n2.0\n3.0\n")
    assert "size >= 2" in _problem(["chart", "--type", "r", "--input", str(ones), "--value-col", "x"])["detail"]
    _problem(["chart", "--type", "bogus", *BASE])
    _problem(["chart", "--type", "xbar", *BASE, "--rules", "sometimes"])
    _problem(["chart", "--type", "xbar", *BASE, "--lsl", "74.1", "--usl", "74.0"])
    _problem(["chart", "--type", "p", *BASE])  # p without sizes
    _problem(["chart", "--input", str(tmp_path / "missing.csv"), "--value-col", "x"])
