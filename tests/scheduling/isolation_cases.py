"""Cross-tenant cases for every scheduling route, for the route table in tests/api/test_tenant_isolation.py
(same contract as tests/assets/isolation_cases.py)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

S = "/api/v1/schedules"


async def _b_schedule(w: Any) -> str:
    from tests.scheduling.test_api import problem_json

    r = await w.client.post(S, headers=w.b.auth, json={"problem": problem_json(), "time_limit_s": 2})
    assert r.status_code == 201, r.text
    return str(r.json()["id"])


def register_scheduling_cases(case: Callable[[str, str], Any], is_404: Callable[[Any], Awaitable[None]]) -> None:
    """Register one case per route of this domain."""

    @case("POST", S)
    async def _solve(w: Any) -> None:
        sid = await _b_schedule(w)
        mine = (await w.client.get(S, headers=w.a.auth)).json()["items"]
        assert sid not in {x["id"] for x in mine}

    @case("GET", S)
    async def _list(w: Any) -> None:
        sid = await _b_schedule(w)
        mine = (await w.client.get(S, headers=w.a.auth, params={"limit": 500})).json()["items"]
        assert sid not in {x["id"] for x in mine}

    @case("GET", f"{S}/{{schedule_id}}")
    async def _get(w: Any) -> None:
        await is_404(await w.client.get(f"{S}/{await _b_schedule(w)}", headers=w.a.auth))

    @case("GET", f"{S}/{{schedule_id}}/gantt")
    async def _gantt(w: Any) -> None:
        await is_404(await w.client.get(f"{S}/{await _b_schedule(w)}/gantt", headers=w.a.auth))

    @case("GET", f"{S}/{{schedule_id}}/late")
    async def _late(w: Any) -> None:
        await is_404(await w.client.get(f"{S}/{await _b_schedule(w)}/late", headers=w.a.auth))

    @case("POST", f"{S}/{{schedule_id}}/reschedule")
    async def _reschedule(w: Any) -> None:
        sid = await _b_schedule(w)
        await is_404(await w.client.post(f"{S}/{sid}/reschedule", headers=w.a.auth, json={"time_limit_s": 2}))

    @case("POST", f"{S}/{{schedule_id}}/publish")
    async def _publish(w: Any) -> None:
        sid = await _b_schedule(w)
        await is_404(await w.client.post(f"{S}/{sid}/publish", headers=w.a.auth))
        state = (await w.client.get(f"{S}/{sid}", headers=w.b.auth)).json()["state"]
        assert state == "draft"
