"""Available intervals: weekly shifts in the site time zone across DST changes, holidays, unavailability
windows; and the work-centre availability route."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import httpx

from mip.planning.calendars import available_intervals, closed_intervals
from tests.conftest import MachineFactory, TenantKit
from tests.planning.fixtures import P

NIGHTS = {
    "timezone": "Europe/Berlin",
    "shifts": [{"weekday": d, "start": "22:00", "end": "06:00"} for d in range(7)],
    "holidays": [{"date": "2025-03-31", "name": "holiday"}],
}


def z(s: str) -> datetime:
    return datetime.fromisoformat(s).replace(tzinfo=UTC)


def test_night_shift_across_spring_dst_change_and_a_holiday() -> None:
    spans = available_intervals(NIGHTS, [], z("2025-03-29T00:00"), z("2025-04-01T12:00"))
    assert spans == [
        (z("2025-03-29T00:00"), z("2025-03-29T05:00")),  # Friday's night shift (CET), clipped at the start
        (z("2025-03-29T21:00"), z("2025-03-30T04:00")),  # 22:00 CET → 06:00 CEST: 7 h
        (z("2025-03-30T20:00"), z("2025-03-31T04:00")),  # 22:00 CEST → 06:00 CEST: 8 h
        # Monday 03-31 is a holiday: no shift starts that night
    ]
    assert spans[1][1] - spans[1][0] == timedelta(hours=7)


def test_autumn_dst_change_gives_a_nine_hour_night_and_windows_cut_it() -> None:
    spans = available_intervals(
        NIGHTS, [(z("2025-10-26T00:00"), z("2025-10-26T01:30"))], z("2025-10-25T12:00"), z("2025-10-26T12:00")
    )
    assert spans == [(z("2025-10-25T20:00"), z("2025-10-26T00:00")), (z("2025-10-26T01:30"), z("2025-10-26T05:00"))]
    closed = closed_intervals(spans, z("2025-10-25T12:00"), z("2025-10-26T12:00"))
    assert closed[0] == (z("2025-10-25T12:00"), z("2025-10-25T20:00"))
    assert sum(((b - a) for a, b in spans), timedelta()) == timedelta(hours=9) - timedelta(hours=1.5)


def test_no_calendar_means_always_open() -> None:
    assert available_intervals(None, [], z("2025-01-01T00:00"), z("2025-01-02T00:00")) == [
        (z("2025-01-01T00:00"), z("2025-01-02T00:00"))
    ]


async def test_work_center_availability_route(
    client: httpx.AsyncClient, tenant: TenantKit, make_machine: MachineFactory
) -> None:
    m = await make_machine(tenant.id)
    cal = (await client.post(f"{P}/calendars", headers=tenant.auth, json={"name": "nights", **NIGHTS})).json()
    bad_tz = await client.post(f"{P}/calendars", headers=tenant.auth, json={"name": "x", "timezone": "Mars/Base"})
    assert bad_tz.status_code == 422
    wc = await client.post(
        f"{P}/work-centers",
        headers=tenant.auth,
        json={"code": "WC1", "calendar_id": cal["id"], "machine_ids": [str(m.machine_id)]},
    )
    assert wc.status_code == 201, wc.text
    win = {
        "machine_id": str(m.machine_id),
        "start_at": "2025-03-30T02:00:00Z",
        "end_at": "2025-03-30T03:00:00Z",
        "kind": "breakdown",
        "reason": "spindle",
    }
    assert (await client.post(f"{P}/unavailability", headers=tenant.auth, json=win)).status_code == 201
    r = await client.get(
        f"{P}/work-centers/{wc.json()['id']}/availability",
        headers=tenant.auth,
        params={"from": "2025-03-29T12:00:00Z", "to": "2025-03-30T12:00:00Z"},
    )
    assert r.status_code == 200, r.text
    mach = r.json()["machines"][0]
    assert mach["available_hours"] == 6  # 7 h night minus the 1 h breakdown
    assert len(mach["available"]) == 2
    unknown = await client.post(
        f"{P}/work-centers",
        headers=tenant.auth,
        json={"code": "WC2", "machine_ids": ["00000000-0000-0000-0000-000000000001"]},
    )
    assert unknown.status_code == 404
    naive = await client.get(
        f"{P}/work-centers/{wc.json()['id']}/availability",
        headers=tenant.auth,
        params={"from": "2025-03-29T12:00:00", "to": "2025-03-30T12:00:00Z"},
    )
    assert naive.status_code == 422
