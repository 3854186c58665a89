"""Assets REST API: the ISA-95 hierarchy (sites, areas, lines, machines), sensors, the tree, bulk import."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request
from pydantic import BaseModel, ConfigDict, Field, JsonValue

from mip.api.body import read_body
from mip.api.deps import Ctx, require
from mip.assets import importer, service
from mip.assets.errors import ImportInvalid
from mip.assets.service import NAME_PATTERN, AssetKind, SensorKind
from mip.identity.permissions import Permission
from mip.platform.errors import UnsupportedMediaType

router = APIRouter(prefix="/api/v1", tags=["assets"])

YAML_TYPES = ("application/yaml", "application/x-yaml", "text/yaml", "text/x-yaml")
CSV_TYPES = ("text/csv",)
MAX_IMPORT_BYTES = 10 * 1024 * 1024

Reader = Annotated[Ctx, Depends(require(Permission.ASSETS_READ))]
Writer = Annotated[Ctx, Depends(require(Permission.ASSETS_WRITE))]
Name = Annotated[
    str,
    Field(
        pattern=NAME_PATTERN,
        description="1-64 letters, digits, '_', '.' or '-', starting with a letter or digit",
        examples=["cnc-01"],
    ),
]
Limit = Annotated[float | None, Field(allow_inf_nan=False)]
PageLimit = Annotated[int, Query(ge=1, le=1000)]
PageOffset = Annotated[int, Query(ge=0)]
PathPrefix = Annotated[
    str | None,
    Query(max_length=1000, description="Tag-path prefix by whole segments: a/b matches a/b and a/b/..., not a/bc"),
]
NameQuery = Annotated[str | None, Query(max_length=200, description="Case-insensitive name substring")]


class AssetIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    kind: AssetKind
    name: Name
    parent_id: uuid.UUID | None = Field(default=None, description="Required except for sites: the level above")
    description: str = Field(default="", max_length=2000)
    timezone: str | None = Field(default=None, max_length=64, description="IANA time zone, e.g. Europe/Berlin")
    attributes: dict[str, JsonValue] = Field(default_factory=dict)


class AssetPatch(BaseModel):
    """Only the fields sent are changed; a new name rewrites the tag paths of the whole subtree."""

    model_config = ConfigDict(extra="forbid")
    name: Name | None = None
    description: str | None = Field(default=None, max_length=2000)
    timezone: str | None = Field(default=None, max_length=64, description="null clears it")
    attributes: dict[str, JsonValue] | None = None


class AssetOut(BaseModel):
    id: uuid.UUID
    tenant_id: uuid.UUID
    kind: AssetKind
    parent_id: uuid.UUID | None
    name: str
    path: str = Field(description="Tag path: the names from the site down, joined by '/'")
    description: str
    timezone: str | None
    attributes: dict[str, Any]
    created_at: datetime
    updated_at: datetime


class SensorIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    machine_id: uuid.UUID
    name: Name
    kind: SensorKind = SensorKind.OTHER
    unit: str = Field(default="", max_length=32, examples=["degC"])
    sample_rate_hz: float = Field(default=1.0, gt=0, allow_inf_nan=False)
    low_limit: Limit = Field(default=None, description="Must be below high_limit when both are set")
    high_limit: Limit = None
    safety: bool = Field(default=False, description="A breach of this sensor's limits is safety-relevant")


class SensorPatch(BaseModel):
    """Only the fields sent are changed (null clears a limit); limits are checked on the result."""

    model_config = ConfigDict(extra="forbid")
    name: Name | None = None
    kind: SensorKind | None = None
    unit: str | None = Field(default=None, max_length=32)
    sample_rate_hz: float | None = Field(default=None, gt=0, allow_inf_nan=False)
    low_limit: Limit = None
    high_limit: Limit = None
    safety: bool | None = None


class SensorOut(BaseModel):
    id: uuid.UUID
    tenant_id: uuid.UUID
    machine_id: uuid.UUID
    name: str
    path: str = Field(description="The machine's tag path plus the sensor name")
    kind: SensorKind
    unit: str
    sample_rate_hz: float
    low_limit: float | None
    high_limit: float | None
    safety: bool
    created_at: datetime
    updated_at: datetime


class AssetPage(BaseModel):
    items: list[AssetOut]
    total: int
    limit: int
    offset: int


class SensorPage(BaseModel):
    items: list[SensorOut]
    total: int
    limit: int
    offset: int


class AssetNode(AssetOut):
    children: list[AssetNode]
    sensors: list[SensorOut]


class ImportOut(BaseModel):
    sites: int
    areas: int
    lines: int
    machines: int
    sensors: int
    created: int = Field(description="Assets and sensors created")
    updated: int = Field(description="Existing assets and sensors (matched by path) whose fields changed")
    unchanged: int = Field(description="Existing assets and sensors already as in the document")
    dry_run: bool


def _changes(body: BaseModel) -> dict[str, Any]:
    return body.model_dump(include=body.model_fields_set)


# --- assets ---------------------------------------------------------------------------------------------


@router.get("/assets", response_model=AssetPage, summary="List assets by path, with filters and pagination")
async def list_assets(
    ctx: Reader,
    kind: AssetKind | None = None,
    parent_id: uuid.UUID | None = None,
    path_prefix: PathPrefix = None,
    q: NameQuery = None,
    limit: PageLimit = 100,
    offset: PageOffset = 0,
) -> AssetPage:
    async with ctx.tx() as conn:
        rows, total = await service.list_assets(
            conn, kind=kind, parent_id=parent_id, path_prefix=path_prefix, q=q, limit=limit, offset=offset
        )
    return AssetPage(items=[AssetOut(**r) for r in rows], total=total, limit=limit, offset=offset)


@router.post("/assets", response_model=AssetOut, status_code=201, summary="Create a site, area, line or machine")
async def create_asset(body: AssetIn, ctx: Writer) -> AssetOut:
    async with ctx.tx() as conn:
        row = await service.create_asset(conn, ctx.principal.tenant_id, **body.model_dump())
    return AssetOut(**row)


@router.get("/assets/tree", response_model=list[AssetNode], summary="Nested assets with their sensors")
async def asset_tree(
    ctx: Reader,
    root_id: Annotated[uuid.UUID | None, Query(description="Subtree of this asset; whole tenant if omitted")] = None,
) -> list[AssetNode]:
    async with ctx.tx() as conn:
        roots = await service.asset_tree(conn, root_id)
    return [AssetNode.model_validate(r) for r in roots]


@router.post(
    "/assets/import",
    response_model=ImportOut,
    summary="Import a hierarchy from YAML or CSV (upsert by path, all or nothing)",
    description=(
        "Send the document as the body with Content-Type application/yaml, text/yaml or text/csv. "
        "Existing assets and sensors are matched by tag path and updated; importing the same document twice "
        "creates nothing. Any error rejects the whole document with 422 `import_invalid` and an `errors` "
        "list of `{line, message}`."
    ),
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {t: {"schema": {"type": "string"}} for t in ("application/yaml", "text/yaml", "text/csv")},
        }
    },
)
async def import_assets(
    request: Request,
    ctx: Writer,
    dry_run: Annotated[bool, Query(description="Validate and count, write nothing")] = False,
) -> ImportOut:
    ctype = request.headers.get("content-type", "").partition(";")[0].strip().lower()
    if ctype not in YAML_TYPES + CSV_TYPES:
        raise UnsupportedMediaType(
            f"send the document as application/yaml, text/yaml or text/csv, not {ctype or 'no content type'!r}"
        )
    raw = await read_body(request, MAX_IMPORT_BYTES, "import document")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ImportInvalid([{"line": raw[: exc.start].count(b"\n") + 1, "message": "not valid UTF-8"}]) from None
    doc = importer.parse_csv(text) if ctype in CSV_TYPES else importer.parse_yaml(text)
    async with ctx.tx() as conn:
        counts = await importer.import_document(conn, ctx.principal.tenant_id, doc, dry_run=dry_run)
    if not dry_run:
        ctx.rt.directory.invalidate(ctx.principal.tenant_id)
    return ImportOut(**counts)


@router.get("/assets/{asset_id}", response_model=AssetOut, summary="Get an asset")
async def get_asset(asset_id: uuid.UUID, ctx: Reader) -> AssetOut:
    async with ctx.tx() as conn:
        return AssetOut(**await service.get_asset(conn, asset_id))


@router.patch("/assets/{asset_id}", response_model=AssetOut, summary="Rename or describe an asset")
async def update_asset(asset_id: uuid.UUID, body: AssetPatch, ctx: Writer) -> AssetOut:
    async with ctx.tx() as conn:
        row = await service.update_asset(conn, asset_id, _changes(body))
    if "name" in body.model_fields_set:
        ctx.rt.directory.invalidate(ctx.principal.tenant_id)  # sensor tag paths may have changed
    return AssetOut(**row)


@router.delete("/assets/{asset_id}", status_code=204, summary="Delete an asset that has no children and no sensors")
async def delete_asset(asset_id: uuid.UUID, ctx: Writer) -> None:
    async with ctx.tx() as conn:
        await service.delete_asset(conn, asset_id)


# --- sensors --------------------------------------------------------------------------------------------


@router.get("/sensors", response_model=SensorPage, summary="List sensors by path, with filters and pagination")
async def list_sensors(
    ctx: Reader,
    machine_id: uuid.UUID | None = None,
    path_prefix: PathPrefix = None,
    kind: SensorKind | None = None,
    q: NameQuery = None,
    limit: PageLimit = 100,
    offset: PageOffset = 0,
) -> SensorPage:
    async with ctx.tx() as conn:
        rows, total = await service.list_sensors(
            conn, machine_id=machine_id, path_prefix=path_prefix, kind=kind, q=q, limit=limit, offset=offset
        )
    return SensorPage(items=[SensorOut(**r) for r in rows], total=total, limit=limit, offset=offset)


@router.post("/sensors", response_model=SensorOut, status_code=201, summary="Create a sensor on a machine")
async def create_sensor(body: SensorIn, ctx: Writer) -> SensorOut:
    async with ctx.tx() as conn:
        row = await service.create_sensor(conn, ctx.principal.tenant_id, **body.model_dump())
    ctx.rt.directory.invalidate(ctx.principal.tenant_id)
    return SensorOut(**row)


@router.get("/sensors/{sensor_id}", response_model=SensorOut, summary="Get a sensor")
async def get_sensor(sensor_id: uuid.UUID, ctx: Reader) -> SensorOut:
    async with ctx.tx() as conn:
        return SensorOut(**await service.get_sensor(conn, sensor_id))


@router.patch("/sensors/{sensor_id}", response_model=SensorOut, summary="Change a sensor (rename, limits, ...)")
async def update_sensor(sensor_id: uuid.UUID, body: SensorPatch, ctx: Writer) -> SensorOut:
    async with ctx.tx() as conn:
        row = await service.update_sensor(conn, sensor_id, _changes(body))
    ctx.rt.directory.invalidate(ctx.principal.tenant_id)
    return SensorOut(**row)


@router.delete("/sensors/{sensor_id}", status_code=204, summary="Delete a sensor (its alerts go with it)")
async def delete_sensor(sensor_id: uuid.UUID, ctx: Writer) -> None:
    async with ctx.tx() as conn:
        await service.delete_sensor(conn, sensor_id)
    ctx.rt.directory.invalidate(ctx.principal.tenant_id)
