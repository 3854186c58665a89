"""Shared SPC test data: the pistonrings file (read in place from ../shared/datasets)."""

from __future__ import annotations

import csv
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PISTONRINGS = ROOT.parent / "shared" / "datasets" / "spc" / "pistonrings.csv"


def pistonrings() -> tuple[list[list[float]], list[str], int]:
    """(subgroups, labels, number of Phase I subgroups)."""
    groups: dict[str, list[float]] = {}
    trial: dict[str, bool] = {}
    with PISTONRINGS.open() as fh:
        for row in csv.DictReader(fh):
            groups.setdefault(row["sample"], []).append(float(row["diameter"]))
            trial[row["sample"]] = row["trial"].upper() == "TRUE"
    return list(groups.values()), list(groups), sum(trial.values())


def sig(x: float, digits: int) -> str:
    return f"{x:.{digits - 1}e}"
