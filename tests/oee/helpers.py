"""A constructed night shift for the OEE tests: one site (own time zone), one line, two machines, the
shifts early/late/night (night 22:00-06:00 crosses midnight), a line-wide 02:00-02:30 break, line config
inherited by both machines, and one reading per sensor-minute written through the real storage path.

Machine m1 (minute offsets from the night shift's start, 480 minutes):
  [0, 180) running · [180, 240) idle (power on) · [240, 270) break (idle signal, planned stop) ·
  [270, 420) running · [420, 450) no data (down) · [450, 480) running
  cumulative part counter: +2 per running minute (360 running minutes -> 720 parts), 0 the minute before
Machine m2: running every minute except the break (no data then); delta counter, 1 part per running minute,
  its own ideal cycle time of 60 s (the line's is 20 s).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, time
from typing import Any

import numpy as np

from mip.oee import config
from mip.oee.calendar import MINUTE_NS, local_ns
from mip.oee.context import zone
from mip.platform.db import Database
from mip.platform.ids import uuid7
from mip.telemetry.batch import ReadingBatch
from mip.telemetry.store import write_readings

SENSORS = ("spindle_speed", "power", "parts")
HALF_MINUTE = MINUTE_NS // 2


@dataclass
class Plant:
    tenant_id: Any
    site: uuid.UUID
    line: uuid.UUID
    machines: dict[str, uuid.UUID]
    sensors: dict[str, dict[str, uuid.UUID]]
    shifts: dict[str, uuid.UUID]
    tz: str


async def make_plant(db: Database, tenant_id: Any, tz: str, *, site: str = "oee-site") -> Plant:
    ids: dict[str, uuid.UUID] = {}
    machines: dict[str, uuid.UUID] = {}
    sensors: dict[str, dict[str, uuid.UUID]] = {}
    async with db.tenant_tx(tenant_id) as conn:
        rows = [("site", site, None, site, tz), ("area", "area", site, f"{site}/area", None)]
        rows.append(("line", "line", f"{site}/area", f"{site}/area/line", None))
        rows += [("machine", m, f"{site}/area/line", f"{site}/area/line/{m}", None) for m in ("m1", "m2")]
        for kind, name, parent, path, zone_name in rows:
            ids[path] = uuid7()
            await conn.execute(
                "insert into assets (id, tenant_id, kind, parent_id, name, path, timezone) "
                "values (%s,%s,%s,%s,%s,%s,%s)",
                [ids[path], tenant_id, kind, ids[parent] if parent else None, name, path, zone_name],
            )
        for m in ("m1", "m2"):
            machines[m] = ids[f"{site}/area/line/{m}"]
            sensors[m] = {}
            for s in SENSORS:
                sensors[m][s] = uuid7()
                await conn.execute(
                    "insert into sensors (id, tenant_id, machine_id, name, path, kind) values (%s,%s,%s,%s,%s,'other')",
                    [sensors[m][s], tenant_id, machines[m], s, f"{site}/area/line/{m}/{s}"],
                )
    return Plant(tenant_id, ids[site], ids[f"{site}/area/line"], machines, sensors, {}, tz)


async def configure(db: Database, p: Plant) -> None:
    """Reason codes, the three shifts, the line's break, line config + machine overrides."""
    async with db.tenant_tx(p.tenant_id) as conn:
        for code, name, category in (
            ("tool_change", "Tool change", "unplanned"),
            ("no_material", "No material", "unplanned"),
            ("meeting", "Team meeting", "planned"),
            ("break", "Break", "planned"),
        ):
            await config.create_reason(conn, p.tenant_id, code=code, name=name, category=category)
        for name, a, b in (("early", 6, 14), ("late", 14, 22), ("night", 22, 6)):
            row = await config.create_shift(
                conn,
                p.tenant_id,
                {
                    "site_id": p.site,
                    "name": name,
                    "start_time": time(a),
                    "end_time": time(b),
                    "days": [1, 2, 3, 4, 5, 6, 7],
                },
            )
            p.shifts[name] = row["id"]
        await config.create_stop(
            conn,
            p.tenant_id,
            {"asset_id": p.line, "name": "night break", "reason_code": "break", "start_time": time(2),
             "end_time": time(2, 30), "days": [1, 2, 3, 4, 5, 6, 7]},
        )  # fmt: skip
        line_cfg = {"ideal_cycle_s": 20.0, "run_sensor": "spindle_speed", "run_threshold": 100.0}
        await config.put_config(conn, p.tenant_id, p.line, {**line_cfg, "idle_sensor": "power", "idle_threshold": 1.0})
        await config.put_config(conn, p.tenant_id, p.machines["m1"], {"counter_sensor": "parts"})
        await config.put_config(
            conn,
            p.tenant_id,
            p.machines["m2"],
            {"counter_sensor": "parts", "counter_mode": "delta", "ideal_cycle_s": 60.0},
        )


def night_start(p: Plant, day: date) -> int:
    return local_ns(day, 22 * 60, zone(p.tz))


def _m1(i: int) -> tuple[float | None, float | None]:
    """(speed, power) of m1 in minute i of the shift; None: no reading."""
    if i < 180 or 270 <= i < 420 or i >= 450:
        return 1000.0, 20.0
    if 420 <= i < 450:
        return None, None
    return 0.0, 5.0


def _batch(tenant: Any, sensors: list[uuid.UUID], idx: list[int], ts: list[int], values: list[float]) -> ReadingBatch:
    return ReadingBatch(
        tenant_id=tenant,
        machine_id=uuid7(),
        batch_id=uuid7(),
        received_ns=0,
        sensors=tuple(sensors),
        sensor_idx=np.asarray(idx, np.uint16),
        ts=np.asarray(ts, np.int64),
        value=np.asarray(values, np.float64),
        quality=np.zeros(len(ts), np.int16),
    )


async def write_night(db: Database, p: Plant, start: int) -> None:
    """Write both machines' readings of the night shift that starts at ``start``."""
    for m in ("m1", "m2"):
        s = p.sensors[m]
        order = [s["spindle_speed"], s["power"], s["parts"]]
        idx: list[int] = []
        ts: list[int] = []
        values: list[float] = []
        counter = 0.0
        if m == "m1":
            idx, ts, values = [2], [start - MINUTE_NS + HALF_MINUTE], [0.0]
        for i in range(480):
            t = start + i * MINUTE_NS + HALF_MINUTE
            speed, power = _m1(i) if m == "m1" else ((None, None) if 240 <= i < 270 else (1000.0, 20.0))
            if speed is None or power is None:
                continue
            idx += [0, 1]
            ts += [t, t]
            values += [speed, power]
            if speed > 100:
                counter += 2.0 if m == "m1" else 1.0
                idx.append(2)
                ts.append(t)
                values.append(counter if m == "m1" else 1.0)
        async with db.tenant_tx(p.tenant_id) as conn:
            await write_readings(conn, _batch(p.tenant_id, order, idx, ts, values))


# the expected components (minutes) of the night shift, before any operator input
M1 = {"shift": 480, "planned_stop": 30, "run": 360, "idle": 60, "down": 30, "count": 720}
M2 = {"shift": 480, "planned_stop": 30, "run": 450, "idle": 0, "down": 0, "count": 450}
