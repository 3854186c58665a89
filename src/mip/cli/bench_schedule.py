"""CLI: ``mip bench schedule`` - CP-SAT on the job-shop / flexible job-shop benchmarks and the synthetic plant."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated, Any

import typer

from mip.cli.common import emit, fail
from mip.platform.errors import MIPError


def bench_schedule(
    instance: Annotated[
        list[str] | None, typer.Option("--instance", help="Only these instances (repeatable), e.g. ft06")
    ] = None,
    time_limit: Annotated[float, typer.Option("--time-limit", min=0.1, max=3600, help="Seconds per instance")] = 60.0,
    workers: Annotated[int, typer.Option(min=1, max=64, help="CP-SAT workers")] = 2,
    plant: Annotated[bool, typer.Option("--plant/--no-plant", help="Also solve the synthetic plant")] = True,
    plant_time_limit: Annotated[float, typer.Option("--plant-time-limit", min=0.1, max=3600)] = 10.0,
    datasets: Annotated[Path | None, typer.Option(help="Datasets directory (default ../shared/datasets)")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the result as JSON")] = False,
) -> None:
    """Solve ft06, ft10, la01-la05 and mk01-mk03 (makespan) and the generated plant problem; report status,
    makespan, lower bound, seconds, reference values and the greedy baseline."""
    from mip.scheduling.bench import INSTANCES, render_text, run_schedule_bench
    from mip.scheduling.model import BadInstance

    def progress(row: dict[str, Any]) -> None:
        sys.stderr.write(f"{row['instance']}: {row['status']} {row['makespan']} in {row['seconds']:.1f}s\n")

    try:
        unknown = [i for i in instance or [] if i not in INSTANCES]
        if unknown:
            raise BadInstance(f"unknown instance(s) {unknown}; known: {', '.join(INSTANCES)}")
        result = run_schedule_bench(
            instances=instance or None,
            time_limit_s=time_limit,
            workers=workers,
            plant=plant,
            plant_time_limit_s=plant_time_limit,
            datasets=datasets,
            progress=progress,
        )
    except MIPError as exc:
        fail(exc)
    if as_json:
        emit(result)
    else:
        sys.stdout.write(render_text(result) + "\n")
