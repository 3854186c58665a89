"""HTTP API of the analytics domain: ad-hoc and saved read-only SQL over the caller's lake data."""

from __future__ import annotations

import asyncio
import uuid
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Query, Response

from mip.analytics import models as _models  # noqa: F401  (saved_queries on the shared metadata)
from mip.analytics import saved as store
from mip.analytics.engine import AnalyticsEngine, QueryResult
from mip.analytics.schemas import (
    CatalogOut,
    QueryIn,
    QueryOut,
    RunIn,
    SavedQueryIn,
    SavedQueryOut,
    SavedQueryPage,
    SavedQueryPatch,
    TablesOut,
)
from mip.analytics.service import catalog_for, engine_for, run_query, tables_info
from mip.api.deps import Ctx, require
from mip.identity.errors import PermissionDenied
from mip.identity.permissions import Permission, Role

router = APIRouter(prefix="/api/v1/analytics", tags=["analytics"])
SQ = "/saved-queries"
CtxQ = Annotated[Ctx, Depends(require(Permission.ANALYTICS_QUERY))]


def _engine(ctx: Ctx) -> AnalyticsEngine:
    return engine_for(ctx.rt.settings)


def _out(res: QueryResult, max_rows: int) -> dict[str, Any]:
    return {
        "columns": [{"name": n, "type": t} for n, t in zip(res.columns, res.types, strict=True)],
        "rows": res.rows,
        "row_count": res.row_count,
        "truncated": res.truncated,
        "max_rows": max_rows,
        "elapsed_ms": res.elapsed_ms,
        "scanned_bytes": res.scanned_bytes,
        "start": res.start,
        "end": res.end,
        "tables": res.tables,
    }


@router.post(
    "/query",
    summary="Run one read-only SELECT over your datasets in [start, end) (default: the last 7 days)",
    response_model=QueryOut,
)
async def query(body: QueryIn, ctx: CtxQ) -> dict[str, Any]:
    engine = _engine(ctx)
    max_rows = body.max_rows or engine.config.default_max_rows
    res = await run_query(
        engine,
        ctx.rt.db,
        ctx.principal.tenant_id,
        body.sql,
        params=body.params,
        max_rows=max_rows,
        timeout_s=body.timeout_s,
        start=body.start,
        end=body.end,
    )
    return _out(res, max_rows)


@router.get("/tables", summary="Your datasets and dimension tables with their columns", response_model=TablesOut)
async def tables(ctx: CtxQ) -> dict[str, Any]:
    return {"items": await asyncio.to_thread(tables_info, _engine(ctx))}


@router.get(
    "/catalog",
    summary="DDL to declare your lake data in your own engine (Athena/Glue or Trino Hive)",
    response_model=CatalogOut,
)
async def catalog(ctx: CtxQ, engine: Annotated[Literal["athena", "trino"], Query()] = "athena") -> dict[str, Any]:
    location, ddl = catalog_for(_engine(ctx), engine, ctx.principal.tenant_id)
    return {"engine": engine, "location": location, "ddl": ddl}


def _may_change(ctx: Ctx, row: dict[str, Any]) -> None:
    """Anyone who may query can run a saved query; only its owner or an admin changes or deletes it."""
    owner = row.get("owner_id")
    if owner is not None and owner != ctx.principal.user_id and ctx.principal.role is not Role.ADMIN:
        raise PermissionDenied("only the owner of a saved query or an admin may change or delete it")


def _saved_out(row: dict[str, Any]) -> dict[str, Any]:
    return {**row, "parameters": row["parameters"] or []}


async def _validate(ctx: Ctx, sql: str, parameters: list[Any]) -> None:

    from mip.analytics.dimensions import DIMENSIONS

    plan = await asyncio.to_thread(_engine(ctx).analyze, sql, tuple(DIMENSIONS))
    store.check_declared(plan.parameters, parameters)


@router.get(SQ, summary="Saved queries of your tenant, by name", response_model=SavedQueryPage)
async def list_saved(ctx: CtxQ) -> dict[str, Any]:
    async with ctx.tx() as conn:
        rows = await store.list_saved(conn)
    return {"items": [_saved_out(r) for r in rows]}


@router.post(
    SQ,
    status_code=201,
    summary="Save a query (validated now; the name is unique per tenant)",
    response_model=SavedQueryOut,
)
async def create_saved(body: SavedQueryIn, ctx: CtxQ) -> dict[str, Any]:
    await _validate(ctx, body.sql, body.parameters)
    async with ctx.tx() as conn:
        row = await store.create_saved(
            conn,
            ctx.principal.tenant_id,
            ctx.principal.user_id,
            name=body.name,
            description=body.description,
            sql=body.sql,
            parameters=body.parameters,
        )
    return _saved_out(row)


@router.get(SQ + "/{query_id}", summary="A saved query", response_model=SavedQueryOut)
async def get_saved(query_id: uuid.UUID, ctx: CtxQ) -> dict[str, Any]:
    async with ctx.tx() as conn:
        return _saved_out(await store.get_saved(conn, query_id))


@router.patch(SQ + "/{query_id}", summary="Change a saved query", response_model=SavedQueryOut)
async def patch_saved(query_id: uuid.UUID, body: SavedQueryPatch, ctx: CtxQ) -> dict[str, Any]:
    changes = body.model_dump(exclude_unset=True)
    for key in ("name", "description", "sql", "parameters"):
        if key in changes and changes[key] is None:
            del changes[key]
    if "parameters" in changes:
        changes["parameters"] = body.parameters
    async with ctx.tx() as conn:
        current = await store.get_saved(conn, query_id)
    _may_change(ctx, current)
    if "sql" in changes or "parameters" in changes:
        specs = changes["parameters"] if "parameters" in changes else store.specs_of(current)
        await _validate(ctx, changes.get("sql", current["sql"]), specs)
    async with ctx.tx() as conn:
        return _saved_out(await store.update_saved(conn, query_id, changes))


@router.delete(SQ + "/{query_id}", status_code=204, summary="Delete a saved query")
async def delete_saved(query_id: uuid.UUID, ctx: CtxQ) -> Response:
    async with ctx.tx() as conn:
        _may_change(ctx, await store.get_saved(conn, query_id))
        await store.delete_saved(conn, query_id)
    return Response(status_code=204)


@router.post(SQ + "/{query_id}/run", summary="Run a saved query with parameter values", response_model=QueryOut)
async def run_saved(query_id: uuid.UUID, body: RunIn, ctx: CtxQ) -> dict[str, Any]:
    async with ctx.tx() as conn:
        row = await store.get_saved(conn, query_id)
    params = store.bind(store.specs_of(row), body.params)
    engine = _engine(ctx)
    max_rows = body.max_rows or engine.config.default_max_rows
    res = await run_query(
        engine,
        ctx.rt.db,
        ctx.principal.tenant_id,
        row["sql"],
        params=params,
        max_rows=max_rows,
        timeout_s=body.timeout_s,
        start=body.start,
        end=body.end,
    )
    return _out(res, max_rows)
