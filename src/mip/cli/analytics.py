"""CLI: `mip analytics`."""

from __future__ import annotations

import typer

analytics_app = typer.Typer(help="Analytics: read-only SQL over your lake data.", no_args_is_help=True)
