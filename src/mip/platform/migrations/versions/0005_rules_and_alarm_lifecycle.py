"""Detection rules (versioned) and the alarm lifecycle: cleared state, transitions, escalation, flood control.

* ``detection_rules`` (current version) + ``detection_rule_versions`` (every version, who and when);
  ``detection_state`` keeps each machine's engine state so a restarted or rebalanced worker resumes.
* ``alerts`` gains ``originator_id`` (the sensor, or the machine for machine-level rules), rule id/version,
  cleared/escalation/suppression columns; one *active* (not cleared, not resolved) alarm per originator
  and rule. ``alarm_events`` records every transition with who and when.
* ``mip_due_escalations()`` (SECURITY DEFINER, owner only, granted to the app): the tenants that have
  alarms due for escalation, never their rows.

Revision ID: 0005
Revises: 0004
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

from mip.platform.rls import APP_ROLE, enable_rls, grant_app

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

DUE_ESCALATIONS = f"""
create function mip_due_escalations() returns table (tenant_id uuid, due bigint)
language sql stable security definer set search_path = public as $$
  select a.tenant_id, count(*) from alerts a
  where a.state = 'open' and a.cleared_at is null and a.escalate_after_s is not null
    and coalesce(a.escalated_at, a.created_at) + make_interval(secs => a.escalate_after_s) <= now()
  group by a.tenant_id
$$;
revoke all on function mip_due_escalations() from public;
grant execute on function mip_due_escalations() to {APP_ROLE};
"""


def upgrade() -> None:
    op.create_table(
        "detection_rules",
        sa.Column("id", sa.UUID(), nullable=False),
        sa.Column("tenant_id", sa.UUID(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("enabled", sa.Boolean(), server_default=sa.true(), nullable=False),
        sa.Column("spec", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column("deleted", sa.Boolean(), server_default=sa.false(), nullable=False),
        sa.Column("created_by", sa.UUID(), nullable=True),
        sa.Column("updated_by", sa.UUID(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.ForeignKeyConstraint(
            ["tenant_id"], ["tenants.id"], name=op.f("fk_detection_rules_tenant_id_tenants"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_detection_rules")),
    )
    op.create_index("ix_detection_rules_tenant_id_name", "detection_rules", ["tenant_id", "name"], unique=False)
    op.create_table(
        "detection_rule_versions",
        sa.Column("tenant_id", sa.UUID(), nullable=False),
        sa.Column("rule_id", sa.UUID(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("change", sa.Text(), nullable=False),
        sa.Column("spec", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column("changed_by", sa.UUID(), nullable=True),
        sa.Column("changed_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.CheckConstraint("change in ('created','updated','deleted')", name=op.f("ck_detection_rule_versions_change")),
        sa.ForeignKeyConstraint(
            ["rule_id"],
            ["detection_rules.id"],
            name=op.f("fk_detection_rule_versions_rule_id_detection_rules"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id"],
            ["tenants.id"],
            name=op.f("fk_detection_rule_versions_tenant_id_tenants"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("rule_id", "version", name="pk_detection_rule_versions"),
    )
    op.create_table(
        "detection_state",
        sa.Column("tenant_id", sa.UUID(), nullable=False),
        sa.Column("machine_id", sa.UUID(), nullable=False),
        sa.Column("rules_key", sa.Text(), nullable=False),
        sa.Column("state", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.ForeignKeyConstraint(
            ["machine_id"], ["assets.id"], name=op.f("fk_detection_state_machine_id_assets"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id"], ["tenants.id"], name=op.f("fk_detection_state_tenant_id_tenants"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("tenant_id", "machine_id", name="pk_detection_state"),
    )
    # alerts: originator, rule identity, clear/escalation/suppression, one active alarm per originator + rule
    op.add_column("alerts", sa.Column("originator_id", sa.UUID(), nullable=True))
    op.execute("update alerts set originator_id = sensor_id")
    op.alter_column("alerts", "originator_id", nullable=False)
    op.alter_column("alerts", "sensor_id", nullable=True)
    for col in (
        sa.Column("rule_id", sa.UUID(), nullable=True),
        sa.Column("rule_version", sa.Integer(), nullable=True),
        sa.Column("cleared_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("cleared_ts", sa.BigInteger(), nullable=True),
        sa.Column("escalation_level", sa.Integer(), server_default="0", nullable=False),
        sa.Column("escalated_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("escalate_after_s", sa.Float(), nullable=True),
        sa.Column("suppressed", sa.Integer(), server_default="0", nullable=False),
        sa.Column("peak_score", sa.Float(), nullable=True),
    ):
        op.add_column("alerts", col)
    op.drop_index("uq_alerts_one_open", table_name="alerts", postgresql_where=sa.text("state <> 'resolved'"))
    op.create_index(
        "uq_alerts_one_active",
        "alerts",
        ["tenant_id", "originator_id", "rule"],
        unique=True,
        postgresql_where=sa.text("state <> 'resolved' and cleared_at is null"),
    )
    op.create_index(
        "ix_alerts_escalation_due",
        "alerts",
        ["tenant_id", "created_at"],
        unique=False,
        postgresql_where=sa.text("state = 'open' and escalate_after_s is not null"),
    )
    op.create_table(
        "alarm_events",
        sa.Column("id", sa.UUID(), nullable=False),
        sa.Column("tenant_id", sa.UUID(), nullable=False),
        sa.Column("alert_id", sa.UUID(), nullable=False),
        sa.Column("kind", sa.Text(), nullable=False),
        sa.Column("actor_id", sa.UUID(), nullable=True),
        sa.Column("at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.Column(
            "details", postgresql.JSONB(astext_type=sa.Text()), server_default=sa.text("'{}'::jsonb"), nullable=False
        ),
        sa.ForeignKeyConstraint(
            ["alert_id"], ["alerts.id"], name=op.f("fk_alarm_events_alert_id_alerts"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id"], ["tenants.id"], name=op.f("fk_alarm_events_tenant_id_tenants"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_alarm_events")),
    )
    op.create_index("ix_alarm_events_alert_id", "alarm_events", ["alert_id", "at"], unique=False)
    for table in ("detection_rules", "detection_rule_versions", "detection_state", "alarm_events"):
        for stmt in enable_rls(table):
            op.execute(stmt)
        op.execute(grant_app(table))
    # the scan function runs as the owner, which FORCE RLS also binds: let it read alerts (select only)
    op.execute("create policy escalation_scan on alerts for select to current_user using (true)")
    op.execute(DUE_ESCALATIONS)


def downgrade() -> None:
    op.execute("drop function if exists mip_due_escalations()")
    op.execute("drop policy if exists escalation_scan on alerts")
    op.drop_table("alarm_events")
    op.drop_index("ix_alerts_escalation_due", table_name="alerts")
    op.drop_index("uq_alerts_one_active", table_name="alerts")
    op.create_index(
        "uq_alerts_one_open",
        "alerts",
        ["tenant_id", "sensor_id", "rule"],
        unique=True,
        postgresql_where=sa.text("state <> 'resolved'"),
    )
    for name in (
        "peak_score",
        "suppressed",
        "escalate_after_s",
        "escalated_at",
        "escalation_level",
        "cleared_ts",
        "cleared_at",
        "rule_version",
        "rule_id",
        "originator_id",
    ):
        op.drop_column("alerts", name)
    op.drop_table("detection_state")
    op.drop_table("detection_rule_versions")
    op.drop_table("detection_rules")
