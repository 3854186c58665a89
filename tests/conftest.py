"""Session fixtures: a real PostgreSQL (embedded wheel, or DATABASE_URL), the app served by a real
uvicorn on a free port, and factories that give each test its own tenant."""

from __future__ import annotations

import asyncio
import os
import secrets
import socket
import tempfile
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import pytest
import uvicorn

from mip.api.app import create_app
from mip.identity import service as identity
from mip.identity.permissions import Role
from mip.platform.database_setup import DatabaseHandle, open_database
from mip.platform.db import Database
from mip.platform.settings import Settings
from mip.runtime import Runtime
from mip.tenancy import service as tenancy

PASSWORD = "correct-horse-battery"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="session")
def data_dir() -> Iterator[Path]:
    with tempfile.TemporaryDirectory(prefix="mip-test-") as d:
        yield Path(d)


@pytest.fixture(scope="session")
def settings(data_dir: Path) -> Settings:
    return Settings(env="test", data_dir=data_dir, database_url=os.environ.get("DATABASE_URL"),
                    secret_key="test-secret-key-" + secrets.token_hex(8), log_json=False,
                    ingest_max_body_bytes=2_000_000)


@pytest.fixture(scope="session")
def db_handle(settings: Settings) -> Iterator[DatabaseHandle]:
    handle = open_database(settings, migrate=True)
    yield handle
    handle.stop()


@pytest.fixture(scope="session")
async def runtime(settings: Settings, db_handle: DatabaseHandle) -> AsyncIterator[Runtime]:
    rt = Runtime.build(settings, handle=db_handle)
    await rt.start()
    yield rt
    await rt.stop()


@pytest.fixture(scope="session")
async def db(runtime: Runtime) -> Database:
    return runtime.db


@pytest.fixture(scope="session")
async def server_url(runtime: Runtime) -> AsyncIterator[str]:
    port = free_port()
    config = uvicorn.Config(create_app(runtime), host="127.0.0.1", port=port, log_config=None,
                            access_log=False, lifespan="off", ws="websockets")
    server = uvicorn.Server(config)
    task = asyncio.create_task(server.serve())
    while not server.started:
        await asyncio.sleep(0.02)
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    await task


@pytest.fixture
async def client(server_url: str) -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(base_url=server_url, timeout=30) as c:
        yield c


@dataclass
class TenantKit:
    """A tenant with an admin user (access token) and a device API key."""

    id: Any
    slug: str
    admin_email: str
    token: str
    api_key: str
    api_key_id: Any
    users: dict[str, str] = field(default_factory=dict)

    @property
    def auth(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}"}

    @property
    def device(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.api_key}"}

    def as_role(self, role: str) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.users[role]}"}


TenantFactory = Callable[..., Awaitable[TenantKit]]


@pytest.fixture(scope="session")
async def make_tenant(runtime: Runtime) -> TenantFactory:
    async def factory(*, roles: tuple[str, ...] = ()) -> TenantKit:
        slug = "t-" + secrets.token_hex(5)
        t = await tenancy.create_tenant(runtime.db, slug=slug, name=slug)
        email = f"admin@{slug}.test"
        async with runtime.db.tenant_tx(t["id"]) as conn:
            await identity.create_user(conn, t["id"], email=email, password=PASSWORD, role=Role.ADMIN)
            key, row = await identity.create_api_key(conn, t["id"], name="gateway")
            for role in roles:
                await identity.create_user(conn, t["id"], email=f"{role}@{slug}.test", password=PASSWORD,
                                           role=role)
        s = runtime.settings
        pair = await identity.login(runtime.db, email=email, password=PASSWORD, key=runtime.secret_key,
                                    access_ttl=s.access_token_ttl_s, refresh_ttl=s.refresh_token_ttl_s)
        kit = TenantKit(t["id"], slug, email, pair.access_token, key, row["id"])
        for role in roles:
            p = await identity.login(runtime.db, email=f"{role}@{slug}.test", password=PASSWORD,
                                     key=runtime.secret_key, access_ttl=60, refresh_ttl=60)
            kit.users[role] = p.access_token
        return kit

    return factory


@pytest.fixture
async def tenant(make_tenant: TenantFactory) -> TenantKit:
    return await make_tenant()
