"""CLI: ``mip bench storage`` - bytes per reading and write throughput of the time-series storage."""

from __future__ import annotations

import asyncio
import sys
from typing import Annotated

import typer

from mip.cli.common import emit


def storage(
    readings: Annotated[int, typer.Option(min=1000, max=100_000_000, help="Readings to write")] = 1_000_000,
    resolution: Annotated[
        str, typer.Option(help="Values: sim (4 decimals, as `mip simulate` posts), full (raw floats), instrument")
    ] = "sim",
    period_ms: Annotated[int, typer.Option(min=1, help="Sampling period of every sensor")] = 1000,
    seed: Annotated[int, typer.Option(min=0, help="Simulator seed")] = 7,
    batch_rows: Annotated[int, typer.Option(min=5, max=50_000, help="Readings per write")] = 1500,
    keep_data: Annotated[bool, typer.Option("--keep-data", help="Keep the temporary data directory")] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Print the result as JSON")] = False,
) -> None:
    """Write simulator readings through the stream stage's write path into a fresh database, compress
    them, and report bytes per reading (hot, compressed, row-per-reading baseline) and throughput."""
    from mip.bench.storage import RESOLUTIONS, StorageBenchConfig, render_text, run_storage_bench
    from mip.cli.common import settings

    if resolution not in RESOLUTIONS:
        raise typer.BadParameter(f"one of {', '.join(RESOLUTIONS)}", param_hint="--resolution")
    config = StorageBenchConfig(
        readings=readings,
        seed=seed,
        period_ms=period_ms,
        resolution=resolution,
        batch_rows=batch_rows,
        database_url=settings().database_url,
        keep_data=keep_data,
    )
    if not as_json:
        sys.stderr.write(f"writing {readings} simulator readings into a fresh database ...\n")
    result = asyncio.run(run_storage_bench(config))
    if as_json:
        emit(result)
    else:
        sys.stdout.write(render_text(result) + "\n")
