"""Running a query for a tenant: the lake engine per process, dimension tables under RLS, off the event loop."""

from __future__ import annotations

import asyncio
import datetime as dt
import functools
import threading
import uuid
from collections.abc import Mapping
from typing import Any

from mip.analytics.catalog import Engine, catalog_ddl
from mip.analytics.dimensions import DIMENSIONS, load_dimensions
from mip.analytics.engine import AnalyticsEngine, QueryResult
from mip.platform.db import Database
from mip.platform.settings import Settings

_engines: dict[int, tuple[Settings, AnalyticsEngine]] = {}
_guard = threading.Lock()


def engine_for(settings: Settings, *, share_with_api: bool = True) -> AnalyticsEngine:
    """One engine per settings object (so per process). In the API process it uses the lake API's store and
    key provider (``lake_for``), so a crypto-shred through the API stops this process's queries at once; the
    CLI opens the lake itself (importing the API stack costs seconds per command)."""
    with _guard:
        hit = _engines.get(id(settings))
        if hit is not None and hit[0] is settings:
            return hit[1]
        from mip.lake.reader import LakeReader, open_lake

        if share_with_api:
            from mip.lake.api import lake_for

            store, keys = lake_for(settings)
        else:
            store, keys = open_lake(settings)
        engine = AnalyticsEngine(LakeReader(store, keys), settings)
        _engines[id(settings)] = (settings, engine)
        return engine


def lake_url(engine: AnalyticsEngine) -> str:
    store = getattr(engine.reader, "store", None)
    return str(getattr(store, "url", "") or "")


async def run_query(
    engine: AnalyticsEngine,
    db: Database,
    tenant_id: uuid.UUID,
    sql: str,
    *,
    params: Mapping[str, Any] | None = None,
    max_rows: int | None = None,
    timeout_s: float | None = None,
    start: dt.datetime | None = None,
    end: dt.datetime | None = None,
) -> QueryResult:
    """Validate (in a thread), load the referenced dimension tables of ``tenant_id`` (RLS), run on the
    engine's own threads (never on the event loop)."""
    engine.window(start, end)  # a bad range fails before any work
    plan = await asyncio.to_thread(engine.analyze, sql, tuple(DIMENSIONS))
    tables = {}
    wanted = plan.tables & set(DIMENSIONS)
    if wanted:
        async with db.tenant_tx(tenant_id) as conn:
            tables = await load_dimensions(conn, wanted)
    run = functools.partial(
        engine.query,
        tenant_id,
        sql,
        params=params,
        max_rows=max_rows,
        timeout_s=timeout_s,
        start=start,
        end=end,
        tables=tables,
    )
    return await asyncio.get_running_loop().run_in_executor(engine.executor, run)


def tables_info(engine: AnalyticsEngine) -> list[dict[str, Any]]:
    from mip.lake.datasets import DATASETS

    out: list[dict[str, Any]] = []
    for name in engine.datasets():
        schema = engine.reader.schema(name)
        ds = DATASETS.get(name)
        out.append(
            {
                "name": name,
                "kind": "lake",
                "description": ds.description if ds else "",
                "time_column": ds.time_column if ds else None,
                "columns": engine.sql_columns(schema),
            }
        )
    for dim in DIMENSIONS.values():
        out.append(
            {
                "name": dim.name,
                "kind": "dimension",
                "description": dim.description,
                "time_column": None,
                "columns": engine.sql_columns(dim.schema),
            }
        )
    return out


def catalog_for(engine: AnalyticsEngine, kind: Engine, tenant_id: uuid.UUID) -> tuple[str, str]:
    """(location of the tenant's data, DDL script)."""
    from mip.lake.datasets import DATASETS

    url = lake_url(engine)
    sets = [(n, engine.reader.schema(n), DATASETS[n].description if n in DATASETS else "") for n in engine.datasets()]
    return url, catalog_ddl(kind, tenant_id, url, sets)
