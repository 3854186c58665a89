"""Cross-tenant cases for every audit route (same contract as tests/assets/isolation_cases.py)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

A = "/api/v1/audit"


def register_audit_cases(case: Callable[[str, str], Any], is_404: Callable[[Any], Awaitable[None]]) -> None:
    """Register one case per route."""

    @case("GET", f"{A}/entries")
    async def _entries(w: Any) -> None:
        r = await w.client.get(f"{A}/entries", headers=w.a.auth, params={"limit": 1000})
        assert r.status_code == 200, r.text
        items = r.json()["items"]
        assert items
        assert {x["tenant_id"] for x in items} == {str(w.a.id)}
        for key in ("site", "machine", "sensor"):
            r = await w.client.get(f"{A}/entries", headers=w.a.auth, params={"object_id": str(w.b_ids[key])})
            assert r.json()["items"] == [], key
        theirs = await w.client.get(f"{A}/entries", headers=w.b.auth, params={"object_id": str(w.b_ids["site"])})
        assert theirs.json()["items"]  # B's own entries exist: A just cannot see them

    @case("GET", f"{A}/verify")
    async def _verify(w: Any) -> None:
        r = await w.client.get(f"{A}/verify", headers=w.a.auth)
        assert r.status_code == 200, r.text
        assert r.json()["tenant_id"] == str(w.a.id)

    @case("GET", f"{A}/checkpoints")
    async def _checkpoints(w: Any) -> None:
        r = await w.client.get(f"{A}/checkpoints", headers=w.a.auth)
        assert r.status_code == 200, r.text
        assert {x["tenant_id"] for x in r.json()["items"]} <= {str(w.a.id)}
        r = await w.client.get(f"{A}/checkpoints", headers=w.b.auth)
        assert {x["tenant_id"] for x in r.json()["items"]} <= {str(w.b.id)}
