"""The OEE API against the real server: a constructed night shift three days ago (Asia/Tokyo), operator
input, downtime and Pareto, rollups; the current shift from readings ingested through the real stream path;
configuration CRUD; permissions; bad input as 422 problem JSON."""

from __future__ import annotations

import time as clock
from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import httpx
import pytest

from mip.oee.calendar import MINUTE_NS
from mip.platform.db import Database
from mip.platform.timeutil import ns_to_rfc3339
from tests.conftest import MachineFactory, TenantFactory, TenantKit, wait_for
from tests.oee.helpers import M1, Plant, configure, make_plant, night_start, write_night

OEE = "/api/v1/oee"
TZ = "Asia/Tokyo"
MIN_S = 60.0


@pytest.fixture
async def scene(db: Database, make_tenant: TenantFactory) -> tuple[TenantKit, Plant, int]:
    """The night shift that started three local days ago (its readings are in the past: the live
    compressor moves them into chunks while the test runs, which the reads must not notice)."""
    t = await make_tenant(roles=("viewer", "production"))
    p = await make_plant(db, t.id, TZ)
    await configure(db, p)
    start = night_start(p, datetime.now(ZoneInfo(TZ)).date() - timedelta(days=3))
    await write_night(db, p, start)
    return t, p, start


def _iso(ns: int) -> str:
    return ns_to_rfc3339(ns)


async def test_given_constructed_night_then_api_reports_exact_oee_with_operator_input(
    client: httpx.AsyncClient, scene: tuple[TenantKit, Plant, int]
) -> None:
    t, p, start = scene
    m1 = str(p.machines["m1"])
    day = datetime.fromtimestamp(start // 10**9, UTC).astimezone(ZoneInfo(TZ)).date().isoformat()
    params = {"date": day, "shift_id": str(p.shifts["night"])}
    r = await client.get(f"{OEE}/machines/{m1}", headers=t.auth, params=params)
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["by_shift"][0]["start"] == _iso(start)
    tot = body["totals"]
    assert (tot["run_time_s"], tot["planned_time_s"], tot["total_count"]) == (M1["run"] * MIN_S, 450 * MIN_S, 720)
    assert tot["availability"] == 360 / 450

    # the operator: the last 20 minutes were a tool change (the signal says running), rejects for the shift
    entry = await client.post(
        f"{OEE}/machines/{m1}/states",
        headers=t.as_role("production"),
        json={"state": "down", "start": _iso(start + 460 * MINUTE_NS), "end": start + 480 * MINUTE_NS,
              "reason_code": "tool_change", "note": "insert broke"},
    )  # fmt: skip
    assert entry.status_code == 201, entry.text
    assert entry.json()["kind"] == "override"
    count = await client.post(
        f"{OEE}/machines/{m1}/counts",
        headers=t.as_role("production"),
        json={"start": _iso(start), "end": _iso(start + 480 * MINUTE_NS), "reject": 36},
    )
    assert count.status_code == 201, count.text
    cls = await client.post(
        f"{OEE}/machines/{m1}/downtime/classify",
        headers=t.auth,
        json={
            "start": _iso(start + 420 * MINUTE_NS),
            "end": _iso(start + 450 * MINUTE_NS),
            "reason_code": "no_material",
        },
    )
    assert cls.status_code == 201, cls.text
    assert cls.json()["state"] == "down"

    tot = (await client.get(f"{OEE}/machines/{m1}", headers=t.auth, params=params)).json()["totals"]
    assert (tot["run_time_s"], tot["down_time_s"]) == (340 * MIN_S, 50 * MIN_S)
    assert tot["oee"] == pytest.approx(340 / 450 * (720 * 20) / (340 * 60) * 684 / 720, rel=1e-12)
    window = {"from": _iso(start), "to": _iso(start + 480 * MINUTE_NS)}
    states = (await client.get(f"{OEE}/machines/{m1}/states", headers=t.auth, params=window)).json()["intervals"]
    assert [(i["state"], i["source"], i["reason_code"]) for i in states][-2:] == [
        ("running", "signal", None),
        ("down", "operator", "tool_change"),
    ]
    assert (states[-1]["entry_id"], states[-1]["note"]) == (entry.json()["id"], "insert broke")
    down = (await client.get(f"{OEE}/machines/{m1}/downtime", headers=t.auth, params=window)).json()["items"]
    assert [(d["state"], d["reason_code"], d["duration_s"]) for d in down] == [
        ("idle", None, 3600.0),
        ("down", "no_material", 1800.0),
        ("down", "tool_change", 1200.0),
    ]
    par = (await client.get(f"{OEE}/pareto", headers=t.auth, params={**window, "line_id": str(p.line)})).json()
    assert [(i["reason_code"], i["reason_name"]) for i in par["items"]] == [
        (None, "unclassified"),
        ("no_material", "No material"),
        ("tool_change", "Tool change"),
    ]

    # rollups: the same numbers, now served from the rollup table
    rec = await client.post(
        f"{OEE}/rollups/recompute",
        headers=t.auth,
        json={"from": _iso(start - 3600 * 10**9), "to": _iso(start + 9 * 3600 * 10**9)},
    )
    assert rec.status_code == 200, rec.text
    assert rec.json()["machines"] == 2
    rolled = (await client.get(f"{OEE}/machines/{m1}", headers=t.auth, params=params)).json()
    assert rolled["totals"] == tot
    assert rolled["rolled_up_s"] >= 7 * 3600
    line = (await client.get(f"{OEE}/lines/{p.line}", headers=t.auth, params=params)).json()
    assert line["totals"]["planned_time_s"] == 900 * MIN_S
    assert line["totals"]["run_time_s"] == (340 + 450) * MIN_S

    # withdrawing the override gives the signal back
    assert (await client.delete(f"{OEE}/states/{entry.json()['id']}", headers=t.auth)).status_code == 204
    tot = (await client.get(f"{OEE}/machines/{m1}", headers=t.auth, params=params)).json()["totals"]
    assert tot["run_time_s"] == 360 * MIN_S
    counts = (await client.get(f"{OEE}/machines/{m1}/counts", headers=t.auth, params=window)).json()["items"]
    assert [(c["reject"], c["start"]) for c in counts] == [(36.0, _iso(start))]
    assert (await client.delete(f"{OEE}/counts/{counts[0]['id']}", headers=t.auth)).status_code == 204
    tot = (await client.get(f"{OEE}/machines/{m1}", headers=t.auth, params=params)).json()["totals"]
    assert tot["quality"] == 1.0


async def test_given_readings_ingested_now_then_current_shift_state_and_operator_override(
    client: httpx.AsyncClient, make_tenant: TenantFactory, make_machine: MachineFactory
) -> None:
    t = await make_tenant()
    mk = await make_machine(t.id, sensors={"spindle_speed": (None, None), "power": (None, None)}, site="now-plant")
    cfg = {"run_sensor": "spindle_speed", "run_threshold": 100, "ideal_rate_ppm": 2}
    put = await client.put(f"{OEE}/configs/{mk.machine_id}", headers=t.auth, json=cfg)
    assert put.status_code == 200, put.text
    assert (put.json()["effective"]["ideal_cycle_s"], put.json()["configured"]) == (30.0, True)
    now = clock.time_ns()
    rows = [{"sensor": mk.paths["spindle_speed"], "ts": now - k * 10 * 10**9, "value": 1200.0} for k in range(1, 31)]
    r = await client.post("/api/v1/ingest/readings", headers=t.device, json=rows)
    assert r.status_code == 202, r.text

    async def running() -> Any:
        cur = (await client.get(f"{OEE}/current", headers=t.auth)).json()["machines"]
        mine = [m for m in cur if m["machine_id"] == str(mk.machine_id)]
        return mine[0] if mine and mine[0]["state"] == "running" else None

    tile = await wait_for(running)
    assert tile["shift"]["name"] == "all day"  # no shifts configured: planned around the clock
    assert 0 < tile["availability"] <= 1
    since = datetime.fromisoformat(tile["since"].replace("Z", "+00:00")).timestamp()
    assert now / 1e9 - 6 * 60 < since <= now / 1e9
    await client.post(f"{OEE}/reasons", headers=t.auth, json={"code": "jam", "name": "Jam", "category": "unplanned"})
    stop = await client.post(
        f"{OEE}/machines/{mk.machine_id}/states",
        headers=t.auth,
        json={"state": "down", "start": now, "reason_code": "jam"},
    )
    assert stop.status_code == 201, stop.text
    assert stop.json()["end"] is None
    tile = next(
        m
        for m in (await client.get(f"{OEE}/current", headers=t.auth)).json()["machines"]
        if m["machine_id"] == str(mk.machine_id)
    )
    assert (tile["state"], tile["reason_code"], tile["since"]) == ("down", "jam", ns_to_rfc3339(now))


async def test_given_config_routes_then_crud_conflicts_and_inheritance(
    client: httpx.AsyncClient, scene: tuple[TenantKit, Plant, int]
) -> None:
    t, p, _ = scene
    reasons = (await client.get(f"{OEE}/reasons", headers=t.auth)).json()
    assert [r["code"] for r in reasons] == ["break", "meeting", "no_material", "tool_change"]
    dup = await client.post(
        f"{OEE}/reasons", headers=t.auth, json={"code": "break", "name": "x", "category": "planned"}
    )
    assert (dup.status_code, dup.json()["code"]) == (409, "reason_exists")
    brk = next(r for r in reasons if r["code"] == "break")
    in_use = await client.delete(f"{OEE}/reasons/{brk['id']}", headers=t.auth)
    assert (in_use.status_code, in_use.json()["code"]) == (409, "reason_in_use")
    patched = await client.patch(f"{OEE}/reasons/{brk['id']}", headers=t.auth, json={"name": "Pause"})
    assert patched.json()["name"] == "Pause"

    shifts = (await client.get(f"{OEE}/shifts", headers=t.auth, params={"site_id": str(p.site)})).json()
    assert [(s["name"], s["start_time"], s["end_time"]) for s in shifts] == [
        ("early", "06:00", "14:00"),
        ("late", "14:00", "22:00"),
        ("night", "22:00", "06:00"),
    ]
    clash = {"site_id": str(p.site), "name": "overtime", "start_time": "05:00", "end_time": "07:00", "days": [6]}
    r = await client.post(f"{OEE}/shifts", headers=t.auth, json=clash)
    assert (r.status_code, r.json()["code"]) == (409, "shift_conflict")
    night = next(s for s in shifts if s["name"] == "night")
    moved = await client.patch(f"{OEE}/shifts/{night['id']}", headers=t.auth, json={"days": [5, 1, 2]})
    assert moved.json()["days"] == [1, 2, 5]
    r = await client.post(f"{OEE}/shifts", headers=t.auth, json={**clash, "site_id": str(p.line)})
    assert (r.status_code, r.json()["code"]) == (404, "site_not_found")

    stop = await client.post(
        f"{OEE}/planned-stops",
        headers=t.auth,
        json={
            "asset_id": str(p.machines["m2"]),
            "name": "PM",
            "start": "2031-01-01T00:00:00Z",
            "end": "2031-01-01T04:00:00Z",
        },
    )
    assert stop.status_code == 201, stop.text
    assert (stop.json()["start"], stop.json()["days"]) == ("2031-01-01T00:00:00Z", None)
    listed = (
        await client.get(f"{OEE}/planned-stops", headers=t.auth, params={"asset_id": str(p.machines["m2"])})
    ).json()
    assert [s["name"] for s in listed] == ["PM"]
    assert (await client.delete(f"{OEE}/planned-stops/{stop.json()['id']}", headers=t.auth)).status_code == 204

    m1 = (await client.get(f"{OEE}/configs/{p.machines['m1']}", headers=t.auth)).json()
    assert (m1["own"]["counter_sensor"], m1["own"]["ideal_cycle_s"]) == ("parts", None)
    assert (m1["effective"]["ideal_cycle_s"], m1["effective"]["run_sensor"], m1["configured"]) == (
        20.0,
        "spindle_speed",
        True,
    )
    bad = await client.put(f"{OEE}/configs/{p.machines['m1']}", headers=t.auth, json={"run_sensor": "nope"})
    assert (bad.status_code, bad.json()["code"]) == (422, "unknown_sensor")
    listed_cfg = (await client.get(f"{OEE}/configs", headers=t.auth)).json()
    assert [c["kind"] for c in listed_cfg] == ["line", "machine", "machine"]
    assert (await client.delete(f"{OEE}/configs/{p.line}", headers=t.auth)).status_code == 204
    m1 = (await client.get(f"{OEE}/configs/{p.machines['m1']}", headers=t.auth)).json()
    assert (m1["effective"]["run_sensor"], m1["configured"]) == (None, False)
    assert (await client.delete(f"{OEE}/configs/{p.line}", headers=t.auth)).status_code == 404


async def test_given_roles_then_read_write_admin_permissions(
    client: httpx.AsyncClient, scene: tuple[TenantKit, Plant, int]
) -> None:
    t, p, start = scene
    m1 = p.machines["m1"]
    viewer, production = t.as_role("viewer"), t.as_role("production")
    assert (await client.get(f"{OEE}/current", headers=viewer)).status_code == 200
    body = {"state": "idle", "start": start, "end": start + MINUTE_NS}
    assert (await client.post(f"{OEE}/machines/{m1}/states", headers=viewer, json=body)).status_code == 403
    assert (await client.post(f"{OEE}/machines/{m1}/states", headers=production, json=body)).status_code == 201
    reason = {"code": "x", "name": "x", "category": "planned"}
    assert (await client.post(f"{OEE}/reasons", headers=production, json=reason)).status_code == 403
    assert (await client.put(f"{OEE}/configs/{m1}", headers=production, json={})).status_code == 403


BAD: list[tuple[str, str, dict[str, Any] | None, dict[str, str] | None]] = [
    ("GET", "/machines/{m}", None, {"from": "yesterday"}),
    ("GET", "/machines/{m}", None, {"from": "2030-01-02T00:00:00Z", "to": "2030-01-01T00:00:00Z"}),
    ("GET", "/machines/{m}", None, {"from": "2020-01-01T00:00:00Z", "to": "2030-01-01T00:00:00Z"}),
    ("GET", "/machines/{m}", None, {"date": "2030-02-30"}),
    ("GET", "/machines/{m}", None, {"date": "2030-01-01", "from": "2030-01-01T00:00:00Z"}),
    ("GET", "/machines/{m}/states", None, {"to": "2030-01-01T00:00:00"}),
    ("GET", "/pareto", None, {"machine_id": "not-a-uuid"}),
    ("POST", "/machines/{m}/states", {"state": "broken", "start": 1}, None),
    (
        "POST",
        "/machines/{m}/states",
        {"state": "down", "start": "2030-01-01T01:00:00Z", "end": "2030-01-01T00:00:00Z"},
        None,
    ),
    ("POST", "/machines/{m}/states", {"state": "down", "start": 1, "end": 2, "reason_code": "nope"}, None),
    ("POST", "/machines/{m}/states", {"state": "down", "start": "2020-01-01T00:00:00Z"}, None),
    ("POST", "/machines/{m}/states", {"state": "down", "start": 1, "surprise": True}, None),
    ("POST", "/machines/{m}/states", {"state": "down", "start": True}, None),
    ("POST", "/machines/{m}/downtime/classify", {"start": 1, "end": 2}, None),
    ("POST", "/machines/{m}/counts", {"start": 1, "end": 2, "good": -1}, None),
    ("POST", "/machines/{m}/counts", {"start": 1, "end": 2, "good": "NaN"}, None),
    ("POST", "/reasons", {"code": "has space", "name": "x", "category": "planned"}, None),
    ("POST", "/reasons", {"code": "ok", "name": "x", "category": "sometimes"}, None),
    ("POST", "/shifts", {"site_id": "{s}", "name": "n", "start_time": "25:00", "end_time": "06:00"}, None),
    ("POST", "/shifts", {"site_id": "{s}", "name": "n", "start_time": "06:00:30", "end_time": "07:00"}, None),
    ("POST", "/shifts", {"site_id": "{s}", "name": "n", "start_time": "06:00", "end_time": "07:00", "days": [0]}, None),
    (
        "POST",
        "/shifts",
        {"site_id": "{s}", "name": "n", "start_time": "06:00", "end_time": "07:00", "days": [1, 1]},
        None,
    ),
    ("POST", "/planned-stops", {"asset_id": "{s}", "name": "n", "start_time": "06:00", "start": 1, "end": 2}, None),
    ("POST", "/planned-stops", {"asset_id": "{s}", "name": "n", "start": 5, "end": 2}, None),
    ("PUT", "/configs/{m}", {"ideal_cycle_s": 0}, None),
    ("PUT", "/configs/{m}", {"ideal_cycle_s": 10, "ideal_rate_ppm": 6}, None),
    ("PUT", "/configs/{m}", {"counter_mode": "sometimes"}, None),
    ("POST", "/rollups/recompute", {"from": "2030-01-01T00:00:00Z", "to": "2030-06-01T00:00:00Z"}, None),
]


@pytest.mark.parametrize(
    ("method", "path", "body", "params"), BAD, ids=[f"{b[0]} {b[1]} {i}" for i, b in enumerate(BAD)]
)
async def test_given_bad_input_then_422_problem_json(
    client: httpx.AsyncClient,
    make_tenant: TenantFactory,
    make_machine: MachineFactory,
    method: str,
    path: str,
    body: dict[str, Any] | None,
    params: dict[str, str] | None,
) -> None:
    t = await make_tenant()
    mk = await make_machine(t.id)
    ids = {"m": str(mk.machine_id), "s": str(mk.site_id)}
    payload = {k: (v.format(**ids) if isinstance(v, str) else v) for k, v in (body or {}).items()}
    r = await client.request(
        method, OEE + path.format(**ids), headers=t.auth, json=payload if body else None, params=params
    )
    assert r.status_code == 422, r.text
    assert r.headers["content-type"].startswith("application/problem+json")
    assert r.json()["code"] in ("validation_failed", "invalid_oee_input", "unknown_reason")
