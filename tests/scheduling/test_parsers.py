"""Parsers of the standard job-shop and Brandimarte .fjs formats, and the problem JSON codec."""

from __future__ import annotations

import pytest

from mip.scheduling.bench import default_datasets_dir, load_instance
from mip.scheduling.codec import problem_from_dict, problem_to_dict
from mip.scheduling.model import BadInstance
from mip.scheduling.parsers import load, parse_fjs, parse_jsplib


def test_ft06_parsed() -> None:
    p = load_instance("ft06")
    assert len(p.machines) == 6
    assert len(p.jobs) == 6
    assert len(p.operations) == 36
    first = p.op("J0-0")
    assert first.modes[0].machine == "M2"
    assert first.modes[0].duration == 1
    assert p.op("J0-1").predecessors[0].op == "J0-0"


def test_mk01_parsed_with_alternatives() -> None:
    p = load_instance("mk01")
    assert len(p.machines) == 6
    assert len(p.jobs) == 10
    assert len(p.operations) == 55
    # mk01 job 1, operation 1: "2 1 5 3 4" -> M1 (5) or M3 (4)
    assert {(m.machine, m.duration) for m in p.op("J0-0").modes} == {("M1", 5), ("M3", 4)}


def test_jsplib_preamble_and_comments() -> None:
    p = parse_jsplib("instance x\n +++\n2 2  # header\n0 3 1 2\n1 4 0 1\n")
    assert len(p.operations) == 4
    assert p.op("J1-0").modes[0].duration == 4


@pytest.mark.parametrize(
    ("text", "line", "needle"),
    [
        ("2 2\n0 3 1\n1 4 0 1\n", 2, "odd number"),
        ("2 2\n0 3 5 2\n1 4 0 1\n", 2, "out of range"),
        ("2 2\n0 x 1 2\n1 4 0 1\n", 2, "not a number"),
        ("2 2\n0 3 1 2\n", 1, "expected 2 job lines"),
        ("2 2\n0 3 1 -2\n1 4 0 1\n", 2, "negative duration"),
        ("hello world\n", 1, "no header"),
    ],
)
def test_jsplib_malformed(text: str, line: int, needle: str) -> None:
    with pytest.raises(BadInstance) as exc:
        parse_jsplib(text)
    assert needle in exc.value.detail
    assert exc.value.extra["line"] == line
    assert exc.value.problem()["code"] == "bad_instance"
    assert exc.value.status == 422


@pytest.mark.parametrize(
    ("text", "line", "needle"),
    [
        ("1 2\n2 1 1 3 1 2\n", 2, "ends early"),
        ("1 2\n1 1 3 3\n", 2, "out of range 1..2"),
        ("1 2\n1 1 1 3 9\n", 2, "trailing"),
        ("1 2\n1 0\n", 2, "no eligible machine"),
        ("0 2\n", 1, "positive counts"),
        ("2 2\n1 1 1 3\n", 1, "expected 2 job lines"),
    ],
)
def test_fjs_malformed(text: str, line: int, needle: str) -> None:
    with pytest.raises(BadInstance) as exc:
        parse_fjs(text)
    assert needle in exc.value.detail
    assert exc.value.extra["line"] == line


def test_missing_file() -> None:
    with pytest.raises(BadInstance, match="file not found"):
        load(default_datasets_dir() / "nope.txt", "jsplib")


def test_problem_json_round_trip() -> None:
    p = load_instance("mk01")
    q = problem_from_dict(problem_to_dict(p))
    assert q == p


@pytest.mark.parametrize(
    ("mutate", "needle"),
    [
        (lambda d: d["operations"][0]["modes"].clear(), "no mode"),
        (lambda d: d["operations"][0]["modes"][0].update(machine="ZZ"), "unknown machine"),
        (lambda d: d["operations"][0]["predecessors"].append({"op": "J0-1"}), "cycle"),
        (lambda d: d["operations"][1]["predecessors"].append({"op": "nope"}), "unknown predecessor"),
        (lambda d: d["jobs"][0].update(due="soon"), "'due' must be an integer"),
        (lambda d: d.update(horizon_start="2025-01-01T00:00:00"), "timezone"),
        (lambda d: d["machines"][0].update(unavailable=[{"start": 5, "end": 5}]), "empty"),
        (lambda d: d["jobs"].append(dict(d["jobs"][0])), "duplicate job"),
    ],
)
def test_problem_json_errors(mutate, needle: str) -> None:  # type: ignore[no-untyped-def]
    d = problem_to_dict(load_instance("ft06"))
    mutate(d)
    with pytest.raises(BadInstance, match=needle):
        problem_from_dict(d)
