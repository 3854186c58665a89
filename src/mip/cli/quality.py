"""CLI: `mip quality` — Z1.4 sampling look-ups (no database), NCRs and quality metrics (database)."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from typing import Annotated, Any

import typer

from mip.cli.common import emit, fail, with_db
from mip.platform.db import Database
from mip.platform.errors import MIPError
from mip.quality.inspection import metrics as quality_metrics
from mip.quality.inspection import ncr as ncr_store
from mip.quality.inspection.errors import InspectionInput
from mip.quality.inspection.sampling import lookup

quality_app = typer.Typer(help="Quality: inspections, gauges, NCR/CAPA, quality metrics.", no_args_is_help=True)
ncr_app = typer.Typer(help="Nonconformance reports.", no_args_is_help=True)
quality_app.add_typer(ncr_app, name="ncr")

Json = Annotated[bool, typer.Option("--json", help="print JSON")]
Tenant = Annotated[str, typer.Option("--tenant", help="tenant id (UUID)")]


def _uuid(value: str, what: str) -> uuid.UUID:
    try:
        return uuid.UUID(value)
    except ValueError:
        fail(InspectionInput(f"{what} {value!r} is not a UUID"))


@quality_app.command("sampling")
def sampling(
    lot_size: Annotated[int, typer.Option("--lot-size", help="units in the lot")],
    aql: Annotated[float, typer.Option("--aql", help="acceptance quality limit, e.g. 1.0")],
    level: Annotated[str, typer.Option("--level", help="S-1..S-4, I, II, III")] = "II",
    severity: Annotated[str, typer.Option("--severity", help="normal|tightened|reduced")] = "normal",
    json: Json = False,
) -> None:
    """ANSI/ASQ Z1.4 single sampling plan for a lot (pure table look-up)."""
    try:
        plan = lookup(lot_size, aql, level, severity).as_dict()
    except MIPError as exc:
        fail(exc)
    if json:
        emit(plan)
        return
    note = " (inspect 100%)" if plan["hundred_percent"] else ""
    typer.echo(
        f"lot {lot_size}, level {level}, {severity}: code letter {plan['code_letter']} → plan {plan['plan_letter']}: "
        f"sample {plan['sample_size']}{note}, accept ≤ {plan['ac']}, reject ≥ {plan['re']}"
    )


def _run(fn: Any) -> Any:
    return with_db(fn)


@ncr_app.command("list")
def ncr_list(
    tenant: Tenant,
    status: Annotated[str | None, typer.Option(help="only NCRs in this status")] = None,
    limit: Annotated[int, typer.Option(min=1, max=1000)] = 100,
    json: Json = False,
) -> None:
    """NCRs of a tenant, newest first."""
    tid = _uuid(tenant, "tenant")

    async def go(db: Database) -> list[dict[str, Any]]:
        async with db.tenant_tx(tid) as conn:
            return await ncr_store.list_ncrs(conn, status=status, limit=limit, offset=0)

    rows = _run(go)
    if json:
        emit(rows)
        return
    for r in rows:
        typer.echo(f"{r['ncr_number']}  {r['status']:<12} {r['disposition'] or '-':<18} {r['title']}")


@ncr_app.command("show")
def ncr_show(
    tenant: Tenant, number: Annotated[str, typer.Argument(help="NCR-000123, 123 or the NCR's id")], json: Json = False
) -> None:
    """One NCR with its events."""
    tid = _uuid(tenant, "tenant")

    async def go(db: Database) -> dict[str, Any]:
        async with db.tenant_tx(tid) as conn:
            row = await ncr_store.get_by_ref(conn, number)
            return {**row, "events": await ncr_store.events(conn, "ncr", row["id"])}

    row = _run(go)
    if json:
        emit(row)
        return
    typer.echo(f"{row['ncr_number']} [{row['status']}] {row['title']}\n{row['description']}")
    for e in row["events"]:
        typer.echo(f"  {e['at']}  {e['kind']}: {e['from_status'] or ''} → {e['to_status'] or ''}")


@quality_app.command("metrics")
def metrics(
    tenant: Tenant,
    days: Annotated[int, typer.Option(min=1, max=3660, help="the last N days")] = 30,
    bucket: Annotated[str, typer.Option(help="day|week")] = "day",
    json: Json = False,
) -> None:
    """First-pass yield, scrap and rework rates, DPMO, PPM over the last N days."""
    tid = _uuid(tenant, "tenant")
    end = datetime.now(UTC)
    start = end - timedelta(days=days)
    if bucket not in ("day", "week"):
        fail(InspectionInput("bucket must be day or week"))

    async def go(db: Database) -> dict[str, Any]:
        async with db.tenant_tx(tid) as conn:
            out: dict[str, Any] = await quality_metrics.compute(conn, start=start, end=end, bucket=bucket)
            return out

    out = _run(go)
    if json:
        emit(out)
        return
    t = out["totals"]
    typer.echo(
        f"{start:%Y-%m-%d} → {end:%Y-%m-%d}: FPY {t['first_pass_yield']}, scrap {t['scrap_rate']}, "
        f"rework {t['rework_rate']}, DPMO {t['dpmo']}, PPM {t['ppm']}"
    )
