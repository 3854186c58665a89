"""CLI: `mip schedule`."""

from __future__ import annotations

import typer

schedule_app = typer.Typer(
    help="Production schedules: solve, compare with the greedy baseline, benchmarks.", no_args_is_help=True
)
