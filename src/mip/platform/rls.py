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


AUDIT_TRIGGER = "audit_row"


def audit_table(
    table: str, *, key: tuple[str, ...] = ("id",), quiet: tuple[str, ...] = (), tenant_column: str = "tenant_id"
) -> list[str]:
    """The audit trigger(s) for a tenant table (migration 0017 defines ``mip_audit_row``; call this in later ones).

    ``key``: the columns naming a row (its primary key); ``quiet``: columns whose change alone, by the system
    (no ``app.actor``), is not logged (counters refreshed by the stream stage): that test runs in the trigger's
    WHEN clause, so such an update never enters PL/pgSQL; ``tenant_column``: where the tenant id is. For a
    partitioned table, attach it to the parent: the partitions inherit it.
    """
    args = ", ".join(f"'{','.join(cols)}'" for cols in (key, quiet, (tenant_column,)))
    run = f"for each row execute function mip_audit_row({args})"
    if not quiet:
        return [f"create trigger {AUDIT_TRIGGER} after insert or update or delete on {table} {run}"]
    cols = "'{" + ",".join(quiet) + "}'::text[]"
    when = (
        "(coalesce(current_setting('app.actor', true), '') not in ('', 'system') "
        f"or (to_jsonb(old) - {cols}) is distinct from (to_jsonb(new) - {cols}))"
    )
    return [
        f"create trigger {AUDIT_TRIGGER} after insert or delete on {table} {run}",
        f"create trigger {AUDIT_TRIGGER}_update after update on {table} for each row when {when} "
        f"execute function mip_audit_row({args})",
    ]
