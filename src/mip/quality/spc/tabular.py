"""Subgroups from a CSV file (the CLI's input): a value column, an optional subgroup column (consecutive rows
with the same value form one subgroup, in order of first appearance), an optional size column (attribute
charts), an optional trial column (TRUE rows are Phase I and must come first). Errors name the CSV line."""

from __future__ import annotations

import csv
import math
from dataclasses import dataclass
from pathlib import Path

from mip.quality.spc.errors import SpcInputError

TRUE = {"true", "t", "1", "yes", "y"}
FALSE = {"false", "f", "0", "no", "n", ""}


@dataclass
class Table:
    groups: list[list[float]]  # variables: values per subgroup; attributes: [count]
    sizes: list[float] | None
    labels: list[str]
    phase1: int | None  # from the trial column


def _number(raw: str, col: str, line: int) -> float:
    try:
        x = float(raw)
    except ValueError:
        raise SpcInputError(f"line {line}: column {col!r} is not a number: {raw!r}", line=line, column=col) from None
    if not math.isfinite(x):
        raise SpcInputError(f"line {line}: column {col!r} is not a finite number: {raw!r}", line=line, column=col)
    return x


def read_table(
    path: Path,
    value_col: str,
    *,
    group_col: str | None = None,
    size_col: str | None = None,
    trial_col: str | None = None,
    subgroup_size: int | None = None,
) -> Table:
    try:
        fh = path.open(newline="", encoding="utf-8-sig")
    except OSError as exc:
        raise SpcInputError(f"cannot read {path}: {exc.strerror}") from None
    with fh:
        reader = csv.DictReader(fh)
        header = reader.fieldnames or []
        for col in (value_col, group_col, size_col, trial_col):
            if col is not None and col not in header:
                raise SpcInputError(f"column {col!r} not found; columns are: {', '.join(header)}", column=col)
        groups: list[list[float]] = []
        sizes: list[float] = []
        labels: list[str] = []
        trial: list[bool] = []
        index: dict[str, int] = {}
        for i, row in enumerate(reader):
            line = i + 2
            value = _number((row.get(value_col) or "").strip(), value_col, line)
            key = (row.get(group_col) or "").strip() if group_col else None
            if key is None:
                g = len(groups) if subgroup_size is None else i // subgroup_size
                key = str(g + 1)
            if key not in index:
                index[key] = len(groups)
                groups.append([])
                labels.append(key)
                sizes.append(_number((row.get(size_col) or "").strip(), size_col, line) if size_col else 0.0)
                flag = (row.get(trial_col) or "").strip().lower() if trial_col else "true"
                if flag not in TRUE | FALSE:
                    raise SpcInputError(f"line {line}: column {trial_col!r} must be TRUE or FALSE, got {flag!r}")
                trial.append(flag in TRUE)
            elif group_col and index[key] != len(groups) - 1:
                raise SpcInputError(f"line {line}: subgroup {key!r} continues after another subgroup began")
            groups[index[key]].append(value)
    if not groups:
        raise SpcInputError("the file has no data rows")
    if subgroup_size is not None and len(groups[-1]) != subgroup_size:
        raise SpcInputError(f"the last subgroup has {len(groups[-1])} values, not {subgroup_size}")
    phase1 = None
    if trial_col:
        phase1 = sum(trial)
        if any(trial[phase1:]) or not all(trial[:phase1]):
            raise SpcInputError(f"the {trial_col!r} subgroups must come first (Phase I before Phase II)")
    return Table(groups, sizes if size_col else None, labels, phase1)
