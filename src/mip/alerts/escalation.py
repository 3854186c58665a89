"""Periodic escalation of unacknowledged alarms (stream role). Tenants with due alarms come from a SECURITY
DEFINER function that returns only tenant ids; each tenant is escalated in its own tenant transaction and
the events are published after commit. Concurrent runners are safe: the UPDATE re-checks due-ness."""

from __future__ import annotations

import asyncio

from mip.alerts.events import publish_alert_event
from mip.alerts.lifecycle import escalate_due
from mip.platform.bus import Bus
from mip.platform.db import Database
from mip.platform.periodic import run_periodic


async def escalate_once(db: Database, bus: Bus) -> int:
    async with db.system_tx() as conn:
        cur = await conn.execute("select tenant_id from mip_due_escalations()")
        tenants = [r["tenant_id"] for r in await cur.fetchall()]
    count = 0
    for tenant_id in tenants:
        async with db.tenant_tx(tenant_id) as conn:
            events = await escalate_due(conn)
        for kind, row in events:
            await publish_alert_event(bus, kind, row)
        count += len(events)
    return count


async def run_escalations(db: Database, bus: Bus, interval_s: float, stop: asyncio.Event) -> None:
    await run_periodic("alarm escalation pass", lambda: escalate_once(db, bus), interval_s, stop)
