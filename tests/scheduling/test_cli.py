"""`mip schedule` and `mip bench schedule` CLI: JSON output and errors."""

from __future__ import annotations

import json
from pathlib import Path

import typer
from typer.testing import CliRunner

from mip.cli.bench_schedule import bench_schedule
from mip.cli.schedule import schedule_app
from mip.scheduling.bench import default_datasets_dir

DATA = default_datasets_dir() / "scheduling"
runner = CliRunner()


def test_solve_jsplib_json() -> None:
    r = runner.invoke(
        schedule_app, ["solve", "--format", "jsplib", str(DATA / "jobshop/ft06.txt"), "--time-limit", "10", "--json"]
    )
    assert r.exit_code == 0, r.output
    out = json.loads(r.stdout)
    assert out["makespan"] == 55
    assert out["status"] == "OPTIMAL"
    assert out["lower_bound"] == 55
    assert out["seconds"] < 10
    assert out["greedy_makespan"] == 71
    assert out["improvement_pct"] > 0


def test_solve_fjs_json_and_schedule_out(tmp_path: Path) -> None:
    target = tmp_path / "s.json"
    r = runner.invoke(
        schedule_app,
        ["solve", "--format", "fjs", str(DATA / "fjsp/mk01.txt"), "--time-limit", "5", "--workers", "2", "--json",
         "--schedule-out", str(target)],
    )  # fmt: skip
    assert r.exit_code == 0, r.output
    assert json.loads(r.stdout)["makespan"] <= 42
    assert len(json.loads(target.read_text())) == 55


def test_generate_then_solve_json_problem(tmp_path: Path) -> None:
    path = tmp_path / "plant.json"
    r = runner.invoke(schedule_app, ["generate", "--orders", "15", "--seed", "2", "--out", str(path)])
    assert r.exit_code == 0, r.output
    r = runner.invoke(
        schedule_app,
        ["solve", "--format", "json", str(path), "--objective", "mix", "--time-limit", "3", "--explain", "3", "--json"],
    )
    assert r.exit_code == 0, r.output
    out = json.loads(r.stdout)
    assert out["status"] in ("OPTIMAL", "FEASIBLE")
    assert out["weighted_tardiness"] <= out["greedy_weighted_tardiness"] or out["makespan"] < out["greedy_makespan"]
    for e in out["late_explanations"]:
        assert e["chain"]
        assert e["tardiness"] > 0


def test_errors_are_problem_json(tmp_path: Path) -> None:
    bad = tmp_path / "bad.txt"
    bad.write_text("2 2\n0 3 1\n1 4 0 1\n")
    r = runner.invoke(schedule_app, ["solve", "--format", "jsplib", str(bad), "--json"])
    assert r.exit_code == 2
    problem = json.loads(r.stderr)
    assert problem["code"] == "bad_instance"
    assert problem["line"] == 2
    for args in (
        ["solve", "--format", "jsplib", str(tmp_path / "missing.txt")],
        ["solve", "--format", "xml", str(bad)],
        ["solve", "--format", "jsplib", str(DATA / "jobshop/ft06.txt"), "--time-limit", "0"],
        ["solve", "--format", "jsplib", str(DATA / "jobshop/ft06.txt"), "--objective", "cheapest"],
    ):
        r = runner.invoke(schedule_app, args)
        assert r.exit_code == 2, args
        assert json.loads(r.stderr)["code"] == "bad_instance"
    bad.write_text("{not json")
    r = runner.invoke(schedule_app, ["solve", "--format", "json", str(bad)])
    assert r.exit_code == 2
    assert "not valid JSON" in json.loads(r.stderr)["detail"]


def test_bench_schedule_small() -> None:
    app = typer.Typer()
    app.command()(bench_schedule)
    r = runner.invoke(app, ["--instance", "ft06", "--instance", "la01", "--time-limit", "10", "--no-plant", "--json"])
    assert r.exit_code == 0, r.output
    out = json.loads(r.stdout)
    assert [x["instance"] for x in out["instances"]] == ["ft06", "la01"]
    assert all(x["target_met"] and x["feasible"] for x in out["instances"])
    r = runner.invoke(app, ["--instance", "zz99", "--json"])
    assert r.exit_code == 2
