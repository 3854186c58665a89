"""Pure decisions: quiet-hour windows (time zones, overnight, days), subscription filters, webhook signatures,
backoff."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, time

from mip.notifications.dispatcher import DeliveryConfig
from mip.notifications.filters import EventFacts, in_quiet_hours, matches
from mip.notifications.mailer import render_email
from mip.notifications.webhooks import sign, verify_signature

SITE_A, SITE_B, LINE_A = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()


def _flt(**kw: object) -> dict[str, object]:
    base: dict[str, object] = {
        "site_ids": [],
        "line_ids": [],
        "min_severity": "warning",
        "safety_only": False,
        "event_kinds": ["opened", "escalated", "cleared"],
    }
    return {**base, **kw}


def _facts(**kw: object) -> EventFacts:
    base: dict[str, object] = {
        "kind": "opened",
        "severity": "major",
        "safety": False,
        "site_id": SITE_A,
        "line_id": LINE_A,
    }
    return EventFacts(**{**base, **kw})  # type: ignore[arg-type]


def test_given_overnight_window_in_berlin_then_quiet_until_morning_of_next_day() -> None:
    window = {"start": time(22, 0), "end": time(6, 0), "timezone": "Europe/Berlin", "days": [5]}  # Friday night
    # 2025-01-10 is a Friday; Berlin is UTC+1 in winter
    assert in_quiet_hours(datetime(2025, 1, 10, 21, 30, tzinfo=UTC), **window)  # Fri 22:30 local
    assert in_quiet_hours(datetime(2025, 1, 11, 4, 59, tzinfo=UTC), **window)  # Sat 05:59 local
    assert not in_quiet_hours(datetime(2025, 1, 11, 5, 0, tzinfo=UTC), **window)  # Sat 06:00 local: over
    assert not in_quiet_hours(datetime(2025, 1, 10, 20, 59, tzinfo=UTC), **window)  # Fri 21:59 local
    assert not in_quiet_hours(datetime(2025, 1, 11, 21, 30, tzinfo=UTC), **window)  # Sat 22:30: not a quiet day
    assert not in_quiet_hours(datetime(2025, 1, 10, 2, 0, tzinfo=UTC), **window)  # Fri 03:00 belongs to Thursday


def test_given_daytime_window_and_dst_then_local_wall_clock_counts() -> None:
    window = {"start": time(12, 0), "end": time(13, 0), "timezone": "America/New_York", "days": [1, 2, 3, 4, 5]}
    assert in_quiet_hours(datetime(2025, 1, 6, 17, 30, tzinfo=UTC), **window)  # Mon 12:30 EST (UTC-5)
    assert in_quiet_hours(datetime(2025, 7, 7, 16, 30, tzinfo=UTC), **window)  # Mon 12:30 EDT (UTC-4)
    assert not in_quiet_hours(datetime(2025, 7, 7, 17, 30, tzinfo=UTC), **window)  # Mon 13:30 EDT
    assert not in_quiet_hours(datetime(2025, 1, 5, 17, 30, tzinfo=UTC), **window)  # Sunday
    assert not in_quiet_hours(datetime(2025, 1, 6, 17, 30, tzinfo=UTC), **window, enabled=False)


def test_given_equal_start_and_end_then_whole_day() -> None:
    window = {"start": time(0, 0), "end": time(0, 0), "timezone": "UTC", "days": [6, 7]}
    assert in_quiet_hours(datetime(2025, 1, 11, 0, 0, tzinfo=UTC), **window)  # Saturday
    assert in_quiet_hours(datetime(2025, 1, 12, 23, 59, tzinfo=UTC), **window)  # Sunday
    assert not in_quiet_hours(datetime(2025, 1, 13, 0, 0, tzinfo=UTC), **window)  # Monday


def test_given_filters_then_site_line_severity_safety_and_kind_decide() -> None:
    assert matches(_flt(), _facts())
    assert matches(_flt(site_ids=[SITE_A]), _facts())
    assert not matches(_flt(site_ids=[SITE_B]), _facts())
    assert not matches(_flt(site_ids=[SITE_A]), _facts(site_id=None))
    assert matches(_flt(line_ids=[LINE_A]), _facts())
    assert not matches(_flt(line_ids=[uuid.uuid4()]), _facts())
    assert not matches(_flt(min_severity="critical"), _facts(severity="major"))
    assert matches(_flt(min_severity="major"), _facts(severity="critical"))
    assert not matches(_flt(min_severity="minor"), _facts(severity="warning"))
    assert matches(_flt(min_severity="critical"), _facts(severity="minor", safety=True))  # safety passes the floor
    assert not matches(_flt(safety_only=True), _facts())
    assert matches(_flt(safety_only=True), _facts(safety=True))
    assert not matches(_flt(), _facts(kind="updated"))
    assert matches(_flt(event_kinds=["updated"]), _facts(kind="updated"))
    assert not matches(_flt(site_ids=[SITE_B]), _facts(safety=True))  # place filters hold for safety alarms too


def test_given_signature_then_only_same_secret_body_and_fresh_timestamp_verify() -> None:
    body = b'{"type":"alert.opened"}'
    sig = sign("s3cret-s3cret-s3cret", 1_700_000_000, body)
    assert sig.startswith("sha256=")
    assert len(sig) == 7 + 64
    ok = {"tolerance_s": 300, "now": 1_700_000_100}
    assert verify_signature("s3cret-s3cret-s3cret", "1700000000", body, sig, **ok)
    assert not verify_signature("other-secret-other", "1700000000", body, sig, **ok)
    assert not verify_signature("s3cret-s3cret-s3cret", "1700000000", body + b" ", sig, **ok)
    assert not verify_signature("s3cret-s3cret-s3cret", "1700000001", body, sig, **ok)
    assert not verify_signature("s3cret-s3cret-s3cret", "1700000000", body, sig, now=1_700_000_301)
    assert not verify_signature("s3cret-s3cret-s3cret", "soon", body, sig, **ok)


def test_given_backoff_policy_then_exponential_capped_with_bounded_jitter() -> None:
    cfg = DeliveryConfig(backoff_base_s=10, backoff_factor=2, backoff_max_s=60, jitter=0.2)
    for attempt, nominal in ((1, 10), (2, 20), (3, 40), (4, 60), (9, 60)):
        delays = [cfg.backoff_s(attempt) for _ in range(50)]
        assert all(nominal * 0.8 <= d <= nominal * 1.2 for d in delays), (attempt, min(delays), max(delays))
        assert len(set(delays)) > 1  # jittered
    defaults = DeliveryConfig()
    total = sum(defaults.backoff_s(a) for a in range(1, defaults.max_attempts))
    assert 120 < total < 400  # 5 attempts spread over a few minutes


def test_given_safety_alarm_then_subject_says_so() -> None:
    payload = {
        "type": "alert.opened",
        "alert": {"severity": "critical", "safety": True, "message": "press/p1 above limit 80: 91", "state": "open"},
        "context": {"site": "plant", "line": "line1", "machine": "plant/area1/line1/p1"},
    }
    subject, body = render_email(payload)
    assert subject == "[MIP] SAFETY CRITICAL alarm opened: press/p1 above limit 80: 91"
    assert "Machine:   plant/area1/line1/p1" in body
    assert "(SAFETY alarm)" in body
