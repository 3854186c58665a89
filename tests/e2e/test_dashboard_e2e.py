"""The dashboard end to end, in headless Debian Chromium driven by playwright-core (web/e2e/dashboard.mjs),
against `mip demo` (embedded PostgreSQL, simulated factory) started here: log in, live simulator data on a
machine chart, an injected safety breach shown as an alarm and acknowledged, a second tenant sees none of it.
Screenshots of the main pages land in web/test-results/."""

from __future__ import annotations

import json
from collections.abc import Iterator

import httpx
import pytest

from mip.bench.demo_stack import WEB_DIR, DemoStack


@pytest.fixture(scope="module")
def stack() -> Iterator[DemoStack]:
    assert (WEB_DIR / "dist" / "index.html").is_file(), "build the dashboard first: make web"
    with DemoStack(rate=300) as s:
        s.wait_for_data()
        yield s


def test_given_demo_then_dashboard_is_served_by_mip(stack: DemoStack) -> None:
    index = httpx.get(stack.url + "/machines/anything", timeout=10)
    assert index.status_code == 200
    assert '<div id="root">' in index.text
    asset = index.text.split('src="', 1)[1].split('"', 1)[0]
    js = httpx.get(stack.url + asset, timeout=10)
    assert js.status_code == 200
    assert "immutable" in js.headers["cache-control"]


def test_given_demo_when_person_uses_dashboard_then_live_data_alarm_ack_and_tenant_isolation(
    stack: DemoStack,
) -> None:
    out = stack.node("dashboard.mjs", timeout_s=240)
    result = json.loads(out.strip().splitlines()[-1])
    assert result["ok"] is True
    assert result["livePointsAfter"] > result["livePointsBefore"] > 0
    assert set(result["a11y"]) == {
        "login",
        "plant-overview",
        "machine-detail",
        "alarms",
        "planning-bom",
        "planning-mrp",
        "schedules",
        "spc",
        "spc-quick",
        "quality",
        "trace",
        "analytics",
    }
    assert all(page["serious"] == [] for page in result["a11y"].values()), result["a11y"]
    pages = ("login", "plant-overview", "plant-overview-tablet", "machine-detail", "alarms", "alarm-acknowledged")
    pages += ("planning-bom", "planning-mrp", "schedules", "spc", "quality", "analytics")
    for name in (*pages, "tenant-b-overview", "tenant-b-machine"):
        assert (WEB_DIR / "test-results" / f"{name}.png").stat().st_size > 1000, name
    with httpx.Client(base_url=stack.url, timeout=10) as c:
        login = c.post(
            "/api/v1/auth/login", json={"email": stack.info["A_EMAIL"], "password": stack.info["A_PASSWORD"]}
        )
        auth = {"Authorization": f"Bearer {login.json()['access_token']}"}
        alert = c.get(f"/api/v1/alerts/{result['alertId']}", headers=auth).json()
    assert alert["state"] == "acknowledged"
    assert alert["acknowledged_by"] == login.json()["user"]["id"]
