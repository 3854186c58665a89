"""CLI: ``mip notify dead-letters|deliveries|retry|test-webhook`` (typer app ``notify_app``)."""

from __future__ import annotations

import uuid
from typing import Annotated, Any

import httpx
import typer

from mip.cli.common import emit, fail, with_db
from mip.notifications import outbox, service
from mip.notifications.errors import DeliveryFailed
from mip.notifications.webhooks import send_webhook, webhook_body
from mip.platform.db import Database
from mip.platform.errors import BadRequest
from mip.platform.ids import uuid7
from mip.tenancy import service as tenancy

notify_app = typer.Typer(help="Notifications: deliveries, dead letters, webhook tests.", no_args_is_help=True)

TenantOpt = Annotated[str, typer.Option("--tenant", "-t", help="Tenant slug")]
LimitOpt = Annotated[int, typer.Option(min=1, max=1000, help="At most this many, newest first")]


@notify_app.command("dead-letters")
def dead_letters(tenant: TenantOpt, limit: LimitOpt = 100) -> None:
    """List deliveries that failed every attempt."""

    async def run(db: Database) -> list[dict[str, Any]]:
        t = await tenancy.tenant_by_slug(db, tenant)
        async with db.tenant_tx(t["id"]) as conn:
            return await outbox.list_deliveries(conn, status="dead", limit=limit)

    emit(with_db(run))


@notify_app.command("deliveries")
def deliveries(
    tenant: TenantOpt,
    status: Annotated[str | None, typer.Option(help="pending, delivered, dead, suppressed or cancelled")] = None,
    limit: LimitOpt = 100,
) -> None:
    """List the delivery log."""
    if status is not None and status not in ("pending", "delivered", "dead", "suppressed", "cancelled"):
        fail(BadRequest(f"unknown status {status!r}"))

    async def run(db: Database) -> list[dict[str, Any]]:
        t = await tenancy.tenant_by_slug(db, tenant)
        async with db.tenant_tx(t["id"]) as conn:
            return await outbox.list_deliveries(conn, status=status, limit=limit)

    emit(with_db(run))


@notify_app.command("retry")
def retry(tenant: TenantOpt, delivery_id: Annotated[uuid.UUID, typer.Argument(help="A dead letter's id")]) -> None:
    """Queue a dead letter again (sent by the running dispatcher)."""

    async def run(db: Database) -> dict[str, Any]:
        t = await tenancy.tenant_by_slug(db, tenant)
        async with db.tenant_tx(t["id"]) as conn:
            return await outbox.retry_delivery(conn, delivery_id)

    emit(with_db(run))


@notify_app.command("test-webhook")
def send_test_webhook(
    tenant: TenantOpt,
    endpoint_id: Annotated[uuid.UUID, typer.Argument(help="Webhook endpoint id")],
    timeout: Annotated[float, typer.Option(min=0.1, max=120, help="Seconds to wait for the answer")] = 10.0,
) -> None:
    """Send a signed notification.test event to an endpoint now and report its answer (exit 1 if it failed)."""

    async def run(db: Database) -> dict[str, Any]:
        t = await tenancy.tenant_by_slug(db, tenant)
        async with db.tenant_tx(t["id"]) as conn:
            endpoint = await service.get_webhook(conn, endpoint_id, with_secret=True)
        delivery_id = uuid7()
        payload = {"type": outbox.TEST_EVENT, "tenant_id": str(t["id"]), "message": "MIP webhook test", "alert": None}
        async with httpx.AsyncClient(follow_redirects=False) as client:
            result = await send_webhook(
                client,
                endpoint["url"],
                endpoint["secret"],
                delivery_id,
                outbox.TEST_EVENT,
                webhook_body(delivery_id, payload),
                timeout_s=timeout,
            )
        out = {
            "endpoint_id": endpoint["id"],
            "url": endpoint["url"],
            "delivery_id": delivery_id,
            "ok": result.ok,
            "status_code": result.status_code,
            "duration_ms": round(result.duration_s * 1000, 1),
        }
        if not result.ok:
            raise DeliveryFailed(f"webhook test failed: {result.error}", **out)
        return out

    emit(with_db(run))


if __name__ == "__main__":
    notify_app()
