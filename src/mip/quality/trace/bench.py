"""Benchmark: a genealogy of N lots/serials (a tree with the given fan-out: serials made of serials, lots at the
leaves) loaded with COPY in a throw-away tenant, traced backward from the top serial (every node) and forward and
recall from a leaf lot (its path to the top)."""

from __future__ import annotations

import secrets
import time
import uuid
from typing import Any

from mip.platform.db import Conn, Database
from mip.quality.trace import genealogy
from mip.tenancy import service as tenancy


def _tree(nodes: int, fanout: int) -> tuple[list[tuple[uuid.UUID, str, str]], list[tuple[uuid.UUID, int, int]]]:
    """Node i's parent is (i-1)//fanout; inner nodes are serials, leaves lots. Nodes and (edge, parent, child)."""
    first_leaf = (nodes - 2) // fanout + 1 if nodes > 1 else 1
    kinds = ["serial" if i < first_leaf else "lot" for i in range(nodes)]
    ids = [uuid.uuid4() for _ in range(nodes)]
    node_rows = [(ids[i], kinds[i], f"B{i:07d}") for i in range(nodes)]
    edges = [(uuid.uuid4(), (i - 1) // fanout, i) for i in range(1, nodes)]
    return node_rows, edges


async def load(conn: Conn, tenant_id: uuid.UUID, nodes: int, fanout: int) -> dict[str, Any]:
    """COPY the tree into staging tables (COPY FROM cannot target RLS tables), then insert it in three statements."""
    node_rows, edges = _tree(nodes, fanout)
    await conn.execute("create temp table _bench_nodes (id uuid, kind text, number text) on commit drop")
    await conn.execute("create temp table _bench_edges (id uuid, parent_id uuid, child_id uuid) on commit drop")
    cur = conn.cursor()
    async with cur.copy("copy _bench_nodes (id, kind, number) from stdin") as copy:
        for row in node_rows:
            await copy.write_row(row)
    async with cur.copy("copy _bench_edges (id, parent_id, child_id) from stdin") as copy:
        for eid, p, c in edges:
            await copy.write_row((eid, node_rows[p][0], node_rows[c][0]))
    await conn.execute(
        "insert into trace_serials (id, tenant_id, part_number, serial_number) "
        "select id, %s, 'BENCH-ASSY', number from _bench_nodes where kind = 'serial'",
        [tenant_id],
    )
    await conn.execute(
        "insert into trace_lots (id, tenant_id, part_number, lot_number, quantity, consumed_qty, status) "
        "select id, %s, 'BENCH-RAW', number, 1, 1, 'consumed' from _bench_nodes where kind = 'lot'",
        [tenant_id],
    )
    await conn.execute(
        "insert into trace_genealogy (id, tenant_id, parent_kind, parent_id, child_kind, child_id, quantity) "
        "select e.id, %s, p.kind, e.parent_id, c.kind, e.child_id, 1 from _bench_edges e "
        "join _bench_nodes p on p.id = e.parent_id join _bench_nodes c on c.id = e.child_id",
        [tenant_id],
    )
    return {"root": node_rows[0][0], "leaf": node_rows[-1][0], "edges": len(edges)}


async def run(db: Database, *, nodes: int = 100_000, fanout: int = 4, keep: bool = False) -> dict[str, Any]:
    if nodes < 2 or fanout < 1:
        from mip.quality.trace.errors import TraceInvalid

        raise TraceInvalid("--nodes must be at least 2 and --fanout at least 1")
    tenant = await tenancy.create_tenant(db, slug=f"bench-trace-{secrets.token_hex(4)}", name="trace benchmark")
    tid = tenant["id"]
    try:
        t0 = time.perf_counter()
        async with db.tenant_tx(tid) as conn:
            built = await load(conn, tid, nodes, fanout)
        build_s = time.perf_counter() - t0
        timings: dict[str, Any] = {}
        for name, node, direction in (
            ("backward_root", built["root"], "backward"),
            ("forward_leaf", built["leaf"], "forward"),
        ):
            runs = []
            for _ in range(3):
                t = time.perf_counter()
                async with db.tenant_tx(tid) as conn:
                    res = await genealogy.trace(conn, node, direction)
                runs.append({"total_ms": (time.perf_counter() - t) * 1000, "sql_ms": res["elapsed_ms"]})
            timings[name] = {
                "nodes": res["node_count"],
                "edges": res["edge_count"],
                "depth": res["max_depth"],
                "first_ms": round(runs[0]["total_ms"], 1),
                "best_ms": round(min(r["total_ms"] for r in runs), 1),
                "best_sql_and_decode_ms": round(min(r["sql_ms"] for r in runs), 1),
            }
        t = time.perf_counter()
        async with db.tenant_tx(tid) as conn:
            rec = await genealogy.recall(conn, built["leaf"])
        timings["recall_leaf"] = {"affected": rec["affected_nodes"], "ms": round((time.perf_counter() - t) * 1000, 1)}
        return {
            "nodes": nodes,
            "edges": built["edges"],
            "fanout": fanout,
            "build_s": round(build_s, 2),
            "trace": timings,
            "tenant": tenant["slug"] if keep else None,
        }
    finally:
        if not keep:
            async with db.tenant_tx(tid) as conn:
                await conn.execute("delete from tenants where id = %s", [tid])
