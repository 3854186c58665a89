"""Documented shapes of the reading queries (the handlers build plain dicts for speed)."""

from __future__ import annotations

import uuid

from pydantic import BaseModel, Field


class Point(BaseModel):
    ts: str = Field(description="RFC 3339; for a bucket, its start")
    value: float | None = Field(default=None, description="Raw readings only")
    quality: int | None = Field(default=None, description="Raw readings only")
    min: float | None = Field(default=None, description="Buckets only")
    max: float | None = Field(default=None, description="Buckets only")
    avg: float | None = Field(default=None, description="Buckets only")
    count: int | None = Field(default=None, description="Buckets only")


class ReadingsOut(BaseModel):
    sensor_id: uuid.UUID
    start: str
    end: str
    bucket_s: float | None = Field(description="Null for raw readings")
    points: list[Point]


class LatestSensor(BaseModel):
    sensor_id: uuid.UUID
    path: str
    name: str
    unit: str
    ts: str | None
    value: float | None
    quality: int | None


class LatestOut(BaseModel):
    machine_id: uuid.UUID
    sensors: list[LatestSensor]
