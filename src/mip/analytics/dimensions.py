"""Dimension tables from PostgreSQL (under the caller's RLS tenant transaction) to join lake data with.

Lake rows carry ids (``sensor_id``, ``machine_id``); ``sensors`` and ``assets`` turn them into names, tag
paths and the site/area/line/machine hierarchy, e.g. one facility's hourly averages::

    select date_trunc('hour', r.bucket) as hour, s.name, sum(r.sum) / sum(r.count) as avg
    from readings_1m r join sensors s on s.id = r.sensor_id
    where s.site = 'plant' group by all order by hour
"""

from __future__ import annotations

from dataclasses import dataclass

import pyarrow as pa

from mip.platform.db import Conn


@dataclass(frozen=True)
class Dimension:
    name: str
    description: str
    schema: pa.Schema
    sql: str


DIMENSIONS: dict[str, Dimension] = {
    d.name: d
    for d in (
        Dimension(
            "sensors",
            "the tenant's sensors: id (= sensor_id in the lake), machine, name, tag path, site, unit, limits",
            pa.schema(
                [
                    ("id", pa.string()),
                    ("machine_id", pa.string()),
                    ("name", pa.string()),
                    ("path", pa.string()),
                    ("site", pa.string()),
                    ("kind", pa.string()),
                    ("unit", pa.string()),
                    ("low_limit", pa.float64()),
                    ("high_limit", pa.float64()),
                    ("safety", pa.bool_()),
                ]
            ),
            "select id::text as id, machine_id::text as machine_id, name, path, split_part(path, '/', 1) as site,"
            " kind, unit, low_limit, high_limit, safety from sensors order by path",
        ),
        Dimension(
            "assets",
            "the ISA-95 hierarchy: sites, areas, lines, machines (id = machine_id/line_id in the lake)",
            pa.schema(
                [
                    ("id", pa.string()),
                    ("kind", pa.string()),
                    ("parent_id", pa.string()),
                    ("name", pa.string()),
                    ("path", pa.string()),
                ]
            ),
            "select id::text as id, kind, parent_id::text as parent_id, name, path from assets order by path",
        ),
    )
}


async def load_dimensions(conn: Conn, names: set[str]) -> dict[str, pa.Table]:
    """The named dimension tables of the connection's tenant (RLS decides which rows exist)."""
    out: dict[str, pa.Table] = {}
    for name in sorted(names & set(DIMENSIONS)):
        dim = DIMENSIONS[name]
        cur = await conn.execute(dim.sql)
        rows = await cur.fetchall()
        out[name] = pa.Table.from_pylist([dict(r) for r in rows], schema=dim.schema)
    return out
