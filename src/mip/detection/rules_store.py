"""Rules in PostgreSQL: every change is a new version (kept with who and when); deletes are versions too."""

from __future__ import annotations

import uuid
from typing import Any

from psycopg.types.json import Jsonb

from mip.detection.errors import InvalidRuleScope, RuleNotFound, RuleVersionConflict
from mip.detection.spec import RuleBody, RuleSpec
from mip.platform.db import Conn

_COLUMNS = "id, tenant_id, version, name, enabled, spec, deleted, created_by, updated_by, created_at, updated_at"


def _spec_json(body: RuleBody) -> dict[str, Any]:
    return body.model_dump(mode="json")


def to_spec(row: dict[str, Any]) -> RuleSpec:
    return RuleSpec.model_validate({**row["spec"], "id": row["id"], "version": row["version"]})


async def _check_scope(conn: Conn, body: RuleBody) -> None:
    """The scope's sensor or machine must exist in this tenant (RLS hides every other tenant's)."""
    s = body.scope
    if s.sensor_id is not None:
        cur = await conn.execute("select 1 from sensors where id = %s", [s.sensor_id])
        if await cur.fetchone() is None:
            raise InvalidRuleScope(f"scope.sensor_id {s.sensor_id}: no such sensor")
    if s.machine_id is not None:
        cur = await conn.execute("select 1 from assets where id = %s and kind = 'machine'", [s.machine_id])
        if await cur.fetchone() is None:
            raise InvalidRuleScope(f"scope.machine_id {s.machine_id}: no such machine")


async def _record_version(
    conn: Conn, tenant_id: uuid.UUID, rule_id: uuid.UUID, version: int, change: str, spec: dict[str, Any], by: Any
) -> None:
    await conn.execute(
        "insert into detection_rule_versions (tenant_id, rule_id, version, change, spec, changed_by) "
        "values (%s, %s, %s, %s, %s, %s)",
        [tenant_id, rule_id, version, change, Jsonb(spec), by],
    )


async def create_rule(conn: Conn, tenant_id: uuid.UUID, body: RuleBody, user_id: uuid.UUID | None) -> dict[str, Any]:
    await _check_scope(conn, body)
    rule_id = uuid.uuid4()
    spec = _spec_json(body)
    cur = await conn.execute(
        f"insert into detection_rules (id, tenant_id, version, name, enabled, spec, created_by, updated_by) "
        f"values (%s, %s, 1, %s, %s, %s, %s, %s) returning {_COLUMNS}",
        [rule_id, tenant_id, body.name, body.enabled, Jsonb(spec), user_id, user_id],
    )
    row = await cur.fetchone()
    assert row is not None
    await _record_version(conn, tenant_id, rule_id, 1, "created", spec, user_id)
    return dict(row)


async def get_rule(conn: Conn, rule_id: uuid.UUID, *, for_update: bool = False) -> dict[str, Any]:
    lock = " for update" if for_update else ""
    cur = await conn.execute(f"select {_COLUMNS} from detection_rules where id = %s and not deleted{lock}", [rule_id])
    row = await cur.fetchone()
    if row is None:
        raise RuleNotFound(f"rule {rule_id} not found")
    return dict(row)


async def update_rule(
    conn: Conn, rule_id: uuid.UUID, body: RuleBody, expected_version: int | None, user_id: uuid.UUID | None
) -> dict[str, Any]:
    current = await get_rule(conn, rule_id, for_update=True)
    if expected_version is not None and expected_version != current["version"]:
        raise RuleVersionConflict(
            f"rule {rule_id} is at version {current['version']}, not {expected_version}: reload and retry"
        )
    await _check_scope(conn, body)
    spec = _spec_json(body)
    if spec == current["spec"]:
        return current  # nothing changed: no new version
    version = current["version"] + 1
    cur = await conn.execute(
        f"update detection_rules set version = %s, name = %s, enabled = %s, spec = %s, updated_by = %s, "
        f"updated_at = now() where id = %s returning {_COLUMNS}",
        [version, body.name, body.enabled, Jsonb(spec), user_id, rule_id],
    )
    row = await cur.fetchone()
    assert row is not None
    await _record_version(conn, current["tenant_id"], rule_id, version, "updated", spec, user_id)
    return dict(row)


async def delete_rule(conn: Conn, rule_id: uuid.UUID, user_id: uuid.UUID | None) -> dict[str, Any]:
    current = await get_rule(conn, rule_id, for_update=True)
    version = current["version"] + 1
    cur = await conn.execute(
        f"update detection_rules set version = %s, enabled = false, deleted = true, updated_by = %s, "
        f"updated_at = now() where id = %s returning {_COLUMNS}",
        [version, user_id, rule_id],
    )
    row = await cur.fetchone()
    assert row is not None
    await _record_version(conn, current["tenant_id"], rule_id, version, "deleted", current["spec"], user_id)
    return dict(row)


async def list_rules(
    conn: Conn, *, enabled: bool | None = None, limit: int = 100, offset: int = 0
) -> list[dict[str, Any]]:
    where = "not deleted" + ("" if enabled is None else " and enabled = %(enabled)s")
    cur = await conn.execute(
        f"select {_COLUMNS} from detection_rules where {where} order by name, id limit %(limit)s offset %(offset)s",
        {"enabled": enabled, "limit": limit, "offset": offset},
    )
    return [dict(r) for r in await cur.fetchall()]


async def list_versions(conn: Conn, rule_id: uuid.UUID) -> list[dict[str, Any]]:
    cur = await conn.execute(
        "select rule_id, version, change, spec, changed_by, changed_at from detection_rule_versions "
        "where rule_id = %s order by version",
        [rule_id],
    )
    rows = [dict(r) for r in await cur.fetchall()]
    if not rows:
        raise RuleNotFound(f"rule {rule_id} not found")
    return rows


async def active_rules(conn: Conn) -> list[RuleSpec]:
    """The tenant's enabled rules, as the engine runs them."""
    cur = await conn.execute(f"select {_COLUMNS} from detection_rules where enabled and not deleted order by id")
    return [to_spec(dict(r)) for r in await cur.fetchall()]
