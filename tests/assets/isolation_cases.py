"""Cross-tenant cases for every assets route, for the route table in tests/api/test_tenant_isolation.py.

``tests/api/isolation_assets.register_asset_cases`` can delegate here. Each case gets that module's World:
``w.a``/``w.b`` tenants and ``w.b_ids`` with B's ``site``, ``machine``, ``sensor`` ids and ``sensor_path``.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

A = "/api/v1/assets"
S = "/api/v1/sensors"


def register_asset_cases(
    case: Callable[[str, str], Callable[[Any], Any]], is_404: Callable[[Any], Awaitable[None]]
) -> None:
    @case("GET", A)
    async def _list_assets(w: Any) -> None:
        mine = (await w.client.get(A, headers=w.a.auth, params={"limit": 1000})).json()
        assert str(w.b_ids["site"]) not in {x["id"] for x in mine["items"]}
        assert {x["tenant_id"] for x in mine["items"]} == {str(w.a.id)}
        filtered = await w.client.get(A, headers=w.a.auth, params={"parent_id": str(w.b_ids["site"])})
        assert filtered.json()["total"] == 0

    @case("POST", A)
    async def _create_asset(w: Any) -> None:
        body = {"kind": "area", "name": "sneaky", "parent_id": str(w.b_ids["site"])}
        await is_404(await w.client.post(A, headers=w.a.auth, json=body))

    @case("GET", f"{A}/tree")
    async def _tree(w: Any) -> None:
        await is_404(await w.client.get(f"{A}/tree", headers=w.a.auth, params={"root_id": str(w.b_ids["site"])}))
        roots = (await w.client.get(f"{A}/tree", headers=w.a.auth)).json()
        assert str(w.b_ids["site"]) not in {r["id"] for r in roots}

    @case("POST", f"{A}/import")
    async def _import(w: Any) -> None:
        machine, _, name = w.b_ids["sensor_path"].rpartition("/")
        site, area, line, m = machine.split("/")
        doc = f"site,area,line,machine,sensor,high_limit\n{site},{area},{line},{m},{name},1\n"
        r = await w.client.post(f"{A}/import", headers={**w.a.auth, "content-type": "text/csv"}, content=doc)
        assert r.status_code == 200, r.text
        assert r.json()["updated"] == 0  # B's rows are invisible: A got its own copies
        theirs = (await w.client.get(f"{S}/{w.b_ids['sensor']}", headers=w.b.auth)).json()
        assert theirs["high_limit"] != 1

    @case("GET", f"{A}/{{asset_id}}")
    async def _get_asset(w: Any) -> None:
        await is_404(await w.client.get(f"{A}/{w.b_ids['machine']}", headers=w.a.auth))

    @case("PATCH", f"{A}/{{asset_id}}")
    async def _patch_asset(w: Any) -> None:
        await is_404(await w.client.patch(f"{A}/{w.b_ids['site']}", headers=w.a.auth, json={"name": "mine"}))
        assert (await w.client.get(f"{A}/{w.b_ids['site']}", headers=w.b.auth)).json()["name"] != "mine"

    @case("DELETE", f"{A}/{{asset_id}}")
    async def _delete_asset(w: Any) -> None:
        await is_404(await w.client.delete(f"{A}/{w.b_ids['machine']}", headers=w.a.auth))

    @case("GET", S)
    async def _list_sensors(w: Any) -> None:
        r = await w.client.get(S, headers=w.a.auth, params={"machine_id": str(w.b_ids["machine"])})
        assert r.json()["total"] == 0
        everything = (await w.client.get(S, headers=w.a.auth, params={"limit": 1000})).json()["items"]
        assert str(w.b_ids["sensor"]) not in {x["id"] for x in everything}

    @case("POST", S)
    async def _create_sensor(w: Any) -> None:
        body = {"machine_id": str(w.b_ids["machine"]), "name": "sneaky"}
        await is_404(await w.client.post(S, headers=w.a.auth, json=body))

    @case("GET", f"{S}/{{sensor_id}}")
    async def _get_sensor(w: Any) -> None:
        await is_404(await w.client.get(f"{S}/{w.b_ids['sensor']}", headers=w.a.auth))

    @case("PATCH", f"{S}/{{sensor_id}}")
    async def _patch_sensor(w: Any) -> None:
        await is_404(await w.client.patch(f"{S}/{w.b_ids['sensor']}", headers=w.a.auth, json={"high_limit": 1}))

    @case("DELETE", f"{S}/{{sensor_id}}")
    async def _delete_sensor(w: Any) -> None:
        await is_404(await w.client.delete(f"{S}/{w.b_ids['sensor']}", headers=w.a.auth))
        assert (await w.client.get(f"{S}/{w.b_ids['sensor']}", headers=w.b.auth)).status_code == 200
