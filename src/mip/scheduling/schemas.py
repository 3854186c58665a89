"""Pydantic request/response models of the schedules API (the problem JSON is documented in codec.py)."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, Field

MAX_API_TIME_LIMIT_S = 120.0

Objective = Literal["makespan", "weighted_tardiness", "mix"]


class WindowIn(BaseModel):
    start: int
    end: int
    reason: str = ""


class MachineIn(BaseModel):
    id: str = Field(min_length=1, max_length=200)
    name: str = ""
    work_center: str = ""
    unavailable: list[WindowIn] = []


class JobIn(BaseModel):
    id: str = Field(min_length=1, max_length=200)
    release: int = 0
    due: int | None = None
    weight: int = 1
    priority: int = 0
    name: str = ""


class ModeIn(BaseModel):
    machine: str
    duration: int
    setup: int = 0


class PredecessorIn(BaseModel):
    op: str
    min_lag: int = 0


class OperationIn(BaseModel):
    id: str = Field(min_length=1, max_length=200)
    job: str
    name: str = ""
    modes: list[ModeIn]
    predecessors: list[PredecessorIn] = []


class ProblemIn(BaseModel):
    """Times are integer minutes from ``horizon_start``."""

    name: str = ""
    horizon_start: datetime | None = None
    machines: list[MachineIn] = Field(max_length=2000)
    jobs: list[JobIn] = Field(max_length=20000)
    operations: list[OperationIn] = Field(max_length=50000)


class SolveIn(BaseModel):
    name: str = Field(default="schedule", max_length=200)
    problem: ProblemIn | None = Field(
        default=None, description="The problem; omit to build it from the tenant's planning data"
    )
    order_ids: list[uuid.UUID] | None = Field(
        default=None, description="From planning: these work orders (default: every open make order)"
    )
    horizon_start: datetime | None = Field(default=None, description="From planning: time zero (default: now)")
    horizon_days: int = Field(default=56, ge=1, le=366, description="From planning: calendar horizon")
    objective: Objective = "mix"
    time_limit_s: float = Field(default=10.0, gt=0, le=MAX_API_TIME_LIMIT_S)
    workers: int = Field(default=2, ge=1, le=8)
    makespan_weight: int = Field(default=1, ge=0)
    tardiness_weight: int = Field(default=1, ge=0)


class MachineDownIn(BaseModel):
    machine: str
    start: int
    end: int


class RushOrderIn(BaseModel):
    job: JobIn
    operations: list[OperationIn] = Field(min_length=1)


class RescheduleIn(BaseModel):
    now: int = Field(default=0, ge=0, description="Minutes from horizon start; earlier work is frozen")
    machine_down: list[MachineDownIn] = []
    rush_orders: list[RushOrderIn] = []
    objective: Objective = "mix"
    stability_weight: int = Field(default=1, ge=0, description="Cost per minute an operation moves")
    machine_change_penalty: int = Field(default=60, ge=0)
    time_limit_s: float = Field(default=10.0, gt=0, le=MAX_API_TIME_LIMIT_S)
    workers: int = Field(default=2, ge=1, le=8)


class Improvement(BaseModel):
    makespan: int
    makespan_pct: float | None
    weighted_tardiness: int
    weighted_tardiness_pct: float | None


class AssignmentOut(BaseModel):
    op: str
    job: str
    machine: str
    start: int
    end: int


class ScheduleOut(BaseModel):
    id: uuid.UUID
    name: str
    state: Literal["draft", "published", "superseded"]
    objective: str
    solver_status: str
    source: str
    horizon_start: datetime | None
    makespan: int
    weighted_tardiness: int
    late_orders: int
    objective_value: float | None
    lower_bound: float | None
    seconds: float
    greedy_makespan: int
    greedy_weighted_tardiness: int
    improvement: Improvement
    parent_id: uuid.UUID | None
    disruption: dict[str, Any] | None
    created_at: datetime
    published_at: datetime | None
    assignments: list[AssignmentOut] | None = None


class SchedulePage(BaseModel):
    items: list[ScheduleOut]
    limit: int
    offset: int


class GanttBar(BaseModel):
    op: str
    order: str
    order_name: str = Field("", description="the order's number or name (empty when the problem had none)")
    op_name: str = ""
    start: int
    end: int
    start_at: datetime | None
    end_at: datetime | None
    due: int | None = Field(None, description="the order's due time, minutes from the horizon start")
    due_at: datetime | None = None
    late: bool


class GanttRow(BaseModel):
    machine: str
    name: str
    work_center: str
    bars: list[GanttBar]
    unavailable: list[WindowIn]


class GanttOut(BaseModel):
    schedule_id: uuid.UUID
    horizon_start: datetime | None
    makespan: int
    rows: list[GanttRow]


class ChainLinkOut(BaseModel):
    op: str
    job: str
    machine: str
    start: int
    end: int
    waits_for: str


class LateOut(BaseModel):
    job: str
    due: int
    completion: int
    tardiness: int
    weight: int
    chain: list[ChainLinkOut]
    bottlenecks: list[tuple[str, int]]
    summary: str


class LatePage(BaseModel):
    schedule_id: uuid.UUID
    items: list[LateOut]
