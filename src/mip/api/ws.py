"""Live WebSocket: ``/api/v1/ws?token=<access token>`` streams the caller's tenant's alert events and,
when the caller may read readings, throttled snapshots of the latest sensor values (``type: readings``)."""

from __future__ import annotations

import asyncio
import contextlib

from fastapi import APIRouter, WebSocket, WebSocketDisconnect

from mip.api.deps import resolve_principal
from mip.identity.permissions import Permission, allowed
from mip.platform.errors import MIPError
from mip.runtime import Runtime

router = APIRouter(tags=["live"])


@router.websocket("/api/v1/ws")
async def live(websocket: WebSocket) -> None:
    rt: Runtime = websocket.app.state.runtime
    token = websocket.query_params.get("token") or ""
    try:
        principal = await resolve_principal(rt, token)
    except MIPError:
        await websocket.close(code=4401, reason="invalid or missing token")
        return
    if not allowed(principal.role, Permission.ALERTS_READ):
        await websocket.close(code=4403, reason="forbidden")
        return
    await websocket.accept()
    queue = rt.hub.subscribe(principal.tenant_id, live=allowed(principal.role, Permission.READINGS_READ))
    await websocket.send_json({"type": "hello", "tenant_id": str(principal.tenant_id)})

    async def drain_client() -> None:
        with contextlib.suppress(WebSocketDisconnect):
            while True:
                await websocket.receive_text()

    reader = asyncio.create_task(drain_client())
    try:
        while not reader.done():
            get = asyncio.create_task(queue.get())
            done, _ = await asyncio.wait({get, reader}, return_when=asyncio.FIRST_COMPLETED)
            if get in done:
                await websocket.send_text(get.result().decode())
            else:
                get.cancel()
    except (WebSocketDisconnect, RuntimeError):
        pass
    finally:
        rt.hub.unsubscribe(principal.tenant_id, queue)
        reader.cancel()
