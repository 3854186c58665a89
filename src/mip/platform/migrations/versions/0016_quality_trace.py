"""Traceability: lots, serials, genealogy, shipments, documents, ITAR marking, e-signatures.

Every table is tenant-owned (RLS ENABLE + FORCE). Tables with an ``itar`` column get a second, RESTRICTIVE policy:
an ITAR-marked row exists only for a transaction whose ``app.itar`` is ``on`` (a user flagged by a tenant admin),
for reads and writes alike. ``users.itar_authorized`` is that flag.

Revision ID: 0016
Revises: 0015
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

from mip.platform.rls import APP_ROLE, enable_rls, grant_app

revision: str = "0016"
down_revision: str | None = "0015"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TABLES = (
    "trace_lots",
    "trace_serials",
    "trace_genealogy",
    "trace_shipments",
    "trace_shipment_lines",
    "trace_documents",
    "esign_signatures",
    "esign_failures",
)
ITAR_TABLES = ("trace_lots", "trace_serials", "trace_documents")
ITAR_POLICY = "not itar or current_setting('app.itar', true) = 'on'"


def itar_policy(table: str) -> str:
    return f"create policy itar_restricted on {table} as restrictive using ({ITAR_POLICY})"


def upgrade() -> None:
    op.create_table(
        "esign_failures",
        sa.Column("id", sa.UUID(), nullable=False),
        sa.Column("tenant_id", sa.UUID(), nullable=False),
        sa.Column("user_id", sa.UUID(), nullable=True),
        sa.Column("record_type", sa.Text(), nullable=False),
        sa.Column("record_id", sa.UUID(), nullable=True),
        sa.Column("meaning", sa.Text(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.ForeignKeyConstraint(
            ["tenant_id"], ["tenants.id"], name=op.f("fk_esign_failures_tenant_id_tenants"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_esign_failures")),
    )
    op.create_index("ix_esign_failures_user_id_at", "esign_failures", ["user_id", "at"], unique=False)
    op.create_table(
        "trace_documents",
        sa.Column("id", sa.UUID(), nullable=False),
        sa.Column("tenant_id", sa.UUID(), nullable=False),
        sa.Column("kind", sa.Text(), nullable=False),
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("revision", sa.Text(), server_default="", nullable=False),
        sa.Column("part_number", sa.Text(), nullable=True),
        sa.Column("filename", sa.Text(), nullable=False),
        sa.Column("content_type", sa.Text(), nullable=False),
        sa.Column("size", sa.BigInteger(), nullable=False),
        sa.Column("sha256", sa.Text(), nullable=False),
        sa.Column("content", sa.LargeBinary(), nullable=False),
        sa.Column(
            "meta", postgresql.JSONB(astext_type=sa.Text()), server_default=sa.text("'{}'::jsonb"), nullable=False
        ),
        sa.Column("itar", sa.Boolean(), server_default=sa.text("false"), nullable=False),
        sa.Column("created_by", sa.UUID(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.CheckConstraint(
            "kind in ('drawing','spec','cert','coc','procedure','other')", name=op.f("ck_trace_documents_kind")
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id"], ["tenants.id"], name=op.f("fk_trace_documents_tenant_id_tenants"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_trace_documents")),
        sa.UniqueConstraint(
            "tenant_id", "kind", "title", "revision", name=op.f("uq_trace_documents_tenant_id_kind_title_revision")
        ),
    )
    op.create_table(
        "trace_genealogy",
        sa.Column("id", sa.UUID(), nullable=False),
        sa.Column("tenant_id", sa.UUID(), nullable=False),
        sa.Column("parent_kind", sa.Text(), nullable=False),
        sa.Column("parent_id", sa.UUID(), nullable=False),
        sa.Column("child_kind", sa.Text(), nullable=False),
        sa.Column("child_id", sa.UUID(), nullable=False),
        sa.Column("quantity", sa.Float(), nullable=False),
        sa.Column("work_order_id", sa.UUID(), nullable=True),
        sa.Column("at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.Column("created_by", sa.UUID(), nullable=True),
        sa.CheckConstraint(
            "parent_kind in ('lot','serial') and child_kind in ('lot','serial')", name=op.f("ck_trace_genealogy_kinds")
        ),
        sa.CheckConstraint("quantity > 0 and parent_id <> child_id", name=op.f("ck_trace_genealogy_edge")),
        sa.ForeignKeyConstraint(
            ["tenant_id"], ["tenants.id"], name=op.f("fk_trace_genealogy_tenant_id_tenants"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_trace_genealogy")),
    )
    op.create_index("ix_trace_genealogy_child_id_parent_id", "trace_genealogy", ["child_id", "parent_id"], unique=False)
    op.create_index("ix_trace_genealogy_parent_id_child_id", "trace_genealogy", ["parent_id", "child_id"], unique=False)
    op.create_table(
        "trace_lots",
        sa.Column("id", sa.UUID(), nullable=False),
        sa.Column("tenant_id", sa.UUID(), nullable=False),
        sa.Column("item_id", sa.UUID(), nullable=True),
        sa.Column("part_number", sa.Text(), nullable=False),
        sa.Column("revision", sa.Text(), server_default="", nullable=False),
        sa.Column("lot_number", sa.Text(), nullable=False),
        sa.Column("quantity", sa.Float(), nullable=False),
        sa.Column("consumed_qty", sa.Float(), server_default="0", nullable=False),
        sa.Column("shipped_qty", sa.Float(), server_default="0", nullable=False),
        sa.Column("uom", sa.Text(), server_default="ea", nullable=False),
        sa.Column("status", sa.Text(), server_default="released", nullable=False),
        sa.Column("supplier", sa.Text(), nullable=True),
        sa.Column("supplier_lot", sa.Text(), nullable=True),
        sa.Column("cert_ref", sa.Text(), nullable=True),
        sa.Column("work_order_id", sa.UUID(), nullable=True),
        sa.Column("itar", sa.Boolean(), server_default=sa.text("false"), nullable=False),
        sa.Column("created_by", sa.UUID(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.CheckConstraint(
            "status in ('released','quarantined','consumed','shipped')", name=op.f("ck_trace_lots_status")
        ),
        sa.CheckConstraint(
            "quantity > 0 and consumed_qty >= 0 and shipped_qty >= 0 and consumed_qty + shipped_qty <= quantity + 1e-9",
            name=op.f("ck_trace_lots_quantities"),
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id"], ["tenants.id"], name=op.f("fk_trace_lots_tenant_id_tenants"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_trace_lots")),
        sa.UniqueConstraint(
            "tenant_id", "part_number", "lot_number", name=op.f("uq_trace_lots_tenant_id_part_number_lot_number")
        ),
    )
    op.create_index("ix_trace_lots_tenant_id_lot_number", "trace_lots", ["tenant_id", "lot_number"], unique=False)
    op.create_table(
        "trace_serials",
        sa.Column("id", sa.UUID(), nullable=False),
        sa.Column("tenant_id", sa.UUID(), nullable=False),
        sa.Column("item_id", sa.UUID(), nullable=True),
        sa.Column("part_number", sa.Text(), nullable=False),
        sa.Column("revision", sa.Text(), server_default="", nullable=False),
        sa.Column("serial_number", sa.Text(), nullable=False),
        sa.Column("status", sa.Text(), server_default="released", nullable=False),
        sa.Column("work_order_id", sa.UUID(), nullable=True),
        sa.Column("itar", sa.Boolean(), server_default=sa.text("false"), nullable=False),
        sa.Column("created_by", sa.UUID(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.CheckConstraint(
            "status in ('released','quarantined','consumed','shipped','scrapped')", name=op.f("ck_trace_serials_status")
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id"], ["tenants.id"], name=op.f("fk_trace_serials_tenant_id_tenants"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_trace_serials")),
        sa.UniqueConstraint(
            "tenant_id",
            "part_number",
            "serial_number",
            name=op.f("uq_trace_serials_tenant_id_part_number_serial_number"),
        ),
    )
    op.create_index(
        "ix_trace_serials_tenant_id_serial_number", "trace_serials", ["tenant_id", "serial_number"], unique=False
    )
    op.create_table(
        "trace_shipments",
        sa.Column("id", sa.UUID(), nullable=False),
        sa.Column("tenant_id", sa.UUID(), nullable=False),
        sa.Column("shipment_number", sa.Text(), nullable=False),
        sa.Column("customer", sa.Text(), nullable=False),
        sa.Column("customer_po", sa.Text(), server_default="", nullable=False),
        sa.Column("ship_date", sa.Date(), nullable=False),
        sa.Column("notes", sa.Text(), server_default="", nullable=False),
        sa.Column("created_by", sa.UUID(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.ForeignKeyConstraint(
            ["tenant_id"], ["tenants.id"], name=op.f("fk_trace_shipments_tenant_id_tenants"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_trace_shipments")),
        sa.UniqueConstraint("tenant_id", "shipment_number", name=op.f("uq_trace_shipments_tenant_id_shipment_number")),
    )
    op.create_table(
        "esign_signatures",
        sa.Column("id", sa.UUID(), nullable=False),
        sa.Column("tenant_id", sa.UUID(), nullable=False),
        sa.Column("record_type", sa.Text(), nullable=False),
        sa.Column("record_id", sa.UUID(), nullable=False),
        sa.Column("signer_id", sa.UUID(), nullable=False),
        sa.Column("printed_name", sa.Text(), nullable=False),
        sa.Column("signer_email", sa.Text(), nullable=False),
        sa.Column("meaning", sa.Text(), nullable=False),
        sa.Column("comment", sa.Text(), server_default="", nullable=False),
        sa.Column("content_sha256", sa.Text(), nullable=False),
        sa.Column("signed_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.ForeignKeyConstraint(["signer_id"], ["users.id"], name=op.f("fk_esign_signatures_signer_id_users")),
        sa.ForeignKeyConstraint(
            ["tenant_id"], ["tenants.id"], name=op.f("fk_esign_signatures_tenant_id_tenants"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_esign_signatures")),
    )
    op.create_index(
        "ix_esign_signatures_record",
        "esign_signatures",
        ["tenant_id", "record_type", "record_id", "signed_at"],
        unique=False,
    )
    op.create_table(
        "trace_shipment_lines",
        sa.Column("id", sa.UUID(), nullable=False),
        sa.Column("tenant_id", sa.UUID(), nullable=False),
        sa.Column("shipment_id", sa.UUID(), nullable=False),
        sa.Column("node_kind", sa.Text(), nullable=False),
        sa.Column("node_id", sa.UUID(), nullable=False),
        sa.Column("quantity", sa.Float(), nullable=False),
        sa.CheckConstraint("node_kind in ('lot','serial') and quantity > 0", name=op.f("ck_trace_shipment_lines_line")),
        sa.ForeignKeyConstraint(
            ["shipment_id"],
            ["trace_shipments.id"],
            name=op.f("fk_trace_shipment_lines_shipment_id_trace_shipments"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id"], ["tenants.id"], name=op.f("fk_trace_shipment_lines_tenant_id_tenants"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_trace_shipment_lines")),
    )
    op.create_index("ix_trace_shipment_lines_node_id", "trace_shipment_lines", ["node_id"], unique=False)
    op.create_index("ix_trace_shipment_lines_shipment_id", "trace_shipment_lines", ["shipment_id"], unique=False)
    op.add_column("users", sa.Column("itar_authorized", sa.Boolean(), server_default=sa.text("false"), nullable=False))

    for table in TABLES:
        for stmt in enable_rls(table):
            op.execute(stmt)
        op.execute(grant_app(table))
    for table in ITAR_TABLES:
        op.execute(itar_policy(table))
    # items: when the planning table carries an itar flag, the same restriction applies to it
    op.execute(
        f"""
        do $$ begin
          if exists (select 1 from information_schema.columns
                     where table_schema = 'public' and table_name = 'plan_items' and column_name = 'itar')
             and not exists (select 1 from pg_policies
                             where tablename = 'plan_items' and policyname = 'itar_restricted')
          then execute $q${itar_policy("plan_items")}$q$;
          end if;
        end $$"""
    )
    # signatures are evidence: the application may add them, never change or remove them
    op.execute(f"revoke update, delete on esign_signatures, esign_failures from {APP_ROLE}")


def downgrade() -> None:
    op.execute("drop policy if exists itar_restricted on plan_items")
    for table in reversed(TABLES):
        op.drop_table(table)
    op.drop_column("users", "itar_authorized")
