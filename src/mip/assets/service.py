"""Asset actions: the ISA-95 hierarchy (site -> area -> line -> machine), sensors on machines, tag paths.

Every function takes a connection already inside the caller's tenant transaction: row-level security
decides what is visible, so another tenant's ids simply are not found. A tag path is the slash-joined
names from the site down (``plant-1/machining/line-1/cnc-01``); a sensor's is its machine's path plus
its own name. Paths are unique per tenant.
"""

from __future__ import annotations

import math
import re
import uuid
from collections.abc import Mapping
from enum import StrEnum
from typing import Any, TypeVar
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import psycopg
from psycopg.types.json import Jsonb

from mip.assets.errors import (
    AssetHasChildren,
    AssetNotFound,
    InvalidName,
    InvalidParent,
    InvalidSensor,
    InvalidTimezone,
    ParentNotFound,
    PathExists,
    SensorNotFound,
)
from mip.platform.db import Conn
from mip.platform.errors import ValidationFailed
from mip.platform.ids import uuid7

NAME_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$"
NAME_RE = re.compile(NAME_PATTERN)


class AssetKind(StrEnum):
    SITE = "site"
    AREA = "area"
    LINE = "line"
    MACHINE = "machine"


class SensorKind(StrEnum):
    TEMPERATURE = "temperature"
    VIBRATION = "vibration"
    PRESSURE = "pressure"
    SPEED = "speed"
    POWER = "power"
    CURRENT = "current"
    FLOW = "flow"
    LEVEL = "level"
    OTHER = "other"


# Each level's parent is the level above it; a site has none.
PARENT_KIND: dict[AssetKind, AssetKind | None] = dict(zip(AssetKind, [None, *AssetKind], strict=False))

ASSET_COLUMNS = "id, tenant_id, kind, parent_id, name, path, description, timezone, attributes, created_at, updated_at"
SENSOR_COLUMNS = (
    "id, tenant_id, machine_id, name, path, kind, unit, sample_rate_hz, low_limit, high_limit, safety, "
    "created_at, updated_at"
)
ASSET_FIELDS = ("name", "description", "timezone", "attributes")
ASSET_DETAILS = ("description", "timezone", "attributes")
SENSOR_FIELDS = ("name", "kind", "unit", "sample_rate_hz", "low_limit", "high_limit", "safety")

E = TypeVar("E", bound=StrEnum)


# --- validation -----------------------------------------------------------------------------------------


def check_name(name: object, what: str = "name") -> str:
    if not isinstance(name, str) or not NAME_RE.fullmatch(name):
        raise InvalidName(
            f"{what} {name!r} is invalid: 1-64 letters, digits, '_', '.' or '-', starting with a letter or digit",
            pattern=NAME_PATTERN,
        )
    return name


def parse_kind(enum: type[E], value: object, what: str) -> E:
    if isinstance(value, str) and value in enum._value2member_map_:
        return enum(value)
    raise ValidationFailed(f"unknown {what} {value!r}", allowed=[k.value for k in enum])


def check_timezone(tz: object) -> str | None:
    if tz is None:
        return None
    try:
        if not isinstance(tz, str) or not tz:
            raise ValueError
        ZoneInfo(tz)
    except (ValueError, ZoneInfoNotFoundError):
        raise InvalidTimezone(f"unknown time zone {tz!r} (use an IANA name such as Europe/Berlin)") from None
    return tz


def asset_detail(key: str, value: object) -> Any:
    """Validate ``description``, ``timezone`` or ``attributes`` and return it as stored."""
    if key == "timezone":
        return check_timezone(value)
    if key == "description" and isinstance(value, str) and len(value) <= 2000:
        return value
    if key == "attributes" and isinstance(value, Mapping):
        return Jsonb(dict(value))
    raise ValidationFailed(
        f"{key} must be {'a string (2000 characters at most)' if key == 'description' else 'an object'}"
    )


def _number(value: object, what: str, *, optional: bool) -> float | None:
    if value is None and optional:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise InvalidSensor(f"{what} must be a finite number, not {value!r}")
    return float(value)


def check_sensor_fields(fields: Mapping[str, Any]) -> dict[str, Any]:
    """Validate and normalise a complete set of sensor fields (name, kind, unit, rate, limits, safety)."""
    out = dict(fields)
    out["name"] = check_name(fields["name"], "sensor name")
    out["kind"] = parse_kind(SensorKind, fields["kind"], "sensor kind").value
    if not isinstance(fields["unit"], str) or len(fields["unit"]) > 32:
        raise InvalidSensor("unit must be a string of at most 32 characters")
    rate = _number(fields["sample_rate_hz"], "sample_rate_hz", optional=False)
    if rate is None or rate <= 0:
        raise InvalidSensor("sample_rate_hz must be greater than 0")
    out["sample_rate_hz"] = rate
    low = out["low_limit"] = _number(fields["low_limit"], "low_limit", optional=True)
    high = out["high_limit"] = _number(fields["high_limit"], "high_limit", optional=True)
    if low is not None and high is not None and low >= high:
        raise InvalidSensor(f"low_limit ({low:g}) must be below high_limit ({high:g})")
    if not isinstance(fields["safety"], bool):
        raise InvalidSensor("safety must be true or false")
    return out


def _unknown(changes: Mapping[str, Any], allowed: tuple[str, ...]) -> None:
    extra = sorted(set(changes) - set(allowed))
    if extra:
        raise ValidationFailed(f"cannot change {', '.join(extra)}", allowed=list(allowed))


# --- shared SQL helpers ---------------------------------------------------------------------------------


def prefix_clause(prefix: str, args: list[Any]) -> str:
    """Segment-aware tag-path prefix: ``a/b`` matches ``a/b`` and ``a/b/...`` but not ``a/bc``."""
    prefix = prefix.rstrip("/")
    args.extend([prefix, prefix + "/"])
    return "(path = %s or starts_with(path, %s))"


async def _page(
    conn: Conn,
    table: str,
    eq: Mapping[str, Any],
    path_prefix: str | None,
    q: str | None,
    limit: int | None,
    offset: int,
) -> tuple[list[dict[str, Any]], int]:
    """Rows of ``table`` ordered by path (equality filters, path prefix, name substring) and the total."""
    where = [f"{col} = %s" for col, v in eq.items() if v is not None]
    args: list[Any] = [v for v in eq.values() if v is not None]
    if path_prefix:
        where.append(prefix_clause(path_prefix, args))
    if q:
        where.append("strpos(lower(name), lower(%s)) > 0")
        args.append(q)
    cond = f" where {' and '.join(where)}" if where else ""
    cur = await conn.execute(f"select count(*) as n from {table}{cond}", args)
    total = await cur.fetchone()
    columns = ASSET_COLUMNS if table == "assets" else SENSOR_COLUMNS
    cur = await conn.execute(
        f"select {columns} from {table}{cond} order by path limit %s offset %s", [*args, limit, offset]
    )
    return [dict(r) for r in await cur.fetchall()], int(total["n"]) if total else 0


async def _write_one(conn: Conn, sql: str, args: list[Any], path: str, what: str) -> dict[str, Any]:
    """Run an insert/update ... returning in a savepoint; a duplicate tag path becomes ``PathExists``."""
    try:
        async with conn.transaction():
            cur = await conn.execute(sql, args)
            row = await cur.fetchone()
    except psycopg.errors.UniqueViolation:
        raise PathExists(f"{what} path {path!r} already exists", path=path) from None
    assert row is not None
    return dict(row)


# --- assets ---------------------------------------------------------------------------------------------


async def get_asset(conn: Conn, asset_id: uuid.UUID) -> dict[str, Any]:
    cur = await conn.execute(f"select {ASSET_COLUMNS} from assets where id = %s", [asset_id])
    row = await cur.fetchone()
    if row is None:
        raise AssetNotFound(f"asset {asset_id} not found")
    return dict(row)


async def _parent(conn: Conn, parent_id: uuid.UUID, what: str) -> dict[str, Any]:
    try:
        return await get_asset(conn, parent_id)
    except AssetNotFound:
        raise ParentNotFound(f"{what} {parent_id} not found") from None


async def create_asset(
    conn: Conn,
    tenant_id: uuid.UUID,
    *,
    kind: AssetKind | str,
    name: str,
    parent_id: uuid.UUID | None = None,
    description: str = "",
    timezone: str | None = None,
    attributes: Mapping[str, Any] | None = None,
) -> dict[str, Any]:
    kind = parse_kind(AssetKind, kind, "asset kind")
    check_name(name, f"{kind} name")
    details = [
        asset_detail(k, v) for k, v in zip(ASSET_DETAILS, (description, timezone, attributes or {}), strict=True)
    ]
    want = PARENT_KIND[kind]
    if want is None:
        if parent_id is not None:
            raise InvalidParent("a site is the top of the hierarchy and has no parent")
        path = name
    else:
        if parent_id is None:
            raise InvalidParent(f"a {kind} needs a parent {want} (parent_id)")
        parent = await _parent(conn, parent_id, f"parent {want}")
        if parent["kind"] != want:
            raise InvalidParent(f"the parent of a {kind} must be a {want}, not a {parent['kind']}")
        path = f"{parent['path']}/{name}"
    return await _write_one(
        conn,
        f"insert into assets (id, tenant_id, kind, parent_id, name, path, description, timezone, attributes) "
        f"values (%s, %s, %s, %s, %s, %s, %s, %s, %s) returning {ASSET_COLUMNS}",
        [uuid7(), tenant_id, kind.value, parent_id, name, path, *details],
        path,
        kind.value,
    )


async def list_assets(
    conn: Conn,
    *,
    kind: AssetKind | str | None = None,
    parent_id: uuid.UUID | None = None,
    path_prefix: str | None = None,
    q: str | None = None,
    limit: int | None = 100,
    offset: int = 0,
) -> tuple[list[dict[str, Any]], int]:
    """A page of assets ordered by path, and the total matching count. ``limit=None`` means all."""
    kind = parse_kind(AssetKind, kind, "asset kind").value if kind is not None else None
    eq = {"kind": kind, "parent_id": parent_id}
    return await _page(conn, "assets", eq, path_prefix, q, limit, offset)


async def update_asset(conn: Conn, asset_id: uuid.UUID, changes: Mapping[str, Any]) -> dict[str, Any]:
    """Apply the given fields (name, description, timezone, attributes). A new name rewrites the tag
    paths of the asset's whole subtree, sensors included, in one savepoint."""
    _unknown(changes, ASSET_FIELDS)
    row = await get_asset(conn, asset_id)
    sets: list[str] = []
    args: list[Any] = []
    for key in ASSET_DETAILS:
        if key in changes:
            sets.append(f"{key} = %s")
            args.append(asset_detail(key, changes[key]))
    old_path: str = row["path"]
    new_path = old_path
    if "name" in changes and changes["name"] != row["name"]:
        name = check_name(changes["name"], f"{row['kind']} name")
        new_path = f"{old_path.rpartition('/')[0]}/{name}" if row["parent_id"] else name
        sets += ["name = %s", "path = %s"]
        args += [name, new_path]
    if not sets:
        return row
    try:
        async with conn.transaction():
            await conn.execute(
                f"update assets set {', '.join(sets)}, updated_at = now() where id = %s", [*args, asset_id]
            )
            if new_path != old_path:
                for table in ("assets", "sensors"):
                    await conn.execute(
                        f"update {table} set path = %s || substr(path, %s), updated_at = now() "
                        f"where starts_with(path, %s)",
                        [new_path, len(old_path) + 1, old_path + "/"],
                    )
    except psycopg.errors.UniqueViolation:
        raise PathExists(f"asset path {new_path!r} already exists", path=new_path) from None
    return await get_asset(conn, asset_id)


async def delete_asset(conn: Conn, asset_id: uuid.UUID) -> None:
    """Delete an asset that has no child assets and no sensors (409 ``asset_has_children`` otherwise)."""
    row = await get_asset(conn, asset_id)
    cur = await conn.execute(
        "select (select count(*) from assets where parent_id = %s) as children, "
        "(select count(*) from sensors where machine_id = %s) as sensors",
        [asset_id, asset_id],
    )
    n = await cur.fetchone()
    assert n is not None
    refused = AssetHasChildren(
        f"{row['kind']} {row['path']!r} has {n['children']} child asset(s) and {n['sensors']} sensor(s); "
        "delete them first",
        children=n["children"],
        sensors=n["sensors"],
    )
    if n["children"] or n["sensors"]:
        raise refused
    try:
        async with conn.transaction():
            await conn.execute("delete from assets where id = %s", [asset_id])
    except psycopg.errors.ForeignKeyViolation:
        raise refused from None


async def asset_tree(conn: Conn, root_id: uuid.UUID | None = None) -> list[dict[str, Any]]:
    """Nested assets (``children``) with their ``sensors``; the whole tenant's sites when no root."""
    prefix = (await get_asset(conn, root_id))["path"] if root_id is not None else None
    assets, _ = await list_assets(conn, path_prefix=prefix, limit=None)
    sensors, _ = await list_sensors(conn, path_prefix=prefix, limit=None)
    nodes = {a["id"]: {**a, "children": [], "sensors": []} for a in assets}
    roots: list[dict[str, Any]] = []
    for node in nodes.values():  # in path order: parents come before their children
        parent = nodes.get(node["parent_id"])
        (parent["children"] if parent else roots).append(node)
    for sensor in sensors:
        nodes[sensor["machine_id"]]["sensors"].append(sensor)
    return roots


# --- sensors --------------------------------------------------------------------------------------------


async def get_sensor(conn: Conn, sensor_id: uuid.UUID) -> dict[str, Any]:
    cur = await conn.execute(f"select {SENSOR_COLUMNS} from sensors where id = %s", [sensor_id])
    row = await cur.fetchone()
    if row is None:
        raise SensorNotFound(f"sensor {sensor_id} not found")
    return dict(row)


async def create_sensor(
    conn: Conn,
    tenant_id: uuid.UUID,
    *,
    machine_id: uuid.UUID,
    name: str,
    kind: SensorKind | str = SensorKind.OTHER,
    unit: str = "",
    sample_rate_hz: float = 1.0,
    low_limit: float | None = None,
    high_limit: float | None = None,
    safety: bool = False,
) -> dict[str, Any]:
    given = (name, kind, unit, sample_rate_hz, low_limit, high_limit, safety)
    f = check_sensor_fields(dict(zip(SENSOR_FIELDS, given, strict=True)))
    machine = await _parent(conn, machine_id, "machine")
    if machine["kind"] != AssetKind.MACHINE:
        raise InvalidParent(f"sensors belong to machines; asset {machine_id} is a {machine['kind']}")
    path = f"{machine['path']}/{f['name']}"
    return await _write_one(
        conn,
        f"insert into sensors (id, tenant_id, machine_id, path, {', '.join(SENSOR_FIELDS)}) "
        f"values ({', '.join(['%s'] * 11)}) returning {SENSOR_COLUMNS}",
        [uuid7(), tenant_id, machine_id, path, *(f[k] for k in SENSOR_FIELDS)],
        path,
        "sensor",
    )


async def list_sensors(
    conn: Conn,
    *,
    machine_id: uuid.UUID | None = None,
    path_prefix: str | None = None,
    kind: SensorKind | str | None = None,
    q: str | None = None,
    limit: int | None = 100,
    offset: int = 0,
) -> tuple[list[dict[str, Any]], int]:
    """A page of sensors ordered by path, and the total matching count. ``limit=None`` means all."""
    kind = parse_kind(SensorKind, kind, "sensor kind").value if kind is not None else None
    eq = {"machine_id": machine_id, "kind": kind}
    return await _page(conn, "sensors", eq, path_prefix, q, limit, offset)


async def update_sensor(conn: Conn, sensor_id: uuid.UUID, changes: Mapping[str, Any]) -> dict[str, Any]:
    """Apply the given sensor fields; limits are checked against the merged result. Renaming rewrites
    the sensor's path."""
    _unknown(changes, SENSOR_FIELDS)
    row = await get_sensor(conn, sensor_id)
    merged = check_sensor_fields({**{k: row[k] for k in SENSOR_FIELDS}, **changes})
    merged["path"] = f"{row['path'].rpartition('/')[0]}/{merged['name']}"
    cols = [k for k in (*SENSOR_FIELDS, "path") if merged[k] != row[k]]
    if not cols:
        return row
    return await _write_one(
        conn,
        f"update sensors set {', '.join(f'{c} = %s' for c in cols)}, updated_at = now() "
        f"where id = %s returning {SENSOR_COLUMNS}",
        [*(merged[c] for c in cols), sensor_id],
        merged["path"],
        "sensor",
    )


async def delete_sensor(conn: Conn, sensor_id: uuid.UUID) -> None:
    """Delete a sensor; its alerts go with it (foreign key ``on delete cascade``)."""
    cur = await conn.execute("delete from sensors where id = %s returning id", [sensor_id])
    if await cur.fetchone() is None:
        raise SensorNotFound(f"sensor {sensor_id} not found")
