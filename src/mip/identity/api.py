"""Identity REST API: login/refresh/logout, users, device API keys."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Depends
from pydantic import BaseModel, Field

from mip.api.deps import Ctx, RuntimeDep, require
from mip.identity import service
from mip.identity.permissions import Permission, Role

router = APIRouter(prefix="/api/v1", tags=["identity"])


class LoginIn(BaseModel):
    email: str = Field(max_length=320)
    password: str = Field(max_length=1024)


class RefreshIn(BaseModel):
    refresh_token: str = Field(max_length=512)


class UserOut(BaseModel):
    id: uuid.UUID
    tenant_id: uuid.UUID
    email: str
    full_name: str
    role: str
    active: bool
    itar_authorized: bool = Field(description="May see ITAR-controlled records (set by a tenant admin)")
    created_at: datetime
    updated_at: datetime


class TokenOut(BaseModel):
    access_token: str
    refresh_token: str
    token_type: str = "bearer"  # noqa: S105 - the OAuth2 token type, not a secret
    expires_in: int
    user: UserOut


class UserIn(BaseModel):
    email: str = Field(max_length=320)
    password: str = Field(min_length=10, max_length=1024)
    role: Role
    full_name: str = Field(default="", max_length=200)
    itar_authorized: bool = False


class UserPatch(BaseModel):
    role: Role | None = None
    active: bool | None = None
    full_name: str | None = Field(default=None, max_length=200)
    password: str | None = Field(default=None, min_length=10, max_length=1024)
    itar_authorized: bool | None = Field(
        default=None, description="Authorise (or withdraw) access to ITAR-controlled records; withdrawing ends sessions"
    )


class ApiKeyIn(BaseModel):
    name: str = Field(min_length=1, max_length=200)
    site_id: uuid.UUID | None = None


class ApiKeyOut(BaseModel):
    id: uuid.UUID
    tenant_id: uuid.UUID
    name: str
    prefix: str
    site_id: uuid.UUID | None
    created_by: uuid.UUID | None
    created_at: datetime
    revoked_at: datetime | None


class ApiKeyCreated(ApiKeyOut):
    key: str = Field(description="The full API key. Shown once; store it now.")


def _tokens(pair: service.TokenPair) -> TokenOut:
    return TokenOut(
        access_token=pair.access_token,
        refresh_token=pair.refresh_token,
        expires_in=pair.expires_in,
        user=UserOut(**pair.user),
    )


@router.post("/auth/login", response_model=TokenOut, summary="Log in with email and password")
async def login(body: LoginIn, rt: RuntimeDep) -> TokenOut:
    s = rt.settings
    pair = await service.login(
        rt.db,
        email=body.email,
        password=body.password,
        key=rt.secret_key,
        access_ttl=s.access_token_ttl_s,
        refresh_ttl=s.refresh_token_ttl_s,
    )
    return _tokens(pair)


@router.post("/auth/refresh", response_model=TokenOut, summary="Exchange a refresh token (rotated) for new tokens")
async def refresh(body: RefreshIn, rt: RuntimeDep) -> TokenOut:
    s = rt.settings
    pair = await service.refresh(
        rt.db,
        refresh_token=body.refresh_token,
        key=rt.secret_key,
        access_ttl=s.access_token_ttl_s,
        refresh_ttl=s.refresh_token_ttl_s,
    )
    return _tokens(pair)


@router.post("/auth/logout", status_code=204, summary="Revoke a refresh token")
async def logout(body: RefreshIn, rt: RuntimeDep) -> None:
    await service.logout(rt.db, refresh_token=body.refresh_token)


@router.get("/me", response_model=UserOut, summary="The logged-in user")
async def me(ctx: Annotated[Ctx, Depends(require(Permission.TENANT_READ))]) -> UserOut:
    assert ctx.principal.user_id is not None
    async with ctx.tx() as conn:
        return UserOut(**await service.get_user(conn, ctx.principal.user_id))


@router.get("/users", response_model=list[UserOut], summary="List the tenant's users")
async def list_users(ctx: Annotated[Ctx, Depends(require(Permission.USERS_READ))]) -> list[UserOut]:
    async with ctx.tx() as conn:
        return [UserOut(**u) for u in await service.list_users(conn)]


@router.post("/users", response_model=UserOut, status_code=201, summary="Create a user in the caller's tenant")
async def create_user(body: UserIn, ctx: Annotated[Ctx, Depends(require(Permission.USERS_WRITE))]) -> UserOut:
    async with ctx.tx() as conn:
        row = await service.create_user(
            conn,
            ctx.principal.tenant_id,
            email=body.email,
            password=body.password,
            role=body.role,
            full_name=body.full_name,
            itar_authorized=body.itar_authorized,
        )
    return UserOut(**row)


@router.get("/users/{user_id}", response_model=UserOut, summary="Get a user")
async def get_user(user_id: uuid.UUID, ctx: Annotated[Ctx, Depends(require(Permission.USERS_READ))]) -> UserOut:
    async with ctx.tx() as conn:
        return UserOut(**await service.get_user(conn, user_id))


@router.patch("/users/{user_id}", response_model=UserOut, summary="Change a user's role, status, name or password")
async def update_user(
    user_id: uuid.UUID, body: UserPatch, ctx: Annotated[Ctx, Depends(require(Permission.USERS_WRITE))]
) -> UserOut:
    async with ctx.tx() as conn:
        row = await service.update_user(
            conn,
            user_id,
            role=body.role.value if body.role else None,
            active=body.active,
            full_name=body.full_name,
            password=body.password,
            itar_authorized=body.itar_authorized,
        )
    return UserOut(**row)


@router.get("/api-keys", response_model=list[ApiKeyOut], summary="List device API keys (never their secrets)")
async def list_keys(ctx: Annotated[Ctx, Depends(require(Permission.API_KEYS_READ))]) -> list[ApiKeyOut]:
    async with ctx.tx() as conn:
        return [ApiKeyOut(**k) for k in await service.list_api_keys(conn)]


@router.post(
    "/api-keys",
    response_model=ApiKeyCreated,
    status_code=201,
    summary="Create a device API key (the key is returned once)",
)
async def create_key(
    body: ApiKeyIn,
    ctx: Annotated[Ctx, Depends(require(Permission.API_KEYS_WRITE))],
) -> ApiKeyCreated:
    async with ctx.tx() as conn:
        full, row = await service.create_api_key(
            conn,
            ctx.principal.tenant_id,
            name=body.name,
            site_id=body.site_id,
            created_by=ctx.principal.user_id,
        )
    return ApiKeyCreated(key=full, **row)


@router.delete("/api-keys/{key_id}", response_model=ApiKeyOut, summary="Revoke a device API key")
async def revoke_key(key_id: uuid.UUID, ctx: Annotated[Ctx, Depends(require(Permission.API_KEYS_WRITE))]) -> ApiKeyOut:
    async with ctx.tx() as conn:
        row = await service.revoke_api_key(conn, key_id)
    ctx.rt.verifier.forget(key_id)
    return ApiKeyOut(**row)
