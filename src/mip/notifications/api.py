"""Notifications REST API.

* Everyone (NOTIFICATIONS_SELF): their own alarm subscriptions (filters by site, line, minimum severity,
  safety-only, event kinds; e-mail to their address) and quiet hours. Admins may read and change anyone's
  subscriptions (by id, or ``?user_id=`` on the list).
* Admins (NOTIFICATIONS_ADMIN): webhook endpoints (the signing secret is shown once), the delivery log, the
  dead letters and their retry.
"""

from __future__ import annotations

import uuid
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Response

from mip.api.deps import Ctx, require
from mip.identity.permissions import Permission, allowed
from mip.notifications import outbox, service
from mip.notifications.errors import PersonOnly
from mip.notifications.schemas import (
    DeliveryOut,
    DeliveryPage,
    DeliveryStatus,
    QuietHoursIn,
    QuietHoursOut,
    SubscriptionIn,
    SubscriptionOut,
    SubscriptionPage,
    SubscriptionPatch,
    WebhookIn,
    WebhookOut,
    WebhookPage,
    WebhookPatch,
    WebhookWithSecret,
)
from mip.platform.errors import Forbidden

router = APIRouter(prefix="/api/v1/notifications", tags=["notifications"])

Self = Annotated[Ctx, Depends(require(Permission.NOTIFICATIONS_SELF))]
Admin = Annotated[Ctx, Depends(require(Permission.NOTIFICATIONS_ADMIN))]
PageLimit = Annotated[int, Query(ge=1, le=1000)]
PageOffset = Annotated[int, Query(ge=0)]

SIGNATURE_DOC = (
    "Each POST carries X-MIP-Delivery (the delivery id, the same on every retry: deduplicate on it), "
    "X-MIP-Event, X-MIP-Timestamp (Unix seconds) and X-MIP-Signature: sha256=<hex HMAC-SHA256 with the "
    "endpoint secret of '<timestamp>.<raw body>'>. Verify it over the raw body with a constant-time compare "
    "and reject timestamps older than 5 minutes. 2xx = delivered; anything else is retried with exponential "
    "backoff, then dead-lettered."
)


def _user(ctx: Ctx) -> uuid.UUID:
    if ctx.principal.user_id is None:
        raise PersonOnly("notification settings belong to a user; API keys have none")
    return ctx.principal.user_id


def _owner(ctx: Ctx) -> uuid.UUID | None:
    """None (any subscription of the tenant) for admins, else the caller."""
    if allowed(ctx.principal.role, Permission.NOTIFICATIONS_ADMIN):
        return None
    return _user(ctx)


# --- subscriptions ---------------------------------------------------------------------------------------------


@router.get("/subscriptions", summary="My alarm subscriptions (admins: ?user_id=)", response_model=SubscriptionPage)
async def list_subscriptions(ctx: Self, user_id: uuid.UUID | None = None) -> dict[str, Any]:
    me = _user(ctx)
    if user_id is not None and user_id != me and _owner(ctx) is not None:
        raise Forbidden("only admins may read other users' subscriptions")
    async with ctx.tx() as conn:
        return {"items": await service.list_subscriptions(conn, user_id or me)}


@router.post(
    "/subscriptions",
    status_code=201,
    summary="Subscribe to alarms (safety alarms always pass the severity floor and quiet hours)",
    response_model=SubscriptionOut,
)
async def create_subscription(body: SubscriptionIn, ctx: Self) -> dict[str, Any]:
    async with ctx.tx() as conn:
        return await service.create_subscription(conn, ctx.principal.tenant_id, _user(ctx), body.model_dump())


@router.get("/subscriptions/{subscription_id}", summary="Get a subscription", response_model=SubscriptionOut)
async def get_subscription(subscription_id: uuid.UUID, ctx: Self) -> dict[str, Any]:
    async with ctx.tx() as conn:
        return await service.get_subscription(conn, subscription_id, _owner(ctx))


@router.patch("/subscriptions/{subscription_id}", summary="Change a subscription", response_model=SubscriptionOut)
async def patch_subscription(subscription_id: uuid.UUID, body: SubscriptionPatch, ctx: Self) -> dict[str, Any]:
    async with ctx.tx() as conn:
        return await service.update_subscription(
            conn, subscription_id, _owner(ctx), body.model_dump(exclude_unset=True)
        )


@router.delete("/subscriptions/{subscription_id}", status_code=204, summary="Delete a subscription")
async def delete_subscription(subscription_id: uuid.UUID, ctx: Self) -> Response:
    async with ctx.tx() as conn:
        await service.delete_subscription(conn, subscription_id, _owner(ctx))
    return Response(status_code=204)


# --- quiet hours -----------------------------------------------------------------------------------------------


@router.get("/quiet-hours", summary="My quiet hours (404 when none are set)", response_model=QuietHoursOut)
async def get_quiet_hours(ctx: Self) -> dict[str, Any]:
    async with ctx.tx() as conn:
        return service.quiet_json(await service.get_quiet_hours(conn, _user(ctx)))


@router.put(
    "/quiet-hours",
    summary="Set my quiet hours: non-safety notifications are suppressed; safety alarms are never silenced",
    response_model=QuietHoursOut,
)
async def put_quiet_hours(body: QuietHoursIn, ctx: Self) -> dict[str, Any]:
    async with ctx.tx() as conn:
        row = await service.put_quiet_hours(conn, ctx.principal.tenant_id, _user(ctx), body.model_dump())
    return service.quiet_json(row)


@router.delete("/quiet-hours", status_code=204, summary="Remove my quiet hours")
async def delete_quiet_hours(ctx: Self) -> Response:
    async with ctx.tx() as conn:
        await service.delete_quiet_hours(conn, _user(ctx))
    return Response(status_code=204)


# --- webhook endpoints (admins) --------------------------------------------------------------------------------


@router.get("/webhooks", summary="Webhook endpoints of the tenant", response_model=WebhookPage)
async def list_webhooks(ctx: Admin) -> dict[str, Any]:
    async with ctx.tx() as conn:
        return {"items": await service.list_webhooks(conn)}


@router.post(
    "/webhooks",
    status_code=201,
    summary="Add a webhook endpoint; the response is the only one that shows the secret",
    description=SIGNATURE_DOC,
    response_model=WebhookWithSecret,
)
async def create_webhook(body: WebhookIn, ctx: Admin) -> dict[str, Any]:
    async with ctx.tx() as conn:
        return await service.create_webhook(conn, ctx.principal.tenant_id, ctx.principal.user_id, body.model_dump())


@router.get("/webhooks/{endpoint_id}", summary="Get a webhook endpoint (without its secret)", response_model=WebhookOut)
async def get_webhook(endpoint_id: uuid.UUID, ctx: Admin) -> dict[str, Any]:
    async with ctx.tx() as conn:
        return await service.get_webhook(conn, endpoint_id)


@router.patch(
    "/webhooks/{endpoint_id}",
    summary="Change a webhook endpoint (disabling it cancels its pending deliveries)",
    response_model=WebhookWithSecret,
)
async def patch_webhook(endpoint_id: uuid.UUID, body: WebhookPatch, ctx: Admin) -> dict[str, Any]:
    async with ctx.tx() as conn:
        return await service.update_webhook(conn, endpoint_id, body.model_dump(exclude_unset=True))


@router.delete("/webhooks/{endpoint_id}", status_code=204, summary="Delete a webhook endpoint")
async def delete_webhook(endpoint_id: uuid.UUID, ctx: Admin) -> Response:
    async with ctx.tx() as conn:
        await service.delete_webhook(conn, endpoint_id)
    return Response(status_code=204)


@router.post(
    "/webhooks/{endpoint_id}/test",
    status_code=202,
    summary="Queue a signed notification.test event to this endpoint (whatever its filters)",
    response_model=DeliveryOut,
)
async def test_webhook(endpoint_id: uuid.UUID, ctx: Admin) -> dict[str, Any]:
    async with ctx.tx() as conn:
        endpoint = await service.get_webhook(conn, endpoint_id)
        return await outbox.enqueue_test(conn, ctx.principal.tenant_id, endpoint)


# --- deliveries and dead letters (admins) ----------------------------------------------------------------------


@router.get("/deliveries", summary="The delivery log, newest first", response_model=DeliveryPage)
async def list_deliveries(
    ctx: Admin,
    status: DeliveryStatus | None = None,
    channel: Annotated[str | None, Query(pattern="^(email|webhook)$")] = None,
    endpoint_id: uuid.UUID | None = None,
    alert_id: uuid.UUID | None = None,
    user_id: uuid.UUID | None = None,
    limit: PageLimit = 100,
    offset: PageOffset = 0,
) -> dict[str, Any]:
    async with ctx.tx() as conn:
        items = await outbox.list_deliveries(
            conn,
            status=status,
            channel=channel,
            endpoint_id=endpoint_id,
            alert_id=alert_id,
            user_id=user_id,
            limit=limit,
            offset=offset,
        )
    return {"items": items, "limit": limit, "offset": offset}


@router.get(
    "/dead-letters",
    summary="Deliveries that failed every attempt (status dead), newest first",
    response_model=DeliveryPage,
)
async def list_dead_letters(ctx: Admin, limit: PageLimit = 100, offset: PageOffset = 0) -> dict[str, Any]:
    async with ctx.tx() as conn:
        items = await outbox.list_deliveries(conn, status="dead", limit=limit, offset=offset)
    return {"items": items, "limit": limit, "offset": offset}


@router.get("/deliveries/{delivery_id}", summary="Get a delivery", response_model=DeliveryOut)
async def get_delivery(delivery_id: uuid.UUID, ctx: Admin) -> dict[str, Any]:
    async with ctx.tx() as conn:
        return await outbox.get_delivery(conn, delivery_id)


@router.post(
    "/deliveries/{delivery_id}/retry",
    summary="Send a dead letter again (a fresh attempt budget, due now)",
    response_model=DeliveryOut,
)
async def retry_delivery(delivery_id: uuid.UUID, ctx: Admin) -> dict[str, Any]:
    async with ctx.tx() as conn:
        return await outbox.retry_delivery(conn, delivery_id)
