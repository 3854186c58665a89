"""Loads what OEE needs to know about machines in a few set-based queries: the hierarchy (line, site, time
zone), the effective configuration (a machine inherits every unset field from its nearest ancestor), the
configured sensors resolved by name on the machine, the site's shifts and the planned stops in scope."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from mip.oee.calendar import ShiftDef, Span, Weekly, minute_of_day, weekly_instances
from mip.platform.db import Conn

CONFIG_FIELDS = (
    "ideal_cycle_s",
    "run_sensor",
    "run_threshold",
    "idle_sensor",
    "idle_threshold",
    "counter_sensor",
    "counter_mode",
)


@dataclass(frozen=True, slots=True)
class StopDef:
    id: uuid.UUID
    name: str
    reason_code: str | None
    weekly: Weekly | None
    start_ns: int | None
    end_ns: int | None

    def spans(self, tz: ZoneInfo, a: int, b: int) -> list[Span]:
        if self.weekly is not None:
            return [(s, e) for s, e, _ in weekly_instances(self.weekly, tz, a, b)]
        assert self.start_ns is not None
        assert self.end_ns is not None
        return [(self.start_ns, self.end_ns)] if self.start_ns < b and self.end_ns > a else []


@dataclass(slots=True)
class MachineCtx:
    id: uuid.UUID
    name: str
    path: str
    line_id: uuid.UUID | None
    site_id: uuid.UUID | None
    timezone: str
    config: dict[str, Any]
    sensors: dict[str, uuid.UUID] = field(default_factory=dict)
    shifts: list[ShiftDef] = field(default_factory=list)
    stops: list[StopDef] = field(default_factory=list)

    @property
    def tz(self) -> ZoneInfo:
        return zone(self.timezone)

    def sensor(self, key: str) -> uuid.UUID | None:
        name = self.config.get(key)
        return self.sensors.get(name) if name else None

    @property
    def run_sensor_id(self) -> uuid.UUID | None:
        return self.sensor("run_sensor")

    @property
    def idle_sensor_id(self) -> uuid.UUID | None:
        return self.sensor("idle_sensor")

    @property
    def counter_sensor_id(self) -> uuid.UUID | None:
        return self.sensor("counter_sensor")

    @property
    def configured(self) -> bool:
        """A running signal that exists on this machine: without one every minute counts as down."""
        return self.run_sensor_id is not None

    @property
    def ideal_cycle_ns(self) -> float | None:
        v = self.config.get("ideal_cycle_s")
        return float(v) * 1e9 if v is not None else None


def zone(name: str | None) -> ZoneInfo:
    try:
        return ZoneInfo(name or "UTC")
    except (ValueError, ZoneInfoNotFoundError):
        return ZoneInfo("UTC")


def shift_def(row: dict[str, Any]) -> ShiftDef:
    return ShiftDef(
        row["id"],
        row["name"],
        Weekly(minute_of_day(row["start_time"]), minute_of_day(row["end_time"]), frozenset(row["days"])),
    )


def stop_def(row: dict[str, Any]) -> StopDef:
    weekly = None
    if row["start_time"] is not None:
        weekly = Weekly(minute_of_day(row["start_time"]), minute_of_day(row["end_time"]), frozenset(row["days"]))
    return StopDef(row["id"], row["name"], row["reason_code"], weekly, row["start_ns"], row["end_ns"])


async def load_assets(conn: Conn) -> dict[uuid.UUID, dict[str, Any]]:
    cur = await conn.execute("select id, kind, parent_id, name, path, timezone from assets")
    return {r["id"]: dict(r) for r in await cur.fetchall()}


def ancestors(assets: dict[uuid.UUID, dict[str, Any]], asset_id: uuid.UUID) -> list[dict[str, Any]]:
    """The asset itself, then its parent, ... up to the site."""
    out: list[dict[str, Any]] = []
    node = assets.get(asset_id)
    while node is not None and len(out) < 8:
        out.append(node)
        node = assets.get(node["parent_id"]) if node["parent_id"] else None
    return out


def effective_config(chain: list[dict[str, Any]], configs: dict[uuid.UUID, dict[str, Any]]) -> dict[str, Any]:
    out: dict[str, Any] = dict.fromkeys(CONFIG_FIELDS)
    for node in chain:
        own = configs.get(node["id"])
        if own is None:
            continue
        for k in CONFIG_FIELDS:
            if out[k] is None and own.get(k) is not None:
                out[k] = own[k]
    if out["run_threshold"] is None:
        out["run_threshold"] = 0.0
    if out["idle_threshold"] is None:
        out["idle_threshold"] = 0.0
    if out["counter_mode"] is None:
        out["counter_mode"] = "cumulative"
    return out


async def load_machines(
    conn: Conn, machine_ids: list[uuid.UUID] | None = None, *, configured_only: bool = False
) -> list[MachineCtx]:
    """Machines (all of the tenant's when ``machine_ids`` is None) in path order, with their context."""
    cur = await conn.execute("select timezone from tenants")
    tenant = await cur.fetchone()
    tenant_tz = (tenant or {}).get("timezone") or "UTC"
    assets = await load_assets(conn)
    cur = await conn.execute(f"select asset_id, {', '.join(CONFIG_FIELDS)} from oee_configs")
    configs = {r["asset_id"]: dict(r) for r in await cur.fetchall()}
    wanted = set(machine_ids) if machine_ids is not None else None
    machines: list[MachineCtx] = []
    for a in sorted(assets.values(), key=lambda x: x["path"]):
        if a["kind"] != "machine" or (wanted is not None and a["id"] not in wanted):
            continue
        chain = ancestors(assets, a["id"])
        line = next((n for n in chain if n["kind"] == "line"), None)
        site = next((n for n in chain if n["kind"] == "site"), None)
        tz = (site or {}).get("timezone") or tenant_tz
        machines.append(
            MachineCtx(
                a["id"],
                a["name"],
                a["path"],
                line["id"] if line else None,
                site["id"] if site else None,
                tz,
                effective_config(chain, configs),
            )
        )
    if not machines:
        return []
    ids = [m.id for m in machines]
    cur = await conn.execute("select id, machine_id, name from sensors where machine_id = any(%s)", [ids])
    by_id = {m.id: m for m in machines}
    for r in await cur.fetchall():
        by_id[r["machine_id"]].sensors[r["name"]] = r["id"]
    if configured_only:
        machines = [m for m in machines if m.configured]
    sites = list({m.site_id for m in machines if m.site_id is not None})
    cur = await conn.execute(
        "select id, site_id, name, start_time, end_time, days from oee_shifts where site_id = any(%s) "
        "order by start_time, name",
        [sites],
    )
    shifts: dict[uuid.UUID, list[ShiftDef]] = {}
    for r in await cur.fetchall():
        shifts.setdefault(r["site_id"], []).append(shift_def(dict(r)))
    cur = await conn.execute(
        "select id, asset_id, name, reason_code, start_time, end_time, days, start_ns, end_ns from oee_planned_stops"
    )
    stops: dict[uuid.UUID, list[StopDef]] = {}
    for r in await cur.fetchall():
        stops.setdefault(r["asset_id"], []).append(stop_def(dict(r)))
    for m in machines:
        m.shifts = shifts.get(m.site_id, []) if m.site_id else []
        m.stops = [s for node in ancestors(assets, m.id) for s in stops.get(node["id"], [])]
    return machines
