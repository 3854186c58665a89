"""ANSI/ASQ Z1.4 look-ups against the published tables (Table I, II-A, II-B, II-C), and `mip quality sampling`."""

from __future__ import annotations

import orjson
import pytest
from typer.testing import CliRunner

from mip.cli.quality import quality_app
from mip.quality.inspection.errors import InspectionInput
from mip.quality.inspection.sampling import AQLS, LEVELS, code_letter, lookup

runner = CliRunner()


@pytest.mark.parametrize(
    ("lot", "letters"),
    [(8, "AAAAAAB"), (9, "AAAAABC"), (50, "ABBCCDE"), (91, "BBCDDFG"), (500, "BCDEFHJ"), (1000, "CCEFGJK"),
     (3200, "CDEGHKL"), (10001, "CDFHKMN"), (150000, "DEGJLNP"), (500001, "DEHKNQR")],
)  # fmt: skip
def test_table_i_code_letters(lot: int, letters: str) -> None:
    assert "".join(code_letter(lot, lv) for lv in LEVELS) == letters


@pytest.mark.parametrize(
    ("lot", "aql", "severity", "expected"),
    [
        (1000, 1.0, "normal", ("J", 80, 2, 3)),  # the textbook case
        (1000, 2.5, "normal", ("J", 80, 5, 6)),
        (1000, 0.65, "normal", ("J", 80, 1, 2)),
        (1000, 0.15, "normal", ("J", 80, 0, 1)),
        (2000, 2.5, "normal", ("K", 125, 7, 8)),
        (2000, 6.5, "normal", ("K", 125, 14, 15)),
        (5, 6.5, "normal", ("A", 2, 0, 1)),
        (5, 25, "normal", ("A", 2, 1, 2)),
        (3, 1000, "normal", ("A", 2, 30, 31)),
        (10, 1000, "normal", ("B", 3, 44, 45)),
        (1000, 1.0, "tightened", ("J", 80, 1, 2)),
        (1000, 6.5, "tightened", ("J", 80, 8, 9)),
        (2000, 10, "tightened", ("K", 125, 18, 19)),
        (1000, 1.0, "reduced", ("J", 32, 1, 3)),
        (1000, 2.5, "reduced", ("J", 32, 2, 5)),
        (2000, 2.5, "reduced", ("K", 50, 3, 6)),
    ],
)
def test_master_tables(lot: int, aql: float, severity: str, expected: tuple[str, int, int, int]) -> None:
    p = lookup(lot, aql, "II", severity)
    assert (p.plan_letter, p.sample_size, p.ac, p.re) == expected
    assert p.arrow is None


@pytest.mark.parametrize(
    ("lot", "aql", "severity", "expected"),
    [
        (1000, 0.40, "normal", ("K", 125, 1, 2, "down")),  # ↓ right of the ↑: the first plan below
        (1000, 0.25, "normal", ("H", 50, 0, 1, "up")),  # ↑ right of J's Ac 0 plan: the first plan above
        (1000, 0.10, "normal", ("K", 125, 0, 1, "down")),  # ↓ in the low-AQL corner
        (3000, 0.010, "normal", ("Q", 1250, 0, 1, "down")),
        (100, 1000, "normal", ("B", 3, 44, 45, "up")),  # F has no Ac 44: up to B
        (3000, 15, "normal", ("J", 80, 21, 22, "up")),  # K stops at Ac 21
        (1000, 0.65, "tightened", ("K", 125, 1, 2, "down")),
        (1000, 0.25, "reduced", ("H", 20, 0, 1, "up")),
        (1000, 0.40, "reduced", ("K", 50, 0, 2, "down")),
    ],
)
def test_arrows(lot: int, aql: float, severity: str, expected: tuple[str, int, int, int, str]) -> None:
    p = lookup(lot, aql, "II", severity)
    assert (p.plan_letter, p.sample_size, p.ac, p.re, p.arrow) == expected
    assert p.code_letter == code_letter(lot, "II")


def test_sample_reaching_the_lot_means_100_percent() -> None:
    p = lookup(5, 15, "II", "tightened")  # A → ↓ → C: n=5 for a lot of 5
    assert (p.sample_size, p.hundred_percent) == (5, True)
    p = lookup(10, 0.010, "II")  # B → ↓ … → Q (1250) for a lot of 10
    assert (p.plan_letter, p.sample_size, p.hundred_percent) == ("Q", 10, True)


def test_every_cell_resolves() -> None:
    for lot in (2, 20, 300, 5000, 100_000, 1_000_000):
        for aql in AQLS:
            for sev in ("normal", "tightened", "reduced"):
                for lv in LEVELS:
                    p = lookup(lot, aql, lv, sev)
                    assert p.re > p.ac >= 0
                    assert 1 <= p.sample_size <= lot


@pytest.mark.parametrize(
    ("args", "msg"), [((1000, 0.3), "not a Z1.4 AQL"), ((1, 1.0), "at least 2"), ((100, 1.0, "IV"), "level")]
)
def test_bad_input(args: tuple, msg: str) -> None:
    with pytest.raises(InspectionInput, match=msg):
        lookup(*args)


def test_cli_sampling_json_and_errors() -> None:
    r = runner.invoke(quality_app, ["sampling", "--lot-size", "1000", "--aql", "1.0", "--json"])
    assert r.exit_code == 0, r.output
    out = orjson.loads(r.stdout)
    assert (out["code_letter"], out["sample_size"], out["ac"], out["re"]) == ("J", 80, 2, 3)
    r = runner.invoke(quality_app, ["sampling", "--lot-size", "1000", "--aql", "1.0", "--severity", "tightened",
                                    "--level", "III", "--json"])  # fmt: skip
    out = orjson.loads(r.stdout)
    assert (out["code_letter"], out["sample_size"], out["ac"], out["re"]) == ("K", 125, 2, 3)
    r = runner.invoke(quality_app, ["sampling", "--lot-size", "1000", "--aql", "1.0"])
    assert "sample 80" in r.stdout
    assert "accept ≤ 2" in r.stdout
    r = runner.invoke(quality_app, ["sampling", "--lot-size", "1000", "--aql", "0.3", "--json"])
    assert r.exit_code == 2
    assert orjson.loads(r.stderr)["code"] == "quality_bad_input"
