"""CLI: `mip quality`."""

from __future__ import annotations

import typer

quality_app = typer.Typer(help="Quality: inspections, gauges, NCR/CAPA, quality metrics.", no_args_is_help=True)
