"""CLI: `mip trace`."""

from __future__ import annotations

import typer

trace_app = typer.Typer(
    help="Traceability: lots, serials, genealogy, recall impact, certificates of conformance.", no_args_is_help=True
)
