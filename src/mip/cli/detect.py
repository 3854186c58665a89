"""CLI: ``mip detect backtest`` (replay a CSV through rules) and ``mip detect score`` (streaming anomaly score)."""

from __future__ import annotations

import csv
import sys
from pathlib import Path
from typing import Annotated

import typer

from mip.cli.common import emit, fail
from mip.platform.errors import BadRequest, MIPError

detect_app = typer.Typer(help="Detection rules: backtests and the unsupervised anomaly scorer.", no_args_is_help=True)


def _read(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise BadRequest(f"cannot read {path}: {exc}") from None


@detect_app.command("backtest")
def backtest(
    rules: Annotated[Path, typer.Option("--rules", help="Rules file: YAML or JSON, a list or {rules: [...]}")],
    input_csv: Annotated[
        Path, typer.Option("--input", help="CSV of one machine: timestamp,sensor,value or timestamp,<sensor>,...")
    ],
    kinds: Annotated[str | None, typer.Option("--kinds", help="Sensor kinds: name=kind,name=kind")] = None,
    batch_rows: Annotated[int, typer.Option(min=1, max=1_000_000, help="Readings per replayed batch")] = 1000,
    as_json: Annotated[bool, typer.Option("--json", help="Print the result as JSON")] = False,
) -> None:
    """Replay the CSV in time order through the stream's rule engine; print the alarms that would have fired."""
    from mip.detection.backtest import render_text, run_backtest
    from mip.detection.sources import load_rules, parse_csv, parse_kinds

    try:
        specs = load_rules(rules)
        readings = parse_csv(_read(input_csv))
        result = run_backtest(specs, readings, parse_kinds(kinds), batch_rows, machine=input_csv.stem)
    except MIPError as exc:
        fail(exc)
    if as_json:
        emit(result)
    else:
        sys.stdout.write(render_text(result) + "\n")


@detect_app.command("score")
def score(
    input_csv: Annotated[Path, typer.Option("--input", help="CSV: timestamp,value (header optional)")],
    output: Annotated[Path, typer.Option("--output", help="Where to write timestamp,value,anomaly_score")],
) -> None:
    """Score each reading in [0, 1] with the streaming detector (past readings only, in file order)."""
    from mip.detection.scorer import StreamingScorer
    from mip.detection.sources import InvalidCsv, TimestampParser, csv_reader

    try:
        header, reader = csv_reader(_read(input_csv))
        parse_ts = TimestampParser()
        rows: list[tuple[str, str]] = []
        values: list[float] = []

        def take(row: list[str], line: int) -> None:
            if len(row) != 2:
                raise InvalidCsv(f"line {line}: expected 2 fields (timestamp,value), got {len(row)}", line=line)
            try:
                parse_ts(row[0])
            except (ValueError, OverflowError):
                raise InvalidCsv(f"line {line}: bad timestamp {row[0].strip()!r}", line=line) from None
            try:
                v = float(row[1])
            except ValueError:
                v = float("nan")
            if v != v or v in (float("inf"), float("-inf")):
                raise InvalidCsv(f"line {line}: bad number {row[1].strip()!r}", line=line)
            rows.append((row[0].strip(), row[1].strip()))
            values.append(v)

        is_header = len(header) == 2 and not _is_number(header[1])
        if not is_header:
            take(header, 1)
        for row in reader:
            if row and any(c.strip() for c in row):
                take(row, reader.line_num)
        if not rows:
            raise InvalidCsv("the CSV has no readings")
        scorer = StreamingScorer()
        try:
            with output.open("w", newline="", encoding="utf-8") as f:
                w = csv.writer(f)
                w.writerow(["timestamp", "value", "anomaly_score"])
                top = 0.0
                high = 0
                for (t, raw), v in zip(rows, values, strict=True):
                    s = scorer.update(v)
                    top = max(top, s)
                    high += s >= 0.5
                    w.writerow([t, raw, f"{s:.6f}"])
        except OSError as exc:
            raise BadRequest(f"cannot write {output}: {exc}") from None
    except MIPError as exc:
        fail(exc)
    emit({"rows": len(rows), "output": str(output), "max_score": round(top, 6), "rows_at_or_above_0.5": high})


def _is_number(s: str) -> bool:
    try:
        float(s)
    except ValueError:
        return False
    return True
