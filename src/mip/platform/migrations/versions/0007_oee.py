"""OEE: machine states, downtime reasons, shifts, OEE rollups.

* Eight tenant tables (src/mip/oee/models.py), each with RLS ENABLE + FORCE and the ``tenant_isolation``
  policy, DML granted to mip_app.
* ``mip_oee_tenants()`` (SECURITY DEFINER, owner only, granted to the app): the ids of the tenants that
  have OEE configuration, so the periodic rollup job knows whom to visit; it returns ids, never rows. The
  owner is bound by FORCE RLS too, so an ``oee_scan`` policy ``FOR SELECT TO <owner>`` on ``oee_configs``
  lets it read that table; that grants nothing new (the owner owns it), and mip_app gains nothing.

Revision ID: 0007
Revises: 0006
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql
from sqlalchemy.schema import SchemaItem

from mip.platform.rls import APP_ROLE, enable_rls, grant_app

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TABLES = (
    "oee_reason_codes",
    "oee_shifts",
    "oee_planned_stops",
    "oee_configs",
    "oee_operator_states",
    "oee_counts",
    "oee_state_intervals",
    "oee_rollups",
)
TENANTS_SIGNATURE = "mip_oee_tenants()"
TENANTS_FUNCTION = """
create function mip_oee_tenants() returns table (tenant_id uuid)
language sql stable security definer set search_path = public, pg_temp as $$
  select distinct c.tenant_id from oee_configs c
$$
"""
STATE_CHECK = "state in ('running','idle','down','planned_stop')"


def _tenant(table: str) -> list[SchemaItem]:
    return [
        sa.Column("tenant_id", sa.UUID(), nullable=False),
        sa.ForeignKeyConstraint(
            ["tenant_id"], ["tenants.id"], name=op.f(f"fk_{table}_tenant_id_tenants"), ondelete="CASCADE"
        ),
    ]


def _id(table: str) -> list[SchemaItem]:
    return [sa.Column("id", sa.UUID(), nullable=False), sa.PrimaryKeyConstraint("id", name=op.f(f"pk_{table}"))]


def _asset_fk(table: str, column: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        [column], ["assets.id"], name=op.f(f"fk_{table}_{column}_assets"), ondelete="CASCADE"
    )


def _reason_fk(table: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        ["tenant_id", "reason_code"],
        ["oee_reason_codes.tenant_id", "oee_reason_codes.code"],
        name=op.f(f"fk_{table}_tenant_id_oee_reason_codes"),
    )


def _created_by(table: str) -> list[SchemaItem]:
    return [
        sa.Column("created_by", sa.UUID(), nullable=True),
        sa.ForeignKeyConstraint(
            ["created_by"], ["users.id"], name=op.f(f"fk_{table}_created_by_users"), ondelete="SET NULL"
        ),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
    ]


def _timestamps() -> list[sa.Column[object]]:
    return [
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
    ]


def _days() -> sa.Column[object]:
    return sa.Column("days", postgresql.ARRAY(sa.SmallInteger()), nullable=True)


def upgrade() -> None:
    t = "oee_reason_codes"
    op.create_table(
        t,
        *_id(t),
        *_tenant(t),
        sa.Column("code", sa.Text(), nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("category", sa.Text(), nullable=False),
        sa.Column("description", sa.Text(), server_default="", nullable=False),
        *_timestamps(),
        sa.CheckConstraint("category in ('planned','unplanned')", name=op.f(f"ck_{t}_category")),
        sa.UniqueConstraint("tenant_id", "code", name=op.f(f"uq_{t}_tenant_id_code")),
    )

    t = "oee_shifts"
    op.create_table(
        t,
        *_id(t),
        *_tenant(t),
        sa.Column("site_id", sa.UUID(), nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("start_time", sa.Time(), nullable=False),
        sa.Column("end_time", sa.Time(), nullable=False),
        sa.Column("days", postgresql.ARRAY(sa.SmallInteger()), nullable=False),
        *_timestamps(),
        _asset_fk(t, "site_id"),
        sa.UniqueConstraint("tenant_id", "site_id", "name", name=op.f(f"uq_{t}_tenant_id_site_id_name")),
    )

    t = "oee_planned_stops"
    op.create_table(
        t,
        *_id(t),
        *_tenant(t),
        sa.Column("asset_id", sa.UUID(), nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("reason_code", sa.Text(), nullable=True),
        sa.Column("start_time", sa.Time(), nullable=True),
        sa.Column("end_time", sa.Time(), nullable=True),
        _days(),
        sa.Column("start_ns", sa.BigInteger(), nullable=True),
        sa.Column("end_ns", sa.BigInteger(), nullable=True),
        *_timestamps(),
        _asset_fk(t, "asset_id"),
        _reason_fk(t),
        sa.CheckConstraint(
            "(start_time is not null and end_time is not null and days is not null and start_ns is null "
            "and end_ns is null) or (start_time is null and end_time is null and days is null "
            "and start_ns is not null and end_ns > start_ns)",
            name=op.f(f"ck_{t}_window"),
        ),
    )
    op.create_index("ix_oee_planned_stops_tenant_id_asset_id", t, ["tenant_id", "asset_id"], unique=False)

    t = "oee_configs"
    op.create_table(
        t,
        *_id(t),
        *_tenant(t),
        sa.Column("asset_id", sa.UUID(), nullable=False),
        sa.Column("ideal_cycle_s", sa.Float(), nullable=True),
        sa.Column("run_sensor", sa.Text(), nullable=True),
        sa.Column("run_threshold", sa.Float(), nullable=True),
        sa.Column("idle_sensor", sa.Text(), nullable=True),
        sa.Column("idle_threshold", sa.Float(), nullable=True),
        sa.Column("counter_sensor", sa.Text(), nullable=True),
        sa.Column("counter_mode", sa.Text(), nullable=True),
        *_timestamps(),
        _asset_fk(t, "asset_id"),
        sa.CheckConstraint("counter_mode in ('cumulative','delta')", name=op.f(f"ck_{t}_counter_mode")),
        sa.UniqueConstraint("tenant_id", "asset_id", name=op.f(f"uq_{t}_tenant_id_asset_id")),
    )

    t = "oee_operator_states"
    op.create_table(
        t,
        *_id(t),
        *_tenant(t),
        sa.Column("machine_id", sa.UUID(), nullable=False),
        sa.Column("start_ns", sa.BigInteger(), nullable=False),
        sa.Column("end_ns", sa.BigInteger(), nullable=True),
        sa.Column("state", sa.Text(), nullable=False),
        sa.Column("reason_code", sa.Text(), nullable=True),
        sa.Column("note", sa.Text(), server_default="", nullable=False),
        sa.Column("kind", sa.Text(), server_default="override", nullable=False),
        *_created_by(t),
        _asset_fk(t, "machine_id"),
        _reason_fk(t),
        sa.CheckConstraint(STATE_CHECK, name=op.f(f"ck_{t}_state")),
        sa.CheckConstraint("kind in ('override','classification')", name=op.f(f"ck_{t}_kind")),
        sa.CheckConstraint("end_ns is null or end_ns > start_ns", name=op.f(f"ck_{t}_window")),
    )
    op.create_index("ix_oee_operator_states_tenant_id_machine_id_start_ns", t, ["tenant_id", "machine_id", "start_ns"])

    t = "oee_counts"
    op.create_table(
        t,
        *_id(t),
        *_tenant(t),
        sa.Column("machine_id", sa.UUID(), nullable=False),
        sa.Column("start_ns", sa.BigInteger(), nullable=False),
        sa.Column("end_ns", sa.BigInteger(), nullable=False),
        sa.Column("good", sa.Float(), server_default="0", nullable=False),
        sa.Column("reject", sa.Float(), server_default="0", nullable=False),
        sa.Column("note", sa.Text(), server_default="", nullable=False),
        *_created_by(t),
        _asset_fk(t, "machine_id"),
        sa.CheckConstraint("end_ns > start_ns and good >= 0 and reject >= 0", name=op.f(f"ck_{t}_valid")),
    )
    op.create_index("ix_oee_counts_tenant_id_machine_id_start_ns", t, ["tenant_id", "machine_id", "start_ns"])

    t = "oee_state_intervals"
    op.create_table(
        t,
        *_tenant(t),
        sa.Column("machine_id", sa.UUID(), nullable=False),
        sa.Column("start_ns", sa.BigInteger(), nullable=False),
        sa.Column("end_ns", sa.BigInteger(), nullable=False),
        sa.Column("state", sa.Text(), nullable=False),
        sa.Column("reason_code", sa.Text(), nullable=True),
        sa.Column("source", sa.Text(), nullable=False),
        sa.Column("entry_id", sa.UUID(), nullable=True),
        _asset_fk(t, "machine_id"),
        sa.PrimaryKeyConstraint("tenant_id", "machine_id", "start_ns", name=op.f(f"pk_{t}")),
        sa.CheckConstraint(STATE_CHECK, name=op.f(f"ck_{t}_state")),
        sa.CheckConstraint("source in ('signal','schedule','operator')", name=op.f(f"ck_{t}_source")),
    )

    t = "oee_rollups"
    op.create_table(
        t,
        *_tenant(t),
        sa.Column("machine_id", sa.UUID(), nullable=False),
        sa.Column("bucket_start", sa.BigInteger(), nullable=False),
        sa.Column("bucket_end", sa.BigInteger(), nullable=False),
        sa.Column("line_id", sa.UUID(), nullable=True),
        sa.Column("shift_id", sa.UUID(), nullable=True),
        sa.Column("shift_name", sa.Text(), nullable=True),
        sa.Column("shift_start", sa.BigInteger(), nullable=True),
        sa.Column("shift_end", sa.BigInteger(), nullable=True),
        sa.Column("day", sa.Date(), nullable=True),
        sa.Column("shift_ns", sa.BigInteger(), nullable=False),
        sa.Column("planned_stop_ns", sa.BigInteger(), nullable=False),
        sa.Column("run_ns", sa.BigInteger(), nullable=False),
        sa.Column("idle_ns", sa.BigInteger(), nullable=False),
        sa.Column("down_ns", sa.BigInteger(), nullable=False),
        sa.Column("total_count", sa.Float(), nullable=False),
        sa.Column("good_count", sa.Float(), nullable=False),
        sa.Column("reject_count", sa.Float(), nullable=False),
        sa.Column("ideal_run_ns", sa.Float(), nullable=True),
        sa.Column("counted", sa.Boolean(), nullable=False),
        sa.Column("computed_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        _asset_fk(t, "machine_id"),
        sa.PrimaryKeyConstraint("tenant_id", "machine_id", "bucket_start", name=op.f(f"pk_{t}")),
    )
    op.create_index("ix_oee_rollups_tenant_id_bucket_start", t, ["tenant_id", "bucket_start"], unique=False)

    for table in TABLES:
        for stmt in enable_rls(table):
            op.execute(stmt)
        op.execute(grant_app(table))
    op.execute("create policy oee_scan on oee_configs for select to current_user using (true)")
    op.execute(TENANTS_FUNCTION)
    op.execute(f"revoke all on function {TENANTS_SIGNATURE} from public")
    op.execute(f"grant execute on function {TENANTS_SIGNATURE} to {APP_ROLE}")


def downgrade() -> None:
    op.execute(f"drop function if exists {TENANTS_SIGNATURE}")
    for table in reversed(TABLES):
        op.drop_table(table)
