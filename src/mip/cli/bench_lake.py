"""``mip bench lake`` (a plain command function; wired by the bench CLI)."""

from __future__ import annotations

import asyncio
from typing import Annotated

import typer


def lake(
    hours: Annotated[int, typer.Option(min=1, max=48, help="Hours of 1 Hz simulator readings through the ETL")] = 2,
    days: Annotated[int, typer.Option(min=1, max=90, help="Days of minute rollups for the query benchmark")] = 30,
    seed: Annotated[int, typer.Option(min=0, help="Simulator seed")] = 7,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON")] = False,
) -> None:
    """Lake density (bytes/reading), ETL throughput and a 30-day hourly-average query."""
    from mip.bench.lake import render_text, run_lake_bench
    from mip.cli.common import emit

    result = asyncio.run(run_lake_bench(hours=hours, days=days, seed=seed))
    if as_json:
        emit(result)
    else:
        typer.echo(render_text(result))
