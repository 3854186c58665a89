"""Operations basics: health, readiness, request ids, JSON logs, problem+json for unknown routes, OpenAPI."""

from __future__ import annotations

import json
import logging
from pathlib import Path

import httpx
import orjson
import pytest

from mip.api.app import create_app
from mip.platform.logging import JsonFormatter


async def test_given_server_then_health_and_ready(client: httpx.AsyncClient) -> None:
    assert (await client.get("/healthz")).json() == {"status": "ok"}
    ready = await client.get("/readyz")
    assert ready.status_code == 200
    assert ready.json()["status"] == "ready"


async def test_given_request_id_header_then_echoed_and_logged(
    client: httpx.AsyncClient, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.INFO, logger="mip.access"):
        r = await client.get("/healthz", headers={"X-Request-Id": "req-abc-123"})
    assert r.headers["x-request-id"] == "req-abc-123"
    record = next(rec for rec in caplog.records if rec.name == "mip.access" and rec.mip_path == "/healthz")
    line = orjson.loads(JsonFormatter().format(record))
    assert line["msg"] == "request"
    assert line["status"] == 200
    assert line["path"] == "/healthz"


async def test_given_unknown_route_or_method_then_problem_json(client: httpx.AsyncClient) -> None:
    r = await client.get("/api/v1/nope")
    assert r.status_code == 404
    assert r.headers["content-type"].startswith("application/problem+json")
    r = await client.put("/healthz")
    assert r.status_code == 405
    assert r.json()["code"] == "method_not_allowed"


def test_given_code_then_committed_openapi_matches() -> None:
    committed = json.loads((Path(__file__).parents[2] / "openapi.json").read_text())
    assert committed == json.loads(orjson.dumps(create_app(None).openapi()))


async def test_given_server_then_docs_served(client: httpx.AsyncClient) -> None:
    assert (await client.get("/docs")).status_code == 200
    spec = (await client.get("/openapi.json")).json()
    assert "/api/v1/ingest/readings" in spec["paths"]
