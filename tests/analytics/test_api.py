"""The analytics API against the real server, PostgreSQL and an encrypted lake: queries, limits and errors
as problem JSON, tables, catalog DDL, saved queries (CRUD, unique names, parameters, run), permissions."""

from __future__ import annotations

import datetime as dt
from typing import Any

import httpx

from mip.platform.settings import Settings
from tests.analytics.helpers import hour_floor, write_readings, write_rollups
from tests.conftest import MachineFactory, TenantFactory, TenantKit

A = "/api/v1/analytics"
NOW = hour_floor(dt.datetime.now(dt.UTC))


async def _problem(r: httpx.Response, status: int, code: str) -> dict[str, Any]:
    assert r.status_code == status, r.text
    assert r.headers["content-type"].startswith("application/problem+json")
    body: dict[str, Any] = r.json()
    assert body["code"] == code, body
    return body


async def _plant(client: httpx.AsyncClient, settings: Settings, kit: TenantKit, make_machine: MachineFactory) -> Any:
    from mip.lake.api import lake_for

    m = await make_machine(kit.id, site="plant-a")
    store, keys = lake_for(settings)
    sensors = [str(m.sensors["temp"]), str(m.sensors["pressure"])]
    write_readings(store, keys, kit.id, sensors, 2.5, NOW, hours=4)
    write_rollups(store, keys, kit.id, sensors, NOW, hours=4)
    return m


async def test_given_lake_data_when_querying_then_rows_limits_and_errors(
    client: httpx.AsyncClient, settings: Settings, make_tenant: TenantFactory, make_machine: MachineFactory
) -> None:
    t = await make_tenant()
    m = await _plant(client, settings, t, make_machine)
    sql = (
        "select date_trunc('hour', r.bucket) as hour, s.name, sum(r.sum) / sum(r.count) as avg_value"
        " from readings_1m r join sensors s on s.id = r.sensor_id where s.site = 'plant-a'"
        " group by all order by hour, s.name"
    )
    r = await client.post(
        f"{A}/query", headers=t.auth, json={"sql": sql, "start": (NOW - dt.timedelta(days=2)).isoformat()}
    )
    assert r.status_code == 200, r.text
    body = r.json()
    assert [c["name"] for c in body["columns"]] == ["hour", "name", "avg_value"]
    assert body["row_count"] == 8
    assert not body["truncated"]
    assert body["tables"] == ["readings_1m", "sensors"]
    assert {row[1] for row in body["rows"]} == {"temp", "pressure"}
    assert body["elapsed_ms"] > 0
    assert body["scanned_bytes"] > 0

    r = await client.post(f"{A}/query", headers=t.auth, json={"sql": "select * from readings", "max_rows": 10})
    assert r.json()["row_count"] == 10
    assert r.json()["truncated"] is True
    assert r.json()["max_rows"] == 10
    r = await client.post(
        f"{A}/query",
        headers=t.auth,
        json={
            "sql": "select count(*) as n from readings where sensor_id = $s",
            "params": {"s": str(m.sensors["temp"])},
        },
    )
    assert r.json()["rows"] == [[240]]

    await _problem(
        await client.post(f"{A}/query", headers=t.auth, json={"sql": "select * from read_csv('/etc/passwd')"}),
        400,
        "forbidden_sql",
    )
    await _problem(await client.post(f"{A}/query", headers=t.auth, json={"sql": "attach 'x.db'"}), 400, "forbidden_sql")
    err = await _problem(
        await client.post(f"{A}/query", headers=t.auth, json={"sql": "select nope from readings"}), 400, "sql_error"
    )
    assert "nope" in err["detail"]
    slow = {"sql": "select sum(a.range * b.range) from range(200000) a, range(200000) b", "timeout_s": 0.5}
    await _problem(await client.post(f"{A}/query", headers=t.auth, json=slow), 422, "query_timeout")
    far = {"sql": "select 1", "start": "2020-01-01T00:00:00Z", "end": "2024-01-01T00:00:00Z"}
    await _problem(await client.post(f"{A}/query", headers=t.auth, json=far), 400, "bad_time_range")
    await _problem(await client.post(f"{A}/query", headers=t.auth, json={"sql": ""}), 422, "validation_failed")


async def test_given_tables_and_catalog_then_columns_and_ddl(client: httpx.AsyncClient, tenant: TenantKit) -> None:
    items = {t["name"]: t for t in (await client.get(f"{A}/tables", headers=tenant.auth)).json()["items"]}
    assert {"readings", "readings_1m", "alarms", "oee_hourly", "sensors", "assets"} <= set(items)
    cols = {c["name"]: c["type"] for c in items["readings"]["columns"]}
    assert cols["value"] == "DOUBLE"
    assert cols["sensor_id"] == "VARCHAR"
    assert cols["ts"].startswith("TIMESTAMP")
    assert items["readings"]["time_column"] == "ts"
    assert items["sensors"]["kind"] == "dimension"

    athena = (await client.get(f"{A}/catalog", headers=tenant.auth, params={"engine": "athena"})).json()
    ddl = athena["ddl"]
    assert "CREATE EXTERNAL TABLE IF NOT EXISTS `mip`.`readings`" in ddl
    assert "PARTITIONED BY (`date` string, `hour` string)" in ddl
    assert "STORED AS PARQUET" in ddl
    assert f"/readings/tenant={tenant.id}/'" in ddl
    assert "'projection.enabled' = 'true'" in ddl
    assert f"/readings/tenant={tenant.id}/date=${{date}}/hour=${{hour}}/'" in ddl
    assert "Parquet modular encryption" in ddl
    assert "master key" in ddl
    trino = (await client.get(f"{A}/catalog", headers=tenant.auth, params={"engine": "trino"})).json()["ddl"]
    assert "format = 'PARQUET'" in trino
    assert "partitioned_by = ARRAY['date', 'hour']" in trino
    assert "external_location = '" in trino
    assert f"/alarms/tenant={tenant.id}/'" in trino
    assert "sync_partition_metadata" in trino
    await _problem(
        await client.get(f"{A}/catalog", headers=tenant.auth, params={"engine": "spark"}), 422, "validation_failed"
    )


async def test_given_saved_queries_then_crud_unique_names_parameters_and_run(
    client: httpx.AsyncClient, settings: Settings, make_tenant: TenantFactory, make_machine: MachineFactory
) -> None:
    t = await make_tenant(roles=("viewer", "engineer"))
    m = await _plant(client, settings, t, make_machine)
    SQ = f"{A}/saved-queries"
    body = {
        "name": "hourly",
        "description": "hourly averages of one sensor",
        "sql": "select date_trunc('hour', ts) h, avg(value) v from readings where sensor_id = $sensor and value > $min"
        " group by 1 order by 1",
        "parameters": [{"name": "sensor", "type": "string"}, {"name": "min", "type": "number", "default": 0}],
    }
    r = await client.post(SQ, headers=t.as_role("engineer"), json=body)
    assert r.status_code == 201, r.text
    q = r.json()
    assert q["owner_id"]
    assert q["created_at"]
    assert q["parameters"][1]["default"] == 0
    await _problem(await client.post(SQ, headers=t.auth, json=body), 409, "saved_query_name_taken")
    await _problem(
        await client.post(SQ, headers=t.auth, json={**body, "name": "x", "parameters": []}), 400, "bad_parameters"
    )
    await _problem(
        await client.post(SQ, headers=t.auth, json={"name": "y", "sql": "copy readings to 'x'"}), 400, "forbidden_sql"
    )
    await _problem(
        await client.post(SQ, headers=t.as_role("viewer"), json={**body, "name": "v"}), 403, "permission_denied"
    )

    r = await client.post(f"{SQ}/{q['id']}/run", headers=t.auth, json={"params": {"sensor": str(m.sensors["temp"])}})
    assert r.status_code == 200, r.text
    assert r.json()["row_count"] == 4
    assert all(row[1] == 2.5 for row in r.json()["rows"])
    r = await client.post(f"{SQ}/{q['id']}/run", headers=t.auth, json={"params": {"sensor": "s", "min": 10}})
    assert r.json()["row_count"] == 0
    await _problem(await client.post(f"{SQ}/{q['id']}/run", headers=t.auth, json={}), 400, "bad_parameters")
    bad = {"params": {"sensor": "s", "min": "lots"}}
    await _problem(await client.post(f"{SQ}/{q['id']}/run", headers=t.auth, json=bad), 400, "bad_parameters")

    other = (await client.post(SQ, headers=t.auth, json={"name": "other", "sql": "select 1"})).json()
    await _problem(
        await client.patch(f"{SQ}/{other['id']}", headers=t.auth, json={"name": "hourly"}),
        409,
        "saved_query_name_taken",
    )
    r = await client.patch(f"{SQ}/{other['id']}", headers=t.auth, json={"name": "renamed", "sql": "select 2 as two"})
    assert r.json()["name"] == "renamed"
    assert r.json()["updated_at"] >= r.json()["created_at"]
    await _problem(
        await client.patch(f"{SQ}/{other['id']}", headers=t.auth, json={"sql": "select $p"}), 400, "bad_parameters"
    )
    names = [x["name"] for x in (await client.get(SQ, headers=t.auth)).json()["items"]]
    assert names == ["hourly", "renamed"]
    assert (await client.get(f"{SQ}/{q['id']}", headers=t.as_role("viewer"))).status_code == 403
    # the engineer owns "hourly": the admin may change it, another non-admin owner may not touch it
    await _problem(
        await client.patch(f"{SQ}/{other['id']}", headers=t.as_role("engineer"), json={"description": "mine"}),
        403,
        "permission_denied",
    )
    r = await client.patch(f"{SQ}/{q['id']}", headers=t.as_role("engineer"), json={"description": "by owner"})
    assert r.status_code == 200
    assert (await client.patch(f"{SQ}/{q['id']}", headers=t.auth, json={"description": "by admin"})).status_code == 200
    assert (await client.delete(f"{SQ}/{other['id']}", headers=t.auth)).status_code == 204
    await _problem(await client.get(f"{SQ}/{other['id']}", headers=t.auth), 404, "saved_query_not_found")
    await _problem(await client.delete(f"{SQ}/{other['id']}", headers=t.auth), 404, "saved_query_not_found")
