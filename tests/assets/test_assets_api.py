"""Assets and sensors over the real HTTP API: CRUD, tag paths, hierarchy rules, filters, roles, bad input."""

from __future__ import annotations

import time
import uuid
from typing import Any

import httpx
import pytest

from tests.assets.helpers import assert_problem, make_branch, post
from tests.conftest import TenantFactory, TenantKit, wait_for

A = "/api/v1/assets"
S = "/api/v1/sensors"


async def test_given_hierarchy_when_created_then_paths_join_names_from_site_down(
    client: httpx.AsyncClient, tenant: TenantKit
) -> None:
    b = await make_branch(client, tenant)
    assert b.site["path"] == "plant-1"
    assert b.site["parent_id"] is None
    assert b.site["timezone"] == "Europe/Berlin"
    assert b.machine["path"] == "plant-1/machining/line-1/cnc-01"
    assert b.machine["parent_id"] == b.line["id"]
    assert b.sensor["path"] == "plant-1/machining/line-1/cnc-01/spindle_temp"
    assert b.sensor["tenant_id"] == str(tenant.id)
    got = await client.get(f"{A}/{b.machine['id']}", headers=tenant.auth)
    assert got.status_code == 200
    assert got.json() == b.machine
    got = await client.get(f"{S}/{b.sensor['id']}", headers=tenant.auth)
    assert got.json()["high_limit"] == 85
    assert got.json()["sample_rate_hz"] == 1.0


async def test_given_wrong_parent_kind_when_creating_then_422_invalid_parent(
    client: httpx.AsyncClient, tenant: TenantKit
) -> None:
    b = await make_branch(client, tenant)
    cases = [
        {"kind": "area", "name": "orphan"},
        {"kind": "site", "name": "nested", "parent_id": b.site["id"]},
        {"kind": "line", "name": "l", "parent_id": b.site["id"]},
        {"kind": "machine", "name": "m", "parent_id": b.area["id"]},
        {"kind": "area", "name": "a", "parent_id": b.machine["id"]},
    ]
    for body in cases:
        r = await client.post(A, headers=tenant.auth, json=body)
        assert_problem(r, 422, "invalid_parent")
    r = await client.post(S, headers=tenant.auth, json={"machine_id": b.line["id"], "name": "t"})
    assert_problem(r, 422, "invalid_parent")
    r = await client.post(A, headers=tenant.auth, json={"kind": "area", "name": "a", "parent_id": str(uuid.uuid4())})
    assert_problem(r, 404, "parent_not_found")
    listed = await client.get(A, headers=tenant.auth)
    assert listed.json()["total"] == 4  # nothing was created


async def test_given_same_path_when_creating_then_409_but_same_name_elsewhere_is_fine(
    client: httpx.AsyncClient, tenant: TenantKit
) -> None:
    b = await make_branch(client, tenant)
    r = await client.post(A, headers=tenant.auth, json={"kind": "line", "name": "line-1", "parent_id": b.area["id"]})
    assert_problem(r, 409, "path_exists")
    r = await client.post(S, headers=tenant.auth, json={"machine_id": b.machine["id"], "name": "spindle_temp"})
    assert_problem(r, 409, "path_exists")
    other = await post(client, tenant, A, {"kind": "site", "name": "plant-2"})
    area = await post(client, tenant, A, {"kind": "area", "name": "machining", "parent_id": other["id"]})
    assert area["path"] == "plant-2/machining"


@pytest.mark.parametrize("name", ["", "-lead", "has space", "a/b", "ü-umlaut", "x" * 65, ".dot"])
async def test_given_invalid_name_when_creating_then_422(
    client: httpx.AsyncClient, tenant: TenantKit, name: str
) -> None:
    r = await client.post(A, headers=tenant.auth, json={"kind": "site", "name": name})
    body = assert_problem(r, 422, "validation_failed")
    assert "name" in body["detail"]


async def test_given_assets_when_listing_then_filters_and_pagination_apply(
    client: httpx.AsyncClient, tenant: TenantKit
) -> None:
    b = await make_branch(client, tenant)
    ten = await post(client, tenant, A, {"kind": "site", "name": "plant-10"})
    for i in range(5):
        await post(client, tenant, A, {"kind": "machine", "name": f"Mill-{i}", "parent_id": b.line["id"]})

    async def page(**params: Any) -> dict[str, Any]:
        r = await client.get(A, headers=tenant.auth, params=params)
        assert r.status_code == 200, r.text
        out: dict[str, Any] = r.json()
        return out

    machines = await page(kind="machine")
    assert machines["total"] == 6
    assert [m["name"] for m in machines["items"]] == ["Mill-0", "Mill-1", "Mill-2", "Mill-3", "Mill-4", "cnc-01"]
    first = await page(kind="machine", limit=2, offset=0)
    second = await page(kind="machine", limit=2, offset=2)
    assert (first["limit"], first["offset"], first["total"]) == (2, 0, 6)
    assert [m["name"] for m in first["items"] + second["items"]] == ["Mill-0", "Mill-1", "Mill-2", "Mill-3"]
    past_end = await page(kind="machine", offset=50)
    assert past_end["items"] == []
    assert past_end["total"] == 6
    assert {a["name"] for a in (await page(parent_id=b.line["id"]))["items"]} == {f"Mill-{i}" for i in range(5)} | {
        "cnc-01"
    }
    # the prefix matches whole path segments: plant-1 is not a prefix of plant-10
    under = await page(path_prefix="plant-1")
    assert under["total"] == 9
    assert ten["id"] not in {a["id"] for a in under["items"]}
    assert (await page(path_prefix="plant-1/machining/line-1/"))["total"] == 7
    assert [a["name"] for a in (await page(q="mill-3"))["items"]] == ["Mill-3"]
    assert (await page(q="zzz"))["total"] == 0
    for bad in ({"limit": 0}, {"limit": 1001}, {"offset": -1}, {"kind": "sensor"}, {"parent_id": "nope"}):
        assert_problem(await client.get(A, headers=tenant.auth, params=bad), 422, "validation_failed")


async def test_given_sensors_when_listing_then_filters_apply(client: httpx.AsyncClient, tenant: TenantKit) -> None:
    b = await make_branch(client, tenant)
    other = await post(client, tenant, A, {"kind": "machine", "name": "cnc-02", "parent_id": b.line["id"]})
    await post(client, tenant, S, {"machine_id": b.machine["id"], "name": "vib", "kind": "vibration"})
    await post(client, tenant, S, {"machine_id": other["id"], "name": "Spindle_Temp", "kind": "temperature"})

    async def names(**params: Any) -> list[str]:
        r = await client.get(S, headers=tenant.auth, params=params)
        assert r.status_code == 200, r.text
        return [s["name"] for s in r.json()["items"]]

    assert await names() == ["spindle_temp", "vib", "Spindle_Temp"]
    assert await names(machine_id=b.machine["id"]) == ["spindle_temp", "vib"]
    assert await names(kind="temperature") == ["spindle_temp", "Spindle_Temp"]
    assert await names(path_prefix="plant-1/machining/line-1/cnc-02") == ["Spindle_Temp"]
    assert await names(q="SPINDLE") == ["spindle_temp", "Spindle_Temp"]
    r = await client.get(S, headers=tenant.auth, params={"limit": 1, "offset": 1})
    assert r.json()["total"] == 3
    assert [s["name"] for s in r.json()["items"]] == ["vib"]
    assert_problem(await client.get(S, headers=tenant.auth, params={"kind": "smell"}), 422)


async def test_given_area_when_renamed_then_whole_subtree_and_sensor_paths_rewritten(
    client: httpx.AsyncClient, tenant: TenantKit
) -> None:
    b = await make_branch(client, tenant)
    sibling = await post(client, tenant, A, {"kind": "area", "name": "machining-2", "parent_id": b.site["id"]})
    r = await client.patch(f"{A}/{b.area['id']}", headers=tenant.auth, json={"name": "cutting"})
    assert r.status_code == 200, r.text
    assert r.json()["path"] == "plant-1/cutting"
    machine = (await client.get(f"{A}/{b.machine['id']}", headers=tenant.auth)).json()
    assert machine["path"] == "plant-1/cutting/line-1/cnc-01"
    sensor = (await client.get(f"{S}/{b.sensor['id']}", headers=tenant.auth)).json()
    assert sensor["path"] == "plant-1/cutting/line-1/cnc-01/spindle_temp"
    untouched = (await client.get(f"{A}/{sibling['id']}", headers=tenant.auth)).json()
    assert untouched["path"] == "plant-1/machining-2"
    # renaming the site rewrites everything below it, too
    r = await client.patch(f"{A}/{b.site['id']}", headers=tenant.auth, json={"name": "berlin", "description": "HQ"})
    assert r.json()["description"] == "HQ"
    paths = [s["path"] for s in (await client.get(S, headers=tenant.auth)).json()["items"]]
    assert paths == ["berlin/cutting/line-1/cnc-01/spindle_temp"]


async def test_given_rename_onto_sibling_then_409_and_nothing_changes(
    client: httpx.AsyncClient, tenant: TenantKit
) -> None:
    b = await make_branch(client, tenant)
    await post(client, tenant, A, {"kind": "line", "name": "line-2", "parent_id": b.area["id"]})
    r = await client.patch(f"{A}/{b.line['id']}", headers=tenant.auth, json={"name": "line-2"})
    assert_problem(r, 409, "path_exists")
    sensor = (await client.get(f"{S}/{b.sensor['id']}", headers=tenant.auth)).json()
    assert sensor["path"] == "plant-1/machining/line-1/cnc-01/spindle_temp"
    r = await client.patch(f"{A}/{b.line['id']}", headers=tenant.auth, json={"timezone": "Mars/Base"})
    assert_problem(r, 422, "invalid_timezone")
    r = await client.patch(f"{A}/{b.site['id']}", headers=tenant.auth, json={"timezone": None})
    assert r.json()["timezone"] is None


async def test_given_children_or_sensors_when_deleting_then_409_until_leaf(
    client: httpx.AsyncClient, tenant: TenantKit
) -> None:
    b = await make_branch(client, tenant)
    body = assert_problem(await client.delete(f"{A}/{b.site['id']}", headers=tenant.auth), 409, "asset_has_children")
    assert body["children"] == 1
    body = assert_problem(await client.delete(f"{A}/{b.machine['id']}", headers=tenant.auth), 409, "asset_has_children")
    assert body["sensors"] == 1
    assert (await client.delete(f"{S}/{b.sensor['id']}", headers=tenant.auth)).status_code == 204
    assert_problem(await client.get(f"{S}/{b.sensor['id']}", headers=tenant.auth), 404, "sensor_not_found")
    assert (await client.delete(f"{A}/{b.machine['id']}", headers=tenant.auth)).status_code == 204
    assert_problem(await client.get(f"{A}/{b.machine['id']}", headers=tenant.auth), 404, "asset_not_found")
    assert_problem(await client.delete(f"{A}/{b.machine['id']}", headers=tenant.auth), 404, "asset_not_found")


async def test_given_sensor_when_patched_then_limits_checked_on_merged_result(
    client: httpx.AsyncClient, tenant: TenantKit
) -> None:
    b = await make_branch(client, tenant)
    url = f"{S}/{b.sensor['id']}"
    r = await client.patch(url, headers=tenant.auth, json={"low_limit": 90})  # high_limit is 85
    assert_problem(r, 422, "invalid_sensor")
    r = await client.patch(url, headers=tenant.auth, json={"low_limit": 10, "safety": True, "unit": "K"})
    assert r.status_code == 200, r.text
    assert (r.json()["low_limit"], r.json()["high_limit"], r.json()["safety"], r.json()["unit"]) == (10, 85, True, "K")
    r = await client.patch(url, headers=tenant.auth, json={"high_limit": None, "name": "temp_1"})
    assert r.json()["high_limit"] is None
    assert r.json()["low_limit"] == 10
    assert r.json()["path"] == "plant-1/machining/line-1/cnc-01/temp_1"
    assert_problem(await client.patch(url, headers=tenant.auth, json={"machine_id": b.line["id"]}), 422)
    assert_problem(await client.patch(url, headers=tenant.auth, json={"sample_rate_hz": 0}), 422)


@pytest.mark.parametrize(
    "body",
    [
        {"name": "t", "sample_rate_hz": "fast"},
        {"name": 123},
        {"name": "t", "kind": "smell"},
        {"name": "t", "low_limit": 5, "high_limit": 5},
        {"name": "t", "low_limit": 9, "high_limit": 1},
        {"name": "t", "sample_rate_hz": -1},
        {"name": "t", "safety": "perhaps"},
        {"name": "t", "colour": "red"},
        {"name": "t", "machine_id": "not-a-uuid"},
    ],
)
async def test_given_bad_sensor_body_when_creating_then_422_problem(
    client: httpx.AsyncClient, tenant: TenantKit, body: dict[str, Any]
) -> None:
    b = await make_branch(client, tenant)
    r = await client.post(S, headers=tenant.auth, json={"machine_id": b.machine["id"], **body})
    problem = assert_problem(r, 422)
    assert problem["code"] in ("validation_failed", "invalid_sensor")
    assert problem["detail"]
    assert (await client.get(S, headers=tenant.auth)).json()["total"] == 1


async def test_given_bad_asset_body_then_422_problem(client: httpx.AsyncClient, tenant: TenantKit) -> None:
    for body in ({"kind": "plant", "name": "x"}, {"kind": "site"}, {"kind": "site", "name": "x", "extra": 1}, [1]):
        assert_problem(await client.post(A, headers=tenant.auth, json=body), 422, "validation_failed")
    r = await client.post(A, headers=tenant.auth, json={"kind": "site", "name": "x", "timezone": "Nowhere/City"})
    assert_problem(r, 422, "invalid_timezone")
    r = await client.post(A, headers={**tenant.auth, "content-type": "application/json"}, content=b"{not json")
    assert_problem(r, 422, "validation_failed")
    assert (await client.get(A, headers=tenant.auth)).json()["total"] == 0


async def test_given_tree_then_nested_assets_with_sensors(client: httpx.AsyncClient, tenant: TenantKit) -> None:
    b = await make_branch(client, tenant)
    await post(client, tenant, A, {"kind": "site", "name": "plant-2"})
    r = await client.get(f"{A}/tree", headers=tenant.auth)
    assert r.status_code == 200
    roots = r.json()
    assert [s["name"] for s in roots] == ["plant-1", "plant-2"]
    machine = roots[0]["children"][0]["children"][0]["children"][0]
    assert machine["path"] == "plant-1/machining/line-1/cnc-01"
    assert [s["name"] for s in machine["sensors"]] == ["spindle_temp"]
    assert roots[1]["children"] == []
    sub = (await client.get(f"{A}/tree", headers=tenant.auth, params={"root_id": b.line["id"]})).json()
    assert [n["path"] for n in sub] == ["plant-1/machining/line-1"]
    assert sub[0]["children"][0]["sensors"][0]["id"] == b.sensor["id"]
    missing = await client.get(f"{A}/tree", headers=tenant.auth, params={"root_id": str(uuid.uuid4())})
    assert_problem(missing, 404, "asset_not_found")


async def test_given_viewer_then_reads_allowed_and_writes_403(
    client: httpx.AsyncClient, make_tenant: TenantFactory
) -> None:
    kit = await make_tenant(roles=("viewer",))
    b = await make_branch(client, kit)
    v = kit.as_role("viewer")
    assert (await client.get(A, headers=v)).json()["total"] == 4
    assert (await client.get(f"{S}/{b.sensor['id']}", headers=v)).status_code == 200
    assert (await client.get(f"{A}/tree", headers=v)).status_code == 200
    writes = [
        client.post(A, headers=v, json={"kind": "site", "name": "x"}),
        client.patch(f"{A}/{b.site['id']}", headers=v, json={"name": "y"}),
        client.delete(f"{A}/{b.line['id']}", headers=v),
        client.post(S, headers=v, json={"machine_id": b.machine["id"], "name": "t"}),
        client.patch(f"{S}/{b.sensor['id']}", headers=v, json={"high_limit": 1}),
        client.delete(f"{S}/{b.sensor['id']}", headers=v),
        client.post(f"{A}/import", headers={**v, "content-type": "text/csv"}, content=b"site,area,line,machine\n"),
    ]
    for call in writes:
        assert_problem(await call, 403, "permission_denied")
    assert (await client.get(f"{S}/{b.sensor['id']}", headers=kit.auth)).json()["high_limit"] == 85


async def test_given_tenant_b_objects_then_tenant_a_gets_404_everywhere(
    client: httpx.AsyncClient, make_tenant: TenantFactory
) -> None:
    a = await make_tenant()
    b = await make_tenant()
    await make_branch(client, a)
    theirs = await make_branch(client, b)
    for asset in (theirs.site, theirs.machine):
        url = f"{A}/{asset['id']}"
        assert_problem(await client.get(url, headers=a.auth), 404, "asset_not_found")
        assert_problem(await client.patch(url, headers=a.auth, json={"name": "hijacked"}), 404, "asset_not_found")
        assert_problem(await client.delete(url, headers=a.auth), 404, "asset_not_found")
    url = f"{S}/{theirs.sensor['id']}"
    assert_problem(await client.get(url, headers=a.auth), 404, "sensor_not_found")
    assert_problem(await client.patch(url, headers=a.auth, json={"high_limit": 1}), 404, "sensor_not_found")
    assert_problem(await client.delete(url, headers=a.auth), 404, "sensor_not_found")
    r = await client.post(A, headers=a.auth, json={"kind": "area", "name": "x", "parent_id": theirs.site["id"]})
    assert_problem(r, 404, "parent_not_found")
    r = await client.post(S, headers=a.auth, json={"machine_id": theirs.machine["id"], "name": "x"})
    assert_problem(r, 404, "parent_not_found")
    tree = await client.get(f"{A}/tree", headers=a.auth, params={"root_id": theirs.site["id"]})
    assert_problem(tree, 404)
    assert theirs.site["id"] not in {x["id"] for x in (await client.get(A, headers=a.auth)).json()["items"]}
    filtered = await client.get(S, headers=a.auth, params={"machine_id": theirs.machine["id"]})
    assert filtered.json()["total"] == 0
    # B's objects are untouched
    mine = await client.get(f"{S}/{theirs.sensor['id']}", headers=b.auth)
    assert mine.json() == theirs.sensor
    assert (await client.get(A, headers=b.auth)).json()["total"] == 4


async def test_given_new_or_renamed_sensor_then_ingest_sees_it_at_once(
    client: httpx.AsyncClient, tenant: TenantKit
) -> None:
    """The ingest sensor cache is invalidated by asset writes (its TTL would otherwise hide them)."""
    b = await make_branch(client, tenant)

    async def ingest(path: str) -> httpx.Response:
        rows = [{"sensor": path, "ts": time.time_ns(), "value": 20.0}]
        return await client.post("/api/v1/ingest/readings", headers=tenant.device, json=rows)

    assert (await ingest(b.sensor["path"])).status_code == 202  # loads the cache
    new = await post(client, tenant, S, {"machine_id": b.machine["id"], "name": "power", "kind": "power"})
    assert (await ingest(new["path"])).status_code == 202
    await client.patch(f"{A}/{b.line['id']}", headers=tenant.auth, json={"name": "line-9"})
    assert (await ingest("plant-1/machining/line-9/cnc-01/power")).status_code == 202
    assert (await ingest(new["path"])).status_code == 422


async def test_given_sensor_with_alert_when_deleted_then_alert_goes_too(
    client: httpx.AsyncClient, tenant: TenantKit
) -> None:
    b = await make_branch(client, tenant)
    rows = [{"sensor": b.sensor["path"], "ts": time.time_ns(), "value": 120.0}]
    assert (await client.post("/api/v1/ingest/readings", headers=tenant.device, json=rows)).status_code == 202

    async def alert_id() -> Any:
        items = (await client.get("/api/v1/alerts", headers=tenant.auth)).json()["items"]
        return items[0]["id"] if items else None

    aid = await wait_for(alert_id)
    assert (await client.delete(f"{S}/{b.sensor['id']}", headers=tenant.auth)).status_code == 204
    assert (await client.get(f"/api/v1/alerts/{aid}", headers=tenant.auth)).status_code == 404
