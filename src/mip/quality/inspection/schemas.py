"""Request/response models of the inspection routes (plans, gauges, inspections, results, FAI, suppliers)."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any, Literal, Self

from pydantic import BaseModel, ConfigDict, Field, model_validator

Level = Literal["S-1", "S-2", "S-3", "S-4", "I", "II", "III"]
Severity = Literal["normal", "tightened", "reduced"]
Str = Field(min_length=1, max_length=200)


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class SamplingOut(BaseModel):
    lot_size: int
    aql: float
    level: str
    severity: str
    code_letter: str
    plan_letter: str
    sample_size: int
    ac: int
    re: int
    arrow: str | None
    hundred_percent: bool


class SupplierIn(Strict):
    code: str = Str
    name: str = Str


class SupplierOut(BaseModel):
    id: uuid.UUID
    code: str
    name: str
    created_at: datetime


class CharacteristicIn(Strict):
    number: int = Field(ge=1, le=100_000)
    bubble: str = Field("", max_length=50)
    name: str = Str
    kind: Literal["variable", "attribute"] = "variable"
    nominal: float | None = None
    lsl: float | None = None
    usl: float | None = None
    tol_lower: float | None = Field(None, description="lower tolerance (e.g. -0.05): LSL = nominal + tol_lower")
    tol_upper: float | None = Field(None, description="upper tolerance (e.g. +0.05): USL = nominal + tol_upper")
    unit: str = Field("", max_length=30)
    method: str = Field("", max_length=200)
    gauge_type: str | None = Field(None, max_length=100)
    classification: Literal["critical", "major", "minor"] = "major"
    designed_tooling: bool = False
    spc_chart_id: uuid.UUID | None = None

    @model_validator(mode="after")
    def _limits(self) -> Self:
        if self.tol_lower is not None or self.tol_upper is not None:
            if self.nominal is None:
                raise ValueError("tolerances need a nominal")
            if self.lsl is not None or self.usl is not None:
                raise ValueError("give either lsl/usl or tolerances, not both")
            self.lsl = None if self.tol_lower is None else self.nominal + self.tol_lower
            self.usl = None if self.tol_upper is None else self.nominal + self.tol_upper
        if self.kind == "variable" and self.lsl is None and self.usl is None:
            raise ValueError(f"variable characteristic {self.number} needs lsl/usl or tolerances")
        if self.lsl is not None and self.usl is not None and self.lsl > self.usl:
            raise ValueError(f"characteristic {self.number}: lsl > usl")
        return self


class CharacteristicOut(BaseModel):
    id: uuid.UUID
    number: int
    bubble: str
    name: str
    kind: str
    nominal: float | None
    lsl: float | None
    usl: float | None
    unit: str
    method: str
    gauge_type: str | None
    classification: str
    designed_tooling: bool
    spc_chart_id: uuid.UUID | None


class PlanIn(Strict):
    item_id: uuid.UUID
    operation: str = Field(min_length=1, max_length=100)
    name: str = Str
    aql: float = Field(1.0, gt=0)
    level: Level = "II"
    severity: Severity = "normal"
    notes: str = Field("", max_length=4000)
    characteristics: list[CharacteristicIn] = Field(min_length=1, max_length=2000)

    @model_validator(mode="after")
    def _unique(self) -> Self:
        numbers = [c.number for c in self.characteristics]
        if len(set(numbers)) != len(numbers):
            raise ValueError("characteristic numbers must be unique within a plan")
        return self


class PlanOut(BaseModel):
    id: uuid.UUID
    item_id: uuid.UUID
    operation: str
    revision: int
    name: str
    aql: float
    level: str
    severity: str
    active: bool
    notes: str
    created_by: uuid.UUID | None
    created_at: datetime
    characteristics: list[CharacteristicOut] = []


class PlanPage(BaseModel):
    items: list[PlanOut]


class GaugeIn(Strict):
    code: str = Str
    name: str = Str
    gauge_type: str = Field(min_length=1, max_length=100)
    interval_days: int = Field(ge=1, le=3650)
    last_calibrated_at: datetime | None = Field(None, description="the last calibration (passed); sets the due date")


class CalibrationIn(Strict):
    calibrated_at: datetime
    result: Literal["pass", "fail"]
    certificate: str = Field("", max_length=200)
    notes: str = Field("", max_length=4000)


class CalibrationOut(BaseModel):
    id: uuid.UUID
    calibrated_at: datetime
    result: str
    certificate: str
    notes: str
    recorded_by: uuid.UUID | None


class GaugeOut(BaseModel):
    id: uuid.UUID
    code: str
    name: str
    gauge_type: str
    interval_days: int
    last_calibrated_at: datetime | None
    due_at: datetime | None
    status: str
    overdue: bool
    version: int
    calibrations: list[CalibrationOut] = []


class InspectionIn(Strict):
    plan_id: uuid.UUID
    kind: Literal["receiving", "in_process", "final", "first_article"] = "in_process"
    lot_ref: str | None = Field(None, max_length=200)
    serial: str | None = Field(None, max_length=200)
    lot_size: int = Field(ge=1, le=100_000_000)
    severity: Severity | None = Field(None, description="override the plan's inspection severity (switching rules)")
    work_order_id: uuid.UUID | None = None
    supplier_id: uuid.UUID | None = None
    line_id: uuid.UUID | None = None
    inspected_at: datetime | None = None


class ResultIn(Strict):
    characteristic_id: uuid.UUID | None = None
    number: int | None = Field(None, description="characteristic number, instead of characteristic_id")
    unit: int = Field(ge=1, description="sampled unit, 1..sample size")
    serial: str | None = Field(None, max_length=200)
    value: float | None = None
    passed: bool | None = Field(None, description="attribute result (variables are judged against LSL/USL)")
    gauge_id: uuid.UUID | None = None

    @model_validator(mode="after")
    def _which(self) -> Self:
        if (self.characteristic_id is None) == (self.number is None):
            raise ValueError("give characteristic_id or number")
        return self


class ResultsIn(Strict):
    results: list[ResultIn] = Field(min_length=1, max_length=10_000)


class ResultOut(BaseModel):
    id: uuid.UUID
    characteristic_id: uuid.UUID
    number: int
    unit: int
    serial: str | None
    value: float | None
    passed: bool
    gauge_id: uuid.UUID | None
    recorded_by: uuid.UUID | None
    recorded_at: datetime


class Tally(BaseModel):
    units_complete: int
    units_inspected: int
    defectives: int
    critical_defectives: int
    defects: int
    results: int


class InspectionOut(BaseModel):
    id: uuid.UUID
    plan_id: uuid.UUID
    item_id: uuid.UUID
    kind: str
    lot_ref: str | None
    serial: str | None
    lot_size: int
    work_order_id: uuid.UUID | None
    supplier_id: uuid.UUID | None
    line_id: uuid.UUID | None
    sampling: SamplingOut
    sample_size: int
    status: str
    decided_at: datetime | None
    inspected_at: datetime
    created_by: uuid.UUID | None
    tally: Tally | None = None


class InspectionPage(BaseModel):
    items: list[InspectionOut]


class ResultsOut(BaseModel):
    inspection: InspectionOut
    recorded: int
    spc_subgroups: int = 0


class ResultPage(BaseModel):
    items: list[ResultOut]


class FaiIn(Strict):
    item_id: uuid.UUID
    plan_id: uuid.UUID | None = Field(None, description="form 3 rows from the plan's characteristics")
    inspection_id: uuid.UUID | None = Field(None, description="form 3 results from this first-article inspection")
    form1: dict[str, Any] = Field(default_factory=dict, description="AS9102 form 1 fields (part number, name, ...)")
    form2: dict[str, Any] = Field(default_factory=dict, description="materials, special_processes, functional_tests")
    form3: list[dict[str, Any]] | None = Field(None, description="explicit form 3 rows (else built from the plan)")


class FaiOut(BaseModel):
    id: uuid.UUID
    number: int
    fai_number: str
    item_id: uuid.UUID
    plan_id: uuid.UUID | None
    inspection_id: uuid.UUID | None
    status: str
    form1: dict[str, Any]
    form2: dict[str, Any]
    form3: list[dict[str, Any]]
    version: int
    created_at: datetime
