"""``mip detect backtest`` end to end: long and wide CSVs, YAML and JSON rules, text and JSON output, and
clear exit-2 problems for bad rules, unknown sensors and unparseable rows."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from typer.testing import CliRunner

from mip.cli.detect import detect_app

RULES_YAML = """
rules:
  - name: hot
    severity: critical
    safety: true
    scope: {sensor_name: temp}
    condition: {type: threshold, op: ">", value: 80, deadband: 5}
  - name: hot and low pressure
    scope: {machine_class: pump}
    condition:
      type: combined
      window_s: 5
      all_of:
        - {sensor_name: temp, op: ">", value: 80}
        - {sensor_name: pressure, op: "<", value: 2}
"""


def invoke(*args: str) -> Any:
    return CliRunner().invoke(detect_app, ["backtest", *args])


def write(tmp_path: Path, name: str, text: str) -> str:
    p = tmp_path / name
    p.write_text(text, encoding="utf-8")
    return str(p)


def long_csv() -> str:
    temp = [70, 75, 85, 90, 88, 78, 74, 70, 86, 70]
    pres = [3, 3, 1.5, 1.5, 1.5, 3, 3, 3, 3, 3]
    lines = ["timestamp,sensor,value"]
    for i, (t, p) in enumerate(zip(temp, pres, strict=True)):
        ts = f"2024-05-01T08:00:{i:02d}Z"
        lines += [f"{ts},temp,{t}", f"{ts},pressure,{p}"]
    return "\n".join(lines) + "\n"


def test_given_long_csv_and_yaml_rules_then_json_lists_the_alarms_with_raise_and_clear_times(tmp_path: Path) -> None:
    res = invoke(
        "--rules", write(tmp_path, "r.yaml", RULES_YAML), "--input", write(tmp_path, "m.csv", long_csv()), "--json"
    )
    assert res.exit_code == 0, res.output
    out = json.loads(res.stdout)
    assert (out["rules"], out["readings"]) == (2, 20)
    hot = [a for a in out["alarms"] if a["rule"] == "hot"]
    assert [(a["raised_at"], a["cleared_at"]) for a in hot] == [
        ("2024-05-01T08:00:02Z", "2024-05-01T08:00:06Z"),  # 78 is inside the 5° deadband, 74 clears
        ("2024-05-01T08:00:08Z", "2024-05-01T08:00:09Z"),
    ]
    assert (hot[0]["peak"], hot[0]["count"], hot[0]["severity"], hot[0]["safety"], hot[0]["sensor"]) == (
        90.0,
        3,
        "critical",
        True,
        "temp",
    )
    assert "temp" in hot[0]["message"]
    assert "value > 80" in hot[0]["message"]
    (combined,) = [a for a in out["alarms"] if a["rule"] == "hot and low pressure"]
    assert (combined["raised_at"], combined["cleared_at"], combined["sensor"]) == (
        "2024-05-01T08:00:02Z",
        "2024-05-01T08:00:05Z",
        None,
    )
    kinds = [(t["kind"], t["rule"], t["ts"]) for t in out["transitions"]]
    assert sorted(kinds) == sorted(
        [
            ("raise", "hot", "2024-05-01T08:00:02Z"),
            ("raise", "hot and low pressure", "2024-05-01T08:00:02Z"),
            ("clear", "hot and low pressure", "2024-05-01T08:00:05Z"),
            ("clear", "hot", "2024-05-01T08:00:06Z"),
            ("raise", "hot", "2024-05-01T08:00:08Z"),
            ("clear", "hot", "2024-05-01T08:00:09Z"),
        ]
    )
    assert [t["ts"] for t in out["transitions"]] == sorted(t["ts"] for t in out["transitions"])
    assert all(
        set(a)
        >= {"rule", "rule_id", "sensor", "raised_at", "cleared_at", "peak", "count", "severity", "safety", "message"}
        for a in out["alarms"]
    )


def test_given_wide_csv_with_epoch_seconds_json_rules_and_kinds_then_kind_scoped_rules_apply(tmp_path: Path) -> None:
    rules = {
        "rules": [
            {
                "name": "any temp high",
                "scope": {"sensor_kind": "temperature"},
                "condition": {"type": "threshold", "op": ">", "value": 50, "min_duration_s": 2},
            },
            {"name": "stuck", "scope": {"sensor_name": "b"}, "condition": {"type": "flatline", "window_s": 3}},
        ]
    }
    rows = ["ts,a,b,c"] + [
        f"{1_700_000_000 + i},{60 if 3 <= i <= 6 else 20},{5 if i >= 4 else i},{i}" for i in range(12)
    ]
    rows[6] = rows[6].rsplit(",", 1)[0] + ","  # an empty cell is a gap, not an error
    res = invoke(
        "--rules",
        write(tmp_path, "r.json", json.dumps(rules)),
        "--input",
        write(tmp_path, "w.csv", "\n".join(rows)),
        "--kinds",
        "a=temperature,c=temperature",
        "--json",
    )
    assert res.exit_code == 0, res.output
    out = json.loads(res.stdout)
    assert out["readings"] == 12 * 3 - 1
    by_rule = {(a["rule"], a["sensor"]): a for a in out["alarms"]}
    assert set(by_rule) == {("any temp high", "a"), ("stuck", "b")}
    assert by_rule[("any temp high", "a")]["raised_at"] == "2023-11-14T22:13:25Z"  # breach from +3 s, 2 s later
    assert by_rule[("any temp high", "a")]["cleared_at"] == "2023-11-14T22:13:27Z"
    assert by_rule[("stuck", "b")]["raised_at"] == "2023-11-14T22:13:27Z"
    assert by_rule[("stuck", "b")]["cleared_at"] is None


def test_given_no_json_flag_then_a_text_table(tmp_path: Path) -> None:
    res = invoke("--rules", write(tmp_path, "r.yaml", RULES_YAML), "--input", write(tmp_path, "m.csv", long_csv()))
    assert res.exit_code == 0, res.output
    lines = res.stdout.splitlines()
    assert lines[0] == "2 rule(s), 20 reading(s), 3 alarm(s)"
    assert lines[1].split()[:4] == ["raised_at", "cleared_at", "severity", "rule"]
    assert "critical SAFETY" in res.stdout
    assert "(machine)" in res.stdout


def problem(res: Any) -> dict[str, Any]:
    assert res.exit_code == 2, res.output
    return json.loads(res.stderr)


def test_given_invalid_rules_then_exit_2_with_each_error_located(tmp_path: Path) -> None:
    bad = (
        "- name: x\n  scope: {sensor_name: temp}\n  condition: {type: threshold, op: '>>', value: hot}\n"
        "- name: ''\n  scope: {}\n  condition: {type: nope}\n"
    )
    p = problem(invoke("--rules", write(tmp_path, "r.yaml", bad), "--input", write(tmp_path, "m.csv", long_csv())))
    assert p["code"] == "invalid_rules"
    assert p["status"] == 422
    locs = [e["loc"] for e in p["errors"]]
    assert [0, "condition", "threshold", "op"] in locs
    assert [0, "condition", "threshold", "value"] in locs
    assert any(loc[:2] == [1, "name"] for loc in locs)
    assert any(loc[:2] == [1, "condition"] for loc in locs)
    p = problem(
        invoke("--rules", write(tmp_path, "r.json", '{"rules": 5}'), "--input", write(tmp_path, "m.csv", long_csv()))
    )
    assert p["code"] == "invalid_rules"
    p = problem(
        invoke("--rules", write(tmp_path, "r2.json", "{not: [json"), "--input", write(tmp_path, "m.csv", long_csv()))
    )
    assert p["code"] == "invalid_rules"


def test_given_rules_naming_unknown_sensors_then_exit_2_listing_them(tmp_path: Path) -> None:
    rules = """
- name: a
  scope: {sensor_name: tmp}
  condition: {type: threshold, op: ">", value: 1}
- name: b
  scope: {}
  condition: {type: combined, all_of: [{sensor_name: temp, op: ">", value: 1}, {sensor_name: flow, op: "<", value: 1}]}
- name: c
  scope: {sensor_kind: vibration}
  condition: {type: threshold, op: ">", value: 1}
"""
    p = problem(invoke("--rules", write(tmp_path, "r.yaml", rules), "--input", write(tmp_path, "m.csv", long_csv())))
    assert p["code"] == "unknown_sensor"
    assert p["status"] == 400
    assert [e["loc"] for e in p["errors"]] == [
        [0, "scope", "sensor_name"],
        [1, "condition", "all_of", 1, "sensor_name"],
        [2, "scope", "sensor_kind"],
    ]
    assert "'tmp'" in p["errors"][0]["msg"]


def test_given_unparseable_csv_rows_then_exit_2_with_the_line_number(tmp_path: Path) -> None:
    rules = write(tmp_path, "r.yaml", RULES_YAML)
    text = long_csv().splitlines()
    bad_value = text[:5] + ["2024-05-01T08:00:09Z,temp,hot"] + text[5:]
    p = problem(invoke("--rules", rules, "--input", write(tmp_path, "a.csv", "\n".join(bad_value))))
    assert (p["code"], p["line"]) == ("invalid_csv", 6)
    assert "'hot'" in p["detail"]
    bad_ts = text[:3] + ["yesterday,temp,1"] + text[3:]
    p = problem(invoke("--rules", rules, "--input", write(tmp_path, "b.csv", "\n".join(bad_ts))))
    assert (p["line"], "timestamp" in p["detail"]) == (4, True)
    short = text[:2] + ["2024-05-01T08:00:09Z,temp"] + text[2:]
    assert problem(invoke("--rules", rules, "--input", write(tmp_path, "c.csv", "\n".join(short))))["line"] == 3
    p = problem(invoke("--rules", rules, "--input", write(tmp_path, "d.csv", "timestamp,temp\n1,nan\n")))
    assert p["line"] == 2
    assert problem(invoke("--rules", rules, "--input", write(tmp_path, "e.csv", "")))["code"] == "invalid_csv"
    assert problem(invoke("--rules", rules, "--input", str(tmp_path / "missing.csv")))["code"] == "bad_request"
    assert (
        problem(invoke("--rules", rules, "--input", write(tmp_path, "m.csv", long_csv()), "--kinds", "temp"))["code"]
        == "bad_request"
    )
