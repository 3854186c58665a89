"""Stored charts: definitions, subgroups (Phase I until the limits are frozen, Phase II after), freezing the
Phase I limits (who/when), Phase II evaluation of new subgroups and their out-of-control signals → alarms.
Every function runs in the caller's tenant transaction (RLS scopes every statement)."""

from __future__ import annotations

import time
import uuid
from typing import Any

import numpy as np
from psycopg.types.json import Jsonb

from mip.alerts.lifecycle import Event
from mip.platform.db import Conn
from mip.platform.ids import uuid7
from mip.quality.spc.alarms import OutOfControl, raise_chart_alarm
from mip.quality.spc.build import options_from, rules_from
from mip.quality.spc.charts import ATTRIBUTES, Params, evaluate
from mip.quality.spc.data import Subgroups
from mip.quality.spc.engine import RunSpec, run_chart
from mip.quality.spc.errors import ChartConflict, ChartNotFound, SpcInputError
from mip.quality.spc.rules import check
from mip.quality.spc.schemas import ChartSettings

COLUMNS = (
    "c.id, c.tenant_id, c.name, c.description, c.chart_type, c.settings, c.source, c.sensor_id, c.machine_id, "
    "c.subgroup_size, c.window_s, c.severity, c.limits, c.limits_version, c.frozen_by, c.frozen_at, c.watermark_ts, "
    "c.created_by, c.created_at, c.updated_at, "
    "(select count(*) from spc_subgroups s where s.chart_id = c.id) as subgroups"
)
PHASE2_WINDOW = 5000  # Phase II subgroups evaluated together (run rules, EWMA/CUSUM history)
MAX_LIST = 10_000


def settings_of(chart: dict[str, Any]) -> ChartSettings:
    return ChartSettings.model_validate(chart["settings"])


async def get_chart(conn: Conn, chart_id: uuid.UUID, *, lock: bool = False) -> dict[str, Any]:
    sql = f"select {COLUMNS} from spc_charts c where c.id = %s" + (" for update of c" if lock else "")
    cur = await conn.execute(sql, [chart_id])
    row = await cur.fetchone()
    if row is None:
        raise ChartNotFound(f"SPC chart {chart_id} not found")
    return dict(row)


async def list_charts(conn: Conn, *, machine_id: uuid.UUID | None, limit: int, offset: int) -> list[dict[str, Any]]:
    where = "where c.machine_id = %(m)s" if machine_id else ""
    cur = await conn.execute(
        f"select {COLUMNS} from spc_charts c {where} order by c.name limit %(l)s offset %(o)s",
        {"m": machine_id, "l": limit, "o": offset},
    )
    return [dict(r) for r in await cur.fetchall()]


def _validate(settings: ChartSettings, source: str, subgroup_size: int, window_s: float | None) -> None:
    options_from(settings)  # limits and spec sanity
    rules_from(settings.rules)
    if source == "sensor" and settings.type in ATTRIBUTES:
        raise SpcInputError("sensor-fed charts chart measurements: use xbar, r, s, imr, ewma or cusum")
    if source == "sensor" and settings.type in ("r", "s") and subgroup_size < 2 and window_s is None:
        raise SpcInputError(f"an {settings.type} chart needs subgroup_size >= 2 (or a time window)")
    if (settings.lsl is not None or settings.usl is not None) and settings.type in ATTRIBUTES:
        raise SpcInputError("capability (lsl/usl) needs a variables chart")


async def create_chart(conn: Conn, tenant_id: uuid.UUID, user_id: uuid.UUID | None, body: Any) -> dict[str, Any]:
    settings: ChartSettings = body.settings
    _validate(settings, body.source, body.subgroup_size, body.window_s)
    machine_id = body.machine_id
    watermark = None
    if body.source == "sensor":
        if body.sensor_id is None:
            raise SpcInputError("a sensor-fed chart needs sensor_id")
        cur = await conn.execute("select machine_id from sensors where id = %s", [body.sensor_id])
        row = await cur.fetchone()
        if row is None:
            raise ChartNotFound(f"sensor {body.sensor_id} not found")
        if machine_id is not None and machine_id != row["machine_id"]:
            raise SpcInputError("machine_id is not the sensor's machine")
        machine_id = row["machine_id"]
        watermark = time.time_ns() if body.start_ts is None else body.start_ts - 1
    else:
        if body.sensor_id is not None:
            raise SpcInputError("manual charts have no sensor_id (use source 'sensor')")
        if machine_id is None:
            raise SpcInputError("a manual chart needs machine_id (the machine its alarms belong to)")
        cur = await conn.execute("select 1 from assets where id = %s", [machine_id])
        if await cur.fetchone() is None:
            raise ChartNotFound(f"machine {machine_id} not found")
    chart_id = uuid7()
    cur = await conn.execute(
        "insert into spc_charts (id, tenant_id, name, description, chart_type, settings, source, sensor_id, "
        "machine_id, subgroup_size, window_s, severity, watermark_ts, created_by) values "
        "(%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s) on conflict (tenant_id, name) do nothing returning id",
        [
            chart_id,
            tenant_id,
            body.name,
            body.description,
            settings.type,
            Jsonb(settings.model_dump(by_alias=True)),
            body.source,
            body.sensor_id,
            machine_id,
            body.subgroup_size,
            body.window_s,
            body.severity,
            watermark,
            user_id,
        ],  # fmt: skip
    )
    if await cur.fetchone() is None:
        raise ChartConflict(f"an SPC chart named {body.name!r} already exists")
    return await get_chart(conn, chart_id)


async def update_chart(conn: Conn, chart_id: uuid.UUID, body: Any) -> dict[str, Any]:
    chart = await get_chart(conn, chart_id, lock=True)
    fields = body.model_dump(exclude_unset=True)
    if "settings" in fields:
        settings: ChartSettings = body.settings
        if settings.type != chart["chart_type"] and chart["subgroups"]:
            raise ChartConflict("the chart type cannot change once the chart has subgroups; create a new chart")
        _validate(settings, chart["source"], chart["subgroup_size"], chart["window_s"])
        fields["settings"] = Jsonb(settings.model_dump(by_alias=True))
        fields["chart_type"] = settings.type
    if not fields:
        return chart
    sets = ", ".join(f"{k} = %({k})s" for k in fields)
    cur = await conn.execute(
        f"update spc_charts set {sets}, updated_at = now() where id = %(id)s and not exists "
        "(select 1 from spc_charts o where o.name = %(name)s and o.id <> %(id)s) returning id",
        {**fields, "id": chart_id, "name": fields.get("name", chart["name"])},
    )
    if await cur.fetchone() is None:
        raise ChartConflict(f"an SPC chart named {fields.get('name')!r} already exists")
    return await get_chart(conn, chart_id)


async def delete_chart(conn: Conn, chart_id: uuid.UUID) -> None:
    cur = await conn.execute("delete from spc_charts where id = %s returning id", [chart_id])
    if await cur.fetchone() is None:
        raise ChartNotFound(f"SPC chart {chart_id} not found")


_SUB_COLS = "id, seq, ts, values, count, size, phase, excluded, note, created_by, created_at"


async def list_subgroups(
    conn: Conn, chart_id: uuid.UUID, *, phase: int | None = None, after_seq: int = 0, limit: int = MAX_LIST
) -> list[dict[str, Any]]:
    await get_chart(conn, chart_id)
    cur = await conn.execute(
        f"select {_SUB_COLS} from spc_subgroups where chart_id = %s and seq > %s "
        "and (%s::int is null or phase = %s::int) order by seq limit %s",
        [chart_id, after_seq, phase, phase, limit],
    )
    return [dict(r) for r in await cur.fetchall()]


def subgroups_of(chart: dict[str, Any], rows: list[dict[str, Any]]) -> Subgroups:
    labels = [str(r["seq"]) for r in rows]
    if chart["chart_type"] in ATTRIBUTES:
        return Subgroups.from_counts([r["count"] for r in rows], [r["size"] for r in rows], labels)
    return Subgroups.from_groups([list(r["values"]) for r in rows], labels)


async def add_subgroups(
    conn: Conn,
    tenant_id: uuid.UUID,
    chart: dict[str, Any],
    items: list[dict[str, Any]],
    user_id: uuid.UUID | None,
    events: list[Event],
) -> dict[str, Any]:
    """Append subgroups (``values`` or ``count``/``size``, ``ts``, ``note``); Phase II ones are evaluated.
    ``chart`` must have been read with ``lock=True`` (serialises writers of one chart)."""
    attrs = chart["chart_type"] in ATTRIBUTES
    for i, it in enumerate(items):
        if attrs:
            if it.get("count") is None or it.get("size") is None:
                raise SpcInputError(f"subgroup {i + 1}: a {chart['chart_type']} chart takes count and size")
            if it["count"] < 0 or it["size"] <= 0:
                raise SpcInputError(f"subgroup {i + 1}: count must be >= 0 and size > 0")
            if chart["chart_type"] in ("p", "np") and it["count"] > it["size"]:
                raise SpcInputError(f"subgroup {i + 1}: more defectives than inspected")
        else:
            vals = it.get("values")
            if not vals:
                raise SpcInputError(f"subgroup {i + 1}: a {chart['chart_type']} chart takes values")
            if chart["chart_type"] in ("r", "s") and len(vals) < 2:
                raise SpcInputError(f"subgroup {i + 1}: an {chart['chart_type']} chart needs at least 2 values")
            if not np.isfinite(np.asarray(vals, np.float64)).all():
                raise SpcInputError(f"subgroup {i + 1}: values must be finite numbers")
    cur = await conn.execute("select coalesce(max(seq), 0) as s from spc_subgroups where chart_id = %s", [chart["id"]])
    row = await cur.fetchone()
    seq0 = int(row["s"]) if row else 0
    phase = 2 if chart["limits"] is not None else 1
    now = time.time_ns()
    rows = [
        [
            uuid7(),
            tenant_id,
            chart["id"],
            seq0 + i + 1,
            it.get("ts") or now,
            None if attrs else it["values"],
            it.get("count") if attrs else None,
            it["size"] if attrs else float(len(it["values"])),
            phase,
            it.get("note") or "",
            user_id,
        ]  # fmt: skip
        for i, it in enumerate(items)
    ]
    async with conn.cursor() as c:
        await c.executemany(
            "insert into spc_subgroups (id, tenant_id, chart_id, seq, ts, values, count, size, phase, note, "
            "created_by) values (%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s)",
            rows,
        )
    new = {seq0 + i + 1 for i in range(len(items))}
    signals = await evaluate_phase2(conn, tenant_id, chart, new, events) if phase == 2 else []
    return {"phase": phase, "first_seq": seq0 + 1, "last_seq": seq0 + len(items), "signals": signals}


async def evaluate_phase2(
    conn: Conn, tenant_id: uuid.UUID, chart: dict[str, Any], new: set[int], events: list[Event]
) -> list[dict[str, Any]]:
    """Evaluate the latest Phase II subgroups against the frozen limits; record the signals of ``new`` ones
    and raise (or count into) the chart's alarm."""
    if not new:
        return []
    cur = await conn.execute(
        f"select {_SUB_COLS} from (select * from spc_subgroups where chart_id = %s and phase = 2 "
        "order by seq desc limit %s) s order by seq",
        [chart["id"], PHASE2_WINDOW],
    )
    rows = [dict(r) for r in await cur.fetchall()]
    params = Params.from_dict(chart["limits"]["params"])
    series = evaluate(params, subgroups_of(chart, rows))
    rules = rules_from(settings_of(chart).rules)
    found: dict[int, list[Any]] = {}
    for v in check(series, rules):
        if rows[v.index]["seq"] in new:
            found.setdefault(v.index, []).append(v)
    out: list[dict[str, Any]] = []
    ooc: list[OutOfControl] = []
    for idx, vs in sorted(found.items()):
        r = rows[idx]
        value = float(series.stat[idx])
        sd = float(series.sd[idx]) or 1.0
        lower = float(series.lower[idx]) if series.lower is not None else 0.0
        score = max(abs(value - float(series.center[idx])), abs(lower)) / sd
        above = value >= float(series.center[idx])
        ooc.append(OutOfControl(int(r["ts"]), value, score, float(series.ucl[idx] if above else series.lcl[idx]),
                                str(r["seq"]), tuple(v.rule for v in vs), vs[0].description))  # fmt: skip
        for v in vs:
            out.append({"seq": r["seq"], "subgroup_id": r["id"], "rule": v.rule, "description": v.description,
                        "value": value})  # fmt: skip
    evs, alert_id = await raise_chart_alarm(conn, tenant_id, chart, ooc)
    events.extend(evs)
    for s in out:
        s["alert_id"] = alert_id
        await conn.execute(
            "insert into spc_signals (id, tenant_id, chart_id, subgroup_id, rule, description, value, alert_id) "
            "values (%s,%s,%s,%s,%s,%s,%s,%s) on conflict (subgroup_id, rule) do nothing",
            [uuid7(), tenant_id, chart["id"], s["subgroup_id"], s["rule"], s["description"], s["value"], alert_id],
        )
    return out


async def freeze_limits(
    conn: Conn, tenant_id: uuid.UUID, chart_id: uuid.UUID, body: Any, user_id: uuid.UUID | None, events: list[Event]
) -> dict[str, Any]:
    """Estimate the Phase I limits from the Phase I subgroups (up to ``through_seq``), freeze them with who and
    when; Phase I subgroups after ``through_seq`` become Phase II and are evaluated."""
    chart = await get_chart(conn, chart_id, lock=True)
    rows = await list_subgroups(conn, chart_id, phase=1)
    if body.through_seq is not None:
        rows = [r for r in rows if r["seq"] <= body.through_seq]
    if len(rows) < 2:
        raise ChartConflict("at least 2 Phase I subgroups are needed to freeze limits")
    settings = settings_of(chart)
    data = subgroups_of(chart, rows)
    known = {str(r["seq"]) for r in rows}
    exclude = tuple(str(x) for x in body.exclude)
    if set(exclude) - known:
        raise SpcInputError(f"not Phase I subgroups: {', '.join(sorted(set(exclude) - known))}")
    spec = RunSpec(options_from(settings), rules_from(settings.rules), exclude=exclude,
                   auto_exclude=body.auto_exclude, max_iter=body.max_iter)  # fmt: skip
    result = run_chart(spec, data)
    excluded = [int(x) for x in result["phase1"]["excluded"]]
    limits = {"params": result["params"], "phase1": result["phase1"], "limits": result["limits"],
              "through_seq": rows[-1]["seq"]}  # fmt: skip
    await conn.execute(
        "update spc_subgroups set excluded = (seq = any(%s)) where chart_id = %s and phase = 1 and seq <= %s",
        [excluded, chart_id, rows[-1]["seq"]],
    )
    cur = await conn.execute(
        "update spc_subgroups set phase = 2 where chart_id = %s and phase = 1 and seq > %s returning seq",
        [chart_id, rows[-1]["seq"]],
    )
    moved = {int(r["seq"]) for r in await cur.fetchall()}
    await conn.execute(
        "update spc_charts set limits = %s, limits_version = limits_version + 1, frozen_by = %s, frozen_at = now(), "
        "updated_at = now() where id = %s",
        [Jsonb(limits), user_id, chart_id],
    )
    chart = await get_chart(conn, chart_id)
    if moved:
        await evaluate_phase2(conn, tenant_id, chart, moved, events)
    return chart


async def chart_view(conn: Conn, chart_id: uuid.UUID, *, last: int) -> dict[str, Any]:
    """The stored chart computed: Phase I points with their limits (frozen, or trial limits while in Phase I),
    the last ``last`` Phase II points, violations and capability."""
    chart = await get_chart(conn, chart_id)
    settings = settings_of(chart)
    ph1 = await list_subgroups(conn, chart_id, phase=1)
    cur = await conn.execute(
        f"select {_SUB_COLS} from (select * from spc_subgroups where chart_id = %s and phase = 2 "
        "order by seq desc limit %s) s order by seq",
        [chart_id, last],
    )
    ph2 = [dict(r) for r in await cur.fetchall()]
    if not ph1 and not ph2:
        raise ChartConflict("the chart has no subgroups yet")
    data = subgroups_of(chart, ph1 + ph2)
    excluded = tuple(str(r["seq"]) for r in ph1 if r["excluded"])
    frozen = Params.from_dict(chart["limits"]["params"]) if chart["limits"] else None
    spec = RunSpec(
        options_from(settings),
        rules_from(settings.rules),
        phase1=len(ph1) if frozen or ph2 else None,
        exclude=excluded,
        frozen=frozen,
        lsl=settings.lsl,
        usl=settings.usl,
        target=settings.target,
    )
    out = run_chart(spec, data)
    if frozen is not None:
        out["phase1"] = {**chart["limits"]["phase1"], "subgroups": len(ph1)}
    return out
