"""Plant overview response models."""

from __future__ import annotations

import uuid
from typing import Literal

from pydantic import BaseModel, Field

MachineState = Literal["running", "stale", "no_data", "alarm"]


class SiteRef(BaseModel):
    id: uuid.UUID
    name: str
    timezone: str | None


class LineRef(BaseModel):
    id: uuid.UUID
    name: str


class SensorValue(BaseModel):
    id: uuid.UUID
    name: str
    kind: str
    unit: str | None
    low_limit: float | None
    high_limit: float | None
    safety: bool
    ts: str | None = Field(description="Latest reading (RFC 3339), null when none in the last 7 days")
    value: float | None


class MachineStatus(BaseModel):
    id: uuid.UUID
    name: str
    path: str
    site: SiteRef | None
    line: LineRef | None
    status: MachineState = Field(
        description="alarm: an unresolved safety, critical or major alarm; stale: no reading for 60 s; "
        "no_data: none in 7 days; running otherwise"
    )
    last_seen: str | None
    open_alerts: int = Field(description="Unresolved alarms (open or acknowledged)")
    unacknowledged_alerts: int
    safety_alerts: int = Field(description="Unresolved safety alarms")
    worst_severity: Literal["critical", "major", "minor", "warning"] | None
    sensors: list[SensorValue]


class PlantOverview(BaseModel):
    generated_at: str
    timezone: str = Field(description="The tenant's time zone (a site's own time zone wins for its machines)")
    machines: list[MachineStatus]
