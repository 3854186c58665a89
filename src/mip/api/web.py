"""The dashboard: `mip serve` serves the built single-page app (web/dist) next to the API.

Hashed assets are cached for a year; index.html is never cached, so a new build is picked up on reload.
Any GET that is not an API, docs or asset path gets index.html (client-side routing). Without a build, /
explains how to make one instead of failing.
"""

from __future__ import annotations

import asyncio
import gzip
from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.responses import FileResponse, HTMLResponse, Response
from fastapi.staticfiles import StaticFiles

from mip.platform.errors import NotFound

_NOT_BUILT = """<!doctype html><html lang="en"><meta charset="utf-8"><title>MIP</title>
<body style="font-family:system-ui;background:#10151c;color:#e8edf3;padding:2rem">
<h1>MIP is running</h1><p>The web dashboard has not been built. Run <code>make demo</code>, or
<code>cd web &amp;&amp; npm ci &amp;&amp; npm run build</code>, then reload. The API is at
<a style="color:#7cc4ff" href="/docs">/docs</a>.</p></body></html>"""

_RESERVED = ("api/", "docs", "openapi.json", "healthz", "readyz", "redoc")


class ImmutableStatic(StaticFiles):
    """Hashed build assets: cached for a year, and gzip-compressed once (in memory) for clients that accept
    it - the dashboard is used on shop-floor Wi-Fi tablets."""

    def __init__(self, *, directory: Path) -> None:
        super().__init__(directory=directory)
        self._root = directory
        self._gz: dict[str, bytes] = {}

    async def get_response(self, path: str, scope: dict) -> Response:  # type: ignore[override,type-arg]
        headers = {"Cache-Control": "public, max-age=31536000, immutable", "Vary": "Accept-Encoding"}
        accepts = b"gzip" in dict(scope.get("headers", [])).get(b"accept-encoding", b"")
        if accepts and path.endswith((".js", ".css")):
            body = self._gz.get(path)
            if body is None:
                full = await asyncio.to_thread(self._read, path)
                if full is not None:
                    body = self._gz[path] = gzip.compress(full, 6)
            if body is not None:
                kind = "text/javascript" if path.endswith(".js") else "text/css"
                return Response(body, media_type=kind, headers={**headers, "Content-Encoding": "gzip"})
        response = await super().get_response(path, scope)
        if response.status_code == 200:
            response.headers.update(headers)
        return response

    def _read(self, path: str) -> bytes | None:
        file = (self._root / path).resolve()
        if not file.is_file() or not file.is_relative_to(self._root.resolve()):
            return None
        return file.read_bytes()


def mount_web(app: FastAPI, dist: Path) -> None:
    index = dist / "index.html"
    if (dist / "assets").is_dir():
        app.mount("/assets", ImmutableStatic(directory=dist / "assets"), name="web-assets")

    @app.get("/{path:path}", include_in_schema=False)
    def spa(path: str, request: Request) -> Response:  # sync: file checks run in the threadpool
        if path.startswith(_RESERVED):
            raise NotFound(f"no route {request.method} /{path}")
        if not index.is_file():
            return HTMLResponse(_NOT_BUILT, headers={"Cache-Control": "no-store"})
        candidate = (dist / path).resolve()
        if path and candidate.is_file() and candidate.is_relative_to(dist.resolve()):
            return FileResponse(candidate)
        return FileResponse(index, headers={"Cache-Control": "no-cache"})
