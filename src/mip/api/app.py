"""The ASGI application: mounts each domain's router, problem handlers, health, WebSocket."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator

from fastapi import FastAPI

from mip import __version__
from mip.alerts.api import router as alerts_router
from mip.analytics.api import router as analytics_router
from mip.api.middleware import RequestContext
from mip.api.problems import install_problem_handlers
from mip.api.responses import FastJSON
from mip.api.web import mount_web
from mip.api.ws import router as ws_router
from mip.assets.api import router as assets_router
from mip.audit.api import router as audit_router
from mip.detection.api import router as detection_router
from mip.identity.api import router as identity_router
from mip.lake.api import router as lake_router
from mip.maintenance.api import router as maintenance_router
from mip.monitoring.api import router as monitoring_router
from mip.notifications.api import router as notifications_router
from mip.oee.api import router as oee_router
from mip.planning.api import router as planning_router
from mip.quality.api import router as quality_router
from mip.quality.inspection.api import router as inspection_router
from mip.quality.trace.api import router as trace_router
from mip.runtime import Runtime
from mip.scheduling.api import router as scheduling_router
from mip.telemetry.ingest_api import ingest_router
from mip.telemetry.query_api import query_router
from mip.tenancy.api import router as tenancy_router


def create_app(runtime: Runtime | None = None) -> FastAPI:
    @contextlib.asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        if runtime is not None:
            await runtime.start()
        try:
            yield
        finally:
            if runtime is not None:
                await runtime.stop()

    app = FastAPI(
        title="MIP - Manufacturing Intelligence Platform",
        version=__version__,
        lifespan=lifespan,
        docs_url="/docs",
        openapi_url="/openapi.json",
    )
    app.state.runtime = runtime
    install_problem_handlers(app)
    app.add_middleware(RequestContext)

    @app.get("/healthz", tags=["ops"], summary="Liveness")
    async def healthz() -> dict[str, str]:
        return {"status": "ok"}

    @app.get("/readyz", tags=["ops"], summary="Readiness: database reachable")
    async def readyz() -> FastJSON:
        rt = app.state.runtime
        try:
            async with rt.db.system_tx() as conn:
                await conn.execute("select 1")
        except Exception as exc:
            return FastJSON({"status": "unavailable", "detail": str(exc)}, status_code=503)
        return FastJSON({"status": "ready", "roles": sorted(r.value for r in rt.active_roles)})

    if runtime is None or runtime.serves_api:
        for router in (
            identity_router,
            tenancy_router,
            assets_router,
            query_router,
            alerts_router,
            monitoring_router,
            detection_router,
            notifications_router,
            oee_router,
            maintenance_router,
            planning_router,
            scheduling_router,
            quality_router,
            inspection_router,
            trace_router,
            audit_router,
            lake_router,
            analytics_router,
            ws_router,
        ):
            app.include_router(router)
    if runtime is None or runtime.serves_ingest:
        app.include_router(ingest_router)
    if runtime is not None and runtime.serves_api:
        mount_web(app, runtime.settings.web_dir)  # last: its catch-all must not shadow an API route
    return app
