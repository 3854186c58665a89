"""The dispatcher: claims due deliveries from the outbox and sends them, in any number of processes.

Loop: ask ``mip_notify_due_tenants()`` (counts only) which tenants have due work, then per tenant, in that
tenant's transaction, claim a few rows with ``FOR UPDATE SKIP LOCKED`` (claiming counts the attempt and leases
the row). Sends run outside any transaction, at most ``concurrency`` at a time; each result is recorded in a
short tenant transaction: delivered, retried after an exponential backoff with jitter, or dead after
``max_attempts``. A process that dies mid-send leaves the row leased; it is due again when the lease ends and
is sent again with the same ``X-MIP-Delivery`` id (at-least-once; receivers deduplicate).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import random
import smtplib
import uuid
from collections.abc import Collection

import httpx
from pydantic import BaseModel, ConfigDict, Field

from mip.notifications import outbox
from mip.notifications.mailer import SmtpConfig, build_message, send_email
from mip.notifications.outbox import Claimed
from mip.notifications.webhooks import SendResult, send_webhook, webhook_body
from mip.platform.db import Database

log = logging.getLogger(__name__)


class DeliveryConfig(BaseModel):
    """Retry policy and pacing. Defaults: 5 attempts at ~0 s, 15 s, 45 s, 1 m 45 s, 3 m 45 s (±20 % jitter).
    Settings names (suggested): MIP_NOTIFY_MAX_ATTEMPTS, MIP_NOTIFY_BACKOFF_BASE_S, MIP_NOTIFY_BACKOFF_MAX_S,
    MIP_NOTIFY_WEBHOOK_TIMEOUT_S, MIP_NOTIFY_POLL_INTERVAL_S, MIP_NOTIFY_CONCURRENCY."""

    model_config = ConfigDict(frozen=True)

    max_attempts: int = Field(default=5, ge=1, le=50)
    backoff_base_s: float = Field(default=15.0, ge=0)
    backoff_factor: float = Field(default=2.0, ge=1)
    backoff_max_s: float = Field(default=900.0, ge=0)
    jitter: float = Field(default=0.2, ge=0, le=1)
    webhook_timeout_s: float = Field(default=10.0, gt=0)
    poll_interval_s: float = Field(default=1.0, gt=0)
    concurrency: int = Field(default=16, ge=1)
    claim_batch: int = Field(default=50, ge=1)
    lease_margin_s: float = Field(default=60.0, ge=0)

    def backoff_s(self, attempt: int) -> float:
        """Delay after failed attempt number ``attempt`` (1-based)."""
        delay = min(self.backoff_max_s, self.backoff_base_s * self.backoff_factor ** (attempt - 1))
        return max(0.0, delay * (1 + random.uniform(-self.jitter, self.jitter)))  # noqa: S311 - not crypto

    def lease_s(self, smtp_timeout_s: float) -> float:
        return max(self.webhook_timeout_s, smtp_timeout_s) + self.lease_margin_s


class NotificationDispatcher:
    """``NotificationDispatcher(db, smtp=SmtpConfig(...) | None, config=DeliveryConfig(...))``; ``start()`` runs it
    as an asyncio task, ``stop()`` ends it (sends in flight get a grace period, then are left to their lease).
    ``tenant_ids`` restricts it to some tenants (tests; dedicated dispatchers)."""

    def __init__(
        self,
        db: Database,
        *,
        smtp: SmtpConfig | None = None,
        config: DeliveryConfig | None = None,
        tenant_ids: Collection[uuid.UUID] | None = None,
    ) -> None:
        self.db = db
        self.smtp = smtp
        self.config = config or DeliveryConfig()
        self.tenant_ids = frozenset(tenant_ids) if tenant_ids is not None else None
        self.sent = 0
        self.failed = 0
        self._task: asyncio.Task[None] | None = None
        self._client: httpx.AsyncClient | None = None
        self._wake = asyncio.Event()
        self._inflight: set[asyncio.Task[None]] = set()

    def wake(self) -> None:
        """New work was enqueued: look now instead of at the next poll."""
        self._wake.set()

    async def start(self) -> None:
        if self._task is not None:
            return
        self._client = httpx.AsyncClient(follow_redirects=False, timeout=self.config.webhook_timeout_s)
        self._task = asyncio.create_task(self._run(), name="notify-dispatcher")

    async def stop(self, grace_s: float = 5.0) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None
        if self._inflight:
            _, pending = await asyncio.wait(set(self._inflight), timeout=grace_s)
            for task in pending:
                task.cancel()
            await asyncio.gather(*pending, return_exceptions=True)
        if self._client is not None:
            await self._client.aclose()
            self._client = None

    async def _run(self) -> None:
        backoff = 0.5
        while True:
            try:
                claimed = await self.claim_round()
                backoff = 0.5
            except asyncio.CancelledError:
                raise
            except Exception:
                log.exception("notification dispatcher round failed")
                await asyncio.sleep(backoff)
                backoff = min(backoff * 2, 30.0)
                continue
            if claimed:
                continue  # more may be due; the free slots bound the work in flight
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._wake.wait(), self.config.poll_interval_s)
            self._wake.clear()

    async def claim_round(self) -> int:
        """Claim due deliveries into free send slots; returns how many were started."""
        free = self.config.concurrency - len(self._inflight)
        if free <= 0:
            return 0
        tenants = [t for t, _ in await outbox.due_tenants(self.db) if self.tenant_ids is None or t in self.tenant_ids]
        random.shuffle(tenants)  # noqa: S311 - fairness between tenants, not crypto
        lease = self.config.lease_s(self.smtp.timeout_s if self.smtp else 0.0)
        started = 0
        for tenant_id in tenants:
            if free <= 0:
                break
            async with self.db.tenant_tx(tenant_id) as conn:
                rows = await outbox.claim_due(conn, min(free, self.config.claim_batch), lease)
            for c in rows:
                task = asyncio.create_task(self._deliver(c), name=f"notify-{c.id}")
                self._inflight.add(task)
                task.add_done_callback(self._done)
            free -= len(rows)
            started += len(rows)
        return started

    def _done(self, task: asyncio.Task[None]) -> None:
        self._inflight.discard(task)
        self._wake.set()  # a slot is free

    async def _deliver(self, c: Claimed) -> None:
        try:
            result = await self._send(c)
        except asyncio.CancelledError:
            raise
        except Exception as exc:  # a bug must not kill the loop; the row is retried like any failure
            log.exception("notification delivery %s crashed", c.id)
            result = SendResult(False, None, f"internal error: {type(exc).__name__}: {exc}"[:500])
        try:
            async with self.db.tenant_tx(c.tenant_id) as conn:
                if result.ok:
                    self.sent += 1
                    await outbox.mark_delivered(conn, c, result.status_code)
                elif result.cancelled:
                    await outbox.mark_cancelled(conn, c, result.error or "cancelled")
                else:
                    self.failed += 1
                    retry_in: float | None = None
                    if c.attempt < self.config.max_attempts:
                        retry_in = self.config.backoff_s(c.attempt)
                        if result.retry_after_s is not None:
                            retry_in = min(max(retry_in, result.retry_after_s), self.config.backoff_max_s)
                    await outbox.mark_failed(conn, c, result.error or "failed", result.status_code, retry_in)
                    level = logging.WARNING if retry_in is not None else logging.ERROR
                    log.log(level, "notification %s attempt %d failed: %s", c.id, c.attempt, result.error)
        except Exception:
            log.exception("could not record the result of notification %s; it is retried after its lease", c.id)

    async def _send(self, c: Claimed) -> SendResult:
        if c.channel == "webhook":
            if c.endpoint is None:
                return SendResult(False, error="endpoint deleted", cancelled=True)
            if not c.endpoint["enabled"]:
                return SendResult(False, error="endpoint disabled", cancelled=True)
            assert self._client is not None
            body = webhook_body(c.id, c.payload)
            return await send_webhook(
                self._client,
                c.endpoint["url"],
                c.endpoint["secret"],
                c.id,
                c.event_type,
                body,
                timeout_s=self.config.webhook_timeout_s,
            )
        if c.channel == "email":
            if self.smtp is None:
                return SendResult(False, None, "SMTP is not configured (MIP_SMTP_HOST)")
            msg = build_message(self.smtp, c.target, c.id, c.payload)
            try:
                await send_email(self.smtp, msg)
            except (smtplib.SMTPException, OSError) as exc:
                return SendResult(False, None, f"SMTP: {type(exc).__name__}: {exc}"[:500])
            return SendResult(True, None)
        return SendResult(False, error=f"unknown channel {c.channel}", cancelled=True)
