"""Rules API models."""

from __future__ import annotations

import uuid
from typing import Any, Literal

from pydantic import BaseModel, Field

from mip.detection.spec import Condition, RuleBody, Scope, Severity


class RuleOut(BaseModel):
    id: uuid.UUID
    version: int
    name: str
    enabled: bool
    severity: Severity
    safety: bool
    scope: Scope
    condition: Condition
    message: str | None
    escalate_after_s: float | None
    max_alarms_per_hour: int | None
    created_by: uuid.UUID | None
    updated_by: uuid.UUID | None
    created_at: str
    updated_at: str


class RulePage(BaseModel):
    items: list[RuleOut]
    limit: int
    offset: int


class RuleVersionOut(BaseModel):
    rule_id: uuid.UUID
    version: int
    change: Literal["created", "updated", "deleted"]
    spec: dict[str, Any] = Field(description="The rule as it was at this version")
    changed_by: uuid.UUID | None
    changed_at: str


class RuleVersionPage(BaseModel):
    items: list[RuleVersionOut]


def rule_out(row: dict[str, Any]) -> dict[str, Any]:
    spec = RuleBody.model_validate(row["spec"]).model_dump(mode="json")
    return {
        **spec,
        "id": row["id"],
        "version": row["version"],
        "created_by": row["created_by"],
        "updated_by": row["updated_by"],
        "created_at": row["created_at"].isoformat(),
        "updated_at": row["updated_at"].isoformat(),
    }


def version_out(row: dict[str, Any]) -> dict[str, Any]:
    return {**row, "changed_at": row["changed_at"].isoformat()}
