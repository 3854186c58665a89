"""Login, refresh rotation, logout, roles and device API keys over the real HTTP API."""

from __future__ import annotations

import httpx

from tests.conftest import PASSWORD, TenantFactory, TenantKit


async def test_given_valid_credentials_when_login_then_tokens_and_me(
    client: httpx.AsyncClient, tenant: TenantKit
) -> None:
    r = await client.post("/api/v1/auth/login", json={"email": tenant.admin_email, "password": PASSWORD})
    assert r.status_code == 200
    body = r.json()
    assert body["token_type"] == "bearer"
    assert body["user"]["role"] == "admin"
    me = await client.get("/api/v1/me", headers={"Authorization": f"Bearer {body['access_token']}"})
    assert me.json()["email"] == tenant.admin_email


async def test_given_wrong_password_when_login_then_401_problem(client: httpx.AsyncClient, tenant: TenantKit) -> None:
    r = await client.post("/api/v1/auth/login", json={"email": tenant.admin_email, "password": "nope-nope-nope"})
    assert r.status_code == 401
    assert r.headers["content-type"].startswith("application/problem+json")
    assert r.json()["code"] == "invalid_credentials"


async def test_given_refresh_token_when_used_twice_then_second_use_fails(
    client: httpx.AsyncClient, tenant: TenantKit
) -> None:
    login = (await client.post("/api/v1/auth/login", json={"email": tenant.admin_email, "password": PASSWORD})).json()
    first = await client.post("/api/v1/auth/refresh", json={"refresh_token": login["refresh_token"]})
    assert first.status_code == 200
    assert first.json()["refresh_token"] != login["refresh_token"]
    again = await client.post("/api/v1/auth/refresh", json={"refresh_token": login["refresh_token"]})
    assert again.status_code == 401


async def test_given_logout_when_refreshing_then_rejected(client: httpx.AsyncClient, tenant: TenantKit) -> None:
    login = (await client.post("/api/v1/auth/login", json={"email": tenant.admin_email, "password": PASSWORD})).json()
    assert (await client.post("/api/v1/auth/logout", json={"refresh_token": login["refresh_token"]})).status_code == 204
    r = await client.post("/api/v1/auth/refresh", json={"refresh_token": login["refresh_token"]})
    assert r.status_code == 401


async def test_given_no_or_bad_token_then_401(client: httpx.AsyncClient) -> None:
    assert (await client.get("/api/v1/me")).status_code == 401
    r = await client.get("/api/v1/me", headers={"Authorization": "Bearer garbage"})
    assert r.status_code == 401
    assert r.json()["code"] == "token_invalid"


async def test_given_admin_when_creating_user_then_user_can_login_with_role(
    client: httpx.AsyncClient, tenant: TenantKit
) -> None:
    email = f"eng@{tenant.slug}.test"
    r = await client.post(
        "/api/v1/users", headers=tenant.auth, json={"email": email, "password": PASSWORD, "role": "engineer"}
    )
    assert r.status_code == 201
    listed = await client.get("/api/v1/users", headers=tenant.auth)
    assert email in {u["email"] for u in listed.json()}
    login = await client.post("/api/v1/auth/login", json={"email": email, "password": PASSWORD})
    assert login.json()["user"]["role"] == "engineer"


async def test_given_duplicate_email_or_bad_role_then_4xx(client: httpx.AsyncClient, tenant: TenantKit) -> None:
    dup = await client.post(
        "/api/v1/users", headers=tenant.auth, json={"email": tenant.admin_email, "password": PASSWORD, "role": "viewer"}
    )
    assert dup.status_code == 409
    bad = await client.post(
        "/api/v1/users", headers=tenant.auth, json={"email": "x@y.io", "password": PASSWORD, "role": "emperor"}
    )
    assert bad.status_code == 422
    assert bad.json()["code"] == "validation_failed"
    short = await client.post(
        "/api/v1/users", headers=tenant.auth, json={"email": "x@y.io", "password": "short", "role": "viewer"}
    )
    assert short.status_code == 422


async def test_given_disabled_user_then_login_fails(client: httpx.AsyncClient, tenant: TenantKit) -> None:
    email = f"temp@{tenant.slug}.test"
    user = (
        await client.post(
            "/api/v1/users", headers=tenant.auth, json={"email": email, "password": PASSWORD, "role": "viewer"}
        )
    ).json()
    r = await client.patch(f"/api/v1/users/{user['id']}", headers=tenant.auth, json={"active": False})
    assert r.json()["active"] is False
    login = await client.post("/api/v1/auth/login", json={"email": email, "password": PASSWORD})
    assert login.status_code == 401


async def test_given_roles_when_calling_admin_routes_then_permission_table_applies(
    client: httpx.AsyncClient, make_tenant: TenantFactory
) -> None:
    kit = await make_tenant(roles=("viewer", "engineer", "production"))
    assert (await client.get("/api/v1/users", headers=kit.as_role("viewer"))).status_code == 403
    assert (await client.get("/api/v1/users", headers=kit.as_role("engineer"))).status_code == 403
    assert (await client.get("/api/v1/api-keys", headers=kit.as_role("engineer"))).status_code == 200
    r = await client.post("/api/v1/api-keys", headers=kit.as_role("engineer"), json={"name": "x"})
    assert r.status_code == 403
    assert r.json()["code"] == "permission_denied"
    assert (await client.get("/api/v1/alerts", headers=kit.as_role("viewer"))).status_code == 200
    # a device key can ingest but not read users or alerts
    assert (await client.get("/api/v1/alerts", headers=kit.device)).status_code == 403


async def test_given_api_key_when_created_then_shown_once_and_revocable(
    client: httpx.AsyncClient, tenant: TenantKit
) -> None:
    created = await client.post("/api/v1/api-keys", headers=tenant.auth, json={"name": "line-2 gateway"})
    assert created.status_code == 201
    key = created.json()["key"]
    listed = (await client.get("/api/v1/api-keys", headers=tenant.auth)).json()
    assert all("key" not in k and "secret_hash" not in k for k in listed)
    dev = {"Authorization": f"Bearer {key}"}
    ok = await client.post("/api/v1/ingest/readings", headers=dev, json=[{"sensor": "nope", "ts": 1, "value": 1}])
    assert ok.status_code == 422  # authenticated; the row itself is rejected
    revoked = await client.delete(f"/api/v1/api-keys/{created.json()['id']}", headers=tenant.auth)
    assert revoked.json()["revoked_at"] is not None
    after = await client.post("/api/v1/ingest/readings", headers=dev, json=[{"sensor": "nope", "ts": 1, "value": 1}])
    assert after.status_code == 401


async def test_given_malformed_api_key_then_401(client: httpx.AsyncClient) -> None:
    r = await client.post("/api/v1/ingest/readings", headers={"Authorization": "Bearer mip_bad"}, json=[])
    assert r.status_code == 401
