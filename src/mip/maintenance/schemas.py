"""Request and response models of the maintenance API (they document the JSON; ``jsonable()`` produces it)."""

from __future__ import annotations

import math
import uuid
from datetime import date, datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

ModelKind = Literal["rul", "failure_probability"]
ModelStatus = Literal["candidate", "active", "retired"]
RecStatus = Literal["open", "accepted", "dismissed"]
WorkOrderStatus = Literal["open", "in_progress", "done", "cancelled"]
Priority = Literal["low", "medium", "high", "urgent"]
WorkOrderKind = Literal["predictive", "preventive", "corrective", "inspection"]
MachineClass = Field(min_length=1, max_length=100, pattern=r"^[A-Za-z0-9_.:-]+$")


def jsonable(row: dict[str, Any], *, drop: tuple[str, ...] = ()) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for k, v in row.items():
        if k in drop:
            continue
        if isinstance(v, float) and not math.isfinite(v):
            out[k] = None
        elif isinstance(v, uuid.UUID):
            out[k] = str(v)
        elif isinstance(v, datetime | date):
            out[k] = v.isoformat()
        else:
            out[k] = v
    return out


# -- model registry ----------------------------------------------------------------------------------------
class ModelOut(BaseModel):
    id: uuid.UUID
    name: str
    kind: ModelKind
    machine_class: str
    version: int
    status: ModelStatus
    metrics: dict[str, Any] = Field(description="Cross-validation metrics (grouped by machine life)")
    config: dict[str, Any]
    training_data: dict[str, Any] = Field(description="Source, time range, rows, machines, sha256 of the table")
    trained_by: uuid.UUID | None
    artifact_sha256: str | None
    artifact_bytes: int | None
    artifact_path: str | None
    retrain_every_days: int | None
    next_retrain_at: str | None
    promoted_at: str | None
    retired_at: str | None
    created_at: str
    updated_at: str


class ModelPage(BaseModel):
    items: list[ModelOut]
    limit: int
    offset: int


class TrainIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    machine_class: str = MachineClass
    name: str | None = Field(default=None, min_length=1, max_length=100, description="Default rul-<machine_class>")
    lookback_days: int = Field(default=180, ge=1, le=730, description="History to train on")
    resolution: Literal["1h", "1m"] = Field(default="1h", description="Rollup the features are computed over")
    cap_hours: float = Field(default=720.0, ge=6, le=17520, description="Piecewise-linear RUL cap")
    folds: int = Field(default=5, ge=2, le=10)
    max_iter: int = Field(default=150, ge=10, le=1000)
    retrain_every_days: int | None = Field(default=None, ge=1, le=365, description="Scheduled retraining interval")
    auto_promote: bool = Field(default=False, description="Retrained versions replace the active one if not worse")


# -- health ------------------------------------------------------------------------------------------------
class HealthOut(BaseModel):
    machine_id: uuid.UUID
    model_id: uuid.UUID | None
    health_index: float = Field(description="0 (end of life) – 100 (as healthy as a new machine)")
    rul_hours: float
    rul_days: float
    failure_probability: float = Field(description="P(failure within horizon_hours)")
    horizon_hours: float
    data_until: str = Field(description="Last rollup bucket the score used (RFC 3339)")
    details: dict[str, Any]
    scored_at: str


class MachineHealthOut(BaseModel):
    machine_id: uuid.UUID
    current: HealthOut | None
    history: list[HealthOut] = Field(description="Newest first")


class HealthList(BaseModel):
    items: list[HealthOut] = Field(description="The latest score of every scored machine")


class ScoreOut(BaseModel):
    models: int
    scored: int
    skipped: int
    recommendations: int = Field(description="Recommendations created by this run")
    work_orders: int = Field(description="Work orders created by this run")


# -- policies ------------------------------------------------------------------------------------------------
class PolicyIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    failure_probability_threshold: float = Field(default=0.5, gt=0, le=1)
    rul_threshold_hours: float = Field(default=336.0, ge=0, le=87600)
    horizon_hours: float = Field(default=168.0, gt=0, le=8760)
    auto_work_order: bool = True
    snooze_hours: float = Field(default=72.0, ge=0, le=8760, description="No new recommendation after a dismissal")


class PolicyOut(PolicyIn):
    machine_class: str = Field(description="'*' is the tenant default")
    updated_at: str | None


class PolicyList(BaseModel):
    items: list[PolicyOut]


# -- recommendations ----------------------------------------------------------------------------------------
class RecommendationOut(BaseModel):
    id: uuid.UUID
    machine_id: uuid.UUID
    model_id: uuid.UUID | None
    reason: str
    status: RecStatus
    message: str
    health_index: float
    rul_hours: float
    failure_probability: float
    triggers: list[dict[str, Any]]
    work_order_id: uuid.UUID | None
    decided_by: uuid.UUID | None
    decided_at: str | None
    created_at: str
    updated_at: str


class RecommendationPage(BaseModel):
    items: list[RecommendationOut]
    limit: int
    offset: int


class AcceptIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    assigned_to: uuid.UUID | None = None
    priority: Priority | None = None
    due_date: date | None = None


class DismissIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    note: str | None = Field(default=None, max_length=2000)


# -- work orders ---------------------------------------------------------------------------------------------
class WorkOrderIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    machine_id: uuid.UUID
    title: str = Field(min_length=1, max_length=200)
    description: str = Field(default="", max_length=10000)
    kind: WorkOrderKind = "corrective"
    priority: Priority = "medium"
    due_date: date | None = None
    assigned_to: uuid.UUID | None = None
    failed_at: datetime | None = Field(default=None, description="When the machine failed (labels RUL training)")


class WorkOrderPatch(BaseModel):
    model_config = ConfigDict(extra="forbid")
    title: str | None = Field(default=None, min_length=1, max_length=200)
    description: str | None = Field(default=None, max_length=10000)
    priority: Priority | None = None
    status: WorkOrderStatus | None = None
    due_date: date | None = None
    assigned_to: uuid.UUID | None = None
    failed_at: datetime | None = None


class WorkOrderOut(BaseModel):
    id: uuid.UUID
    number: int
    machine_id: uuid.UUID
    title: str
    description: str
    kind: WorkOrderKind
    priority: Priority
    status: WorkOrderStatus
    due_date: str | None
    assigned_to: uuid.UUID | None
    reason: str | None
    recommendation_id: uuid.UUID | None
    failed_at: str | None
    created_by: uuid.UUID | None
    started_at: str | None
    completed_at: str | None
    created_at: str
    updated_at: str


class WorkOrderPage(BaseModel):
    items: list[WorkOrderOut]
    limit: int
    offset: int
