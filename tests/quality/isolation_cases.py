"""Cross-tenant cases for every quality route, for the route table in tests/api/test_tenant_isolation.py
(same contract as tests/assets/isolation_cases.py)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

Q = "/api/v1/quality/spc"


async def _b_chart(w: Any, *, frozen: bool = False) -> str:
    body = {"name": f"b-{id(w)}-{frozen}", "machine_id": str(w.b_ids["machine"]), "settings": {"type": "xbar"}}
    r = await w.client.post(f"{Q}/charts", headers=w.b.auth, json=body)
    if r.status_code == 409:
        items = (await w.client.get(f"{Q}/charts", headers=w.b.auth)).json()["items"]
        return str(next(c["id"] for c in items if c["name"] == body["name"]))
    assert r.status_code == 201, r.text
    cid = str(r.json()["id"])
    pts = {"subgroups": [{"values": [1.0, 2.0]}, {"values": [2.0, 3.5]}, {"values": [1.5, 2.5]}]}
    assert (await w.client.post(f"{Q}/charts/{cid}/points", headers=w.b.auth, json=pts)).status_code == 201
    if frozen:
        assert (await w.client.post(f"{Q}/charts/{cid}/limits", headers=w.b.auth, json={})).status_code == 200
    return cid


def register_quality_cases(case: Callable[[str, str], Any], is_404: Callable[[Any], Awaitable[None]]) -> None:
    """Register one case per route of this domain."""

    @case("POST", f"{Q}/chart")
    async def _compute(w: Any) -> None:  # stateless: nothing of B's is reachable; the result is the caller's
        r = await w.client.post(f"{Q}/chart", headers=w.a.auth, json={"type": "imr", "values": [1.0, 2.0, 1.5]})
        assert r.status_code == 200

    @case("POST", f"{Q}/capability")
    async def _capability(w: Any) -> None:
        body = {"values": [1.0, 2.0, 1.5], "lsl": 0, "usl": 3}
        assert (await w.client.post(f"{Q}/capability", headers=w.a.auth, json=body)).status_code == 200

    @case("GET", f"{Q}/charts")
    async def _list(w: Any) -> None:
        cid = await _b_chart(w)
        mine = (await w.client.get(f"{Q}/charts", headers=w.a.auth)).json()["items"]
        assert cid not in {c["id"] for c in mine}
        r = await w.client.get(f"{Q}/charts", headers=w.a.auth, params={"machine_id": str(w.b_ids["machine"])})
        assert r.json()["items"] == []

    @case("POST", f"{Q}/charts")
    async def _create(w: Any) -> None:
        body = {"name": "sneaky", "machine_id": str(w.b_ids["machine"]), "settings": {"type": "xbar"}}
        await is_404(await w.client.post(f"{Q}/charts", headers=w.a.auth, json=body))
        body = {
            "name": "sneaky2",
            "source": "sensor",
            "sensor_id": str(w.b_ids["sensor"]),
            "settings": {"type": "xbar"},
        }
        await is_404(await w.client.post(f"{Q}/charts", headers=w.a.auth, json=body))

    @case("GET", f"{Q}/charts/{{chart_id}}")
    async def _get(w: Any) -> None:
        await is_404(await w.client.get(f"{Q}/charts/{await _b_chart(w)}", headers=w.a.auth))

    @case("PATCH", f"{Q}/charts/{{chart_id}}")
    async def _patch(w: Any) -> None:
        cid = await _b_chart(w)
        await is_404(await w.client.patch(f"{Q}/charts/{cid}", headers=w.a.auth, json={"name": "mine"}))
        assert (await w.client.get(f"{Q}/charts/{cid}", headers=w.b.auth)).json()["name"] != "mine"

    @case("DELETE", f"{Q}/charts/{{chart_id}}")
    async def _delete(w: Any) -> None:
        cid = await _b_chart(w)
        await is_404(await w.client.delete(f"{Q}/charts/{cid}", headers=w.a.auth))
        assert (await w.client.get(f"{Q}/charts/{cid}", headers=w.b.auth)).status_code == 200

    @case("POST", f"{Q}/charts/{{chart_id}}/points")
    async def _add_points(w: Any) -> None:
        cid = await _b_chart(w)
        body = {"subgroups": [{"values": [9.0, 9.5]}]}
        await is_404(await w.client.post(f"{Q}/charts/{cid}/points", headers=w.a.auth, json=body))
        assert (await w.client.get(f"{Q}/charts/{cid}", headers=w.b.auth)).json()["subgroups"] == 3

    @case("GET", f"{Q}/charts/{{chart_id}}/points")
    async def _points(w: Any) -> None:
        await is_404(await w.client.get(f"{Q}/charts/{await _b_chart(w)}/points", headers=w.a.auth))

    @case("POST", f"{Q}/charts/{{chart_id}}/limits")
    async def _freeze(w: Any) -> None:
        cid = await _b_chart(w)
        await is_404(await w.client.post(f"{Q}/charts/{cid}/limits", headers=w.a.auth, json={}))
        assert (await w.client.get(f"{Q}/charts/{cid}", headers=w.b.auth)).json()["limits"] is None

    @case("GET", f"{Q}/charts/{{chart_id}}/chart")
    async def _view(w: Any) -> None:
        await is_404(await w.client.get(f"{Q}/charts/{await _b_chart(w)}/chart", headers=w.a.auth))

    @case("GET", f"{Q}/charts/{{chart_id}}/signals")
    async def _signals(w: Any) -> None:
        await is_404(await w.client.get(f"{Q}/charts/{await _b_chart(w, frozen=True)}/signals", headers=w.a.auth))
