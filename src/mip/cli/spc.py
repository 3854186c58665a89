"""CLI: `mip spc`."""

from __future__ import annotations

import typer

spc_app = typer.Typer(help="Statistical process control charts and capability.", no_args_is_help=True)
