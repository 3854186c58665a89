"""CLI: ``mip serve`` and ``mip openapi``."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Annotated

import orjson
import typer

from mip.runtime import Role

serve_app = typer.Typer()


@serve_app.command("serve")
def serve(
    role: Annotated[
        list[Role] | None, typer.Option(help="What this process runs (repeatable: --role api --role ingest)")
    ] = None,
    host: Annotated[str | None, typer.Option(help="Bind address (default MIP_HOST or 127.0.0.1)")] = None,
    port: Annotated[int | None, typer.Option(help="Port (default MIP_PORT or 8000)")] = None,
    data_dir: Annotated[Path | None, typer.Option("--data-dir", help="Embedded PostgreSQL and state")] = None,
) -> None:
    """Run MIP (embedded PostgreSQL and in-process bus unless configured otherwise)."""
    from mip.api.app import create_app
    from mip.api.server import make_server
    from mip.platform.logging import configure_logging
    from mip.platform.settings import Settings
    from mip.runtime import Runtime

    if data_dir is not None:
        os.environ["MIP_DATA_DIR"] = str(data_dir.resolve())
    from mip.cli.common import fail
    from mip.platform.errors import MIPError

    settings = Settings()
    configure_logging(settings.log_level, settings.log_json)
    try:
        runtime = Runtime.build(settings, role or [Role.ALL])
    except MIPError as exc:
        fail(exc)
    try:
        make_server(create_app(runtime), host or settings.host, port or settings.port).run()
    finally:
        runtime.close_database()


@serve_app.command("openapi")
def openapi(
    output: Annotated[Path | None, typer.Option(help="Write to this file instead of stdout")] = None,
) -> None:
    """Print (or write) the OpenAPI document; ``openapi.json`` in the repo is checked against it."""
    from mip.api.app import create_app

    text = orjson.dumps(create_app(None).openapi(), option=orjson.OPT_INDENT_2 | orjson.OPT_SORT_KEYS).decode()
    if output:
        output.write_text(text + "\n")
    else:
        typer.echo(text)
