"""CLI: `mip plan` — BOM import/export, explosion, where-used, MRP runs, against a tenant's database."""

from __future__ import annotations

import sys
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Annotated, Any

import typer

from mip.cli.common import emit, fail, with_db
from mip.planning import bomdata, csvio, explode, items, mrp
from mip.planning.errors import InvalidPlanningInput
from mip.platform.db import Database
from mip.platform.errors import MIPError
from mip.tenancy import service as tenancy

plan_app = typer.Typer(help="Planning: items, BOMs, routings, orders, MRP.", no_args_is_help=True)
bom_app = typer.Typer(help="Bills of materials: import, export, explode.", no_args_is_help=True)
mrp_app = typer.Typer(help="Material requirements planning.", no_args_is_help=True)
plan_app.add_typer(bom_app, name="bom")
plan_app.add_typer(mrp_app, name="mrp")

TenantOpt = Annotated[str, typer.Option("--tenant", "-t", help="Tenant slug")]
AsOfOpt = Annotated[str | None, typer.Option("--as-of", help="Date YYYY-MM-DD (default: today, UTC)")]
JsonOpt = Annotated[bool, typer.Option("--json", help="JSON instead of a table")]


def _date(value: str | None, what: str) -> date:
    if value is None:
        return datetime.now(UTC).date()
    try:
        return date.fromisoformat(value)
    except ValueError:
        fail(InvalidPlanningInput(f"{what}: not a date (YYYY-MM-DD): {value!r}"))


def _in_tenant(tenant: str, fn: Any) -> Any:
    async def run(db: Database) -> Any:
        t = await tenancy.tenant_by_slug(db, tenant)
        async with db.tenant_tx(t["id"]) as conn:
            return await fn(conn, t["id"])

    return with_db(run)


@bom_app.command("import")
def bom_import(
    file: Annotated[Path, typer.Argument(help="CSV file (see `mip plan bom export`); - for stdin")],
    tenant: TenantOpt,
) -> None:
    """Import items and BOMs from CSV: all or nothing; every problem is listed with its row number."""
    try:
        text = sys.stdin.read() if str(file) == "-" else file.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        fail(InvalidPlanningInput(f"cannot read {file}: {exc}"))
    emit(_in_tenant(tenant, lambda conn, tid: csvio.import_csv(conn, tid, text)))


@bom_app.command("export")
def bom_export(
    tenant: TenantOpt,
    output: Annotated[Path | None, typer.Option("--output", "-o", help="File (default: stdout)")] = None,
) -> None:
    """Export items and BOMs as CSV (re-importable)."""
    text: str = _in_tenant(tenant, lambda conn, tid: csvio.export_csv(conn))
    if output is None:
        sys.stdout.write(text)
    else:
        output.write_text(text, encoding="utf-8")


@bom_app.command("explode")
def bom_explode(
    part: Annotated[str, typer.Argument(help="Part number (or item id)")],
    tenant: TenantOpt,
    as_of: AsOfOpt = None,
    quantity: Annotated[float, typer.Option("--qty", help="Top-level quantity")] = 1.0,
    revision: Annotated[str | None, typer.Option("--revision", help="Top-level BOM revision")] = None,
    as_json: JsonOpt = False,
) -> None:
    """Indented explosion (phantoms blown through, scrap included) and the per-item summary."""
    on = _date(as_of, "--as-of")
    if quantity <= 0:
        fail(InvalidPlanningInput("--qty must be positive"))

    async def run(conn: Any, tid: Any) -> dict[str, Any]:
        item = await items.item_by_ref(conn, part)
        data = await bomdata.load(conn)
        return explode.explode(data, item["id"], on, quantity=quantity, revision=revision)

    result = _in_tenant(tenant, run)
    if as_json:
        emit(result)
        return
    typer.echo(f"{result['part_number']} × {result['quantity']:g} as of {on}")
    for r in result["rows"]:
        typer.echo(f"{'  ' * r['level']}{r['level']} {r['part_number']:<20} {r['extended_qty']:>12.4f} {r['uom']}")


@plan_app.command("where-used")
def where_used(
    part: Annotated[str, typer.Argument(help="Part number (or item id)")],
    tenant: TenantOpt,
    as_of: Annotated[str | None, typer.Option("--as-of", help="Only BOMs effective on this date")] = None,
    as_json: JsonOpt = False,
) -> None:
    """Where an item is used, all levels up."""
    on = _date(as_of, "--as-of") if as_of else None

    async def run(conn: Any, tid: Any) -> dict[str, Any]:
        item = await items.item_by_ref(conn, part)
        return explode.where_used(await bomdata.load(conn), item["id"], on)

    result = _in_tenant(tenant, run)
    if as_json:
        emit(result)
        return
    for r in result["rows"]:
        typer.echo(
            f"{'  ' * r['level']}{r['level']} {r['part_number']:<20} rev {r['bom_revision']}  × {r['qty_per']:g}"
        )


@mrp_app.command("run")
def mrp_run(tenant: TenantOpt, as_of: AsOfOpt = None, as_json: JsonOpt = False) -> None:
    """Run MRP (replaces the previous planned orders); prints the run and its planned orders."""
    on = _date(as_of, "--as-of")

    async def run(conn: Any, tid: Any) -> dict[str, Any]:
        from mip.planning import orders

        r = await mrp.run_mrp(conn, tid, None, on)
        planned = await orders.list_supply(conn, status="planned")
        return {**r, "planned_orders": planned}

    try:
        result = _in_tenant(tenant, run)
    except MIPError as exc:  # pragma: no cover - with_db already turns these into problems
        fail(exc)
    if as_json:
        emit(result)
        return
    out = result["outputs"]
    typer.echo(
        f"MRP run {result['number']} as of {on}: {out['planned_work_orders']} work orders, "
        f"{out['purchase_requisitions']} purchase requisitions, {out['exceptions']} exceptions"
    )
    for o in result["planned_orders"]:
        typer.echo(
            f"  {o['number']:<14} {o['part_number']:<16} {o['quantity']:>10g}  {o['start_date']} → {o['due_date']}"
        )
    for e in result["exceptions"]:
        typer.echo(f"  ! {e['kind']}: {e['message']}")
