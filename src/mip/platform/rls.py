"""Row-level security: SQL used by migrations, and the list of tenant tables it must cover."""

from __future__ import annotations

APP_ROLE = "mip_app"
AUTH_ROLE = "mip_auth"
CURRENT_TENANT = "nullif(current_setting('app.tenant_id', true), '')::uuid"


def enable_rls(table: str, column: str = "tenant_id") -> list[str]:
    """ENABLE + FORCE RLS with one policy whose USING and WITH CHECK both pin the current tenant.

    With no tenant set, ``CURRENT_TENANT`` is NULL and the policy matches no row.
    """
    return [
        f"alter table {table} enable row level security",
        f"alter table {table} force row level security",
        f"create policy tenant_isolation on {table} using ({column} = {CURRENT_TENANT}) "
        f"with check ({column} = {CURRENT_TENANT})",
    ]


def auth_lookup_policy(table: str) -> list[str]:
    """Let the NOLOGIN auth role read a table (only through SECURITY DEFINER look-up functions)."""
    return [
        f"grant select on {table} to {AUTH_ROLE}",
        f"create policy auth_lookup on {table} for select to {AUTH_ROLE} using (true)",
    ]


def grant_app(table: str) -> str:
    return f"grant select, insert, update, delete on {table} to {APP_ROLE}"
