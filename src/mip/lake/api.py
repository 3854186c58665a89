"""HTTP API of the lake domain: status and freshness, retention policies, crypto-shredding."""

from __future__ import annotations

import datetime as dt
import time
import uuid
from typing import Annotated, Any

from fastapi import APIRouter, Depends
from pydantic import BaseModel, Field

from mip.api.deps import Ctx, RuntimeDep, get_principal
from mip.identity.errors import PermissionDenied
from mip.identity.permissions import Permission, allowed
from mip.identity.service import Principal
from mip.lake.datasets import DATASETS, DataClass
from mip.lake.errors import BadLakeRequest
from mip.lake.keys import KeyProvider
from mip.lake.reader import open_lake
from mip.lake.retention import policies, set_policy
from mip.lake.store import LakeStore
from mip.platform.settings import Settings

router = APIRouter(prefix="/api/v1/lake", tags=["lake"])

_lakes: dict[int, tuple[LakeStore, KeyProvider]] = {}


def lake_for(settings: Settings) -> tuple[LakeStore, KeyProvider]:
    """One store and key provider per settings object (per process)."""
    key = id(settings)
    if key not in _lakes:
        _lakes[key] = open_lake(settings)
    return _lakes[key]


def require_any(*permissions: Permission) -> Any:
    async def check(principal: Annotated[Principal, Depends(get_principal)], rt: RuntimeDep) -> Ctx:
        if not any(allowed(principal.role, p) for p in permissions):
            raise PermissionDenied(f"role {principal.role.value} may not read the lake status")
        return Ctx(principal, rt)

    return check


class DatasetStatus(BaseModel):
    dataset: str
    description: str
    data_class: DataClass
    newest_ts: dt.datetime | None = Field(description="newest committed record")
    freshness_lag_s: float | None = Field(description="now - newest committed record")
    exported_through: dt.datetime | None = Field(description="every hour before this has been exported")
    oldest_day: dt.date | None
    rows: int
    files: int
    bytes: int
    last_commit_at: dt.datetime | None
    last_run_at: dt.datetime | None
    last_error: str | None


class LakeStatus(BaseModel):
    tenant_id: uuid.UUID
    lake_url: str
    key: str = Field(description="present | missing | shredded")
    shredded_at: dt.datetime | None
    datasets: list[DatasetStatus]


class PolicyOut(BaseModel):
    data_class: DataClass
    lake_days: int = Field(description="days kept in the lake (0 = forever)")
    pg_days: int = Field(description="days wanted in PostgreSQL (0 = forever)")
    lake_source: str
    pg_source: str
    datasets: list[str]


class PolicyIn(BaseModel):
    lake_days: int | None = Field(default=None, ge=0, le=36500, description="null: the default")
    pg_days: int | None = Field(default=None, ge=0, le=36500, description="null: the default")


class ShredIn(BaseModel):
    confirm: uuid.UUID = Field(description="the caller's tenant id, to confirm")


class ShredOut(BaseModel):
    tenant_id: uuid.UUID
    had_key: bool
    shredded_at: dt.datetime


def _ts(ns: int | None) -> dt.datetime | None:
    return None if ns is None else dt.datetime.fromtimestamp(ns / 1e9, dt.UTC)


async def tenant_status(conn: Any, tenant_id: uuid.UUID, settings: Settings) -> LakeStatus:
    store, keys = lake_for(settings)
    cur = await conn.execute("select * from lake_state order by dataset")
    rows = {r["dataset"]: r for r in await cur.fetchall()}
    cur = await conn.execute("select shredded_at from lake_shreds")
    shred = await cur.fetchone()
    now = time.time()
    out = []
    for name, ds in sorted(DATASETS.items()):
        r = rows.get(name, {})
        newest = r.get("newest_ts")
        out.append(
            DatasetStatus(
                dataset=name,
                description=ds.description,
                data_class=ds.data_class,
                newest_ts=_ts(newest),
                freshness_lag_s=None if newest is None else round(now - newest / 1e9, 1),
                exported_through=_ts(r.get("exported_through")),
                oldest_day=r.get("oldest_day"),
                rows=r.get("rows", 0),
                files=r.get("files", 0),
                bytes=r.get("bytes", 0),
                last_commit_at=r.get("last_commit_at"),
                last_run_at=r.get("last_run_at"),
                last_error=r.get("last_error"),
            )
        )
    key = "shredded" if keys.is_shredded(tenant_id) else ("present" if keys.has_key(tenant_id) else "missing")
    return LakeStatus(
        tenant_id=tenant_id,
        lake_url=store.url,
        key=key,
        shredded_at=shred["shredded_at"] if shred else None,
        datasets=out,
    )


@router.get("/status", summary="Lake freshness and size per dataset (the caller's tenant)", response_model=LakeStatus)
async def status(ctx: Annotated[Ctx, Depends(require_any(Permission.LAKE_ADMIN, Permission.ANALYTICS_QUERY))]) -> Any:
    async with ctx.tx() as conn:
        return await tenant_status(conn, ctx.principal.tenant_id, ctx.rt.settings)


def _policy_out(p: Any) -> PolicyOut:
    names = sorted(n for n, d in DATASETS.items() if d.data_class is p.data_class)
    return PolicyOut(
        data_class=p.data_class,
        lake_days=p.lake_days,
        pg_days=p.pg_days,
        lake_source=p.lake_source,
        pg_source=p.pg_source,
        datasets=names,
    )


@router.get("/retention", summary="Retention per data class (lake and PostgreSQL)", response_model=list[PolicyOut])
async def get_retention(ctx: Annotated[Ctx, Depends(require_any(Permission.LAKE_ADMIN))]) -> Any:
    async with ctx.tx() as conn:
        return [_policy_out(p) for p in (await policies(conn, ctx.rt.settings)).values()]


@router.put(
    "/retention/{data_class}",
    summary="Override one data class's retention for the caller's tenant (both null: back to the defaults)",
    response_model=PolicyOut,
)
async def put_retention(
    data_class: str, body: PolicyIn, ctx: Annotated[Ctx, Depends(require_any(Permission.LAKE_ADMIN))]
) -> Any:
    try:
        cls = DataClass(data_class)
    except ValueError:
        raise BadLakeRequest(f"unknown data class {data_class!r}; use raw, rollup or events") from None
    async with ctx.tx() as conn:
        await set_policy(conn, ctx.principal.tenant_id, cls, body.lake_days, body.pg_days, ctx.principal.user_id)
        return _policy_out((await policies(conn, ctx.rt.settings))[cls])


async def shred_tenant(conn: Any, tenant_id: uuid.UUID, keys: KeyProvider, user_id: uuid.UUID | None) -> ShredOut:
    """Record the shred, then destroy the master key (a crash in between leaves the tenant flagged)."""
    had = keys.has_key(tenant_id)
    cur = await conn.execute(
        """insert into lake_shreds (tenant_id, shredded_by, had_key) values (%s, %s, %s)
           on conflict (tenant_id) do update set shredded_at = now(), shredded_by = excluded.shredded_by
           returning shredded_at""",
        [tenant_id, user_id, had],
    )
    row = await cur.fetchone()
    keys.shred(tenant_id)
    return ShredOut(tenant_id=tenant_id, had_key=had, shredded_at=row["shredded_at"])


@router.post(
    "/shred",
    summary="Crypto-shred the caller's tenant: destroy its lake master key (irreversible)",
    response_model=ShredOut,
)
async def shred(body: ShredIn, ctx: Annotated[Ctx, Depends(require_any(Permission.LAKE_ADMIN))]) -> Any:
    if body.confirm != ctx.principal.tenant_id:
        raise BadLakeRequest("confirm must be your own tenant id: shredding is irreversible")
    _, keys = lake_for(ctx.rt.settings)
    async with ctx.tx() as conn:
        return await shred_tenant(conn, ctx.principal.tenant_id, keys, ctx.principal.user_id)
