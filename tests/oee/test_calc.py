"""The pure parts of OEE: shift calendars in local time (midnight, DST), the per-minute state classification,
painting operator input over the signal, counter increments, segments and the ratios."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from zoneinfo import ZoneInfo

import numpy as np

from mip.oee.calc import Components, CountEntry, build_segments, figures, total
from mip.oee.calendar import HOUR_NS, MINUTE_NS, ShiftDef, Weekly, local_ns, shift_instances, weekly_overlap
from mip.oee.signals import MinuteSeries, counter_increments
from mip.oee.state import Interval, effective_timeline, signal_intervals

BERLIN = ZoneInfo("Europe/Berlin")
NIGHT = ShiftDef(uuid.uuid4(), "night", Weekly(22 * 60, 6 * 60, frozenset(range(1, 8))))


def _utc(text: str) -> int:
    return int(datetime.fromisoformat(text).timestamp()) * 1_000_000_000


def series(minutes: list[int], means: list[float]) -> MinuteSeries:
    m = np.asarray(minutes, np.int64)
    v = np.asarray(means, np.float64)
    return MinuteSeries(m, v, v, v, v)


def test_given_night_shift_over_dst_changes_then_wall_clock_boundaries_and_real_durations() -> None:
    spring = shift_instances([NIGHT], BERLIN, _utc("2025-03-29T22:00:00+01:00"), _utc("2025-03-30T01:00:00+00:00"))
    (inst,) = [i for i in spring if i.day == date(2025, 3, 29)]
    assert inst.start == _utc("2025-03-29T22:00:00+01:00")
    assert inst.end == _utc("2025-03-30T06:00:00+02:00")  # clocks went forward at 02:00
    assert inst.end - inst.start == 7 * HOUR_NS
    autumn = shift_instances([NIGHT], BERLIN, _utc("2025-10-25T21:00:00+00:00"), _utc("2025-10-26T01:00:00+00:00"))
    (inst,) = [i for i in autumn if i.day == date(2025, 10, 25)]
    assert inst.end - inst.start == 9 * HOUR_NS


def test_given_no_shifts_then_one_24h_instance_per_local_day() -> None:
    tokyo = ZoneInfo("Asia/Tokyo")
    out = shift_instances([], tokyo, local_ns(date(2030, 1, 1), 0, tokyo), local_ns(date(2030, 1, 3), 0, tokyo))
    assert [(i.name, i.day, i.end - i.start) for i in out] == [
        ("all day", date(2030, 1, 1), 24 * HOUR_NS),
        ("all day", date(2030, 1, 2), 24 * HOUR_NS),
    ]
    assert out[0].start == _utc("2029-12-31T15:00:00+00:00")


def test_given_days_then_shift_runs_only_on_its_start_weekdays() -> None:
    weekdays = ShiftDef(None, "night", Weekly(22 * 60, 6 * 60, frozenset({1, 2, 3, 4, 5})))
    a, b = local_ns(date(2030, 1, 4), 0, BERLIN), local_ns(date(2030, 1, 8), 0, BERLIN)  # Friday .. Tuesday
    # Thursday's night reaches into Friday; no shift starts on Saturday or Sunday
    assert [i.day.isoweekday() for i in shift_instances([weekdays], BERLIN, a, b)] == [4, 5, 1]


def test_given_weekly_windows_then_overlap_includes_the_wrap_from_sunday_night() -> None:
    sunday_night = Weekly(22 * 60, 6 * 60, frozenset({7}))
    assert weekly_overlap(sunday_night, Weekly(5 * 60, 13 * 60, frozenset({1})))
    assert not weekly_overlap(sunday_night, Weekly(6 * 60, 14 * 60, frozenset({1})))
    assert not weekly_overlap(Weekly(6 * 60, 14 * 60, frozenset({1, 2})), Weekly(14 * 60, 22 * 60, frozenset({1, 2})))


def test_given_minutes_then_running_idle_down_and_pending_minute_keeps_state() -> None:
    t0 = 1_000 * MINUTE_NS
    run = series([t0, t0 + MINUTE_NS, t0 + 2 * MINUTE_NS, t0 + 4 * MINUTE_NS], [500, 50, 0, 500])
    power = series([t0, t0 + MINUTE_NS], [10, 10])
    now = t0 + 5 * MINUTE_NS + 20 * 1_000_000_000  # minute 5 has just started and has no data yet
    out = signal_intervals(t0, now, now, run, 100.0, power, 1.0)
    assert [(iv.state, (iv.end - iv.start) // MINUTE_NS) for iv in out[:-1]] == [
        ("running", 1),
        ("idle", 1),  # below the threshold, power on
        ("down", 2),  # speed 0 but no power reading (off); minute 3 has no data at all
    ]
    assert (out[-1].state, out[-1].start, out[-1].end) == ("running", t0 + 4 * MINUTE_NS, now)
    assert [iv.state for iv in signal_intervals(t0, t0 + 2 * MINUTE_NS, now, None, 0.0)] == ["down"]


def test_given_layers_then_later_layers_win_and_neighbours_merge() -> None:
    base = [Interval(0, 100, "running"), Interval(100, 200, "idle")]
    stop = Interval(50, 120, "planned_stop", "schedule", "break")
    op = [Interval(110, 150, "down", "operator", "tool", uuid.uuid4()), Interval(0, 20, "running", "operator")]
    tl = effective_timeline(base, [stop], op)
    assert [(iv.start, iv.end, iv.state, iv.source) for iv in tl] == [
        (0, 20, "running", "operator"),
        (20, 50, "running", "signal"),
        (50, 110, "planned_stop", "schedule"),
        (110, 150, "down", "operator"),
        (150, 200, "idle", "signal"),
    ]


def test_given_counter_readings_then_increments_handle_reset_and_first_minute() -> None:
    m = [0, MINUTE_NS, 2 * MINUTE_NS, 3 * MINUTE_NS]
    s = MinuteSeries(
        np.asarray(m, np.int64), np.zeros(4), np.asarray([5.0, 8, 0, 3]), np.zeros(4), np.asarray([7.0, 10, 4, 6])
    )
    minutes, inc = counter_increments(s, "cumulative", 0)
    assert inc.tolist() == [2.0, 3.0, 4.0, 2.0]  # first: last - min; a drop is a reset to zero
    _, delta = counter_increments(s, "delta", MINUTE_NS)
    assert delta.tolist() == [0.0, 0.0, 0.0]


def test_given_segments_then_cut_at_hours_and_shift_edges_counts_prorated() -> None:
    tz = ZoneInfo("Asia/Kolkata")
    a = local_ns(date(2030, 6, 3), 21 * 60, tz)  # 15:30 UTC
    end = a + 2 * HOUR_NS
    shifts = shift_instances([NIGHT], tz, a, end)
    timeline = [Interval(a, end, "running")]
    entries = [CountEntry(a + HOUR_NS, a + 2 * HOUR_NS, good=90, reject=10)]  # 16:30-17:30 UTC
    segs = build_segments(uuid.uuid4(), a, end, shifts, timeline, entries=entries, ideal_cycle_ns=30e9)
    # 15:30-17:30 UTC: cut at 16:00 and 17:00 (hours) and 16:30 (22:00 local, the shift starts)
    assert [((s.end - s.start) // MINUTE_NS, s.shift is not None) for s in segs] == [
        (30, False),
        (30, False),
        (30, True),
        (30, True),
    ]
    assert segs[0].c == Components()  # before the shift: nothing planned, nothing counted
    assert (segs[2].c.total_count, segs[3].c.good_count, segs[3].c.reject_count) == (50.0, 45.0, 5.0)
    c = total(segs)
    assert (c.run_ns, c.planned_ns, c.good_count, c.reject_count) == (60 * MINUTE_NS, 60 * MINUTE_NS, 90, 10)
    f = figures(c)
    assert (f["availability"], f["performance"], f["quality"]) == (1.0, 3000 / 3600, 0.9)


def test_given_edge_cases_then_ratios_are_null_zero_or_capped() -> None:
    assert figures(Components())["oee"] is None  # nothing planned
    idle = figures(Components(shift_ns=10, idle_ns=10))
    assert (idle["availability"], idle["performance"], idle["oee"]) == (0.0, None, 0.0)
    fast = figures(Components(shift_ns=100, run_ns=100, total_count=4, good_count=4, ideal_run_ns=150.0, counted=True))
    assert (fast["performance"], fast["performance_raw"], fast["performance_capped"]) == (1.0, 1.5, True)
    unknown = figures(
        Components(shift_ns=100, run_ns=100, total_count=4, good_count=4, ideal_run_ns=None, counted=True)
    )
    assert (unknown["performance"], unknown["oee"]) == (None, None)
    nothing_made = figures(Components(shift_ns=100, run_ns=100, counted=True))
    assert (nothing_made["performance"], nothing_made["quality"], nothing_made["oee"]) == (0.0, None, 0.0)
    not_counted = figures(Components(shift_ns=100, run_ns=100))  # no counter sensor, no counts entered
    assert (not_counted["performance"], not_counted["quality"], not_counted["oee"]) == (None, None, None)
