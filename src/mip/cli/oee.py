"""CLI: ``mip oee report`` (a machine's or a line's OEE over a range, a production day or one shift) and
``mip oee rollup`` (run the rollup job for a tenant and range)."""

from __future__ import annotations

import uuid
from datetime import date
from typing import Annotated, Any

import typer

from mip.cli.common import emit, fail, with_db
from mip.oee import service
from mip.oee.errors import InvalidOeeInput, LineNotFound, MachineNotFound
from mip.oee.rollups import compute_oee_rollups
from mip.platform.db import Conn, Database
from mip.platform.errors import MIPError
from mip.platform.timeutil import NS_PER_S, now_ns, ns_to_rfc3339, parse_ts
from mip.tenancy import service as tenancy

oee_app = typer.Typer(help="OEE reports and rollups.", no_args_is_help=True)

TenantOpt = Annotated[str, typer.Option("--tenant", "-t", help="Tenant slug")]
FromOpt = Annotated[str | None, typer.Option("--from", help="RFC 3339 or epoch ns (default: to - 24 h)")]
ToOpt = Annotated[str | None, typer.Option("--to", help="RFC 3339 or epoch ns (default: now)")]


def _ts(value: str, what: str) -> int:
    try:
        return parse_ts(int(value)) if value.isdigit() else parse_ts(value)
    except ValueError as exc:
        raise InvalidOeeInput(f"{what}: {exc}") from None


def _range(start: str | None, end: str | None, now: int) -> tuple[int, int]:
    b = _ts(end, "--to") if end else now
    a = _ts(start, "--from") if start else b - 24 * 3600 * NS_PER_S
    service.check_range(a, b)
    return a, b


async def _asset_id(conn: Conn, ref: str, kind: str) -> uuid.UUID:
    """An asset by id or tag path."""
    try:
        return uuid.UUID(ref)
    except ValueError:
        pass
    cur = await conn.execute("select id from assets where path = %s and kind = %s", [ref, kind])
    row = await cur.fetchone()
    if row is None:
        raise (MachineNotFound if kind == "machine" else LineNotFound)(f"no {kind} with path {ref!r}")
    return uuid.UUID(str(row["id"]))


def _pct(v: Any) -> str:
    return f"{100 * v:6.1f}%" if isinstance(v, float) else "     - "


def _table(report: dict[str, Any]) -> str:
    lines = [f"{report['path']}  {report['from']} .. {report['to']}  ({report['timezone']})"]
    head = f"{'':<28}{'avail':>8}{'perf':>8}{'quality':>8}{'OEE':>8}{'run h':>8}{'plan h':>8}{'count':>9}"
    lines.append(head)

    def row(label: str, f: dict[str, Any]) -> str:
        return (
            f"{label[:27]:<28}{_pct(f['availability'])}{_pct(f['performance'])}{_pct(f['quality'])}{_pct(f['oee'])}"
            f"{f['run_time_s'] / 3600:8.2f}{f['planned_time_s'] / 3600:8.2f}{f['total_count']:9.0f}"
        )

    for s in report["by_shift"]:
        lines.append(row(f"{s['day']} {s['name']}", s))
    for m in report.get("machines", []):
        lines.append(row(m["name"], m))
    lines.append(row("total", report["totals"]))
    if report["totals"]["performance_capped"]:
        lines.append("note: performance above 100% was capped (check the ideal cycle time)")
    return "\n".join(lines)


@oee_app.command("report")
def report(
    tenant: TenantOpt,
    machine: Annotated[str | None, typer.Option("--machine", "-m", help="Machine id or tag path")] = None,
    line: Annotated[str | None, typer.Option("--line", "-l", help="Line id or tag path")] = None,
    start: FromOpt = None,
    end: ToOpt = None,
    day: Annotated[
        str | None, typer.Option("--date", help="Production day YYYY-MM-DD (local date a shift starts)")
    ] = None,
    shift: Annotated[str | None, typer.Option("--shift", help="Shift id (with --date)")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="JSON instead of a table")] = False,
) -> None:
    """OEE of a machine or a line: totals, per shift and per day (and per machine for a line)."""
    now = now_ns()
    try:
        if (machine is None) == (line is None):
            raise InvalidOeeInput("give --machine or --line")
        try:
            production_day = date.fromisoformat(day) if day else None
        except ValueError:
            raise InvalidOeeInput(f"--date: not a date (YYYY-MM-DD): {day!r}") from None
        if production_day is not None and (start or end):
            raise InvalidOeeInput("give --date or --from/--to, not both")
        span: dict[str, Any] = {"day": production_day}
        if production_day is None:
            span["a"], span["b"] = _range(start, end, now)
        try:
            shift_id = uuid.UUID(shift) if shift else None
        except ValueError:
            raise InvalidOeeInput(f"--shift: not a shift id: {shift!r}") from None
    except MIPError as exc:
        fail(exc)

    async def run(db: Database) -> dict[str, Any]:
        t = await tenancy.tenant_by_slug(db, tenant)
        async with db.tenant_tx(t["id"]) as conn:
            if machine is not None:
                mid = await _asset_id(conn, machine, "machine")
                return await service.machine_oee(conn, mid, now, shift_id=shift_id, **span)
            assert line is not None
            lid = await _asset_id(conn, line, "line")
            return await service.line_oee(conn, lid, now, shift_id=shift_id, **span)

    result = with_db(run)
    if as_json:
        emit(result)
    else:
        typer.echo(_table(result))


@oee_app.command("rollup")
def rollup(tenant: TenantOpt, start: FromOpt = None, end: ToOpt = None) -> None:
    """Recompute the OEE rollups of a tenant's configured machines for the whole past hours of a range."""
    now = now_ns()
    try:
        a, b = _range(start, end, now)
    except MIPError as exc:
        fail(exc)

    async def run(db: Database) -> dict[str, Any]:
        t = await tenancy.tenant_by_slug(db, tenant)
        async with db.tenant_tx(t["id"]) as conn:
            stats = await compute_oee_rollups(conn, t["id"], a, b, now_ns=now)
        stats["from"], stats["to"] = ns_to_rfc3339(stats.pop("from_ns")), ns_to_rfc3339(stats.pop("to_ns"))
        return stats

    emit(with_db(run))
