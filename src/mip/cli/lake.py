"""CLI: `mip lake`."""

from __future__ import annotations

import typer

lake_app = typer.Typer(help="Data lake: ETL runs, retention, keys.", no_args_is_help=True)
