"""`mip serve` serves the built dashboard: assets cached forever, index.html for client-side routes,
API paths still answer problem+json, and a clear page when no build exists."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest
from fastapi import FastAPI

from mip.api.web import mount_web


def _app(dist: Path) -> httpx.AsyncClient:
    app = FastAPI()

    @app.get("/api/v1/thing")
    async def thing() -> dict[str, int]:
        return {"ok": 1}

    from mip.api.problems import install_problem_handlers

    install_problem_handlers(app)
    mount_web(app, dist)
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://web")


@pytest.fixture
def dist(tmp_path: Path) -> Path:
    (tmp_path / "assets").mkdir()
    (tmp_path / "index.html").write_text("<!doctype html><div id=root></div>")
    (tmp_path / "assets" / "index-abc.js").write_text("console.log(1)")
    (tmp_path / "favicon.svg").write_text("<svg/>")
    return tmp_path


async def test_given_build_then_index_for_client_routes_and_immutable_assets(dist: Path) -> None:
    async with _app(dist) as c:
        for path in ("/", "/machines/123", "/alarms?state=open"):
            r = await c.get(path)
            assert r.status_code == 200
            assert "id=root" in r.text
            assert r.headers["cache-control"] == "no-cache"
        js = await c.get("/assets/index-abc.js")
        assert js.status_code == 200
        assert "immutable" in js.headers["cache-control"]
        gz = await c.get("/assets/index-abc.js", headers={"Accept-Encoding": "gzip"})
        assert gz.headers["content-encoding"] == "gzip"
        assert gz.text == "console.log(1)"  # httpx decodes it
        assert (await c.get("/favicon.svg")).text == "<svg/>"
        assert (await c.get("/api/v1/thing")).json() == {"ok": 1}


async def test_given_unknown_api_path_then_problem_json_not_index(dist: Path) -> None:
    async with _app(dist) as c:
        r = await c.get("/api/v1/nope")
        assert r.status_code == 404
        assert r.headers["content-type"].startswith("application/problem+json")
        assert (await c.get("/assets/missing.js")).status_code == 404


async def test_given_path_traversal_then_index_not_file(dist: Path, tmp_path_factory: pytest.TempPathFactory) -> None:
    secret = dist.parent / "secret.txt"
    secret.write_text("top secret")
    async with _app(dist) as c:
        r = await c.get("/..%2Fsecret.txt")
        assert "top secret" not in r.text


async def test_given_no_build_then_explains_how_to_build(tmp_path: Path) -> None:
    async with _app(tmp_path / "missing") as c:
        r = await c.get("/")
        assert r.status_code == 200
        assert "npm run build" in r.text
