"""CLI: `mip plan`."""

from __future__ import annotations

import typer

plan_app = typer.Typer(help="Planning: items, BOMs, routings, orders, MRP.", no_args_is_help=True)
