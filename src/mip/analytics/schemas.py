"""Request and response models of the analytics API."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field

Sql = Annotated[str, Field(min_length=1, max_length=100_000, examples=["select count(*) from readings"])]
ParamName = Annotated[str, Field(pattern=r"^[A-Za-z_][A-Za-z0-9_]{0,62}$")]
Scalar = str | int | float | bool | None
ParamType = Literal["string", "number", "integer", "boolean", "timestamp"]
Window = Annotated[
    dt.datetime | None,
    Field(description="RFC 3339; without a zone UTC. Default: end = now, start = end - 7 days"),
]


class QueryIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    sql: Sql
    start: Window = None
    end: Window = None
    max_rows: Annotated[int | None, Field(ge=1, le=100_000)] = None
    timeout_s: Annotated[float | None, Field(gt=0, le=600)] = None
    params: dict[ParamName, Scalar] = Field(default_factory=dict, description="values of the query's $name parameters")


class Column(BaseModel):
    name: str
    type: str


class QueryOut(BaseModel):
    columns: list[Column]
    rows: list[list[Any]]
    row_count: int
    truncated: bool = Field(description="true: more rows than max_rows; only the first max_rows are returned")
    max_rows: int
    elapsed_ms: float
    scanned_bytes: int = Field(description="decrypted lake bytes loaded for the query")
    start: dt.datetime
    end: dt.datetime
    tables: list[str]


class TableOut(BaseModel):
    name: str
    kind: Literal["lake", "dimension"]
    description: str
    time_column: str | None
    columns: list[Column]


class TablesOut(BaseModel):
    items: list[TableOut]


class CatalogOut(BaseModel):
    engine: Literal["athena", "trino"]
    location: str
    ddl: str


class ParamSpec(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: ParamName
    type: ParamType = "string"
    default: Scalar = None
    description: Annotated[str, Field(max_length=500)] = ""


Name = Annotated[str, Field(min_length=1, max_length=200)]
Description = Annotated[str, Field(max_length=2000)]


class SavedQueryIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: Name
    description: Description = ""
    sql: Sql
    parameters: list[ParamSpec] = Field(default_factory=list)


class SavedQueryPatch(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: Name | None = None
    description: Description | None = None
    sql: Sql | None = None
    parameters: list[ParamSpec] | None = None


class SavedQueryOut(BaseModel):
    id: uuid.UUID
    tenant_id: uuid.UUID
    name: str
    description: str
    sql: str
    parameters: list[ParamSpec]
    owner_id: uuid.UUID | None
    created_at: dt.datetime
    updated_at: dt.datetime


class SavedQueryPage(BaseModel):
    items: list[SavedQueryOut]


class RunIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    start: Window = None
    end: Window = None
    max_rows: Annotated[int | None, Field(ge=1, le=100_000)] = None
    timeout_s: Annotated[float | None, Field(gt=0, le=600)] = None
    params: dict[ParamName, Scalar] = Field(default_factory=dict)
