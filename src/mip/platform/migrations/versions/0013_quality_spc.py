"""Quality / SPC: control chart definitions, subgroups, out-of-control signals.

* Three tenant tables (src/mip/quality/spc/models.py), each with RLS ENABLE + FORCE and the
  ``tenant_isolation`` policy, DML granted to mip_app.
* ``mip_spc_sensor_tenants()`` (SECURITY DEFINER, owner only, granted to the app): the ids of the tenants
  with sensor-fed charts, so the periodic evaluation knows whom to visit; it returns ids, never rows. An
  ``spc_scan`` policy ``FOR SELECT TO <owner>`` on ``spc_charts`` lets the owner (bound by FORCE RLS) read
  that table; mip_app gains nothing.

Revision ID: 0013
Revises: 0012
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql
from sqlalchemy.schema import SchemaItem

from mip.platform.rls import APP_ROLE, enable_rls, grant_app

revision: str = "0013"
down_revision: str | None = "0012"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TABLES = ("spc_charts", "spc_subgroups", "spc_signals")
TENANTS_SIGNATURE = "mip_spc_sensor_tenants()"
TENANTS_FUNCTION = """
create function mip_spc_sensor_tenants() returns table (tenant_id uuid)
language sql stable security definer set search_path = public, pg_temp as $$
  select distinct c.tenant_id from spc_charts c where c.source = 'sensor'
$$
"""


def _common(t: str) -> list[SchemaItem]:
    return [
        sa.Column("id", sa.UUID(), nullable=False),
        sa.Column("tenant_id", sa.UUID(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f(f"pk_{t}")),
        sa.ForeignKeyConstraint(
            ["tenant_id"], ["tenants.id"], name=op.f(f"fk_{t}_tenant_id_tenants"), ondelete="CASCADE"
        ),
    ]


def _fk(t: str, col: str, ref: str, ondelete: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint([col], [f"{ref}.id"], name=op.f(f"fk_{t}_{col}_{ref}"), ondelete=ondelete)


def upgrade() -> None:
    now = sa.text("now()")
    t = "spc_charts"
    op.create_table(
        t,
        *_common(t),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("description", sa.Text(), server_default="", nullable=False),
        sa.Column("chart_type", sa.Text(), nullable=False),
        sa.Column("settings", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column("source", sa.Text(), nullable=False),
        sa.Column("sensor_id", sa.UUID(), nullable=True),
        sa.Column("machine_id", sa.UUID(), nullable=False),
        sa.Column("subgroup_size", sa.Integer(), server_default="1", nullable=False),
        sa.Column("window_s", sa.Float(), nullable=True),
        sa.Column("severity", sa.Text(), server_default="minor", nullable=False),
        sa.Column("limits", postgresql.JSONB(astext_type=sa.Text()), nullable=True),
        sa.Column("limits_version", sa.Integer(), server_default="0", nullable=False),
        sa.Column("frozen_by", sa.UUID(), nullable=True),
        sa.Column("frozen_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("watermark_ts", sa.BigInteger(), nullable=True),
        sa.Column("created_by", sa.UUID(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=now, nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), server_default=now, nullable=False),
        _fk(t, "sensor_id", "sensors", "CASCADE"),
        _fk(t, "machine_id", "assets", "CASCADE"),
        _fk(t, "frozen_by", "users", "SET NULL"),
        _fk(t, "created_by", "users", "SET NULL"),
        sa.CheckConstraint("source in ('manual','sensor')", name=op.f(f"ck_{t}_source")),
        sa.CheckConstraint("(source = 'sensor') = (sensor_id is not null)", name=op.f(f"ck_{t}_sensor_source")),
        sa.CheckConstraint("severity in ('critical','major','minor','warning')", name=op.f(f"ck_{t}_severity")),
        sa.UniqueConstraint("tenant_id", "name", name=op.f(f"uq_{t}_tenant_id_name")),
    )
    t = "spc_subgroups"
    op.create_table(
        t,
        *_common(t),
        sa.Column("chart_id", sa.UUID(), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("ts", sa.BigInteger(), nullable=False),
        sa.Column("values", postgresql.ARRAY(sa.Float()), nullable=True),
        sa.Column("count", sa.Float(), nullable=True),
        sa.Column("size", sa.Float(), nullable=False),
        sa.Column("phase", sa.SmallInteger(), nullable=False),
        sa.Column("excluded", sa.Boolean(), server_default=sa.false(), nullable=False),
        sa.Column("note", sa.Text(), server_default="", nullable=False),
        sa.Column("created_by", sa.UUID(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=now, nullable=False),
        _fk(t, "chart_id", "spc_charts", "CASCADE"),
        _fk(t, "created_by", "users", "SET NULL"),
        sa.CheckConstraint("phase in (1, 2)", name=op.f(f"ck_{t}_phase")),
        sa.UniqueConstraint("chart_id", "seq", name=op.f(f"uq_{t}_chart_id_seq")),
    )
    t = "spc_signals"
    op.create_table(
        t,
        *_common(t),
        sa.Column("chart_id", sa.UUID(), nullable=False),
        sa.Column("subgroup_id", sa.UUID(), nullable=False),
        sa.Column("rule", sa.Text(), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("value", sa.Float(), nullable=True),
        sa.Column("alert_id", sa.UUID(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=now, nullable=False),
        _fk(t, "chart_id", "spc_charts", "CASCADE"),
        _fk(t, "subgroup_id", "spc_subgroups", "CASCADE"),
        _fk(t, "alert_id", "alerts", "SET NULL"),
        sa.UniqueConstraint("subgroup_id", "rule", name=op.f(f"uq_{t}_subgroup_id_rule")),
    )
    op.create_index("ix_spc_signals_chart_id_created_at", t, ["chart_id", "created_at"], unique=False)
    for table in TABLES:
        for stmt in enable_rls(table):
            op.execute(stmt)
        op.execute(grant_app(table))
    op.execute("create policy spc_scan on spc_charts for select to current_user using (true)")
    op.execute(TENANTS_FUNCTION)
    op.execute(f"revoke all on function {TENANTS_SIGNATURE} from public")
    op.execute(f"grant execute on function {TENANTS_SIGNATURE} to {APP_ROLE}")


def downgrade() -> None:
    op.execute(f"drop function if exists {TENANTS_SIGNATURE}")
    for table in reversed(TABLES):
        op.drop_table(table)
