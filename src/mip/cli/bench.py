"""CLI: ``mip bench pipeline`` - end-to-end throughput and alert latency on a throwaway stack."""

from __future__ import annotations

import asyncio
import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import orjson
import typer

from mip.cli.bench_lake import lake
from mip.cli.bench_schedule import bench_schedule
from mip.cli.bench_storage import storage
from mip.cli.common import emit, fail
from mip.platform.errors import MIPError

bench_app = typer.Typer(help="Benchmarks.", no_args_is_help=True)


class BenchBus(StrEnum):
    MEMORY = "memory"
    KAFKA = "kafka"


@bench_app.command("pipeline")
def pipeline(
    bus: Annotated[BenchBus, typer.Option(help="Message bus of the server under test")] = BenchBus.MEMORY,
    rate: Annotated[float, typer.Option(min=1, help="Target readings per second")] = 5000.0,
    duration: Annotated[float, typer.Option(min=1, help="Seconds of load")] = 20.0,
    seed: Annotated[int, typer.Option(min=0, help="Simulator seed")] = 7,
    fault_rate: Annotated[float, typer.Option(min=0, help="Injected faults per machine and hour")] = 360.0,
    sites: Annotated[int, typer.Option(min=1)] = 1,
    lines: Annotated[int, typer.Option(min=1, help="Lines per site")] = 2,
    machines: Annotated[int, typer.Option(min=1, help="Machines per line")] = 3,
    keep_data: Annotated[bool, typer.Option("--keep-data", help="Keep the temporary data directory")] = False,
    wire_format: Annotated[str, typer.Option("--format", help="Simulator request bodies: json or arrow")] = "json",
    workers: Annotated[int, typer.Option(min=1, max=16, help="Stream worker processes (Kafka bus)")] = 1,
    rules: Annotated[
        Path | None, typer.Option(exists=True, dir_okay=False, help="Detection rules (YAML/JSON) to install first")
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the result as JSON")] = False,
) -> None:
    """Start `mip serve` on a fresh data dir, load it with `mip simulate`, measure throughput and alert latency."""
    from mip.bench.pipeline import PipelineBenchConfig, render_text, run_pipeline_bench

    config = PipelineBenchConfig(
        rate=rate,
        duration_s=duration,
        seed=seed,
        bus=bus.value,
        fault_rate_per_hour=fault_rate,
        sites=sites,
        lines=lines,
        machines=machines,
        keep_data=keep_data,
        wire_format=wire_format,
        workers=workers,
        rules_file=rules,
    )
    if not as_json:
        sys.stderr.write(f"starting a fresh MIP stack; then {duration:g} s at {rate:g} readings/s ...\n")
    try:
        result = asyncio.run(run_pipeline_bench(config))
    except MIPError as exc:
        fail(exc)
    if as_json:
        emit(result)
    else:
        sys.stdout.write(render_text(result) + "\n")


@bench_app.command("ingest")
def ingest(
    rows: Annotated[int, typer.Option(min=30, max=1_000_000, help="Readings per request body")] = 10_000,
    repeat: Annotated[int, typer.Option(min=1, max=1000, help="Bodies per format")] = 20,
) -> None:
    """CPU cost of decoding + validating + splitting one request body, per wire format (no server)."""
    from mip.bench.ingest import run_ingest_bench

    emit(run_ingest_bench(rows, repeat))


bench_app.command("storage")(storage)
bench_app.command("lake")(lake)
bench_app.command("schedule")(bench_schedule)


@bench_app.command("web")
def web(
    runs: Annotated[int, typer.Option(min=1, max=50, help="Cold page loads of the overview")] = 5,
    points: Annotated[int, typer.Option(min=1000, max=2_000_000, help="Points in the chart benchmark")] = 100_000,
    as_json: Annotated[bool, typer.Option("--json", help="Print the result as JSON")] = False,
) -> None:
    """Dashboard budgets in headless Chromium: overview first load, bundle size, 100k-point chart."""
    from mip.bench.web import render_text, run_web_bench

    if not as_json:
        sys.stderr.write("starting `mip demo` on a fresh data dir, then headless Chromium ...\n")
    try:
        result = run_web_bench(runs=runs, points=points)
    except MIPError as exc:
        fail(exc)
    if as_json:
        emit(result)
    else:
        sys.stdout.write(render_text(result) + "\n")


@bench_app.command("detect")
def detect(
    threshold: Annotated[float, typer.Option(min=0, max=1, help="Alarm threshold on the anomaly score")] = 0.5,
    as_json: Annotated[bool, typer.Option("--json", help="Print the result as JSON")] = False,
) -> None:
    """The streaming anomaly scorer on the SKAB data set (ROC-AUC, F1) and the rule engine's throughput."""
    from mip.detection.bench import engine_throughput, run_detect_bench

    try:
        result = {"skab": run_detect_bench(threshold=threshold), "engine": engine_throughput()}
    except MIPError as exc:
        fail(exc)
    if as_json:
        emit(result)
    else:
        sys.stdout.write(orjson.dumps(result, option=orjson.OPT_INDENT_2).decode() + "\n")


@bench_app.command("rul")
def rul(
    train: Annotated[Path, typer.Option(exists=True, dir_okay=False, help="C-MAPSS training file")] = Path(
        "../shared/datasets/cmapss/train_FD001.txt"
    ),
    folds: Annotated[int, typer.Option(min=2, max=20, help="Cross-validation folds, grouped by unit")] = 5,
    as_json: Annotated[bool, typer.Option("--json", help="Print the result as JSON")] = False,
) -> None:
    """Remaining useful life on NASA C-MAPSS: grouped cross-validated RMSE and PHM08 score, training time."""
    from mip.maintenance.bench import run_rul_bench

    try:
        result = run_rul_bench(train, folds=folds)
    except MIPError as exc:
        fail(exc)
    if as_json:
        emit(result)
    else:
        sys.stdout.write(orjson.dumps(result, option=orjson.OPT_INDENT_2).decode() + "\n")
