"""Tenant isolation: RLS on every tenant table, app grants, SECURITY DEFINER auth look-ups.

Revision ID: 0002
Revises: 0001
"""

from collections.abc import Sequence

from alembic import op

from mip.platform.rls import APP_ROLE, AUTH_ROLE, CURRENT_TENANT, auth_lookup_policy, enable_rls, grant_app

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TENANT_TABLES = [
    "users",
    "refresh_tokens",
    "api_keys",
    "assets",
    "sensors",
    "readings",
    "processed_batches",
    "alerts",
]

AUTH_FUNCTIONS = [
    """create function mip_auth_user(p_email text)
       returns table(id uuid, tenant_id uuid, password_hash text, role text, active boolean)
       language sql stable security definer set search_path = public, pg_temp as $$
         select id, tenant_id, password_hash, role, active from users where email = lower(p_email)
       $$""",
    """create function mip_auth_api_key(p_prefix text)
       returns table(id uuid, tenant_id uuid, secret_hash text, site_id uuid, revoked boolean)
       language sql stable security definer set search_path = public, pg_temp as $$
         select id, tenant_id, secret_hash, site_id, revoked_at is not null from api_keys where prefix = p_prefix
       $$""",
    """create function mip_auth_refresh(p_hash text)
       returns table(id uuid, tenant_id uuid, user_id uuid, expires_at timestamptz, revoked boolean)
       language sql stable security definer set search_path = public, pg_temp as $$
         select id, tenant_id, user_id, expires_at, revoked_at is not null from refresh_tokens
         where token_hash = p_hash
       $$""",
    """create function mip_auth_tenant(p_slug text)
       returns table(id uuid, slug text, name text, isolated boolean)
       language sql stable security definer set search_path = public, pg_temp as $$
         select id, slug, name, isolated from tenants where slug = p_slug
       $$""",
]
AUTH_TABLES = ["users", "api_keys", "refresh_tokens", "tenants"]
FUNCTION_SIGNATURES = [
    "mip_auth_user(text)",
    "mip_auth_api_key(text)",
    "mip_auth_refresh(text)",
    "mip_auth_tenant(text)",
]


def upgrade() -> None:
    op.execute(f"grant usage on schema public to {APP_ROLE}")
    # tenants: a tenant sees (and may update) only its own row
    op.execute("alter table tenants enable row level security")
    op.execute("alter table tenants force row level security")
    op.execute(
        f"create policy tenant_isolation on tenants using (id = {CURRENT_TENANT}) with check (id = {CURRENT_TENANT})"
    )
    op.execute(grant_app("tenants"))
    for table in TENANT_TABLES:
        for stmt in enable_rls(table):
            op.execute(stmt)
        op.execute(grant_app(table))
    for table in AUTH_TABLES:
        for stmt in auth_lookup_policy(table):
            op.execute(stmt)
    for ddl in AUTH_FUNCTIONS:
        op.execute(ddl)
    # a function's new owner needs CREATE on its schema at the moment of the change only
    op.execute(f"grant usage, create on schema public to {AUTH_ROLE}")
    for sig in FUNCTION_SIGNATURES:
        op.execute(f"alter function {sig} owner to {AUTH_ROLE}")
        op.execute(f"revoke all on function {sig} from public")
        op.execute(f"grant execute on function {sig} to {APP_ROLE}")
    op.execute(f"revoke create on schema public from {AUTH_ROLE}")


def downgrade() -> None:
    for sig in FUNCTION_SIGNATURES:
        op.execute(f"drop function if exists {sig}")
    for table in AUTH_TABLES:
        op.execute(f"drop policy if exists auth_lookup on {table}")
    for table in [*TENANT_TABLES, "tenants"]:
        op.execute(f"drop policy if exists tenant_isolation on {table}")
        op.execute(f"alter table {table} no force row level security")
        op.execute(f"alter table {table} disable row level security")
