"""Request and response models of the notifications API."""

from __future__ import annotations

import uuid
import zoneinfo
from datetime import datetime, time
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, HttpUrl, field_validator

Severity = Literal["critical", "major", "minor", "warning"]
EventKind = Literal["opened", "updated", "acknowledged", "resolved", "assigned", "commented", "cleared", "escalated"]
Channel = Literal["email"]
DeliveryStatus = Literal["pending", "delivered", "dead", "suppressed", "cancelled"]
DEFAULT_KINDS: list[EventKind] = ["opened", "escalated", "cleared"]
ALL_KINDS: list[EventKind] = list(EventKind.__args__)  # type: ignore[attr-defined]
MAX_IDS = 200

SiteIds = Annotated[
    list[uuid.UUID],
    Field(default_factory=list, max_length=MAX_IDS, description="Only alarms of machines in these sites; [] = any"),
]
LineIds = Annotated[
    list[uuid.UUID],
    Field(default_factory=list, max_length=MAX_IDS, description="Only alarms of machines on these lines; [] = any"),
]
MinSeverity = Annotated[
    Severity, Field(default="warning", description="Lowest severity notified: warning < minor < major < critical")
]
SafetyOnly = Annotated[bool, Field(default=False, description="Only safety alarms (never silenced by quiet hours)")]


def _email_only() -> list[Channel]:
    return ["email"]


def _dedupe(values: list[Any] | None) -> list[Any] | None:
    if values is None:
        return None
    return list(dict.fromkeys(values))


def check_timezone(value: str | None) -> str | None:
    if value is None:
        return None
    try:
        zoneinfo.ZoneInfo(value)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        raise ValueError(f"unknown IANA time zone {value!r}") from None
    return value


class _In(BaseModel):
    model_config = ConfigDict(extra="forbid")

    @field_validator("site_ids", "line_ids", "event_kinds", "channels", "days", mode="after", check_fields=False)
    @classmethod
    def _unique(cls, v: list[Any] | None) -> list[Any] | None:
        return _dedupe(v)


class SubscriptionIn(_In):
    name: str = Field(default="", max_length=200)
    site_ids: SiteIds
    line_ids: LineIds
    min_severity: MinSeverity
    safety_only: SafetyOnly
    event_kinds: list[EventKind] = Field(default_factory=lambda: list(DEFAULT_KINDS), min_length=1)
    channels: list[Channel] = Field(
        default_factory=_email_only, min_length=1, description="email goes to the user's address"
    )
    enabled: bool = True


class SubscriptionPatch(_In):
    """Only the fields sent are changed."""

    name: str | None = Field(default=None, max_length=200)
    site_ids: list[uuid.UUID] | None = Field(default=None, max_length=MAX_IDS)
    line_ids: list[uuid.UUID] | None = Field(default=None, max_length=MAX_IDS)
    min_severity: Severity | None = None
    safety_only: bool | None = None
    event_kinds: list[EventKind] | None = Field(default=None, min_length=1)
    channels: list[Channel] | None = Field(default=None, min_length=1)
    enabled: bool | None = None


class SubscriptionOut(BaseModel):
    id: uuid.UUID
    tenant_id: uuid.UUID
    user_id: uuid.UUID
    name: str
    site_ids: list[uuid.UUID]
    line_ids: list[uuid.UUID]
    min_severity: Severity
    safety_only: bool
    event_kinds: list[str]
    channels: list[str]
    enabled: bool
    created_at: datetime
    updated_at: datetime


class QuietHoursIn(_In):
    """Non-safety notifications are suppressed from ``start`` to ``end`` (local time in ``timezone``) on the given
    days. A window that ends before it starts runs over midnight and belongs to the day it starts on;
    ``start == end`` means the whole day. Safety alarms are never silenced."""

    start: time = Field(description="Local start time, e.g. 22:00")
    end: time = Field(description="Local end time, e.g. 06:00")
    timezone: str = Field(max_length=64, description="IANA time zone, e.g. Europe/Berlin")
    days: list[int] = Field(
        default_factory=lambda: [1, 2, 3, 4, 5, 6, 7], min_length=1, max_length=7, description="ISO weekdays 1=Mon..7"
    )
    enabled: bool = True

    @field_validator("timezone")
    @classmethod
    def _tz(cls, v: str) -> str:
        out = check_timezone(v)
        assert out is not None
        return out

    @field_validator("days")
    @classmethod
    def _days(cls, v: list[int]) -> list[int]:
        if any(d < 1 or d > 7 for d in v):
            raise ValueError("days are ISO weekdays 1 (Monday) to 7 (Sunday)")
        return sorted(set(v))

    @field_validator("start", "end")
    @classmethod
    def _naive(cls, v: time) -> time:
        if v.tzinfo is not None:
            raise ValueError("give a local time without offset; the zone is 'timezone'")
        return v


class QuietHoursOut(BaseModel):
    user_id: uuid.UUID
    start: time
    end: time
    timezone: str
    days: list[int]
    enabled: bool
    active_now: bool = Field(description="Whether non-safety notifications are being suppressed right now")
    updated_at: datetime


class WebhookIn(_In):
    name: str = Field(min_length=1, max_length=200)
    url: HttpUrl = Field(description="http(s) URL that receives POSTed JSON")
    secret: str | None = Field(
        default=None, min_length=16, max_length=256, description="HMAC key; omitted: one is generated and shown once"
    )
    site_ids: SiteIds
    line_ids: LineIds
    min_severity: MinSeverity
    safety_only: SafetyOnly
    event_kinds: list[EventKind] = Field(default_factory=lambda: list(DEFAULT_KINDS), min_length=1)
    enabled: bool = True


class WebhookPatch(_In):
    """Only the fields sent are changed. ``rotate_secret`` generates a new secret (returned once)."""

    name: str | None = Field(default=None, min_length=1, max_length=200)
    url: HttpUrl | None = None
    secret: str | None = Field(default=None, min_length=16, max_length=256)
    rotate_secret: bool = False
    site_ids: list[uuid.UUID] | None = Field(default=None, max_length=MAX_IDS)
    line_ids: list[uuid.UUID] | None = Field(default=None, max_length=MAX_IDS)
    min_severity: Severity | None = None
    safety_only: bool | None = None
    event_kinds: list[EventKind] | None = Field(default=None, min_length=1)
    enabled: bool | None = None


class WebhookOut(BaseModel):
    id: uuid.UUID
    tenant_id: uuid.UUID
    name: str
    url: str
    site_ids: list[uuid.UUID]
    line_ids: list[uuid.UUID]
    min_severity: Severity
    safety_only: bool
    event_kinds: list[str]
    enabled: bool
    created_by: uuid.UUID | None
    created_at: datetime
    updated_at: datetime


class WebhookWithSecret(WebhookOut):
    secret: str | None = Field(
        default=None, description="The signing secret: returned only when created or changed, never again"
    )


class WebhookPage(BaseModel):
    items: list[WebhookOut]


class SubscriptionPage(BaseModel):
    items: list[SubscriptionOut]


class DeliveryOut(BaseModel):
    id: uuid.UUID
    tenant_id: uuid.UUID
    event_key: str
    event_type: str
    alert_id: uuid.UUID | None
    channel: Literal["email", "webhook"]
    endpoint_id: uuid.UUID | None
    user_id: uuid.UUID | None
    subscription_id: uuid.UUID | None
    target: str = Field(description="The webhook URL or e-mail address")
    status: DeliveryStatus
    attempts: int
    next_attempt_at: datetime
    last_error: str | None
    last_status_code: int | None
    delivered_at: datetime | None
    dead_at: datetime | None
    created_at: datetime
    updated_at: datetime


class DeliveryPage(BaseModel):
    items: list[DeliveryOut]
    limit: int
    offset: int
