"""CLI: `mip audit`."""

from __future__ import annotations

import typer

audit_app = typer.Typer(help="Tamper-evident audit log: verify, checkpoints, export.", no_args_is_help=True)
