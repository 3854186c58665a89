"""Cross-tenant cases for every rules route, for the route table in tests/api/test_tenant_isolation.py."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

R = "/api/v1/rules"
_BODY = {"name": "x", "scope": {"sensor_name": "temp"}, "condition": {"type": "threshold", "op": ">", "value": 1}}


async def _b_rule(w: Any) -> str:
    r = await w.client.post(R, headers=w.b.auth, json=_BODY)
    assert r.status_code == 201
    return str(r.json()["id"])


def register_detection_cases(
    case: Callable[[str, str], Callable[[Any], Any]], is_404: Callable[[Any], Awaitable[None]]
) -> None:
    @case("GET", R)
    async def _list(w: Any) -> None:
        rid = await _b_rule(w)
        assert rid not in {x["id"] for x in (await w.client.get(R, headers=w.a.auth)).json()["items"]}

    @case("POST", R)
    async def _create(w: Any) -> None:
        body = {**_BODY, "scope": {"machine_id": str(w.b_ids["machine"]), "sensor_name": "temp"}}
        r = await w.client.post(R, headers=w.a.auth, json=body)
        assert r.status_code == 422

    @case("GET", R + "/{rule_id}")
    async def _get(w: Any) -> None:
        await is_404(await w.client.get(f"{R}/{await _b_rule(w)}", headers=w.a.auth))

    @case("PUT", R + "/{rule_id}")
    async def _put(w: Any) -> None:
        await is_404(await w.client.put(f"{R}/{await _b_rule(w)}", headers=w.a.auth, json=_BODY))

    @case("DELETE", R + "/{rule_id}")
    async def _delete(w: Any) -> None:
        rid = await _b_rule(w)
        await is_404(await w.client.delete(f"{R}/{rid}", headers=w.a.auth))
        assert (await w.client.get(f"{R}/{rid}", headers=w.b.auth)).status_code == 200

    @case("GET", R + "/{rule_id}/versions")
    async def _versions(w: Any) -> None:
        await is_404(await w.client.get(f"{R}/{await _b_rule(w)}/versions", headers=w.a.auth))
