"""The stream stage's alarm path: its own idempotency record and engine snapshots.

Sensor limits and safety rules run on a separate consumer of the readings topic (streaming/worker.py), so
``processed_batches`` and ``detection_state`` gain a ``stage`` column in their primary keys. Existing rows
belong to the storage path (``stream``). Flood control counts a rule's alarms of the last hour on every raise:
``ix_alerts_rule_id_created_at`` keeps that an index range scan.

Revision ID: 0014
Revises: 0013
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0014"
down_revision: str | None = "0013"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("processed_batches", sa.Column("stage", sa.Text, nullable=False, server_default="stream"))
    op.drop_constraint("pk_processed_batches", "processed_batches", type_="primary")
    op.create_primary_key("pk_processed_batches", "processed_batches", ["tenant_id", "batch_id", "stage"])
    op.add_column("detection_state", sa.Column("stage", sa.Text, nullable=False, server_default="stream"))
    op.drop_constraint("pk_detection_state", "detection_state", type_="primary")
    op.create_primary_key("pk_detection_state", "detection_state", ["tenant_id", "machine_id", "stage"])
    op.create_index("ix_alerts_rule_id_created_at", "alerts", ["rule_id", "created_at"])


def downgrade() -> None:
    op.drop_index("ix_alerts_rule_id_created_at", table_name="alerts")
    op.execute("delete from detection_state where stage <> 'stream'")
    op.drop_constraint("pk_detection_state", "detection_state", type_="primary")
    op.create_primary_key("pk_detection_state", "detection_state", ["tenant_id", "machine_id"])
    op.drop_column("detection_state", "stage")
    op.execute("delete from processed_batches where stage <> 'stream'")
    op.drop_constraint("pk_processed_batches", "processed_batches", type_="primary")
    op.create_primary_key("pk_processed_batches", "processed_batches", ["tenant_id", "batch_id"])
    op.drop_column("processed_batches", "stage")
