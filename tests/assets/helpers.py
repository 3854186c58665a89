"""Build asset hierarchies over the real HTTP API."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import httpx

from tests.conftest import TenantKit


@dataclass
class Branch:
    site: dict[str, Any]
    area: dict[str, Any]
    line: dict[str, Any]
    machine: dict[str, Any]
    sensor: dict[str, Any]


async def post(client: httpx.AsyncClient, kit: TenantKit, url: str, body: dict[str, Any]) -> dict[str, Any]:
    r = await client.post(url, headers=kit.auth, json=body)
    assert r.status_code == 201, r.text
    out: dict[str, Any] = r.json()
    return out


async def make_branch(
    client: httpx.AsyncClient, kit: TenantKit, *, site: str = "plant-1", sensor: str = "spindle_temp"
) -> Branch:
    """site/machining/line-1/cnc-01 with one temperature sensor."""
    s = await post(client, kit, "/api/v1/assets", {"kind": "site", "name": site, "timezone": "Europe/Berlin"})
    a = await post(client, kit, "/api/v1/assets", {"kind": "area", "name": "machining", "parent_id": s["id"]})
    ln = await post(client, kit, "/api/v1/assets", {"kind": "line", "name": "line-1", "parent_id": a["id"]})
    m = await post(client, kit, "/api/v1/assets", {"kind": "machine", "name": "cnc-01", "parent_id": ln["id"]})
    x = await post(
        client,
        kit,
        "/api/v1/sensors",
        {"machine_id": m["id"], "name": sensor, "kind": "temperature", "unit": "degC", "high_limit": 85},
    )
    return Branch(s, a, ln, m, x)


def assert_problem(r: httpx.Response, status: int, code: str | None = None) -> dict[str, Any]:
    assert r.status_code == status, r.text
    assert r.headers["content-type"].startswith("application/problem+json")
    body: dict[str, Any] = r.json()
    if code is not None:
        assert body["code"] == code, body
    return body
