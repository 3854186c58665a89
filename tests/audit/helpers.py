"""Shared helpers of the audit tests: entries as the app sees them, the owner's connection for tampering."""

from __future__ import annotations

import asyncio
import time
import uuid
from typing import Any

from mip.audit.service import seal
from mip.platform.db import Database
from mip.platform.ids import uuid7


async def entries(
    db: Database, tenant_id: Any, table: str | None = None, object_id: Any = None
) -> list[dict[str, Any]]:
    sql = "select l.*, c.seq from audit_log l left join audit_chain c on c.entry_id = l.id where true"
    args: list[Any] = []
    if table is not None:
        sql += " and l.table_name = %s"
        args.append(table)
    if object_id is not None:
        sql += " and l.object_id = %s"
        args.append(str(object_id))
    async with db.tenant_tx(tenant_id) as conn:
        cur = await conn.execute(sql + " order by l.id", args)
        return [dict(r) for r in await cur.fetchall()]


async def make_sites(db: Database, tenant_id: Any, n: int, actor: str = "user:test") -> list[uuid.UUID]:
    """n sites, one transaction each (so n audit entries in n transactions), then seal."""
    ids = []
    for i in range(n):
        sid = uuid7()
        async with db.tenant_tx(tenant_id, actor=actor) as conn:
            await conn.execute(
                "insert into assets (id, tenant_id, kind, name, path) values (%s, %s, 'site', %s, %s)",
                [sid, tenant_id, f"s{i}-{sid.hex[-6:]}", f"s{i}-{sid.hex[-6:]}"],
            )
        ids.append(sid)
    await seal_until_chained(db, tenant_id)
    return ids


async def seal_until_chained(db: Database, tenant_id: Any, timeout_s: float = 15.0) -> None:
    """Seal until every entry of the tenant is chained. The sealer only links entries of transactions older than
    the oldest one still running anywhere, so a concurrent transaction (the runtime's background jobs) can hold
    a seal back for a moment; tampering tests must start from a fully sealed chain."""
    deadline = time.monotonic() + timeout_s
    while True:
        await seal(db)
        pending = [e["id"] for e in await entries(db, tenant_id) if e["seq"] is None]
        if not pending:
            return
        assert time.monotonic() < deadline, f"{len(pending)} audit entries still unsealed after {timeout_s} s"
        await asyncio.sleep(0.05)


async def chain(db: Database, tenant_id: Any) -> list[dict[str, Any]]:
    async with db.tenant_tx(tenant_id) as conn:
        cur = await conn.execute(
            "select c.seq, c.entry_id, c.hash, l.xid from audit_chain c join audit_log l on l.id = c.entry_id "
            "order by c.seq"
        )
        return [dict(r) for r in await cur.fetchall()]
