"""OEE configuration: downtime reason codes, shifts per site, planned stops, per-asset signal/rate config.

Configuration changes apply to what is computed afterwards (live reads and the next rollup run); hours
already rolled up keep their numbers until they are recomputed (``POST /api/v1/oee/rollups/recompute``).
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from datetime import time
from typing import Any

import psycopg

from mip.oee.calendar import Weekly, minute_of_day, weekly_overlap
from mip.oee.context import CONFIG_FIELDS, ancestors, effective_config, load_assets, load_machines
from mip.oee.errors import (
    AssetNotFound,
    ConfigNotFound,
    InvalidOeeInput,
    PlannedStopNotFound,
    ReasonExists,
    ReasonInUse,
    ReasonNotFound,
    ShiftConflict,
    ShiftNotFound,
    SiteNotFound,
    UnknownReason,
    UnknownSensor,
)
from mip.platform.db import Conn
from mip.platform.ids import uuid7

REASON_COLS = "id, code, name, category, description, created_at, updated_at"
SHIFT_COLS = "id, site_id, name, start_time, end_time, days, created_at, updated_at"
STOP_COLS = "id, asset_id, name, reason_code, start_time, end_time, days, start_ns, end_ns, created_at, updated_at"
CONFIG_COLS = "asset_id, " + ", ".join(CONFIG_FIELDS) + ", created_at, updated_at"


async def _one(conn: Conn, sql: str, args: list[Any], missing: Exception) -> dict[str, Any]:
    cur = await conn.execute(sql, args)
    row = await cur.fetchone()
    if row is None:
        raise missing
    return dict(row)


# -- reason codes ------------------------------------------------------------------------------------------


async def list_reasons(conn: Conn) -> list[dict[str, Any]]:
    cur = await conn.execute(f"select {REASON_COLS} from oee_reason_codes order by code")
    return [dict(r) for r in await cur.fetchall()]


async def reason_category(conn: Conn, code: str | None) -> str | None:
    if code is None:
        return None
    cur = await conn.execute("select category from oee_reason_codes where code = %s", [code])
    row = await cur.fetchone()
    if row is None:
        raise UnknownReason(f"no reason code {code!r} in this tenant", reason_code=code)
    return str(row["category"])


async def create_reason(
    conn: Conn, tenant_id: uuid.UUID, *, code: str, name: str, category: str, description: str = ""
) -> dict[str, Any]:
    try:
        async with conn.transaction():
            cur = await conn.execute(
                f"insert into oee_reason_codes (id, tenant_id, code, name, category, description) "
                f"values (%s, %s, %s, %s, %s, %s) returning {REASON_COLS}",
                [uuid7(), tenant_id, code, name, category, description],
            )
    except psycopg.errors.UniqueViolation:
        raise ReasonExists(f"reason code {code!r} already exists", reason_code=code) from None
    row = await cur.fetchone()
    assert row is not None
    return dict(row)


async def update_reason(conn: Conn, reason_id: uuid.UUID, changes: Mapping[str, Any]) -> dict[str, Any]:
    sets = [f"{k} = %s" for k in changes if k in ("name", "category", "description")]
    args = [v for k, v in changes.items() if k in ("name", "category", "description")]
    sql = (
        f"update oee_reason_codes set {', '.join(sets + ['updated_at = now()'])} where id = %s returning {REASON_COLS}"
    )
    return await _one(conn, sql, [*args, reason_id], ReasonNotFound(f"reason {reason_id} not found"))


async def delete_reason(conn: Conn, reason_id: uuid.UUID) -> None:
    try:
        async with conn.transaction():
            cur = await conn.execute("delete from oee_reason_codes where id = %s returning code", [reason_id])
            row = await cur.fetchone()
    except psycopg.errors.ForeignKeyViolation:
        raise ReasonInUse("the reason code is used by downtime entries or planned stops") from None
    if row is None:
        raise ReasonNotFound(f"reason {reason_id} not found")


# -- shifts ------------------------------------------------------------------------------------------------


def check_minutes(*times: time | None) -> None:
    for t in times:
        if t is not None and (t.second or t.microsecond):
            raise InvalidOeeInput("shift and stop times are whole minutes (HH:MM)")


async def _site(conn: Conn, site_id: uuid.UUID) -> None:
    cur = await conn.execute("select kind from assets where id = %s", [site_id])
    row = await cur.fetchone()
    if row is None or row["kind"] != "site":
        raise SiteNotFound(f"site {site_id} not found")


async def _check_shift(conn: Conn, site_id: uuid.UUID, shift: dict[str, Any], skip: uuid.UUID | None) -> None:
    check_minutes(shift["start_time"], shift["end_time"])
    mine = Weekly(minute_of_day(shift["start_time"]), minute_of_day(shift["end_time"]), frozenset(shift["days"]))
    for other in await list_shifts(conn, site_id):
        if other["id"] == skip:
            continue
        if other["name"] == shift["name"]:
            raise ShiftConflict(f"the site already has a shift named {shift['name']!r}")
        theirs = Weekly(minute_of_day(other["start_time"]), minute_of_day(other["end_time"]), frozenset(other["days"]))
        if weekly_overlap(mine, theirs):
            raise ShiftConflict(f"overlaps shift {other['name']!r} of the same site", shift_id=str(other["id"]))


async def list_shifts(conn: Conn, site_id: uuid.UUID | None = None) -> list[dict[str, Any]]:
    where = "where site_id = %s" if site_id else ""
    cur = await conn.execute(
        f"select {SHIFT_COLS} from oee_shifts {where} order by site_id, start_time", [site_id] if site_id else []
    )
    return [dict(r) for r in await cur.fetchall()]


async def create_shift(conn: Conn, tenant_id: uuid.UUID, shift: dict[str, Any]) -> dict[str, Any]:
    await _site(conn, shift["site_id"])
    await _check_shift(conn, shift["site_id"], shift, None)
    cur = await conn.execute(
        f"insert into oee_shifts (id, tenant_id, site_id, name, start_time, end_time, days) "
        f"values (%s, %s, %s, %s, %s, %s, %s) returning {SHIFT_COLS}",
        [uuid7(), tenant_id, shift["site_id"], shift["name"], shift["start_time"], shift["end_time"], shift["days"]],
    )
    row = await cur.fetchone()
    assert row is not None
    return dict(row)


async def update_shift(conn: Conn, shift_id: uuid.UUID, changes: Mapping[str, Any]) -> dict[str, Any]:
    old = await _one(
        conn,
        f"select {SHIFT_COLS} from oee_shifts where id = %s",
        [shift_id],
        ShiftNotFound(f"shift {shift_id} not found"),
    )
    new = {**old, **{k: v for k, v in changes.items() if k in ("name", "start_time", "end_time", "days")}}
    await _check_shift(conn, old["site_id"], new, shift_id)
    cur = await conn.execute(
        f"update oee_shifts set name = %s, start_time = %s, end_time = %s, days = %s, updated_at = now() "
        f"where id = %s returning {SHIFT_COLS}",
        [new["name"], new["start_time"], new["end_time"], new["days"], shift_id],
    )
    row = await cur.fetchone()
    assert row is not None
    return dict(row)


async def delete_shift(conn: Conn, shift_id: uuid.UUID) -> None:
    cur = await conn.execute("delete from oee_shifts where id = %s", [shift_id])
    if cur.rowcount == 0:
        raise ShiftNotFound(f"shift {shift_id} not found")


# -- planned stops -----------------------------------------------------------------------------------------


async def _asset(conn: Conn, asset_id: uuid.UUID) -> dict[str, Any]:
    return await _one(
        conn,
        "select id, kind, path from assets where id = %s",
        [asset_id],
        AssetNotFound(f"asset {asset_id} not found"),
    )


async def list_stops(conn: Conn, asset_id: uuid.UUID | None = None) -> list[dict[str, Any]]:
    where = "where asset_id = %s" if asset_id else ""
    cur = await conn.execute(
        f"select {STOP_COLS} from oee_planned_stops {where} order by asset_id, start_ns nulls first, start_time",
        [asset_id] if asset_id else [],
    )
    return [dict(r) for r in await cur.fetchall()]


async def create_stop(conn: Conn, tenant_id: uuid.UUID, stop: dict[str, Any]) -> dict[str, Any]:
    await _asset(conn, stop["asset_id"])
    await reason_category(conn, stop.get("reason_code"))
    recurring = stop.get("start_time") is not None
    if recurring:
        check_minutes(stop["start_time"], stop["end_time"])
    cur = await conn.execute(
        f"insert into oee_planned_stops (id, tenant_id, asset_id, name, reason_code, start_time, end_time, days, "
        f"start_ns, end_ns) values (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s) returning {STOP_COLS}",
        [
            uuid7(), tenant_id, stop["asset_id"], stop["name"], stop.get("reason_code"),
            stop.get("start_time"), stop.get("end_time"), stop.get("days") if recurring else None,
            stop.get("start_ns"), stop.get("end_ns"),
        ],
    )  # fmt: skip
    row = await cur.fetchone()
    assert row is not None
    return dict(row)


async def delete_stop(conn: Conn, stop_id: uuid.UUID) -> None:
    cur = await conn.execute("delete from oee_planned_stops where id = %s", [stop_id])
    if cur.rowcount == 0:
        raise PlannedStopNotFound(f"planned stop {stop_id} not found")


# -- per-asset configuration -------------------------------------------------------------------------------


async def list_configs(conn: Conn) -> list[dict[str, Any]]:
    cur = await conn.execute(
        f"select {', '.join('c.' + c.strip() for c in CONFIG_COLS.split(','))}, a.kind, a.path "
        "from oee_configs c join assets a on a.id = c.asset_id order by a.path"
    )
    return [dict(r) for r in await cur.fetchall()]


async def get_config(conn: Conn, asset_id: uuid.UUID) -> dict[str, Any]:
    """The asset's own config and, for a machine, the effective one (inherited field by field)."""
    asset = await _asset(conn, asset_id)
    cur = await conn.execute(f"select {CONFIG_COLS} from oee_configs where asset_id = %s", [asset_id])
    own = await cur.fetchone()
    out: dict[str, Any] = {"asset_id": asset_id, "kind": asset["kind"], "path": asset["path"]}
    out["own"] = {k: own[k] for k in CONFIG_FIELDS} if own else None
    if asset["kind"] == "machine":
        m = (await load_machines(conn, [asset_id]))[0]
        out["effective"], out["configured"] = m.config, m.configured
    else:
        cur = await conn.execute("select asset_id, " + ", ".join(CONFIG_FIELDS) + " from oee_configs")
        configs = {r["asset_id"]: dict(r) for r in await cur.fetchall()}
        out["effective"] = effective_config(ancestors(await load_assets(conn), asset_id), configs)
        out["configured"] = None
    return out


async def _check_sensors(conn: Conn, asset: dict[str, Any], fields: Mapping[str, Any]) -> None:
    if asset["kind"] != "machine":
        return  # inherited by name: each machine below resolves it among its own sensors
    cur = await conn.execute("select name from sensors where machine_id = %s", [asset["id"]])
    names = {r["name"] for r in await cur.fetchall()}
    for key in ("run_sensor", "idle_sensor", "counter_sensor"):
        if fields.get(key) is not None and fields[key] not in names:
            raise UnknownSensor(f"{key}: the machine has no sensor named {fields[key]!r}", field=key)


async def put_config(
    conn: Conn, tenant_id: uuid.UUID, asset_id: uuid.UUID, fields: Mapping[str, Any]
) -> dict[str, Any]:
    """Replace the asset's own config (unset fields are inherited)."""
    asset = await _asset(conn, asset_id)
    await _check_sensors(conn, asset, fields)
    values = [fields.get(k) for k in CONFIG_FIELDS]
    cols = ", ".join(CONFIG_FIELDS)
    marks = ", ".join(["%s"] * len(values))
    updates = ", ".join(f"{k} = excluded.{k}" for k in CONFIG_FIELDS)
    await conn.execute(
        f"insert into oee_configs (id, tenant_id, asset_id, {cols}) values (%s, %s, %s, {marks}) "
        f"on conflict (tenant_id, asset_id) do update set {updates}, updated_at = now()",
        [uuid7(), tenant_id, asset_id, *values],
    )
    return await get_config(conn, asset_id)


async def delete_config(conn: Conn, asset_id: uuid.UUID) -> None:
    cur = await conn.execute("delete from oee_configs where asset_id = %s", [asset_id])
    if cur.rowcount == 0:
        raise ConfigNotFound(f"asset {asset_id} has no OEE config of its own")
