"""OEE over a constructed night shift (after 2100, so the live compressor never touches it), computed from
readings written through the real storage path: exact arithmetic, the shift across midnight in the site's
time zone, planned stops excluded, operator input over the signal, line aggregation, idempotent rollups,
the downtime Pareto."""

from __future__ import annotations

from datetime import date
from typing import Any

import psycopg
import pytest

from mip.oee import operator, service
from mip.oee.calendar import HOUR_NS, MINUTE_NS
from mip.oee.rollups import compute_oee_rollups, run_oee_rollups
from mip.platform.database_setup import DatabaseHandle
from mip.platform.db import Database
from mip.telemetry.compressor import compress_ready
from tests.conftest import TenantFactory
from tests.oee.helpers import M1, M2, Plant, configure, make_plant, night_start, write_night

DAY = date(2100, 3, 1)  # a Monday
TZ = "Asia/Kolkata"  # UTC+05:30: shift boundaries are not on whole UTC hours
MIN_S = 60.0


@pytest.fixture
async def plant(db: Database, make_tenant: TenantFactory) -> Plant:
    t = await make_tenant()
    p = await make_plant(db, t.id, TZ)
    await configure(db, p)
    await write_night(db, p, night_start(p, DAY))
    return p


def _later(p: Plant) -> int:
    return night_start(p, DAY) + 3 * 24 * HOUR_NS


async def _night(db: Database, p: Plant, machine: str = "m1") -> dict[str, Any]:
    async with db.tenant_tx(p.tenant_id) as conn:
        return await service.machine_oee(conn, p.machines[machine], _later(p), day=DAY, shift_id=p.shifts["night"])


def _components(f: dict[str, Any]) -> dict[str, float]:
    return {
        "shift": f["shift_time_s"] / MIN_S,
        "planned_stop": f["planned_stop_time_s"] / MIN_S,
        "run": f["run_time_s"] / MIN_S,
        "idle": f["idle_time_s"] / MIN_S,
        "down": f["down_time_s"] / MIN_S,
        "count": f["total_count"],
    }


async def test_given_night_shift_across_midnight_then_exact_components_and_ratios(db: Database, plant: Plant) -> None:
    out = await _night(db, plant)
    assert out["timezone"] == TZ
    (night,) = out["by_shift"]
    # 22:00 local on DAY is 16:30 UTC; the shift ends 06:00 local the next day (00:30 UTC)
    assert (night["name"], night["day"]) == ("night", DAY.isoformat())
    assert (night["start"], night["end"]) == ("2100-03-01T16:30:00Z", "2100-03-02T00:30:00Z")
    t = out["totals"]
    assert _components(t) == M1
    assert t["planned_time_s"] == 450 * MIN_S  # shift 480 min - 30 min break
    assert t["availability"] == 360 / 450
    assert t["performance"] == (720 * 20) / (360 * 60)  # ideal 20 s/part (inherited from the line)
    assert t["quality"] == 1.0  # the counter gives the total; no rejects entered
    assert t["oee"] == t["availability"] * t["performance"]
    assert out["by_day"] == [{"day": DAY.isoformat(), **t}]
    assert out["live_s"] > 0
    assert out["rolled_up_s"] == 0


async def test_given_rejects_and_operator_override_then_quality_and_override_win(db: Database, plant: Plant) -> None:
    p, start = plant, night_start(plant, DAY)
    async with db.tenant_tx(p.tenant_id) as conn:
        await operator.add_count(
            conn, p.tenant_id, None, p.machines["m1"], start=start, end=start + 480 * MINUTE_NS, good=0,
            reject=36, note="scrap bin", now=_later(p),
        )  # fmt: skip
        # the signal says running for [450, 480); the operator says the last 20 minutes were a tool change
        await operator.post_state(
            conn, p.tenant_id, None, p.machines["m1"], state="down", start=start + 460 * MINUTE_NS,
            end=start + 480 * MINUTE_NS, reason_code="tool_change", note="broken insert", now=_later(p),
        )  # fmt: skip
    t = (await _night(db, p))["totals"]
    assert _components(t) == {**M1, "run": 340, "down": 50}
    assert t["availability"] == 340 / 450
    assert t["performance"] == (720 * 20) / (340 * 60)
    assert t["quality"] == (720 - 36) / 720
    assert t["oee"] == pytest.approx(340 / 450 * (720 * 20) / (340 * 60) * 684 / 720, rel=1e-12)
    assert (t["good_count"], t["reject_count"]) == (684, 36)
    async with db.tenant_tx(p.tenant_id) as conn:
        tl = await service.timeline(conn, p.machines["m1"], start, start + 480 * MINUTE_NS, _later(p))
    states = [(i["state"], i["source"], i["reason_code"], i["duration_s"] / MIN_S) for i in tl["intervals"]]
    assert states == [
        ("running", "signal", None, 180),
        ("idle", "signal", None, 60),
        ("planned_stop", "schedule", "break", 30),
        ("running", "signal", None, 150),
        ("down", "signal", None, 30),
        ("running", "signal", None, 10),
        ("down", "operator", "tool_change", 20),
    ]
    assert tl["intervals"][-1]["note"] == "broken insert"
    assert tl["intervals"][2]["note"] == "night break"


async def test_given_line_then_components_are_summed_not_percentages_averaged(db: Database, plant: Plant) -> None:
    p = plant
    m2 = (await _night(db, p, "m2"))["totals"]
    assert _components(m2) == M2
    assert (m2["performance"], m2["performance_capped"]) == (1.0, False)  # 450 parts x 60 s in 450 min
    async with db.tenant_tx(p.tenant_id) as conn:
        line = await service.line_oee(conn, p.line, _later(p), day=DAY, shift_id=p.shifts["night"])
    t = line["totals"]
    assert t["availability"] == (360 + 450) / (450 + 450)
    assert t["performance"] == (720 * 20 + 450 * 60) / ((360 + 450) * 60)
    assert t["total_count"] == 720 + 450
    assert [m["name"] for m in line["machines"]] == ["m1", "m2"]
    avg = (line["machines"][0]["performance"] + line["machines"][1]["performance"]) / 2
    assert line["machines"][0]["performance"] == 2 / 3
    assert avg == pytest.approx(5 / 6)
    assert t["performance"] == 41400 / 48600 != avg  # weighted by run time, not the mean of the ratios


async def test_given_rollups_then_idempotent_and_equal_to_live(db: Database, plant: Plant) -> None:
    p, start = plant, night_start(plant, DAY)
    live = await _night(db, p)
    async with db.tenant_tx(p.tenant_id) as conn:
        a, b = start - 30 * MINUTE_NS, start + 510 * MINUTE_NS  # 16:00 .. 01:00 UTC
        first = await compute_oee_rollups(conn, p.tenant_id, a, b, now_ns=_later(p))
        rows1 = await _rollup_rows(conn)
        second = await compute_oee_rollups(conn, p.tenant_id, a, b, now_ns=_later(p))
        rows2 = await _rollup_rows(conn)
        cur = await conn.execute("select count(*) as n from oee_state_intervals")
        stored = (await cur.fetchone() or {})["n"]
    assert first == second
    assert first["machines"] == 2
    assert rows1 == rows2
    # 9 hours from 16:00 UTC, cut at 16:30 and 00:30 where the shifts change: 11 buckets per machine
    assert first["rollup_rows"] == 2 * 11
    assert stored == first["intervals"] > 0
    rolled = await _night(db, p)
    assert rolled["totals"] == live["totals"]
    assert rolled["rolled_up_s"] == 7 * 3600  # 17:00..00:00 UTC: the whole rolled-up hours inside the shift
    assert rolled["live_s"] == 2 * 1800  # the half hours at both ends
    # operator input after the rollup recomputes the rolled-up hours it touches
    async with db.tenant_tx(p.tenant_id) as conn:
        await operator.post_state(
            conn, p.tenant_id, None, p.machines["m1"], state="down", start=start + 60 * MINUTE_NS,
            end=start + 90 * MINUTE_NS, reason_code="tool_change", note="", now=_later(p),
        )  # fmt: skip
    again = (await _night(db, p))["totals"]
    assert _components(again) == {**M1, "run": 330, "down": 60}
    async with db.tenant_tx(p.tenant_id) as conn:
        ivs = await service.timeline(conn, p.machines["m1"], start, start + 3 * HOUR_NS, _later(p))
    assert ("down", "operator", 30 * MIN_S) in [(i["state"], i["source"], i["duration_s"]) for i in ivs["intervals"]]


async def _rollup_rows(conn: Any) -> list[dict[str, Any]]:
    cur = await conn.execute("select * from oee_rollups order by machine_id, bucket_start")
    return [{k: v for k, v in r.items() if k != "computed_at"} for r in await cur.fetchall()]


async def test_given_downtime_then_pareto_by_reason_and_planned_reason_leaves_planned_time(
    db: Database, plant: Plant
) -> None:
    p, start = plant, night_start(plant, DAY)
    end = start + 480 * MINUTE_NS
    now = _later(p)
    async with db.tenant_tx(p.tenant_id) as conn:
        await operator.post_state(
            conn, p.tenant_id, None, p.machines["m1"], state="down", start=start + 460 * MINUTE_NS, end=end,
            reason_code="tool_change", note="", now=now,
        )  # fmt: skip
        await operator.classify(
            conn, p.tenant_id, None, p.machines["m1"], start=start + 420 * MINUTE_NS, end=start + 450 * MINUTE_NS,
            reason_code="no_material", note="waiting for blanks", now=now,
        )  # fmt: skip
        par = await service.pareto(conn, start, end, now, line_id=p.line)
        down = await service.downtime(conn, p.machines["m1"], start, end, now)
    assert [(i["reason_code"], i["duration_s"] / MIN_S, i["occurrences"]) for i in par["items"]] == [
        (None, 60, 1),
        ("no_material", 30, 1),
        ("tool_change", 20, 1),
    ]
    assert par["items"][0]["reason_name"] == "unclassified"
    assert par["total_s"] == 110 * MIN_S
    assert [i["cumulative_share"] for i in par["items"]] == [60 / 110, 90 / 110, 110 / 110]
    assert [(i["state"], i["reason_code"]) for i in down["items"]] == [
        ("idle", None),
        ("down", "no_material"),
        ("down", "tool_change"),
    ]
    # a planned reason turns the idle hour into a planned stop: it leaves planned production time
    async with db.tenant_tx(p.tenant_id) as conn:
        entry = await operator.classify(
            conn, p.tenant_id, None, p.machines["m1"], start=start + 180 * MINUTE_NS, end=start + 240 * MINUTE_NS,
            reason_code="meeting", note="", now=now,
        )  # fmt: skip
    assert entry["state"] == "planned_stop"
    t = (await _night(db, p))["totals"]
    assert (t["planned_time_s"], t["run_time_s"]) == (390 * MIN_S, 340 * MIN_S)
    assert t["availability"] == 340 / 390
    async with db.tenant_tx(p.tenant_id) as conn:
        with_planned = await service.pareto(conn, start, end, now, machine_id=p.machines["m1"], include_planned=True)
    assert {i["reason_code"]: i["duration_s"] / MIN_S for i in with_planned["items"]} == {
        "meeting": 60,
        "break": 30,
        "no_material": 30,
        "tool_change": 20,
    }


async def test_given_production_day_then_every_shift_starting_that_day(db: Database, plant: Plant) -> None:
    async with db.tenant_tx(plant.tenant_id) as conn:
        out = await service.machine_oee(conn, plant.machines["m2"], _later(plant), day=DAY)
    assert [s["name"] for s in out["by_shift"]] == ["early", "late", "night"]
    assert out["from"] == "2100-03-01T00:30:00Z"  # 06:00 local
    assert out["to"] == "2100-03-02T00:30:00Z"  # the night shift ends 06:00 local the next day
    early, late, _ = out["by_shift"]
    assert early["availability"] == late["availability"] == 0.0  # no data: down for the whole shift
    assert early["oee"] == 0.0
    assert out["totals"]["availability"] == 450 / (450 + 2 * 480)


async def test_given_periodic_job_then_only_tenants_with_oee_config(db: Database, plant: Plant) -> None:
    stats = await run_oee_rollups(db, lookback_hours=2, now_ns=_later(plant))
    assert stats["failed"] == 0
    assert stats["tenants"] >= 1
    async with db.tenant_tx(plant.tenant_id) as conn:
        cur = await conn.execute("select count(distinct machine_id) as n from oee_rollups")
        assert (await cur.fetchone() or {})["n"] == 2


async def test_given_hours_compressed_into_chunks_then_same_oee(
    db: Database, db_handle: DatabaseHandle, plant: Plant
) -> None:
    """Compressed hours have no minute rollups: their chunks are decoded per minute instead."""
    p, start = plant, night_start(plant, DAY)
    live = await _night(db, p)
    async with await psycopg.AsyncConnection.connect(db_handle.owner_url, autocommit=True) as owner:
        stats = await compress_ready(owner, grace_s=0, now_ns=start + 9 * HOUR_NS, from_ns=start - HOUR_NS)
    assert stats.readings > 0
    async with db.tenant_tx(p.tenant_id) as conn:
        cur = await conn.execute(
            "select (select count(*) from rollup_1m where sensor_id = %(s)s) as minutes, "
            "(select count(*) from reading_chunks where sensor_id = %(s)s) as chunks",
            {"s": p.sensors["m1"]["spindle_speed"]},
        )
        assert await cur.fetchone() == {"minutes": 0, "chunks": 9}
    assert (await _night(db, p))["totals"] == live["totals"]
