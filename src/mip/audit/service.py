"""Audit actions: seal committed entries into the chain, sign checkpoints, read entries and checkpoints, verify."""

from __future__ import annotations

import asyncio
import logging
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import psycopg

from mip.audit.signing import Keyring, checkpoint_message
from mip.audit.verify import verify_tenant
from mip.platform.db import Conn, Database
from mip.platform.periodic import run_periodic

log = logging.getLogger(__name__)

SEAL_BATCH = 5000
ENTRY_COLUMNS = (
    "l.id, l.tenant_id, l.at, l.actor, l.action, l.table_name, l.object_id, l.before, l.after, l.request_id, "
    "l.itar, c.seq, c.hash"
)


async def seal(db: Database, *, batch: int = SEAL_BATCH, max_rounds: int = 20) -> int:
    """Link every committed entry into its tenant's chain (batches of ``batch``, one transaction each)."""
    total = 0
    for _ in range(max_rounds):
        async with db.system_tx() as conn:
            row = await (await conn.execute("select mip_audit_seal(%s) as n", [batch])).fetchone()
        n = int(row["n"]) if row else 0
        total += n
        if n < batch:
            break
    return total


async def checkpoint(db: Database, keyring: Keyring, *, every: int = 10_000, age_s: float = 300.0) -> int:
    """Sign the head of every tenant whose chain grew by ``every`` entries or whose last checkpoint is older than
    ``age_s`` (and has grown since). Returns the number of checkpoints written."""
    written = 0
    async with db.system_tx() as conn:
        cur = await conn.execute("select * from mip_audit_due_checkpoints(%s, %s)", [every, age_s])
        for head in await cur.fetchall():
            at = datetime.now(UTC)
            head_hash = bytes(head["hash"])
            sig = keyring.sign(checkpoint_message(head["tenant_id"], head["seq"], head_hash, at))
            try:
                async with conn.transaction():  # a savepoint: one broken chain must not stop the others
                    ins = await conn.execute(
                        "select mip_audit_add_checkpoint(%s, %s, %s, %s, %s, %s) as added",
                        [head["tenant_id"], head["seq"], head_hash, at, keyring.key_id, sig],
                    )
                    added = await ins.fetchone()
            except psycopg.errors.InvalidParameterValue:
                log.error("audit chain of tenant %s does not match its head: not signed; run mip audit verify",
                          head["tenant_id"])  # fmt: skip
                continue
            written += 1 if added and added["added"] else 0
    return written


@dataclass
class AuditJobs:
    """The sealer and checkpoint signer, run by one periodic loop (any number of processes may run it: the
    sealer takes its cursor row FOR UPDATE, and a checkpoint position is written once)."""

    db: Database
    keyring: Keyring
    checkpoint_every: int = 10_000
    checkpoint_age_s: float = 300.0

    async def round(self) -> tuple[int, int]:
        sealed = await seal(self.db)
        signed = await checkpoint(self.db, self.keyring, every=self.checkpoint_every, age_s=self.checkpoint_age_s)
        return sealed, signed


async def run_audit_jobs(
    db: Database,
    data_dir: Path,
    stop: asyncio.Event,
    *,
    interval_s: float = 2.0,
    checkpoint_every: int = 10_000,
    checkpoint_age_s: float = 300.0,
) -> None:
    """The runtime's loop: seal every ``interval_s``, sign due checkpoints."""
    jobs = AuditJobs(db, Keyring.from_data_dir(data_dir), checkpoint_every, checkpoint_age_s)
    await run_periodic("audit-sealer", jobs.round, interval_s, stop)


async def audit_tenants(db: Database) -> list[uuid.UUID]:
    async with db.system_tx() as conn:
        cur = await conn.execute("select tenant_id from mip_audit_tenants() order by tenant_id")
        return [r["tenant_id"] for r in await cur.fetchall()]


async def verify(
    db: Database,
    keyring: Keyring,
    tenant_id: uuid.UUID | None = None,
    *,
    exported: list[dict[str, Any]] | None = None,
) -> list[dict[str, Any]]:
    tenants = [tenant_id] if tenant_id is not None else await audit_tenants(db)
    reports = []
    for t in tenants:
        async with db.tenant_tx(t) as conn:
            reports.append(await verify_tenant(conn, t, keyring, exported=exported))
    return reports


def entry_json(row: dict[str, Any], *, itar_ok: bool) -> dict[str, Any]:
    hidden = bool(row["itar"]) and not itar_ok
    return {
        "id": row["id"],
        "tenant_id": row["tenant_id"],
        "at": row["at"],
        "actor": row["actor"] or "system",
        "action": row["action"],
        "table": row["table_name"],
        "object_id": row["object_id"],
        "before": None if hidden else row["before"],
        "after": None if hidden else row["after"],
        "request_id": row["request_id"],
        "itar": bool(row["itar"]),
        "redacted": hidden,
        "seq": row["seq"],
        "hash": bytes(row["hash"]).hex() if row["hash"] is not None else None,
    }


async def list_entries(
    conn: Conn,
    *,
    table: str | None = None,
    object_id: str | None = None,
    actor: str | None = None,
    action: str | None = None,
    since: datetime | None = None,
    until: datetime | None = None,
    before_id: int | None = None,
    limit: int = 100,
) -> list[dict[str, Any]]:
    """Newest first; page with ``before_id`` = the last id of the previous page (keyset, no count)."""
    where, args = ["true"], []
    for clause, value in (
        ("l.table_name = %s", table),
        ("l.object_id = %s", object_id),
        ("l.action = %s", action),
        ("l.at >= %s", since),
        ("l.at < %s", until),
        ("l.id < %s", before_id),
    ):
        if value is not None:
            where.append(clause)
            args.append(value)
    if actor is not None:
        where.append("l.actor is null" if actor == "system" else "l.actor = %s")
        if actor != "system":
            args.append(actor)
    cur = await conn.execute(
        f"select {ENTRY_COLUMNS} from audit_log l left join audit_chain c on c.entry_id = l.id "
        f"where {' and '.join(where)} order by l.id desc limit %s",
        [*args, limit],
    )
    return [dict(r) for r in await cur.fetchall()]


async def list_checkpoints(conn: Conn, *, limit: int = 100, before_seq: int | None = None) -> list[dict[str, Any]]:
    cur = await conn.execute(
        "select tenant_id, seq, hash, at, key_id, signature from audit_checkpoints "
        "where (%s::bigint is null or seq < %s) order by seq desc limit %s",
        [before_seq, before_seq, limit],
    )
    return [
        {**r, "hash": bytes(r["hash"]).hex(), "signature": bytes(r["signature"]).hex()} for r in await cur.fetchall()
    ]
