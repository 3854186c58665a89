"""Cross-tenant cases for every oee route, for the route table in tests/api/test_tenant_isolation.py
(same contract as tests/assets/isolation_cases.py). B's OEE objects (reason codes, shifts, stops, configs,
operator entries) are created by B in each case; A's credentials must neither see nor change them."""

from __future__ import annotations

import time
from collections.abc import Awaitable, Callable
from typing import Any

OEE = "/api/v1/oee"
HOUR = 3600 * 10**9


async def _as_b(w: Any, method: str, path: str, body: dict[str, Any] | None = None) -> Any:
    r = await w.client.request(method, path, headers=w.b.auth, json=body)
    assert r.status_code in (200, 201), r.text
    return r.json()


async def _b_line(w: Any) -> str:
    return str((await _as_b(w, "GET", f"/api/v1/assets/{w.b_ids['machine']}"))["parent_id"])


async def _b_reason(w: Any, code: str = "b_jam") -> Any:
    return await _as_b(w, "POST", f"{OEE}/reasons", {"code": code, "name": "B's", "category": "unplanned"})


async def _b_shift(w: Any) -> Any:
    body = {"site_id": str(w.b_ids["site"]), "name": "b-early", "start_time": "06:00", "end_time": "14:00"}
    return await _as_b(w, "POST", f"{OEE}/shifts", body)


async def _b_entry(w: Any) -> Any:
    now = time.time_ns()
    body = {"state": "down", "start": now - HOUR, "end": now - HOUR // 2}
    return await _as_b(w, "POST", f"{OEE}/machines/{w.b_ids['machine']}/states", body)


async def _b_count(w: Any) -> Any:
    now = time.time_ns()
    body = {"start": now - HOUR, "end": now, "good": 5}
    return await _as_b(w, "POST", f"{OEE}/machines/{w.b_ids['machine']}/counts", body)


def register_oee_cases(
    case: Callable[[str, str], Callable[[Any], Any]], is_404: Callable[[Any], Awaitable[None]]
) -> None:
    M = f"{OEE}/machines/{{machine_id}}"

    @case("GET", f"{OEE}/current")
    async def _current(w: Any) -> None:
        machines = (await w.client.get(f"{OEE}/current", headers=w.a.auth)).json()["machines"]
        assert machines, "tenant A sees its own machines"
        assert str(w.b_ids["machine"]) not in {m["machine_id"] for m in machines}

    @case("GET", M)
    async def _machine(w: Any) -> None:
        await is_404(await w.client.get(f"{OEE}/machines/{w.b_ids['machine']}", headers=w.a.auth))

    @case("GET", f"{OEE}/lines/{{line_id}}")
    async def _line(w: Any) -> None:
        await is_404(await w.client.get(f"{OEE}/lines/{await _b_line(w)}", headers=w.a.auth))

    @case("GET", f"{M}/states")
    async def _states(w: Any) -> None:
        await is_404(await w.client.get(f"{OEE}/machines/{w.b_ids['machine']}/states", headers=w.a.auth))

    @case("POST", f"{M}/states")
    async def _post_state(w: Any) -> None:
        body = {"state": "down", "start": time.time_ns() - HOUR}
        await is_404(await w.client.post(f"{OEE}/machines/{w.b_ids['machine']}/states", headers=w.a.auth, json=body))
        mine = await _as_b(w, "GET", f"{OEE}/machines/{w.b_ids['machine']}/states")
        assert all(i["source"] != "operator" for i in mine["intervals"])

    @case("DELETE", f"{OEE}/states/{{entry_id}}")
    async def _delete_state(w: Any) -> None:
        entry = await _b_entry(w)
        await is_404(await w.client.delete(f"{OEE}/states/{entry['id']}", headers=w.a.auth))
        intervals = (await _as_b(w, "GET", f"{OEE}/machines/{w.b_ids['machine']}/states"))["intervals"]
        assert entry["id"] in {i["entry_id"] for i in intervals}

    @case("GET", f"{M}/downtime")
    async def _downtime(w: Any) -> None:
        await is_404(await w.client.get(f"{OEE}/machines/{w.b_ids['machine']}/downtime", headers=w.a.auth))

    @case("POST", f"{M}/downtime/classify")
    async def _classify(w: Any) -> None:
        await _b_reason(w)
        now = time.time_ns()
        body = {"start": now - HOUR, "end": now - HOUR // 2, "reason_code": "b_jam"}
        r = await w.client.post(f"{OEE}/machines/{w.b_ids['machine']}/downtime/classify", headers=w.a.auth, json=body)
        await is_404(r)

    @case("GET", f"{OEE}/pareto")
    async def _pareto(w: Any) -> None:
        await is_404(
            await w.client.get(f"{OEE}/pareto", headers=w.a.auth, params={"machine_id": str(w.b_ids["machine"])})
        )
        await is_404(await w.client.get(f"{OEE}/pareto", headers=w.a.auth, params={"line_id": await _b_line(w)}))

    @case("GET", f"{M}/counts")
    async def _counts(w: Any) -> None:
        await _b_count(w)
        await is_404(await w.client.get(f"{OEE}/machines/{w.b_ids['machine']}/counts", headers=w.a.auth))

    @case("POST", f"{M}/counts")
    async def _add_count(w: Any) -> None:
        now = time.time_ns()
        body = {"start": now - HOUR, "end": now, "good": 1}
        await is_404(await w.client.post(f"{OEE}/machines/{w.b_ids['machine']}/counts", headers=w.a.auth, json=body))
        assert (await _as_b(w, "GET", f"{OEE}/machines/{w.b_ids['machine']}/counts"))["items"] == []

    @case("DELETE", f"{OEE}/counts/{{count_id}}")
    async def _delete_count(w: Any) -> None:
        count = await _b_count(w)
        await is_404(await w.client.delete(f"{OEE}/counts/{count['id']}", headers=w.a.auth))
        items = (await _as_b(w, "GET", f"{OEE}/machines/{w.b_ids['machine']}/counts"))["items"]
        assert [c["id"] for c in items] == [count["id"]]

    @case("GET", f"{OEE}/reasons")
    async def _reasons(w: Any) -> None:
        theirs = await _b_reason(w)
        mine = (await w.client.get(f"{OEE}/reasons", headers=w.a.auth)).json()
        assert theirs["id"] not in {r["id"] for r in mine}

    @case("POST", f"{OEE}/reasons")
    async def _create_reason(w: Any) -> None:
        await _b_reason(w)
        body = {"code": "b_jam", "name": "A's own", "category": "planned"}
        r = await w.client.post(f"{OEE}/reasons", headers=w.a.auth, json=body)
        assert r.status_code == 201, r.text  # codes are per tenant: B's does not collide
        theirs = await _as_b(w, "GET", f"{OEE}/reasons")
        assert [(x["code"], x["name"]) for x in theirs] == [("b_jam", "B's")]

    @case("PATCH", f"{OEE}/reasons/{{reason_id}}")
    async def _patch_reason(w: Any) -> None:
        theirs = await _b_reason(w)
        await is_404(await w.client.patch(f"{OEE}/reasons/{theirs['id']}", headers=w.a.auth, json={"name": "x"}))

    @case("DELETE", f"{OEE}/reasons/{{reason_id}}")
    async def _delete_reason(w: Any) -> None:
        theirs = await _b_reason(w)
        await is_404(await w.client.delete(f"{OEE}/reasons/{theirs['id']}", headers=w.a.auth))
        assert len(await _as_b(w, "GET", f"{OEE}/reasons")) == 1

    @case("GET", f"{OEE}/shifts")
    async def _shifts(w: Any) -> None:
        await _b_shift(w)
        assert (
            await w.client.get(f"{OEE}/shifts", headers=w.a.auth, params={"site_id": str(w.b_ids["site"])})
        ).json() == []
        assert (await w.client.get(f"{OEE}/shifts", headers=w.a.auth)).json() == []

    @case("POST", f"{OEE}/shifts")
    async def _create_shift(w: Any) -> None:
        body = {"site_id": str(w.b_ids["site"]), "name": "sneaky", "start_time": "06:00", "end_time": "14:00"}
        await is_404(await w.client.post(f"{OEE}/shifts", headers=w.a.auth, json=body))
        assert await _as_b(w, "GET", f"{OEE}/shifts") == []

    @case("PATCH", f"{OEE}/shifts/{{shift_id}}")
    async def _patch_shift(w: Any) -> None:
        theirs = await _b_shift(w)
        await is_404(await w.client.patch(f"{OEE}/shifts/{theirs['id']}", headers=w.a.auth, json={"name": "x"}))

    @case("DELETE", f"{OEE}/shifts/{{shift_id}}")
    async def _delete_shift(w: Any) -> None:
        theirs = await _b_shift(w)
        await is_404(await w.client.delete(f"{OEE}/shifts/{theirs['id']}", headers=w.a.auth))
        assert [s["id"] for s in await _as_b(w, "GET", f"{OEE}/shifts")] == [theirs["id"]]

    @case("GET", f"{OEE}/planned-stops")
    async def _stops(w: Any) -> None:
        body = {"asset_id": str(w.b_ids["machine"]), "name": "b-pm", "start": 1, "end": 2}
        await _as_b(w, "POST", f"{OEE}/planned-stops", body)
        assert (await w.client.get(f"{OEE}/planned-stops", headers=w.a.auth)).json() == []

    @case("POST", f"{OEE}/planned-stops")
    async def _create_stop(w: Any) -> None:
        body = {"asset_id": str(w.b_ids["site"]), "name": "sneaky", "start_time": "10:00", "end_time": "11:00"}
        await is_404(await w.client.post(f"{OEE}/planned-stops", headers=w.a.auth, json=body))

    @case("DELETE", f"{OEE}/planned-stops/{{stop_id}}")
    async def _delete_stop(w: Any) -> None:
        body = {"asset_id": str(w.b_ids["machine"]), "name": "b-pm", "start": 1, "end": 2}
        theirs = await _as_b(w, "POST", f"{OEE}/planned-stops", body)
        await is_404(await w.client.delete(f"{OEE}/planned-stops/{theirs['id']}", headers=w.a.auth))

    @case("GET", f"{OEE}/configs")
    async def _configs(w: Any) -> None:
        await _as_b(w, "PUT", f"{OEE}/configs/{w.b_ids['machine']}", {"run_sensor": "temp"})
        assert (await w.client.get(f"{OEE}/configs", headers=w.a.auth)).json() == []

    @case("GET", f"{OEE}/configs/{{asset_id}}")
    async def _config(w: Any) -> None:
        await is_404(await w.client.get(f"{OEE}/configs/{w.b_ids['machine']}", headers=w.a.auth))

    @case("PUT", f"{OEE}/configs/{{asset_id}}")
    async def _put_config(w: Any) -> None:
        r = await w.client.put(f"{OEE}/configs/{w.b_ids['machine']}", headers=w.a.auth, json={"ideal_cycle_s": 1})
        await is_404(r)
        assert (await _as_b(w, "GET", f"{OEE}/configs/{w.b_ids['machine']}"))["own"] is None

    @case("DELETE", f"{OEE}/configs/{{asset_id}}")
    async def _delete_config(w: Any) -> None:
        await _as_b(w, "PUT", f"{OEE}/configs/{w.b_ids['machine']}", {"run_sensor": "temp"})
        await is_404(await w.client.delete(f"{OEE}/configs/{w.b_ids['machine']}", headers=w.a.auth))
        assert (await _as_b(w, "GET", f"{OEE}/configs/{w.b_ids['machine']}"))["own"]["run_sensor"] == "temp"

    @case("POST", f"{OEE}/rollups/recompute")
    async def _recompute(w: Any) -> None:
        await _as_b(w, "PUT", f"{OEE}/configs/{w.b_ids['machine']}", {"run_sensor": "temp"})
        now = time.time_ns()
        body: dict[str, Any] = {"from": now - 2 * HOUR, "to": now, "machine_ids": [str(w.b_ids["machine"])]}
        await is_404(await w.client.post(f"{OEE}/rollups/recompute", headers=w.a.auth, json=body))
        body.pop("machine_ids")
        r = await w.client.post(f"{OEE}/rollups/recompute", headers=w.a.auth, json=body)
        assert r.json()["machines"] == 0  # A has no configured machine; B's is invisible
