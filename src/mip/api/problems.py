"""Every error becomes an RFC 9457 problem+json response; nothing escapes as a bare 500."""

from __future__ import annotations

import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from starlette.exceptions import HTTPException as StarletteHTTPException

from mip.api.responses import FastJSON
from mip.platform.errors import MIPError

log = logging.getLogger(__name__)
PROBLEM = "application/problem+json"


def problem_response(status: int, body: dict[str, Any], headers: dict[str, str] | None = None) -> FastJSON:
    return FastJSON(body, status_code=status, media_type=PROBLEM, headers=headers)


def _loc(loc: Any) -> str:
    return ".".join(str(p) for p in loc)


def install_problem_handlers(app: FastAPI) -> None:
    @app.exception_handler(MIPError)
    async def mip_error(request: Request, exc: MIPError) -> FastJSON:
        headers = {}
        retry = exc.extra.get("retry_after")
        if exc.status == 429 and retry is not None:
            headers["Retry-After"] = str(max(1, round(float(retry))))
        if exc.status == 401:
            headers["WWW-Authenticate"] = "Bearer"
        if exc.status >= 500:
            log.error("server error: %s", exc.detail)
        return problem_response(exc.status, exc.problem(request.url.path), headers)

    @app.exception_handler(RequestValidationError)
    async def validation_error(request: Request, exc: RequestValidationError) -> FastJSON:
        errors = [
            {"loc": _loc(e.get("loc", ())), "msg": e.get("msg", ""), "type": e.get("type", "")} for e in exc.errors()
        ]
        body = {
            "type": "https://mip.dev/problems/validation_failed",
            "title": "Validation failed",
            "status": 422,
            "code": "validation_failed",
            "instance": request.url.path,
            "detail": "; ".join(f"{e['loc']}: {e['msg']}" for e in errors) or "invalid request",
            "errors": errors,
        }
        return problem_response(422, body)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> FastJSON:
        code = {404: "not_found", 405: "method_not_allowed"}.get(exc.status_code, "http_error")
        body = {
            "type": f"https://mip.dev/problems/{code}",
            "title": str(exc.detail),
            "status": exc.status_code,
            "code": code,
            "detail": str(exc.detail),
            "instance": request.url.path,
        }
        return problem_response(exc.status_code, body, dict(exc.headers or {}))

    @app.exception_handler(Exception)
    async def unexpected(request: Request, exc: Exception) -> FastJSON:
        log.exception("unhandled error")
        body = {
            "type": "https://mip.dev/problems/internal_error",
            "title": "Internal error",
            "status": 500,
            "code": "internal_error",
            "detail": "unexpected server error; see logs with this request id",
            "instance": request.url.path,
        }
        return problem_response(500, body)
