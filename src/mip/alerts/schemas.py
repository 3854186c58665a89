"""Response and request models of the alerts API (they document the JSON; alert_json() produces it)."""

from __future__ import annotations

import uuid
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

AlertState = Literal["open", "acknowledged", "resolved"]
Severity = Literal["critical", "major", "minor", "warning"]


AlarmStatus = Literal["active_unack", "active_ack", "cleared_unack", "cleared_ack"]


class AlertOut(BaseModel):
    id: uuid.UUID
    tenant_id: uuid.UUID
    status: AlarmStatus = Field(description="active/cleared x unacknowledged/acknowledged")
    sensor_id: uuid.UUID | None = Field(description="Null for machine-level rules")
    machine_id: uuid.UUID
    originator_id: uuid.UUID = Field(description="The sensor, the machine (machine-level rules) or the rule (flood)")
    rule: str = Field(description="high_limit/low_limit (sensor limits), a rule id, or flood:<rule id>")
    rule_id: uuid.UUID | None
    rule_version: int | None
    severity: Severity
    safety: bool
    state: AlertState
    message: str
    threshold: float | None
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
    cleared_at: str | None = Field(description="When the condition cleared (the rule's clear condition held)")
    cleared_ts: str | None
    escalation_level: int
    escalated_at: str | None
    suppressed: int = Field(description="Flood control: alarms grouped into this one")
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


class AlarmEventOut(BaseModel):
    id: uuid.UUID
    alert_id: uuid.UUID
    kind: str = Field(description="raised, acknowledged, cleared, resolved, escalated, assigned, commented, ...")
    actor_id: uuid.UUID | None = Field(description="Null when the system did it")
    actor_name: str | None
    at: str
    details: dict[str, Any]


class AlarmEventPage(BaseModel):
    items: list[AlarmEventOut]
