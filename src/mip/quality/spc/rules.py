"""Run rules: the 8 Nelson rules (each with its parameters) and the 4 Western Electric rules, vectorised
with cumulative sums over boolean masks (a window of n points ending at i holds ``c[i] - c[i-n]`` hits).

Zones are in units of the plotted statistic's own σ at each point (so they follow variable limits). Rule 1
uses the chart's actual limits (the k of ``sigmas``, floors at 0). A violation is reported at the point that
completes the pattern (and at every later point while the pattern persists). Points exactly on the centre
line are on neither side. EWMA and CUSUM statistics are autocorrelated by construction, so only rule 1
(beyond the limits / decision interval) applies to them.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import numpy as np

from mip.quality.spc.charts import Series
from mip.quality.spc.data import F64, Bool
from mip.quality.spc.errors import SpcInputError

Preset = Literal["we", "nelson", "none"]

# rule number -> (default n, default m, description template)
NELSON: dict[int, tuple[int, int, str]] = {
    1: (1, 1, "point beyond the control limits"),
    2: (9, 9, "{n} points in a row on the same side of the centre line"),
    3: (6, 6, "{n} points in a row steadily increasing or decreasing"),
    4: (14, 14, "{n} points in a row alternating up and down"),
    5: (3, 2, "{m} of {n} points in a row beyond 2 sigma on the same side"),
    6: (5, 4, "{m} of {n} points in a row beyond 1 sigma on the same side"),
    7: (15, 15, "{n} points in a row within 1 sigma of the centre line"),
    8: (8, 8, "{n} points in a row beyond 1 sigma, on both sides"),
}


@dataclass(frozen=True)
class Rule:
    id: str  # e.g. "nelson2" or "we4"
    nelson: int  # which pattern (1..8)
    n: int
    m: int

    @property
    def description(self) -> str:
        return NELSON[self.nelson][2].format(n=self.n, m=self.m)


@dataclass(frozen=True)
class Violation:
    index: int
    rule: str
    description: str


def nelson_rule(number: int, n: int | None = None, m: int | None = None, rule_id: str | None = None) -> Rule:
    if number not in NELSON:
        raise SpcInputError(f"unknown Nelson rule {number}; rules are 1..8")
    dn, dm, _ = NELSON[number]
    n_, m_ = n if n is not None else dn, m if m is not None else (dm if number in (5, 6) else (n or dn))
    if number in (5, 6):
        if not 1 <= m_ <= n_:
            raise SpcInputError(f"rule {number}: need 1 <= m <= n")
    else:
        m_ = n_
    minimum = {1: 1, 3: 3, 4: 4}.get(number, 2)
    if n_ < minimum or n_ > 1000:
        raise SpcInputError(f"rule {number}: run length must be between {minimum} and 1000")
    return Rule(rule_id or f"nelson{number}", number, n_, m_)


def preset(name: str) -> tuple[Rule, ...]:
    if name == "nelson":
        return tuple(nelson_rule(i) for i in range(1, 9))
    if name == "we":
        return (
            nelson_rule(1, rule_id="we1"),
            nelson_rule(5, rule_id="we2"),
            nelson_rule(6, rule_id="we3"),
            nelson_rule(2, n=8, rule_id="we4"),
        )
    if name == "none":
        return ()
    if name == "limits":
        return (nelson_rule(1),)
    raise SpcInputError(f"unknown rule set {name!r}; one of we, nelson, limits, none")


def _window(mask: Bool, n: int) -> F64:
    """Number of True in the window of n points ending at each index (NaN where the window is incomplete)."""
    c = np.concatenate([[0], np.cumsum(mask, dtype=np.int64)])
    out = np.full(mask.size, np.nan)
    if mask.size >= n:
        out[n - 1 :] = c[n:] - c[: mask.size - n + 1]
    return out


def _run(mask: Bool, n: int) -> Bool:
    return np.asarray(_window(mask, n) == n)


def _hits(s: Series, rule: Rule) -> Bool:
    x = s.stat
    finite = np.isfinite(x)
    if rule.nelson == 1:
        with np.errstate(invalid="ignore"):
            hit = finite & ((x > s.ucl) | (x < s.lcl))
            if s.lower is not None:
                hit |= np.isfinite(s.lower) & (s.lower < s.lcl)
        return np.asarray(hit)
    if not s.zones:
        return np.zeros(x.size, bool)
    with np.errstate(invalid="ignore", divide="ignore"):
        z = np.where(finite & (s.sd > 0), (x - s.center) / s.sd, np.nan)
    above, below = z > 0, z < 0
    if rule.nelson == 2:
        return _run(above, rule.n) | _run(below, rule.n)
    if rule.nelson == 3:
        d = np.diff(x)
        up = np.concatenate([[False], d > 0])
        down = np.concatenate([[False], d < 0])
        return _run(up, rule.n - 1) | _run(down, rule.n - 1)
    if rule.nelson == 4:
        d = np.sign(np.diff(x))
        alt = np.concatenate([[False, False], (d[1:] * d[:-1]) < 0])
        return _run(alt, rule.n - 2)
    if rule.nelson in (5, 6):
        zone = 2.0 if rule.nelson == 5 else 1.0
        hi, lo = z > zone, z < -zone
        return (hi & (_window(hi, rule.n) >= rule.m)) | (lo & (_window(lo, rule.n) >= rule.m))
    if rule.nelson == 7:
        return _run(np.abs(z) < 1.0, rule.n)
    # rule 8: n in a row outside ±1σ, with points on both sides
    out = np.abs(z) > 1.0
    return _run(out, rule.n) & (_window(z > 1.0, rule.n) > 0) & (_window(z < -1.0, rule.n) > 0)


def check(s: Series, rules: tuple[Rule, ...]) -> list[Violation]:
    """Every (index, rule) the series violates, ordered by index then by rule order."""
    found: list[tuple[int, int, Violation]] = []
    for order, rule in enumerate(rules):
        for i in np.flatnonzero(_hits(s, rule)).tolist():
            found.append((i, order, Violation(i, rule.id, rule.description)))
    found.sort(key=lambda t: (t[0], t[1]))
    return [v for _, _, v in found]
