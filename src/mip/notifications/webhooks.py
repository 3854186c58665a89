"""Webhook requests: JSON POSTs signed with HMAC-SHA256.

Every request carries:

* ``X-MIP-Delivery``: the delivery id. The same id is sent again on every retry of that delivery: receivers
  deduplicate on it (delivery is at-least-once).
* ``X-MIP-Event``: the event type, e.g. ``alert.opened`` (``notification.test`` for test sends).
* ``X-MIP-Timestamp``: Unix time in seconds when this attempt was signed.
* ``X-MIP-Signature``: ``sha256=<hex>``, the HMAC-SHA256 with the endpoint's secret of
  ``<X-MIP-Timestamp> + "." + <raw request body bytes>``.

To verify (see :func:`verify_signature`): recompute the HMAC over the timestamp header, a dot and the raw body
exactly as received (before any JSON parsing), compare with ``hmac.compare_digest``, and reject timestamps more
than 5 minutes from your clock (replay protection)::

    expected = hmac.new(secret.encode(), f"{ts}.".encode() + body, hashlib.sha256).hexdigest()
    ok = hmac.compare_digest(f"sha256={expected}", signature) and abs(time.time() - int(ts)) <= 300

Any 2xx answer counts as delivered; anything else (or no answer within the timeout, or a redirect, which is not
followed) is retried with exponential backoff and finally dead-lettered.
"""

from __future__ import annotations

import hashlib
import hmac
import time
import uuid
from dataclasses import dataclass
from typing import Any

import httpx
import orjson

from mip import __version__

SIGNATURE_HEADER = "X-MIP-Signature"
TIMESTAMP_HEADER = "X-MIP-Timestamp"
DELIVERY_HEADER = "X-MIP-Delivery"
EVENT_HEADER = "X-MIP-Event"
DEFAULT_TOLERANCE_S = 300


def sign(secret: str, timestamp: int | str, body: bytes) -> str:
    mac = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256).hexdigest()
    return f"sha256={mac}"


def verify_signature(
    secret: str,
    timestamp: str,
    body: bytes,
    signature: str,
    *,
    tolerance_s: float = DEFAULT_TOLERANCE_S,
    now: float | None = None,
) -> bool:
    """Receiver side: True when ``signature`` is ours for this body and the timestamp is fresh."""
    try:
        ts = int(timestamp)
    except (TypeError, ValueError):
        return False
    if abs((now if now is not None else time.time()) - ts) > tolerance_s:
        return False
    return hmac.compare_digest(sign(secret, ts, body), signature)


def webhook_body(delivery_id: uuid.UUID, payload: dict[str, Any]) -> bytes:
    """The JSON sent: the delivery id, the event (``type``, ``tenant_id``, ``alert``) and ``context`` (site, line,
    machine of the alarm)."""
    return orjson.dumps({"delivery_id": str(delivery_id), **payload})


@dataclass(frozen=True)
class SendResult:
    ok: bool
    status_code: int | None = None
    error: str | None = None
    retry_after_s: float | None = None  # from a 429/503 Retry-After header (seconds form)
    duration_s: float = 0.0
    cancelled: bool = False  # nothing to send to any more (endpoint deleted or disabled): not retried


def _retry_after(value: str | None) -> float | None:
    if not value:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        return None


async def send_webhook(
    client: httpx.AsyncClient,
    url: str,
    secret: str,
    delivery_id: uuid.UUID,
    event_type: str,
    body: bytes,
    *,
    timeout_s: float,
) -> SendResult:
    """One signed POST; never raises for network or HTTP errors (they come back as a failed result)."""
    ts = int(time.time())
    headers = {
        "Content-Type": "application/json",
        "User-Agent": f"MIP-Webhooks/{__version__}",
        DELIVERY_HEADER: str(delivery_id),
        EVENT_HEADER: event_type,
        TIMESTAMP_HEADER: str(ts),
        SIGNATURE_HEADER: sign(secret, ts, body),
    }
    started = time.monotonic()
    try:
        async with client.stream("POST", url, content=body, headers=headers, timeout=timeout_s) as resp:
            snippet = b""
            if not 200 <= resp.status_code < 300:
                async for chunk in resp.aiter_bytes():
                    snippet += chunk
                    if len(snippet) >= 300:
                        break
            elapsed = time.monotonic() - started
            if 200 <= resp.status_code < 300:
                return SendResult(True, resp.status_code, duration_s=elapsed)
            text = snippet[:300].decode("utf-8", "replace").strip()
            return SendResult(
                False,
                resp.status_code,
                f"HTTP {resp.status_code}" + (f": {text}" if text else ""),
                _retry_after(resp.headers.get("retry-after")) if resp.status_code in (429, 503) else None,
                elapsed,
            )
    except httpx.TimeoutException:
        return SendResult(False, None, f"timeout after {timeout_s:g} s", duration_s=time.monotonic() - started)
    except (httpx.HTTPError, httpx.InvalidURL, OSError) as exc:
        return SendResult(False, None, f"{type(exc).__name__}: {exc}"[:500], duration_s=time.monotonic() - started)
