"""CLI: `mip lake` - ETL rounds, status and freshness, retention, compaction, garbage collection, shredding."""

from __future__ import annotations

import uuid
from typing import Annotated, Any

import typer

from mip.cli.common import emit, fail, settings, with_db
from mip.lake.errors import BadLakeRequest
from mip.platform.errors import NotFound

lake_app = typer.Typer(help="Data lake: ETL runs, retention, keys.", no_args_is_help=True)

TenantOpt = Annotated[str, typer.Option("--tenant", help="Tenant id")]


def _tenant(value: str) -> uuid.UUID:
    try:
        return uuid.UUID(value)
    except ValueError:
        fail(BadLakeRequest(f"--tenant {value!r} is not a tenant id (UUID)"))


async def _tenants(db: Any, tenant: str | None) -> list[uuid.UUID]:
    if tenant is not None:
        return [_tenant(tenant)]
    async with db.system_tx() as conn:
        cur = await conn.execute("select tenant_id from mip_lake_tenants()")
        return [r["tenant_id"] for r in await cur.fetchall()]


@lake_app.command("run")
def run(
    tenant: Annotated[str | None, typer.Option("--tenant", help="Only this tenant")] = None,
    gc: Annotated[bool, typer.Option(help="Also collect unreferenced files")] = False,
) -> None:
    """Run one ETL round now (what the etl role does every MIP_LAKE_INTERVAL_S)."""
    from mip.lake.etl import LakeEtl
    from mip.lake.reader import open_lake

    s = settings()

    async def go(db: Any) -> Any:
        store, keys = open_lake(s)
        stats = await LakeEtl(db, store, keys, s).run_round(tenants=await _tenants(db, tenant), gc=gc)
        return stats.__dict__

    emit(with_db(go))


@lake_app.command("status")
def status(tenant: Annotated[str | None, typer.Option("--tenant", help="Only this tenant")] = None) -> None:
    """Freshness (lag of the newest committed record), size and last error per tenant and dataset."""
    from mip.lake.api import tenant_status

    s = settings()

    async def go(db: Any) -> Any:
        out = []
        for t in await _tenants(db, tenant):
            async with db.tenant_tx(t) as conn:
                out.append((await tenant_status(conn, t, s)).model_dump(mode="json"))
        return out

    emit(with_db(go))


@lake_app.command("retention")
def retention(
    tenant: TenantOpt,
    data_class: Annotated[str | None, typer.Option("--class", help="raw | rollup | events (to change it)")] = None,
    lake_days: Annotated[int | None, typer.Option(help="Days kept in the lake (0 = forever)")] = None,
    pg_days: Annotated[int | None, typer.Option(help="Days wanted in PostgreSQL (0 = forever)")] = None,
    reset: Annotated[bool, typer.Option(help="Back to the defaults for --class")] = False,
) -> None:
    """Show the tenant's retention policies, or change one data class."""
    from mip.lake.datasets import DataClass
    from mip.lake.retention import policies, set_policy

    t = _tenant(tenant)
    s = settings()
    cls = None
    if data_class is not None:
        try:
            cls = DataClass(data_class)
        except ValueError:
            fail(BadLakeRequest(f"--class {data_class!r}: use raw, rollup or events"))
    for name, v in (("--lake-days", lake_days), ("--pg-days", pg_days)):
        if v is not None and v < 0:
            fail(BadLakeRequest(f"{name} must be >= 0"))
    if cls is None and (lake_days is not None or pg_days is not None or reset):
        fail(BadLakeRequest("--class is required to change a policy"))

    async def go(db: Any) -> Any:
        async with db.tenant_tx(t) as conn:
            if cls is not None and (reset or lake_days is not None or pg_days is not None):
                await set_policy(conn, t, cls, None if reset else lake_days, None if reset else pg_days, None)
            return [p.__dict__ for p in (await policies(conn, s)).values()]

    emit(with_db(go))


@lake_app.command("compact")
def compact(tenant: TenantOpt, dataset: Annotated[str, typer.Option(help="Dataset")] = "readings") -> None:
    """Compact a tenant's dataset now: each closed day into one day file (rollups, events), or each hour
    partition with several files into one (raw readings). The ETL does this by itself as days close."""
    from mip.lake.datasets import get_dataset
    from mip.lake.etl import LakeEtl
    from mip.lake.reader import open_lake
    from mip.platform.errors import MIPError

    t = _tenant(tenant)
    s = settings()
    try:
        get_dataset(dataset)
        store, keys = open_lake(s)
        merged = LakeEtl(None, store, keys, s).compact(t, dataset)  # type: ignore[arg-type]
    except MIPError as exc:
        fail(exc)
    unit = "days" if get_dataset(dataset).compact_days else "hour_partitions"
    emit({"tenant_id": t, "dataset": dataset, "merged": merged, "unit": unit})


@lake_app.command("gc")
def gc(grace_s: Annotated[float | None, typer.Option(help="Override MIP_LAKE_GC_GRACE_S")] = None) -> None:
    """Delete data files that no committed manifest lists (older than the grace period)."""
    from mip.lake.etl import LakeEtl
    from mip.lake.reader import open_lake

    s = settings()
    store, keys = open_lake(s)
    emit({"deleted": LakeEtl(None, store, keys, s).collect_garbage(grace_s=grace_s)})  # type: ignore[arg-type]


@lake_app.command("shred-tenant")
def shred_tenant(
    tenant: TenantOpt,
    yes: Annotated[bool, typer.Option("--yes", help="Confirm: irreversible")] = False,
) -> None:
    """Crypto-shred a tenant: destroy its lake master key. Its lake files become unreadable for good."""
    from mip.lake.api import shred_tenant as do_shred
    from mip.lake.reader import open_lake

    t = _tenant(tenant)
    if not yes:
        fail(BadLakeRequest("shredding is irreversible: add --yes"))
    s = settings()

    async def go(db: Any) -> Any:
        _, keys = open_lake(s)
        async with db.tenant_tx(t) as conn:
            cur = await conn.execute("select 1 from tenants where id = %s", [t])
            if await cur.fetchone() is None:
                raise NotFound(f"no tenant {t}")
            return (await do_shred(conn, t, keys, None)).model_dump(mode="json")

    emit(with_db(go))
