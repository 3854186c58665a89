"""Tenant actions. A tenant row is created inside its own tenant context, so RLS's WITH CHECK holds."""

from __future__ import annotations

import re
import uuid
from typing import Any

import psycopg

from mip.platform.db import Conn, Database
from mip.platform.ids import uuid7
from mip.tenancy.errors import InvalidSlug, TenantExists, TenantNotFound

SLUG_RE = re.compile(r"^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$")


async def create_tenant(
    db: Database, *, slug: str, name: str, isolated: bool = False, timezone: str = "UTC"
) -> dict[str, Any]:
    if not SLUG_RE.match(slug):
        raise InvalidSlug(f"tenant slug {slug!r} must be 1-63 lowercase letters, digits or dashes")
    tenant_id = uuid7()
    try:
        async with db.tenant_tx(tenant_id) as conn:
            cur = await conn.execute(
                "insert into tenants (id, slug, name, isolated, timezone) values (%s, %s, %s, %s, %s) "
                "returning id, slug, name, isolated, timezone, created_at",
                [tenant_id, slug, name or slug, isolated, timezone],
            )
            row = await cur.fetchone()
    except psycopg.errors.UniqueViolation:
        raise TenantExists(f"tenant {slug!r} already exists") from None
    assert row is not None
    return dict(row)


async def tenant_by_slug(db: Database, slug: str) -> dict[str, Any]:
    async with db.system_tx() as conn:
        cur = await conn.execute("select * from mip_auth_tenant(%s)", [slug])
        row = await cur.fetchone()
    if row is None:
        raise TenantNotFound(f"no tenant {slug!r}")
    return dict(row)


async def get_current_tenant(conn: Conn, tenant_id: uuid.UUID) -> dict[str, Any]:
    cur = await conn.execute(
        "select id, slug, name, isolated, timezone, created_at from tenants where id = %s", [tenant_id]
    )
    row = await cur.fetchone()
    if row is None:
        raise TenantNotFound("tenant not found")
    return dict(row)
