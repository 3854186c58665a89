"""Dependencies declared in route signatures: the runtime, the caller, permission checks, the tenant tx."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, Request

from mip.identity import secrets as sec
from mip.identity.errors import PermissionDenied, TokenInvalid
from mip.identity.permissions import Permission, allowed
from mip.identity.service import Principal
from mip.platform.db import Conn
from mip.runtime import Runtime


def get_runtime(request: Request) -> Runtime:
    rt: Runtime = request.app.state.runtime
    return rt


RuntimeDep = Annotated[Runtime, Depends(get_runtime)]


def bearer(request: Request) -> str:
    auth = request.headers.get("authorization", "")
    if auth.lower().startswith("bearer "):
        return auth[7:].strip()
    key = request.headers.get("x-api-key")
    if key:
        return key.strip()
    raise TokenInvalid("missing credentials: send 'Authorization: Bearer <token or API key>'")


async def resolve_principal(rt: Runtime, token: str) -> Principal:
    if token.startswith(sec.API_KEY_PREFIX + "_"):
        return await rt.verifier.verify(token)
    claims = sec.decode_access_token(rt.secret_key, token)
    return Principal(tenant_id=claims.tenant_id, role=claims.role, user_id=claims.user_id, itar_authorized=claims.itar)


async def get_principal(request: Request, rt: RuntimeDep) -> Principal:
    return await resolve_principal(rt, bearer(request))


@dataclass(frozen=True)
class Ctx:
    """What a route gets: who is calling, and the runtime. ``tx()`` is the caller's tenant transaction."""

    principal: Principal
    rt: Runtime

    @contextlib.asynccontextmanager
    async def tx(self) -> AsyncIterator[Conn]:
        p = self.principal
        async with self.rt.db.tenant_tx(p.tenant_id, actor=p.actor, itar=p.itar_authorized) as conn:
            yield conn


def require(permission: Permission) -> Callable[..., Awaitable[Ctx]]:
    async def check(principal: Annotated[Principal, Depends(get_principal)], rt: RuntimeDep) -> Ctx:
        if not allowed(principal.role, permission):
            raise PermissionDenied(f"role {principal.role.value} may not {permission.value}")
        return Ctx(principal, rt)

    check.__name__ = f"require_{permission.name.lower()}"
    return check
