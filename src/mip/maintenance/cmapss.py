"""NASA C-MAPSS text files (Saxena et al. 2008): 26 space-separated columns per row — unit, cycle,
3 operational settings, 21 sensors — read into a :class:`SeriesTable`.

A training file is run to failure, so the RUL at cycle c of a unit whose last cycle is T is T − c.
The operating condition of a row is its rounded (altitude, throttle) setting pair: one regime for
FD001/FD003, six for FD002/FD004.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import numpy as np

from mip.maintenance.errors import DataFormatError, InputFileNotFound
from mip.maintenance.features import F64, I64, SeriesTable

N_COLUMNS = 26
SENSORS = [f"s{i}" for i in range(1, 22)]
SETTINGS = ["setting1", "setting2", "setting3"]


def sha256_file(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def read_cmapss(path: Path, *, with_target: bool = True) -> SeriesTable:
    """Read a C-MAPSS file. ``with_target``: the file runs to failure (a training file), so label the RUL."""
    if not path.exists():
        raise InputFileNotFound(f"no such file: {path}", path=str(path))
    if not path.is_file():
        raise InputFileNotFound(f"not a file: {path}", path=str(path))
    try:
        text = path.read_text(encoding="ascii")
    except (OSError, UnicodeDecodeError) as exc:
        raise DataFormatError(f"cannot read {path} as C-MAPSS text: {exc}", path=str(path)) from exc
    rows: list[list[float]] = []
    for lineno, line in enumerate(text.splitlines(), start=1):
        parts = line.split()
        if not parts:
            continue
        if len(parts) != N_COLUMNS:
            raise DataFormatError(
                f"line {lineno}: expected {N_COLUMNS} space-separated numbers (unit, cycle, 3 settings, "
                f"21 sensors), found {len(parts)}",
                path=str(path),
                line=lineno,
            )
        try:
            rows.append([float(p) for p in parts])
        except ValueError as exc:
            raise DataFormatError(f"line {lineno}: not a number: {exc}", path=str(path), line=lineno) from exc
    if not rows:
        raise DataFormatError(f"{path} holds no data rows", path=str(path))
    data = np.asarray(rows, np.float64)
    if not np.all(np.isfinite(data)):
        raise DataFormatError("the file contains non-finite values", path=str(path))
    unit_f, cycle = data[:, 0], data[:, 1]
    if np.any(unit_f != np.round(unit_f)) or np.any(cycle != np.round(cycle)) or np.any(cycle < 1):
        raise DataFormatError("unit and cycle must be positive integers", path=str(path))
    units: I64 = unit_f.astype(np.int64)
    order = np.lexsort((cycle, units))
    data, units, cycle = data[order], units[order], cycle[order]
    same = units[1:] == units[:-1]
    if np.any(same & (cycle[1:] == cycle[:-1])):
        raise DataFormatError("a unit has the same cycle twice", path=str(path))
    settings = data[:, 2:5]
    condition: I64 = np.round(settings[:, 0]).astype(np.int64) * 1000 + np.round(settings[:, 2]).astype(np.int64)
    target: F64 | None = None
    if with_target:
        last = np.zeros_like(cycle)
        starts = np.flatnonzero(np.r_[True, ~same])
        ends = np.r_[starts[1:], units.size]
        for s, e in zip(starts, ends, strict=True):
            last[s:e] = cycle[e - 1]
        target = last - cycle
    return SeriesTable(
        units=units, time=cycle, values=data[:, 5:].copy(), columns=list(SENSORS), target=target, condition=condition
    )
