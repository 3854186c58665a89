"""Cross-tenant cases for every analytics route, for the route table in tests/api/test_tenant_isolation.py
(same contract as tests/assets/isolation_cases.py)."""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Awaitable, Callable
from typing import Any

A = "/api/v1/analytics"
SQ = f"{A}/saved-queries"


async def _b_lake_data(w: Any) -> None:
    """B's sensor has lake readings (value 500) in the last hours."""
    from tests.analytics.helpers import app_lake, hour_floor, write_readings

    assert (await w.client.get(f"{A}/tables", headers=w.b.auth)).status_code == 200  # the engine exists
    store, keys = app_lake()
    write_readings(store, keys, w.b.id, [str(w.b_ids["sensor"])], 500.0, hour_floor(dt.datetime.now(dt.UTC)), 2)


async def _b_saved(w: Any) -> dict[str, Any]:
    body = {"name": "b-" + secrets.token_hex(3), "sql": "select count(*) from readings"}
    r = await w.client.post(SQ, headers=w.b.auth, json=body)
    assert r.status_code == 201, r.text
    saved: dict[str, Any] = r.json()
    return saved


def register_analytics_cases(case: Callable[[str, str], Any], is_404: Callable[[Any], Awaitable[None]]) -> None:
    """Register one case per route of this domain."""

    @case("POST", f"{A}/query")
    async def _query(w: Any) -> None:
        await _b_lake_data(w)
        b_sensor, b_tenant = str(w.b_ids["sensor"]), str(w.b.id)
        theirs = await w.client.post(f"{A}/query", headers=w.b.auth, json={"sql": "select count(*) from readings"})
        assert theirs.json()["rows"][0][0] >= 120  # B sees its own rows
        for sql in (
            f"select count(*) from readings where sensor_id = '{b_sensor}'",
            "select count(*) from readings where value = 500",
            f"select count(*) from sensors where id = '{b_sensor}' or path like 'b-plant%'",
            f"select count(*) from assets where id = '{w.b_ids['site']}'",
        ):
            r = await w.client.post(f"{A}/query", headers=w.a.auth, json={"sql": sql})
            assert r.status_code == 200, r.text
            assert r.json()["rows"] == [[0]], sql
        r = await w.client.post(
            f"{A}/query", headers=w.a.auth, json={"sql": f"select * from 'readings/tenant={b_tenant}/'"}
        )
        assert r.status_code == 400
        assert r.json()["code"] == "forbidden_sql"
        mine = await w.client.post(f"{A}/query", headers=w.a.auth, json={"sql": "select count(*) from sensors"})
        assert mine.json()["rows"][0][0] >= 1  # A's own machine

    @case("GET", f"{A}/tables")
    async def _tables(w: Any) -> None:
        r = await w.client.get(f"{A}/tables", headers=w.a.auth)
        assert r.status_code == 200
        assert str(w.b.id) not in r.text

    @case("GET", f"{A}/catalog")
    async def _catalog(w: Any) -> None:
        for engine in ("athena", "trino"):
            ddl = (await w.client.get(f"{A}/catalog", headers=w.a.auth, params={"engine": engine})).json()["ddl"]
            assert f"tenant={w.a.id}/" in ddl
            assert str(w.b.id) not in ddl

    @case("GET", SQ)
    async def _list(w: Any) -> None:
        theirs = await _b_saved(w)
        items = (await w.client.get(SQ, headers=w.a.auth)).json()["items"]
        assert theirs["id"] not in {i["id"] for i in items}
        assert {i["tenant_id"] for i in items} <= {str(w.a.id)}

    @case("POST", SQ)
    async def _create(w: Any) -> None:
        theirs = await _b_saved(w)
        body = {"name": theirs["name"], "sql": "select 1", "tenant_id": str(w.b.id)}
        assert (await w.client.post(SQ, headers=w.a.auth, json=body)).status_code == 422  # no tenant_id field
        del body["tenant_id"]
        r = await w.client.post(SQ, headers=w.a.auth, json=body)
        assert r.status_code == 201
        assert r.json()["tenant_id"] == str(w.a.id)

    @case("GET", f"{SQ}/{{query_id}}")
    async def _get(w: Any) -> None:
        theirs = await _b_saved(w)
        await is_404(await w.client.get(f"{SQ}/{theirs['id']}", headers=w.a.auth))

    @case("PATCH", f"{SQ}/{{query_id}}")
    async def _patch(w: Any) -> None:
        theirs = await _b_saved(w)
        await is_404(await w.client.patch(f"{SQ}/{theirs['id']}", headers=w.a.auth, json={"sql": "select 666"}))
        assert (await w.client.get(f"{SQ}/{theirs['id']}", headers=w.b.auth)).json()["sql"] == theirs["sql"]

    @case("DELETE", f"{SQ}/{{query_id}}")
    async def _delete(w: Any) -> None:
        theirs = await _b_saved(w)
        await is_404(await w.client.delete(f"{SQ}/{theirs['id']}", headers=w.a.auth))
        assert (await w.client.get(f"{SQ}/{theirs['id']}", headers=w.b.auth)).status_code == 200

    @case("POST", f"{SQ}/{{query_id}}/run")
    async def _run(w: Any) -> None:
        theirs = await _b_saved(w)
        await is_404(await w.client.post(f"{SQ}/{theirs['id']}/run", headers=w.a.auth, json={}))
