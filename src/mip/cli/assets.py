"""CLI: ``mip assets import FILE --tenant SLUG [--dry-run]`` and ``mip assets list --tenant SLUG``."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer

from mip.assets import importer
from mip.assets import service as assets
from mip.assets.service import AssetKind
from mip.cli.common import emit, fail, with_db
from mip.platform.db import Database
from mip.platform.errors import BadRequest, MIPError
from mip.tenancy import service as tenancy

assets_app = typer.Typer(
    help="Manage the asset hierarchy (sites, areas, lines, machines) and sensors.", no_args_is_help=True
)

TenantOpt = Annotated[str, typer.Option("--tenant", "-t", help="Tenant slug")]
PARSERS = {".yaml": importer.parse_yaml, ".yml": importer.parse_yaml, ".csv": importer.parse_csv}


@assets_app.command("import")
def assets_import(
    file: Annotated[Path, typer.Argument(help="Asset document: .yaml/.yml or .csv", exists=True, dir_okay=False)],
    tenant: TenantOpt,
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Validate and count; write nothing")] = False,
) -> None:
    """Import (upsert by tag path) a YAML or CSV asset document, all or nothing."""
    try:
        parse = PARSERS.get(file.suffix.lower())
        if parse is None:
            raise BadRequest(f"cannot tell the format of {file.name!r}: use .yaml, .yml or .csv")
        doc = parse(file.read_text(encoding="utf-8-sig"))
    except MIPError as exc:
        fail(exc)
    except (OSError, UnicodeDecodeError) as exc:
        fail(BadRequest(f"cannot read {file}: {exc}"))

    async def run(db: Database) -> dict[str, Any]:
        t = await tenancy.tenant_by_slug(db, tenant)
        async with db.tenant_tx(t["id"]) as conn:
            return await importer.import_document(conn, t["id"], doc, dry_run=dry_run)

    emit(with_db(run))


@assets_app.command("list")
def assets_list(
    tenant: TenantOpt,
    kind: Annotated[AssetKind | None, typer.Option("--kind", "-k", help="Only this level")] = None,
) -> None:
    """List a tenant's assets in path order."""

    async def run(db: Database) -> list[dict[str, Any]]:
        t = await tenancy.tenant_by_slug(db, tenant)
        async with db.tenant_tx(t["id"]) as conn:
            rows, _ = await assets.list_assets(conn, kind=kind, limit=None)
        return rows

    emit(with_db(run))
