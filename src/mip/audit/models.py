"""Audit tables: the append-only log written by a trigger on every audited tenant table, the per-tenant hash
chain written by the sealer, the chain heads, the signed checkpoints and the sealer's cursor.

Only the owner writes them (through SECURITY DEFINER functions, see migration 0017); the app role may only read
its own tenant's rows. There is no foreign key to ``tenants``: the audit trail outlives the rows it describes.
"""

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import JSONB, UUID

from mip.platform.schema import metadata

audit_log = sa.Table(
    "audit_log",
    metadata,
    sa.Column("id", sa.BigInteger, sa.Identity(), primary_key=True),
    sa.Column("tenant_id", UUID(as_uuid=True), nullable=False),
    # the writing transaction (pg_current_xact_id) and time (clock_timestamp); the chain is ordered by (xid, id)
    sa.Column("xid", sa.BigInteger, nullable=False),
    sa.Column("at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("actor", sa.Text),  # user:<id> | apikey:<id>; NULL = the system
    sa.Column("action", sa.Text, nullable=False),
    sa.Column("table_name", sa.Text, nullable=False),
    sa.Column("object_id", sa.Text, nullable=False),
    sa.Column("before", JSONB),
    sa.Column("after", JSONB),
    sa.Column("request_id", sa.Text),
    sa.Column("itar", sa.Boolean, nullable=False, server_default=sa.false()),
    sa.CheckConstraint("action in ('insert','update','delete')", name="action"),
    sa.Index("ix_audit_log_xid_id", "xid", "id"),
    sa.Index("ix_audit_log_tenant_id_table_name_object_id", "tenant_id", "table_name", "object_id"),
    sa.Index("ix_audit_log_tenant_id_id", "tenant_id", "id"),
)

audit_chain = sa.Table(
    "audit_chain",
    metadata,
    sa.Column("tenant_id", UUID(as_uuid=True), nullable=False),
    sa.Column("seq", sa.BigInteger, nullable=False),
    sa.Column("entry_id", sa.BigInteger, nullable=False),
    sa.Column("hash", sa.LargeBinary, nullable=False),  # sha256(previous hash || seq || canonical entry)
    sa.Column("sealed_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()),
    sa.PrimaryKeyConstraint("tenant_id", "seq"),
    sa.UniqueConstraint("entry_id"),
)

audit_heads = sa.Table(
    "audit_heads",
    metadata,
    sa.Column("tenant_id", UUID(as_uuid=True), primary_key=True),
    sa.Column("seq", sa.BigInteger, nullable=False),
    sa.Column("hash", sa.LargeBinary, nullable=False),
    sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()),
)

audit_checkpoints = sa.Table(
    "audit_checkpoints",
    metadata,
    sa.Column("tenant_id", UUID(as_uuid=True), nullable=False),
    sa.Column("seq", sa.BigInteger, nullable=False),
    sa.Column("hash", sa.LargeBinary, nullable=False),
    sa.Column("at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("key_id", sa.Text, nullable=False),
    sa.Column("signature", sa.LargeBinary, nullable=False),  # Ed25519 over checkpoint_message(...)
    sa.PrimaryKeyConstraint("tenant_id", "seq"),
)

audit_sealer = sa.Table(
    "audit_sealer",
    metadata,
    sa.Column("id", sa.SmallInteger, primary_key=True),
    sa.Column("last_xid", sa.BigInteger, nullable=False),
    sa.Column("last_id", sa.BigInteger, nullable=False),
    sa.Column("sealed_at", sa.DateTime(timezone=True)),
    sa.CheckConstraint("id = 1", name="singleton"),
)
