"""The ``mip`` command."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Annotated

import typer

from mip.cli.analytics import analytics_app
from mip.cli.assets import assets_app
from mip.cli.audit import audit_app
from mip.cli.bench import bench_app
from mip.cli.db import db_app
from mip.cli.demo import demo_app
from mip.cli.detect import detect_app
from mip.cli.identity import apikey_app, tenant_app, user_app
from mip.cli.lake import lake_app
from mip.cli.maintenance import maintenance_app
from mip.cli.notify import notify_app
from mip.cli.oee import oee_app
from mip.cli.plan import plan_app
from mip.cli.quality import quality_app
from mip.cli.schedule import schedule_app
from mip.cli.serve import serve_app
from mip.cli.sim import sim_app
from mip.cli.spc import spc_app
from mip.cli.trace import trace_app

app = typer.Typer(
    help="MIP - the Manufacturing Intelligence Platform.", no_args_is_help=True, pretty_exceptions_enable=False
)


@app.callback()
def _global(
    data_dir: Annotated[
        Path | None, typer.Option("--data-dir", help="Where embedded PostgreSQL and state live")
    ] = None,
) -> None:
    if data_dir is not None:
        os.environ["MIP_DATA_DIR"] = str(data_dir.resolve())


app.add_typer(db_app, name="db")
app.add_typer(tenant_app, name="tenant")
app.add_typer(user_app, name="user")
app.add_typer(apikey_app, name="apikey")
app.add_typer(assets_app, name="assets")
app.add_typer(bench_app, name="bench")
app.add_typer(notify_app, name="notify")
app.add_typer(oee_app, name="oee")
app.add_typer(detect_app, name="detect")
app.add_typer(maintenance_app, name="maintenance")
app.add_typer(plan_app, name="plan")
app.add_typer(schedule_app, name="schedule")
app.add_typer(spc_app, name="spc")
app.add_typer(quality_app, name="quality")
app.add_typer(trace_app, name="trace")
app.add_typer(audit_app, name="audit")
app.add_typer(lake_app, name="lake")
app.add_typer(analytics_app, name="analytics")
app.registered_commands.extend(serve_app.registered_commands)
app.registered_commands.extend(sim_app.registered_commands)
app.registered_commands.extend(demo_app.registered_commands)


def main() -> None:
    app()


if __name__ == "__main__":
    main()
