"""CLI: `mip analytics` — read-only SQL over a tenant's lake data, saved queries, catalog DDL."""

from __future__ import annotations

import csv
import datetime as dt
import io
import sys
import uuid
from enum import StrEnum
from typing import Annotated, Any

import orjson
import typer

from mip.analytics import saved as saved_store
from mip.analytics.catalog import Engine
from mip.analytics.engine import QueryResult
from mip.analytics.errors import BadParameters, BadTimeRange
from mip.analytics.schemas import ParamSpec
from mip.analytics.service import catalog_for, engine_for, run_query, tables_info
from mip.cli.common import emit, fail, settings, with_db
from mip.platform.db import Database
from mip.platform.errors import MIPError
from mip.tenancy import service as tenancy

analytics_app = typer.Typer(help="Analytics: read-only SQL over your lake data.", no_args_is_help=True)
saved_app = typer.Typer(help="Saved queries: list, show, create, run, delete.", no_args_is_help=True)
analytics_app.add_typer(saved_app, name="saved")


class Format(StrEnum):
    TABLE = "table"
    CSV = "csv"
    JSON = "json"


TenantOpt = Annotated[str, typer.Option("--tenant", "-t", help="Tenant slug or id")]
StartOpt = Annotated[str | None, typer.Option("--start", help="RFC 3339 (default: end - 7 days)")]
EndOpt = Annotated[str | None, typer.Option("--end", help="RFC 3339 (default: now)")]
MaxRowsOpt = Annotated[int | None, typer.Option("--max-rows", help="Return at most N rows (default 1000)")]
TimeoutOpt = Annotated[float | None, typer.Option("--timeout", help="Time limit in seconds (default 30)")]
ParamOpt = Annotated[list[str] | None, typer.Option("--param", "-p", help="A $name parameter: name=value")]
JsonOpt = Annotated[bool, typer.Option("--json", help="Print JSON (same as --format json)")]
FormatOpt = Annotated[Format, typer.Option("--format", "-f", help="Output: table, csv or json")]


def _when(value: str | None, what: str) -> dt.datetime | None:
    if value is None:
        return None
    try:
        t = dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        raise BadTimeRange(f"{what}: {value!r} is not an RFC 3339 timestamp") from None
    return t if t.tzinfo else t.replace(tzinfo=dt.UTC)


def _params(items: list[str] | None) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for item in items or []:
        name, sep, raw = item.partition("=")
        if not sep or not name:
            raise BadParameters(f"--param {item!r}: use name=value")
        try:
            value = orjson.loads(raw)
            out[name] = value if isinstance(value, int | float | bool | str) else raw
        except orjson.JSONDecodeError:
            out[name] = raw
    return out


async def _tenant(db: Database, ref: str) -> uuid.UUID:
    try:
        return uuid.UUID(ref)
    except ValueError:
        return uuid.UUID(str((await tenancy.tenant_by_slug(db, ref))["id"]))


def _text(v: Any) -> str:
    if v is None:
        return ""
    if isinstance(v, list | dict):
        return orjson.dumps(v).decode()
    return str(v)


def _print(res: QueryResult, fmt: Format) -> None:
    if fmt is Format.JSON:
        emit(
            {
                "columns": [{"name": n, "type": t} for n, t in zip(res.columns, res.types, strict=True)],
                "rows": res.rows,
                "row_count": res.row_count,
                "truncated": res.truncated,
                "elapsed_ms": res.elapsed_ms,
                "scanned_bytes": res.scanned_bytes,
                "start": res.start,
                "end": res.end,
                "tables": res.tables,
            }
        )
        return
    if fmt is Format.CSV:
        buf = io.StringIO()
        w = csv.writer(buf, lineterminator="\n")
        w.writerow(res.columns)
        w.writerows([[_text(v) for v in row] for row in res.rows])
        sys.stdout.write(buf.getvalue())
    else:
        cells = [[_text(v) for v in row] for row in res.rows]
        widths = [max([len(c), *(len(r[i]) for r in cells)]) for i, c in enumerate(res.columns)]
        lines = ["  ".join(c.ljust(w) for c, w in zip(res.columns, widths, strict=True))]
        lines.append("  ".join("-" * w for w in widths))
        lines += ["  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)) for r in cells]
        sys.stdout.write("\n".join(lines) + "\n")
    note = f"{res.row_count} rows in {res.elapsed_ms:.0f} ms"
    if res.truncated:
        note += " (truncated: more rows exist; raise --max-rows)"
    sys.stderr.write(note + "\n")


def _run(
    tenant: str,
    sql: str | None,
    ref: str | None,
    start: str | None,
    end: str | None,
    max_rows: int | None,
    timeout: float | None,
    params: list[str] | None,
) -> QueryResult:
    s = settings()
    try:
        a, b = _when(start, "--start"), _when(end, "--end")
        given = _params(params)
        engine = engine_for(s, share_with_api=False)
    except MIPError as exc:
        fail(exc)

    async def main(db: Database) -> QueryResult:
        tenant_id = await _tenant(db, tenant)
        text, values = sql or "", given
        if ref is not None:
            async with db.tenant_tx(tenant_id) as conn:
                row = await saved_store.find_saved(conn, ref)
            text, values = row["sql"], saved_store.bind(saved_store.specs_of(row), given)
        return await run_query(
            engine, db, tenant_id, text, params=values, max_rows=max_rows, timeout_s=timeout, start=a, end=b
        )

    return with_db(main)


@analytics_app.command("query")
def query(
    tenant: TenantOpt,
    sql: Annotated[str, typer.Argument(help="One SELECT over readings, readings_1m, alarms, ... ('-': stdin)")],
    start: StartOpt = None,
    end: EndOpt = None,
    max_rows: MaxRowsOpt = None,
    timeout: TimeoutOpt = None,
    param: ParamOpt = None,
    as_json: JsonOpt = False,
    fmt: FormatOpt = Format.TABLE,
) -> None:
    """Run one read-only SELECT over the tenant's data in [start, end)."""
    text = sys.stdin.read() if sql == "-" else sql
    _print(_run(tenant, text, None, start, end, max_rows, timeout, param), Format.JSON if as_json else fmt)


@analytics_app.command("tables")
def tables(as_json: JsonOpt = False) -> None:
    """The datasets and dimension tables queries can use, with their columns."""
    items = tables_info(engine_for(settings(), share_with_api=False))
    if as_json:
        emit({"items": items})
        return
    for t in items:
        cols = ", ".join(f"{c['name']} {c['type']}" for c in t["columns"])
        sys.stdout.write(f"{t['name']} ({t['kind']}): {cols}\n")


@analytics_app.command("catalog")
def catalog(
    tenant: TenantOpt,
    engine: Annotated[str, typer.Option("--engine", "-e", help="athena or trino")] = "athena",
    as_json: JsonOpt = False,
) -> None:
    """DDL to declare the tenant's lake data in Athena/Glue or Trino (prints the script)."""
    if engine not in ("athena", "trino"):
        fail(BadParameters(f"--engine must be athena or trino, not {engine!r}"))
    kind: Engine = "athena" if engine == "athena" else "trino"
    eng = engine_for(settings(), share_with_api=False)

    async def main(db: Database) -> uuid.UUID:
        return await _tenant(db, tenant)

    tenant_id = with_db(main)
    location, ddl = catalog_for(eng, kind, tenant_id)
    if as_json:
        emit({"engine": kind, "location": location, "ddl": ddl})
    else:
        sys.stdout.write(ddl)


def _saved_json(row: dict[str, Any]) -> dict[str, Any]:
    return {k: (str(v) if isinstance(v, uuid.UUID | dt.datetime) else v) for k, v in row.items()}


@saved_app.command("list")
def saved_list(tenant: TenantOpt, as_json: JsonOpt = False) -> None:
    """The tenant's saved queries."""

    async def main(db: Database) -> list[dict[str, Any]]:
        async with db.tenant_tx(await _tenant(db, tenant)) as conn:
            return await saved_store.list_saved(conn)

    rows = with_db(main)
    if as_json:
        emit({"items": [_saved_json(r) for r in rows]})
        return
    for r in rows:
        params = ", ".join(f"${p['name']}:{p['type']}" for p in r["parameters"] or [])
        sys.stdout.write(f"{r['id']}  {r['name']}  {params}\n")


@saved_app.command("create")
def saved_create(
    tenant: TenantOpt,
    name: Annotated[str, typer.Option("--name", help="Unique per tenant")],
    sql: Annotated[str, typer.Argument(help="The SELECT ('-': stdin)")],
    description: Annotated[str, typer.Option("--description")] = "",
    declare: Annotated[
        list[str] | None, typer.Option("--declare", help="A parameter: name:type[=default] (type: string, ...)")
    ] = None,
) -> None:
    """Save a query (validated now)."""
    text = sys.stdin.read() if sql == "-" else sql
    try:
        specs = []
        for d in declare or []:
            head, _, default = d.partition("=")
            pname, _, ptype = head.partition(":")
            specs.append(
                ParamSpec.model_validate({"name": pname, "type": ptype or "string", "default": default or None})
            )
        from mip.analytics.dimensions import DIMENSIONS

        plan = engine_for(settings(), share_with_api=False).analyze(text, tuple(DIMENSIONS))
        saved_store.check_declared(plan.parameters, specs)
    except MIPError as exc:
        fail(exc)
    except ValueError as exc:  # pydantic ValidationError
        fail(BadParameters(f"--declare: {exc}"))

    async def main(db: Database) -> dict[str, Any]:
        tenant_id = await _tenant(db, tenant)
        async with db.tenant_tx(tenant_id) as conn:
            return await saved_store.create_saved(
                conn, tenant_id, None, name=name, description=description, sql=text, parameters=specs
            )

    emit(_saved_json(with_db(main)))


@saved_app.command("run")
def saved_run(
    tenant: TenantOpt,
    ref: Annotated[str, typer.Argument(help="Saved query id or name")],
    start: StartOpt = None,
    end: EndOpt = None,
    max_rows: MaxRowsOpt = None,
    timeout: TimeoutOpt = None,
    param: ParamOpt = None,
    as_json: JsonOpt = False,
    fmt: FormatOpt = Format.TABLE,
) -> None:
    """Run a saved query with parameter values."""
    _print(_run(tenant, None, ref, start, end, max_rows, timeout, param), Format.JSON if as_json else fmt)


@saved_app.command("delete")
def saved_delete(tenant: TenantOpt, ref: Annotated[str, typer.Argument(help="Saved query id or name")]) -> None:
    """Delete a saved query."""

    async def main(db: Database) -> str:
        async with db.tenant_tx(await _tenant(db, tenant)) as conn:
            row = await saved_store.find_saved(conn, ref)
            await saved_store.delete_saved(conn, row["id"])
            return str(row["id"])

    emit({"deleted": with_db(main)})
