"""CLI: ``mip tenant create``, ``mip user create``, ``mip apikey create|revoke|list``."""

from __future__ import annotations

import uuid
from typing import Annotated, Any

import typer

from mip.cli.common import emit, with_db
from mip.identity import service as identity
from mip.identity.permissions import Role
from mip.platform.db import Database
from mip.tenancy import service as tenancy

tenant_app = typer.Typer(help="Manage tenants (operator commands).", no_args_is_help=True)
user_app = typer.Typer(help="Manage users.", no_args_is_help=True)
apikey_app = typer.Typer(help="Manage device API keys.", no_args_is_help=True)

TenantOpt = Annotated[str, typer.Option("--tenant", "-t", help="Tenant slug")]


@tenant_app.command("create")
def tenant_create(
    slug: Annotated[str, typer.Argument(help="Short unique name, e.g. acme")],
    name: Annotated[str, typer.Option(help="Display name")] = "",
    isolated: Annotated[bool, typer.Option(help="ITAR tenant: own database and keys")] = False,
    timezone: Annotated[str, typer.Option(help="Default plant time zone")] = "UTC",
) -> None:
    """Create a tenant."""

    async def run(db: Database) -> dict[str, Any]:
        return await tenancy.create_tenant(db, slug=slug, name=name, isolated=isolated, timezone=timezone)

    emit(with_db(run))


@user_app.command("create")
def user_create(
    tenant: TenantOpt,
    email: Annotated[str, typer.Option()],
    password: Annotated[str, typer.Option(prompt=True, hide_input=True)],
    role: Annotated[Role, typer.Option()] = Role.VIEWER,
    full_name: Annotated[str, typer.Option()] = "",
    itar: Annotated[
        bool, typer.Option("--itar", help="Authorise the user for ITAR-controlled records (export-controlled)")
    ] = False,
) -> None:
    """Create a user in a tenant."""

    async def run(db: Database) -> dict[str, Any]:
        t = await tenancy.tenant_by_slug(db, tenant)
        async with db.tenant_tx(t["id"]) as conn:
            return await identity.create_user(
                conn, t["id"], email=email, password=password, role=role, full_name=full_name, itar_authorized=itar
            )

    emit(with_db(run))


@apikey_app.command("create")
def apikey_create(
    tenant: TenantOpt,
    name: Annotated[str, typer.Option(help="What the key is for, e.g. 'line 3 gateway'")],
    site: Annotated[str | None, typer.Option(help="Restrict the key to one site (id)")] = None,
) -> None:
    """Create a device API key; the key is printed once."""

    async def run(db: Database) -> dict[str, Any]:
        t = await tenancy.tenant_by_slug(db, tenant)
        async with db.tenant_tx(t["id"]) as conn:
            full, row = await identity.create_api_key(
                conn, t["id"], name=name, site_id=uuid.UUID(site) if site else None
            )
        return {**row, "key": full}

    emit(with_db(run))


@apikey_app.command("revoke")
def apikey_revoke(tenant: TenantOpt, key_id: Annotated[uuid.UUID, typer.Argument(help="API key id")]) -> None:
    """Revoke a device API key."""

    async def run(db: Database) -> dict[str, Any]:
        t = await tenancy.tenant_by_slug(db, tenant)
        async with db.tenant_tx(t["id"]) as conn:
            return await identity.revoke_api_key(conn, key_id)

    emit(with_db(run))


@apikey_app.command("list")
def apikey_list(tenant: TenantOpt) -> None:
    """List a tenant's API keys (never their secrets)."""

    async def run(db: Database) -> list[dict[str, Any]]:
        t = await tenancy.tenant_by_slug(db, tenant)
        async with db.tenant_tx(t["id"]) as conn:
            return await identity.list_api_keys(conn)

    emit(with_db(run))
