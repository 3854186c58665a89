"""ANSI/ASQ Z1.4 (= MIL-STD-105E, ISO 2859-1) single sampling: Table I (lot size → sample size code letter per
inspection level) and the master tables II-A (normal), II-B (tightened), II-C (reduced).

Letter A's ↑ (right of its Ac 0 plan) has no plan above it; the lookup then uses letter A's Ac 0 plan.

The master tables are diagonal: along a diagonal (one code letter down, one AQL column left) the plan is the same,
so every cell is a function of ``letter index + AQL index`` (``d``), with the arrows where no plan is printed:
↓ = use the first sampling plan below the arrow (a larger sample), ↑ = the first plan above. Following an arrow
changes the sample size (the letter), never the AQL. Rows past E stop at Ac 21 (normal) / 18 (tightened) /
10 (reduced); the larger acceptance numbers of the high-AQL (nonconformities per hundred units) columns exist only
for letters A–E. Tightened inspection has the extra letter S (n = 3150, Ac 1 Re 2) where the arrows of letter R
point down. Pure functions, no database."""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass
from typing import Any, Literal

from mip.quality.inspection.errors import InspectionInput

Level = Literal["S-1", "S-2", "S-3", "S-4", "I", "II", "III"]
Severity = Literal["normal", "tightened", "reduced"]
LEVELS: tuple[str, ...] = ("S-1", "S-2", "S-3", "S-4", "I", "II", "III")
SEVERITIES: tuple[str, ...] = ("normal", "tightened", "reduced")
LETTERS = "ABCDEFGHJKLMNPQRS"  # S only in the tightened table
AQLS: tuple[float, ...] = (
    0.010, 0.015, 0.025, 0.040, 0.065, 0.10, 0.15, 0.25, 0.40, 0.65, 1.0, 1.5, 2.5, 4.0, 6.5,
    10.0, 15.0, 25.0, 40.0, 65.0, 100.0, 150.0, 250.0, 400.0, 650.0, 1000.0,
)  # fmt: skip

# Table I: upper bound of the lot size class → code letters for S-1, S-2, S-3, S-4, I, II, III
TABLE_I: tuple[tuple[float, str], ...] = (
    (8, "AAAAAAB"),
    (15, "AAAAABC"),
    (25, "AABBBCD"),
    (50, "ABBCCDE"),
    (90, "BBCCCEF"),
    (150, "BBCDDFG"),
    (280, "BCDEEGH"),
    (500, "BCDEFHJ"),
    (1200, "CCEFGJK"),
    (3200, "CDEGHKL"),
    (10000, "CDFGJLM"),
    (35000, "CDFHKMN"),
    (150000, "DEGJLNP"),
    (500000, "DEGJMPQ"),
    (math.inf, "DEHKNQR"),
)

_NORMAL_N = (2, 3, 5, 8, 13, 20, 32, 50, 80, 125, 200, 315, 500, 800, 1250, 2000, 3150)
SAMPLE_SIZE = dict(zip(LETTERS, _NORMAL_N, strict=True))
REDUCED_SIZE = dict(zip(LETTERS[:16], (2, 2, 2, 3, 5, 8, 13, 20, 32, 50, 80, 125, 200, 315, 500, 800), strict=True))

# numeric cells by diagonal d = letter index + AQL index; None = an arrow (see _cell)
_NORMAL = {14: (0, 1), **{17 + i: p for i, p in enumerate(
    [(1, 2), (2, 3), (3, 4), (5, 6), (7, 8), (10, 11), (14, 15), (21, 22), (30, 31), (44, 45)])}}  # fmt: skip
_TIGHTENED = {15: (0, 1), **{18 + i: p for i, p in enumerate(
    [(1, 2), (2, 3), (3, 4), (5, 6), (8, 9), (12, 13), (18, 19), (27, 28), (41, 42)])}}  # fmt: skip
_REDUCED = {14: (0, 1), **{17 + i: p for i, p in enumerate(
    [(0, 2), (1, 3), (1, 4), (2, 5), (3, 6), (5, 8), (7, 10), (10, 13), (14, 17), (21, 24)])}}  # fmt: skip
_LARGE_FROM = 25  # diagonals with the large acceptance numbers: only letters A–E print them
_LAST_E = LETTERS.index("E")
_R = LETTERS.index("R")


@dataclass(frozen=True)
class SamplingPlan:
    lot_size: int
    aql: float
    level: str
    severity: str
    code_letter: str  # from Table I
    plan_letter: str  # after following the arrows
    sample_size: int  # the plan's sample size, capped at the lot size
    ac: int
    re: int
    arrow: str | None  # "down" / "up" when the table pointed elsewhere
    hundred_percent: bool  # the plan's sample size reaches the lot size: inspect every unit

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def aql_index(aql: float) -> int:
    for i, a in enumerate(AQLS):
        if math.isclose(aql, a, rel_tol=1e-9):
            return i
    raise InspectionInput(f"AQL {aql} is not a Z1.4 AQL; use one of {', '.join(f'{a:g}' for a in AQLS)}")


def code_letter(lot_size: int, level: str = "II") -> str:
    """Table I."""
    if level not in LEVELS:
        raise InspectionInput(f"inspection level {level!r} is not one of {', '.join(LEVELS)}")
    if lot_size < 2:
        raise InspectionInput("lot size must be at least 2 (Z1.4 Table I starts at 2)")
    col = LEVELS.index(level)
    return next(row[col] for bound, row in TABLE_I if lot_size <= bound)


def _cell(severity: str, letter: int, aql: int) -> tuple[int, int] | str:
    """The printed cell: an (Ac, Re) pair, or "down"/"up"."""
    table, zero = {"normal": (_NORMAL, 14), "tightened": (_TIGHTENED, 15), "reduced": (_REDUCED, 14)}[severity]
    last = len(LETTERS) - 1 if severity == "tightened" else _R
    if severity == "tightened" and letter == last:  # S: the plan below letter R's arrows
        return (1, 2)
    d = letter + aql
    pair = table.get(d)
    if pair is not None and (d < _LARGE_FROM or letter <= _LAST_E):
        return pair
    if d < zero or (d > zero and d < min(k for k in table if k > zero)):
        if d == zero + 1 and severity != "tightened":
            return "up"  # the ↑ right of the Ac 0 plan
        return "down" if letter < last else "up"
    return "up"


def lookup(lot_size: int, aql: float, level: str = "II", severity: str = "normal") -> SamplingPlan:
    """Single sampling plan for a lot: Table I, then the master table of ``severity`` with its arrows."""
    if severity not in SEVERITIES:
        raise InspectionInput(f"severity {severity!r} is not one of {', '.join(SEVERITIES)}")
    letter = code_letter(lot_size, level)
    j = aql_index(aql)
    i = LETTERS.index(letter)
    arrow: str | None = None
    for _ in range(len(LETTERS)):
        cell = _cell(severity, i, j)
        if isinstance(cell, tuple):
            break
        arrow = arrow or cell
        if cell == "up" and i == 0:  # letter A's ↑ right of its Ac 0 plan: nothing above, use that Ac 0 plan
            cell = next(c for k in range(j, -1, -1) if isinstance(c := _cell(severity, 0, k), tuple))
            break
        i += 1 if cell == "down" else -1
    else:  # pragma: no cover - the tables always resolve
        raise InspectionInput("no sampling plan found")
    plan_letter = LETTERS[i]
    n = (REDUCED_SIZE if severity == "reduced" else SAMPLE_SIZE)[plan_letter]
    ac, re = cell
    return SamplingPlan(
        lot_size=lot_size,
        aql=AQLS[j],
        level=level,
        severity=severity,
        code_letter=letter,
        plan_letter=plan_letter,
        sample_size=min(n, lot_size),
        ac=ac,
        re=re,
        arrow=arrow,
        hundred_percent=n >= lot_size,
    )
