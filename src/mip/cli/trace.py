"""CLI: `mip trace` — backward/forward genealogy, recall impact, certificates of conformance, the trace benchmark."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer

from mip.cli.common import emit, fail, with_db
from mip.platform.db import Conn, Database
from mip.platform.errors import MIPError
from mip.quality.trace import bench, coc, genealogy, lots, shipments
from mip.quality.trace.errors import TraceInvalid
from mip.tenancy import service as tenancy

trace_app = typer.Typer(
    help="Traceability: lots, serials, genealogy, recall impact, certificates of conformance.", no_args_is_help=True
)

TenantOpt = Annotated[str, typer.Option("--tenant", "-t", help="Tenant slug")]
PartOpt = Annotated[str | None, typer.Option("--part", help="Part number, when the number is used by several parts")]
ItarOpt = Annotated[
    bool, typer.Option("--itar", help="Include ITAR-controlled records (the operator asserts authorisation)")
]
JsonOpt = Annotated[bool, typer.Option("--json", help="Print the full result as JSON")]
DepthOpt = Annotated[int, typer.Option("--max-depth", min=1, max=genealogy.MAX_DEPTH, help="Levels to follow")]


def _in_tenant(tenant: str, itar: bool, fn: Any) -> Any:
    async def run(db: Database) -> Any:
        t = await tenancy.tenant_by_slug(db, tenant)
        async with db.tenant_tx(t["id"], actor="cli", itar=itar) as conn:
            return await fn(conn, t["id"])

    return with_db(run)


def _print_trace(res: dict[str, Any]) -> None:
    root = res["root"]
    if res["marking"]:
        typer.echo(res["marking"])
    typer.echo(f"{res['direction']} trace of {root['kind']} {root['number']} ({root['part_number']}): "
               f"{res['node_count']} nodes, {res['edge_count']} edges, depth {res['max_depth']}, "
               f"{res['restricted_nodes']} restricted, {res['elapsed_ms']} ms")  # fmt: skip
    for n in res["nodes"]:
        typer.echo(f"{'  ' * n['depth']}{n['kind']} {n['number']}  {n['part_number']} {n['revision']}  [{n['status']}]")


def _trace_cmd(
    direction: str, node: str, tenant: str, part: str | None, max_depth: int, itar: bool, json: bool
) -> None:
    async def fn(conn: Conn, _tid: Any) -> dict[str, Any]:
        _, row = await lots.find_node(conn, node, part)
        return await genealogy.trace(conn, row["id"], direction, max_depth=max_depth)

    res = _in_tenant(tenant, itar, fn)
    emit(res) if json else _print_trace(res)


@trace_app.command("backward")
def backward(
    node: Annotated[str, typer.Argument(help="Serial or lot number (or id)")],
    tenant: TenantOpt,
    part: PartOpt = None,
    max_depth: DepthOpt = genealogy.MAX_DEPTH,
    itar: ItarOpt = False,
    json: JsonOpt = False,
) -> None:
    """What went into a serial or lot, all levels."""
    _trace_cmd("backward", node, tenant, part, max_depth, itar, json)


@trace_app.command("forward")
def forward(
    node: Annotated[str, typer.Argument(help="Lot or serial number (or id)")],
    tenant: TenantOpt,
    part: PartOpt = None,
    max_depth: DepthOpt = genealogy.MAX_DEPTH,
    itar: ItarOpt = False,
    json: JsonOpt = False,
) -> None:
    """Where a lot or serial went, all levels."""
    _trace_cmd("forward", node, tenant, part, max_depth, itar, json)


@trace_app.command("recall")
def recall(
    lot: Annotated[str, typer.Argument(help="The suspect lot (number or id)")],
    tenant: TenantOpt,
    part: PartOpt = None,
    itar: ItarOpt = False,
    json: JsonOpt = False,
) -> None:
    """Recall impact: the shipped serials/lots containing the lot, with customers and ship dates."""

    async def fn(conn: Conn, _tid: Any) -> dict[str, Any]:
        _, row = await lots.find_node(conn, lot, part)
        return await genealogy.recall(conn, row["id"])

    res = _in_tenant(tenant, itar, fn)
    if json:
        emit(res)
        return
    s = res["suspect"]
    typer.echo(f"suspect {s['kind']} {s['number']} ({s['part_number']}): {res['shipment_count']} shipments, "
               f"customers {', '.join(res['customers']) or '-'}; {res['in_house_count']} affected in house; "
               f"{res['restricted_nodes']} restricted")  # fmt: skip
    for a in res["shipments"]:
        typer.echo(f"  {a['ship_date']}  {a['shipment_number']}  {a['customer']}  {a['node_kind']} {a['number']}")


@trace_app.command("coc")
def coc_cmd(
    shipment: Annotated[str, typer.Argument(help="Shipment number (or id)")],
    serial: Annotated[str, typer.Option("--serial", help="The shipped serial or lot")],
    out: Annotated[Path, typer.Option("--out", "-o", help="Where to write the PDF")],
    tenant: TenantOpt,
    itar: ItarOpt = False,
) -> None:
    """Write the certificate of conformance (PDF) for a shipped serial or lot."""

    async def fn(conn: Conn, tid: Any) -> tuple[dict[str, Any], bytes]:
        ship = await shipments.find_shipment(conn, shipment)
        return await coc.issue(conn, tid, None, ship["id"], serial)

    doc, pdf = _in_tenant(tenant, itar, fn)
    try:
        out.write_bytes(pdf)
    except OSError as exc:
        fail(TraceInvalid(f"cannot write {out}: {exc}"))
    emit({"out": str(out), "bytes": len(pdf), "document_id": doc["id"], "file_sha256": doc["sha256"],
          "content_sha256": doc["meta"].get("content_sha256"), "itar": doc["itar"]})  # fmt: skip


@trace_app.command("bench")
def bench_cmd(
    nodes: Annotated[int, typer.Option("--nodes", min=2, max=5_000_000, help="Lots and serials in the tree")] = 100_000,
    fanout: Annotated[int, typer.Option("--fanout", min=1, max=1000, help="Components per assembly")] = 4,
    keep: Annotated[bool, typer.Option("--keep", help="Keep the benchmark tenant (default: delete it)")] = False,
    json: JsonOpt = False,
) -> None:
    """Build a genealogy with COPY in a throw-away tenant and time full backward and forward traces."""
    try:
        res = with_db(lambda db: bench.run(db, nodes=nodes, fanout=fanout, keep=keep))
    except MIPError as exc:
        fail(exc)
    if json:
        emit(res)
        return
    b = res["trace"]["backward_root"]
    typer.echo(f"{res['nodes']} nodes built in {res['build_s']} s; backward trace of the root: {b['nodes']} nodes, "
               f"depth {b['depth']}, best {b['best_ms']} ms (first {b['first_ms']} ms); "
               f"forward from a leaf: {res['trace']['forward_leaf']['best_ms']} ms")  # fmt: skip
