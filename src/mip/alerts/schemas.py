"""Response and request models of the alerts API (they document the JSON; alert_json() produces it)."""

from __future__ import annotations

import uuid
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

AlertState = Literal["open", "acknowledged", "resolved"]
Severity = Literal["critical", "major", "minor", "warning"]


class AlertOut(BaseModel):
    id: uuid.UUID
    tenant_id: uuid.UUID
    sensor_id: uuid.UUID
    machine_id: uuid.UUID
    rule: str
    severity: Severity
    safety: bool
    state: AlertState
    message: str
    threshold: float
    first_ts: str = Field(description="First breaching reading (RFC 3339)")
    last_ts: str = Field(description="Latest breaching reading (RFC 3339)")
    last_value: float
    peak_value: float
    count: int = Field(description="Breaching readings folded into this alert")
    acknowledged_by: uuid.UUID | None
    acknowledged_at: str | None
    resolved_by: uuid.UUID | None
    resolved_at: str | None
    assigned_to: uuid.UUID | None
    assigned_at: str | None
    created_at: str
    updated_at: str


class AlertPage(BaseModel):
    items: list[AlertOut]
    limit: int
    offset: int


class AssignIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    user_id: uuid.UUID | None = Field(description="The user to assign; null unassigns")


class CommentIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    body: str = Field(min_length=1, max_length=4000)


class CommentOut(BaseModel):
    id: uuid.UUID
    alert_id: uuid.UUID
    author_id: uuid.UUID | None
    author_name: str | None
    body: str
    created_at: str


class CommentPage(BaseModel):
    items: list[CommentOut]
