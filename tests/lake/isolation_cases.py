"""Cross-tenant cases for every lake route, for the route table in tests/api/test_tenant_isolation.py
(same contract as tests/assets/isolation_cases.py)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

L = "/api/v1/lake"


def register_lake_cases(case: Callable[[str, str], Any], is_404: Callable[[Any], Awaitable[None]]) -> None:
    """Register one case per route of this domain."""

    @case("GET", f"{L}/status")
    async def _status(w: Any) -> None:
        r = await w.client.get(f"{L}/status", headers=w.a.auth)
        assert r.status_code == 200, r.text
        assert r.json()["tenant_id"] == str(w.a.id)

    @case("GET", f"{L}/retention")
    async def _get_retention(w: Any) -> None:
        await w.client.put(f"{L}/retention/events", headers=w.b.auth, json={"lake_days": 11})
        mine = (await w.client.get(f"{L}/retention", headers=w.a.auth)).json()
        assert {p["data_class"]: p["lake_days"] for p in mine}["events"] != 11

    @case("PUT", f"{L}/retention/{{data_class}}")
    async def _put_retention(w: Any) -> None:
        r = await w.client.put(f"{L}/retention/rollup", headers=w.a.auth, json={"lake_days": 3})
        assert r.status_code == 200
        theirs = (await w.client.get(f"{L}/retention", headers=w.b.auth)).json()
        assert {p["data_class"]: p["lake_days"] for p in theirs}["rollup"] != 3

    @case("POST", f"{L}/shred")
    async def _shred(w: Any) -> None:
        r = await w.client.post(f"{L}/shred", headers=w.a.auth, json={"confirm": str(w.b.id)})
        assert r.status_code == 400  # only one's own tenant, confirmed by its id
        status = (await w.client.get(f"{L}/status", headers=w.b.auth)).json()
        assert status["key"] != "shredded"
