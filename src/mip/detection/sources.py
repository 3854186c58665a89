"""Inputs of backtests: rule files and CSV readings, parsed with line-numbered, located errors.

Rules file: YAML or JSON, a list of rule specs or ``{"rules": [...]}``. Scopes name sensors by CSV column
(``sensor_name``) or kind (``--kinds``); a machine or machine-class target means "this machine" here.
CSV: long (``timestamp,sensor,value``) or wide (``timestamp,<sensor>,<sensor>,...``; empty cells are gaps),
``,`` or ``;`` separated; timestamps RFC 3339 (no offset = UTC) or epoch seconds / ms / µs / ns (by
magnitude).
"""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np
import yaml
from pydantic import TypeAdapter, ValidationError

from mip.detection.spec import RuleSpec
from mip.platform.errors import BadRequest, ValidationFailed

NS = 1_000_000_000
TS_NAMES = {"timestamp", "ts", "time", "datetime"}


class InvalidRules(ValidationFailed):
    code = "invalid_rules"
    title = "Invalid rules file"


class UnknownSensor(BadRequest):
    code = "unknown_sensor"
    title = "Rule names a sensor the input does not have"


class InvalidCsv(BadRequest):
    code = "invalid_csv"
    title = "Invalid CSV input"


_RULES = TypeAdapter(list[RuleSpec])


def parse_rules(text: str, source: str = "rules") -> list[RuleSpec]:
    """Rule specs from YAML or JSON text; every validation error with its location."""
    try:
        doc = json.loads(text)
    except ValueError:
        try:
            doc = yaml.safe_load(text)
        except yaml.YAMLError as exc:
            raise InvalidRules(f"{source} is neither JSON nor YAML: {exc}") from None
    prefix: list[str | int] = []
    if isinstance(doc, dict) and "rules" in doc:
        doc, prefix = doc["rules"], ["rules"]
    if not isinstance(doc, list):
        raise InvalidRules(f"{source} must be a list of rules or an object with a 'rules' list")
    try:
        return _RULES.validate_python(doc)
    except ValidationError as exc:
        errors = [
            {"loc": [*prefix, *exc_loc(e["loc"])], "msg": e["msg"], "type": e["type"]}
            for e in exc.errors(include_url=False)
        ]
        raise InvalidRules(f"{source} has {len(errors)} invalid field(s)", errors=errors) from None


def exc_loc(loc: tuple[Any, ...]) -> list[Any]:
    return [p if isinstance(p, int | str) else str(p) for p in loc]


def load_rules(path: Path) -> list[RuleSpec]:
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise InvalidRules(f"cannot read {path}: {exc}") from None
    return parse_rules(text, path.name)


# -- CSV ------------------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Readings:
    names: list[str]  # sensor names, in column / first-seen order
    sensor: np.ndarray  # int index into names
    ts: np.ndarray  # int64 epoch ns
    value: np.ndarray  # float64
    lines: np.ndarray  # source line of each reading


def csv_reader(text: str) -> tuple[list[str], Any]:
    """The header (stripped) and a ``csv.reader`` positioned after it; ``;`` or ``,`` from the header line."""
    first = text.split("\n", 1)[0]
    delim = ";" if first.count(";") > first.count(",") else ","
    reader = csv.reader(io.StringIO(text), delimiter=delim)
    try:
        header = [h.strip() for h in next(reader)]
    except StopIteration:
        raise InvalidCsv("the CSV is empty") from None
    return header, reader


class TimestampParser:
    """RFC 3339 / ISO 8601 (no offset = UTC) or epoch numbers; the numeric unit is chosen from the first
    numeric timestamp's magnitude (s < 1e11 ≤ ms < 1e14 ≤ µs < 1e17 ≤ ns) and kept for the file."""

    def __init__(self) -> None:
        self.scale: int | None = None

    def __call__(self, raw: str) -> int:
        s = raw.strip()
        try:
            if s.lstrip("-").isdigit():
                v = int(s)
                return v * self._scale(abs(v))
            f = float(s)
        except ValueError:
            pass
        else:
            if f != f or f in (float("inf"), float("-inf")):
                raise ValueError(f"not a timestamp: {raw!r}")
            return round(f * self._scale(abs(f)))
        dt = datetime.fromisoformat(s.replace(" ", "T", 1) if "T" not in s and " " in s else s)
        if dt.tzinfo is None:
            dt = dt.replace(tzinfo=UTC)
        delta = dt - datetime(1970, 1, 1, tzinfo=UTC)
        return (delta.days * 86_400 + delta.seconds) * NS + delta.microseconds * 1000

    def _scale(self, magnitude: float) -> int:
        if self.scale is None:
            self.scale = NS if magnitude < 1e11 else 1_000_000 if magnitude < 1e14 else 1000 if magnitude < 1e17 else 1
        return self.scale


def _value(raw: str) -> float:
    v = float(raw)
    if v != v or v in (float("inf"), float("-inf")):
        raise ValueError("not a finite number")
    return v


def parse_csv(text: str) -> Readings:
    header, reader = csv_reader(text)
    lower = [h.lower() for h in header]
    if len(header) < 2 or not header[0]:
        raise InvalidCsv("the header needs a timestamp column and at least one sensor column", line=1)
    parse_ts = TimestampParser()
    names: list[str] = []
    sensor: list[int] = []
    ts: list[int] = []
    value: list[float] = []
    lines: list[int] = []
    long = lower[:3] == ["timestamp", "sensor", "value"] or (
        len(lower) == 3 and lower[0] in TS_NAMES and lower[1:] == ["sensor", "value"]
    )
    if long:
        index: dict[str, int] = {}
        for row in reader:
            line = reader.line_num
            if not row or all(not c.strip() for c in row):
                continue
            if len(row) != 3:
                raise InvalidCsv(f"line {line}: expected 3 fields (timestamp,sensor,value), got {len(row)}", line=line)
            name = row[1].strip()
            if not name:
                raise InvalidCsv(f"line {line}: empty sensor name", line=line)
            t = _ts(parse_ts, row[0], line)
            v = _num(row[2], line, "value")
            sensor.append(index.setdefault(name, len(index)))
            ts.append(t)
            value.append(v)
            lines.append(line)
        names = list(index)
    else:
        names = header[1:]
        if any(not n for n in names):
            raise InvalidCsv("line 1: empty sensor column name", line=1)
        if len(set(names)) != len(names):
            raise InvalidCsv("line 1: duplicate sensor column names", line=1)
        for row in reader:
            line = reader.line_num
            if not row or all(not c.strip() for c in row):
                continue
            if len(row) != len(header):
                raise InvalidCsv(f"line {line}: expected {len(header)} fields, got {len(row)}", line=line)
            t = _ts(parse_ts, row[0], line)
            for k, cell in enumerate(row[1:]):
                if cell.strip():
                    v = _num(cell, line, names[k])
                    sensor.append(k)
                    ts.append(t)
                    value.append(v)
                    lines.append(line)
    if not ts:
        raise InvalidCsv("the CSV has no readings")
    return Readings(
        names,
        np.array(sensor, dtype=np.intp),
        np.array(ts, dtype=np.int64),
        np.array(value, dtype=np.float64),
        np.array(lines, dtype=np.int64),
    )


def _ts(parse_ts: TimestampParser, raw: str, line: int) -> int:
    try:
        return parse_ts(raw)
    except (ValueError, OverflowError):
        raise InvalidCsv(
            f"line {line}: bad timestamp {raw.strip()!r} (RFC 3339 or epoch s/ms/µs/ns)", line=line
        ) from None


def _num(raw: str, line: int, column: str) -> float:
    try:
        return _value(raw)
    except ValueError:
        raise InvalidCsv(f"line {line}: bad number {raw.strip()!r} in {column}", line=line, column=column) from None


def parse_kinds(spec: str | None) -> dict[str, str]:
    out: dict[str, str] = {}
    for part in (spec or "").split(","):
        if not part.strip():
            continue
        name, sep, kind = part.partition("=")
        if not sep or not name.strip() or not kind.strip():
            raise BadRequest(f"--kinds takes name=kind pairs separated by commas, got {part.strip()!r}")
        out[name.strip()] = kind.strip()
    return out
