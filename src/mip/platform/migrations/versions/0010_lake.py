"""Data lake: retention policies, the lake status mirror, crypto-shred audit; the ETL's tenant scan.

* Three tenant tables, each with RLS ENABLE + FORCE and ``tenant_isolation``, DML granted to mip_app.
* ``mip_lake_tenants()``: the ETL must list tenants before it knows one. This SECURITY DEFINER function
  (owned by the migration role, EXECUTE for mip_app only) returns tenant ids and nothing else. A
  ``lake_scan`` policy ``FOR SELECT TO <owner>`` on tenants lets it see them (the owner is subject to FORCE
  RLS; it owns the table and could switch FORCE off, so nothing new is granted; mip_app gains nothing).

Revision ID: 0010
Revises: 0009
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from mip.platform.rls import APP_ROLE, enable_rls, grant_app

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TABLES = ["lake_retention", "lake_state", "lake_shreds"]
TENANTS_FUNCTION = """
create function mip_lake_tenants()
returns table(tenant_id uuid)
language sql stable security definer set search_path = public, pg_temp as $$
  select t.id from tenants t order by t.id
$$"""
TENANTS_SIGNATURE = "mip_lake_tenants()"


def _tenant(table: str) -> sa.Column[object]:
    return sa.Column("tenant_id", sa.UUID(), nullable=False)


def _tenant_fk(table: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        ["tenant_id"], ["tenants.id"], name=op.f(f"fk_{table}_tenant_id_tenants"), ondelete="CASCADE"
    )


def upgrade() -> None:
    t = "lake_retention"
    op.create_table(
        t,
        _tenant(t),
        sa.Column("data_class", sa.Text(), nullable=False),
        sa.Column("lake_days", sa.Integer(), nullable=True),
        sa.Column("pg_days", sa.Integer(), nullable=True),
        sa.Column("updated_by", sa.UUID(), nullable=True),
        sa.Column("updated_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.CheckConstraint("data_class in ('raw','rollup','events')", name=op.f("ck_lake_retention_data_class")),
        sa.CheckConstraint("lake_days is null or lake_days >= 0", name=op.f("ck_lake_retention_lake_days")),
        sa.CheckConstraint("pg_days is null or pg_days >= 0", name=op.f("ck_lake_retention_pg_days")),
        _tenant_fk(t),
        sa.PrimaryKeyConstraint("tenant_id", "data_class", name=op.f("pk_lake_retention")),
    )
    t = "lake_state"
    op.create_table(
        t,
        _tenant(t),
        sa.Column("dataset", sa.Text(), nullable=False),
        sa.Column("newest_ts", sa.BigInteger(), nullable=True),
        sa.Column("exported_through", sa.BigInteger(), nullable=True),
        sa.Column("oldest_day", sa.Date(), nullable=True),
        sa.Column("rows", sa.BigInteger(), server_default="0", nullable=False),
        sa.Column("files", sa.Integer(), server_default="0", nullable=False),
        sa.Column("bytes", sa.BigInteger(), server_default="0", nullable=False),
        sa.Column("last_commit_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("last_run_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("last_error", sa.Text(), nullable=True),
        _tenant_fk(t),
        sa.PrimaryKeyConstraint("tenant_id", "dataset", name=op.f("pk_lake_state")),
    )
    t = "lake_shreds"
    op.create_table(
        t,
        _tenant(t),
        sa.Column("shredded_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.Column("shredded_by", sa.UUID(), nullable=True),
        sa.Column("had_key", sa.Boolean(), nullable=False),
        _tenant_fk(t),
        sa.PrimaryKeyConstraint("tenant_id", name=op.f("pk_lake_shreds")),
    )
    for table in TABLES:
        for stmt in enable_rls(table):
            op.execute(stmt)
        op.execute(grant_app(table))
    op.execute("create policy lake_scan on tenants for select to current_user using (true)")
    op.execute(TENANTS_FUNCTION)
    op.execute(f"revoke all on function {TENANTS_SIGNATURE} from public")
    op.execute(f"grant execute on function {TENANTS_SIGNATURE} to {APP_ROLE}")


def downgrade() -> None:
    op.execute(f"drop function if exists {TENANTS_SIGNATURE}")
    op.execute("drop policy if exists lake_scan on tenants")
    for table in reversed(TABLES):
        op.drop_table(table)
