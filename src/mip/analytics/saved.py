"""Saved queries: per-tenant SQL with a unique name, an owner and declared $name parameters."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Mapping
from typing import Any

import psycopg
from psycopg.types.json import Jsonb

from mip.analytics.errors import BadParameters, SavedQueryNameTaken, SavedQueryNotFound
from mip.analytics.schemas import ParamSpec
from mip.platform.db import Conn
from mip.platform.ids import uuid7

COLUMNS = "id, tenant_id, name, description, sql, parameters, owner_id, created_at, updated_at"  # models.py


def check_declared(sql_params: set[str], specs: list[ParamSpec]) -> None:
    """Every $name in the SQL is declared, every declared parameter is used, no name twice."""
    names = [p.name for p in specs]
    if len(set(names)) != len(names):
        raise BadParameters("parameter names must be unique")
    undeclared = sorted(sql_params - set(names))
    unused = sorted(set(names) - sql_params)
    if undeclared:
        raise BadParameters(f"declare the query's parameters: {', '.join('$' + n for n in undeclared)}")
    if unused:
        raise BadParameters(f"declared parameters the query does not use: {', '.join(unused)}")
    for p in specs:
        if p.default is not None:
            coerce(p, p.default)


def coerce(spec: ParamSpec, value: Any) -> Any:
    """A parameter value as its declared type (CLI values arrive as strings)."""
    try:
        if spec.type == "string":
            return str(value)
        if spec.type == "boolean":
            if isinstance(value, str) and value.lower() in ("true", "false"):
                return value.lower() == "true"
            if isinstance(value, bool):
                return value
            raise ValueError("expected true or false")
        if spec.type == "integer":
            if isinstance(value, bool) or (isinstance(value, float) and not value.is_integer()):
                raise ValueError("expected an integer")
            return int(value)
        if spec.type == "number":
            if isinstance(value, bool):
                raise ValueError("expected a number")
            return float(value)
        ts = dt.datetime.fromisoformat(str(value).replace("Z", "+00:00"))
        return ts if ts.tzinfo else ts.replace(tzinfo=dt.UTC)
    except (TypeError, ValueError) as exc:
        raise BadParameters(f"parameter {spec.name} ({spec.type}): {value!r} is not valid: {exc}") from None


def bind(specs: list[ParamSpec], given: Mapping[str, Any]) -> dict[str, Any]:
    known = {p.name for p in specs}
    unknown = sorted(set(given) - known)
    if unknown:
        raise BadParameters(f"unknown parameters: {', '.join(unknown)}; declared: {', '.join(sorted(known))}")
    out: dict[str, Any] = {}
    for p in specs:
        value = given.get(p.name, p.default)
        if value is None:
            raise BadParameters(f"parameter {p.name} has no value and no default", parameter=p.name)
        out[p.name] = coerce(p, value)
    return out


def specs_of(row: Mapping[str, Any]) -> list[ParamSpec]:
    return [ParamSpec.model_validate(p) for p in row["parameters"] or []]


async def list_saved(conn: Conn) -> list[dict[str, Any]]:
    cur = await conn.execute(f"select {COLUMNS} from saved_queries order by name")
    return list(await cur.fetchall())


async def get_saved(conn: Conn, query_id: uuid.UUID) -> dict[str, Any]:
    cur = await conn.execute(f"select {COLUMNS} from saved_queries where id = %s", [query_id])
    row = await cur.fetchone()
    if row is None:
        raise SavedQueryNotFound(f"saved query {query_id} not found")
    return dict(row)


async def find_saved(conn: Conn, ref: str) -> dict[str, Any]:
    """By id or by name (the CLI accepts either)."""
    try:
        return await get_saved(conn, uuid.UUID(ref))
    except ValueError:
        pass
    cur = await conn.execute(f"select {COLUMNS} from saved_queries where name = %s", [ref])
    row = await cur.fetchone()
    if row is None:
        raise SavedQueryNotFound(f"saved query {ref!r} not found")
    return dict(row)


def _params_json(specs: list[ParamSpec]) -> Jsonb:
    return Jsonb([p.model_dump() for p in specs])


async def create_saved(
    conn: Conn,
    tenant_id: uuid.UUID,
    owner_id: uuid.UUID | None,
    *,
    name: str,
    description: str,
    sql: str,
    parameters: list[ParamSpec],
) -> dict[str, Any]:
    try:
        async with conn.transaction():
            cur = await conn.execute(
                f"insert into saved_queries (id, tenant_id, name, description, sql, parameters, owner_id)"
                f" values (%s, %s, %s, %s, %s, %s, %s) returning {COLUMNS}",
                [uuid7(), tenant_id, name, description, sql, _params_json(parameters), owner_id],
            )
            row = await cur.fetchone()
    except psycopg.errors.UniqueViolation:
        raise SavedQueryNameTaken(f"a saved query named {name!r} already exists", name=name) from None
    assert row is not None
    return dict(row)


async def update_saved(conn: Conn, query_id: uuid.UUID, changes: dict[str, Any]) -> dict[str, Any]:
    current = await get_saved(conn, query_id)
    if not changes:
        return current
    sets = []
    values: list[Any] = []
    for key, value in changes.items():
        sets.append(f"{key} = %s")
        values.append(_params_json(value) if key == "parameters" else value)
    try:
        async with conn.transaction():
            cur = await conn.execute(
                f"update saved_queries set {', '.join(sets)}, updated_at = now() where id = %s returning {COLUMNS}",
                [*values, query_id],
            )
            row = await cur.fetchone()
    except psycopg.errors.UniqueViolation:
        raise SavedQueryNameTaken(f"a saved query named {changes.get('name')!r} already exists") from None
    assert row is not None
    return dict(row)


async def delete_saved(conn: Conn, query_id: uuid.UUID) -> None:
    cur = await conn.execute("delete from saved_queries where id = %s", [query_id])
    if cur.rowcount == 0:
        raise SavedQueryNotFound(f"saved query {query_id} not found")
