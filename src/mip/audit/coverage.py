"""Which tenant tables the audit trigger covers, which it does not (and why), and what it never copies.

Every table with a ``tenant_id`` column must either carry the ``audit_row`` trigger (``audit_table()`` from
mip.platform.rls in its migration) or be listed in ``EXCLUDED`` with a reason;
tests/audit/test_coverage.py fails otherwise. Partitions inherit the trigger of their parent.
"""

from __future__ import annotations

EXCLUDED: dict[str, str] = {
    # telemetry: a row is a measurement, not a decision; millions per hour
    "readings": "sensor measurements (hourly partitions)",
    "reading_chunks": "compressed copies of readings written by the compressor",
    "rollup_1m": "minute aggregates derived from readings",
    "rollup_1h": "hourly aggregates derived from readings",
    # stream-stage internals
    "processed_batches": "idempotency bookkeeping of the stream stage (batch ids)",
    "detection_state": "rule-engine snapshots, rewritten every few seconds",
    # derived, recomputed by periodic jobs from audited inputs
    "machine_health": "health index / RUL scores written by the maintenance scorer every interval",
    "oee_rollups": "OEE aggregates recomputed every rollup interval from states and counts",
    "oee_state_intervals": "machine state timeline derived from signals and the audited operator entries",
    "lake_state": "status mirror of the lake manifests, refreshed every ETL round",
    "notification_deliveries": "delivery outbox state machine (each attempt updates it); config is audited",
    "plan_pegging": "pegging rewritten in bulk by every MRP run; the run (plan_mrp_runs) is audited",
    "schedule_assignments": "solver output stored in bulk with its schedule; the schedule row is audited",
    # the audit trail itself
    "audit_log": "the audit trail",
    "audit_chain": "the audit trail's hash chain",
    "audit_heads": "the audit trail's chain heads",
    "audit_checkpoints": "the audit trail's signed checkpoints",
}

# An UPDATE by the system (no actor) that changes only these columns is not logged: the stream stage updates an
# open alarm's counters on every breaching batch (the safety path must stay fast), the maintenance scorer
# refreshes an open recommendation every interval, sensor-fed SPC charts advance a watermark. The row's
# creation and every state change (ack, assign, clear, resolve, escalate, accept, dismiss) are logged.
QUIET: dict[str, tuple[str, ...]] = {
    "alerts": ("count", "last_ts", "last_value", "peak_value", "peak_score", "updated_at"),
    "maintenance_recommendations": (
        "model_id",
        "message",
        "health_index",
        "rul_hours",
        "failure_probability",
        "triggers",
        "updated_at",
    ),
    "spc_charts": ("watermark_ts", "updated_at"),
}

# columns never copied into the log: the value is replaced by "[redacted]" (a change still shows)
SECRET_COLUMNS: tuple[str, ...] = (
    "password_hash",
    "token_hash",
    "secret_hash",
    "secret",
    "private_key",
    "signing_key",
    "wrapped_key",
    "key_material",
    "totp_secret",
)
