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

pytest_plugins = ["tests.kafka_server"]
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
    return Settings(
        env="test",
        data_dir=data_dir,
        database_url=os.environ.get("DATABASE_URL"),
        secret_key="test-secret-key-" + secrets.token_hex(8),
        log_json=False,
        ingest_max_body_bytes=2_000_000,
        # notification tests run their own dispatchers (short back-off, a test SMTP server)
        notify_dispatch=False,
        maintenance_interval_s=0,  # maintenance tests drive the scorer themselves
    )


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
    config = uvicorn.Config(
        create_app(runtime),
        host="127.0.0.1",
        port=port,
        log_config=None,
        access_log=False,
        lifespan="off",
        ws="websockets-sansio",
    )
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
                await identity.create_user(conn, t["id"], email=f"{role}@{slug}.test", password=PASSWORD, role=role)
        s = runtime.settings
        pair = await identity.login(
            runtime.db,
            email=email,
            password=PASSWORD,
            key=runtime.secret_key,
            access_ttl=s.access_token_ttl_s,
            refresh_ttl=s.refresh_token_ttl_s,
        )
        kit = TenantKit(t["id"], slug, email, pair.access_token, key, row["id"])
        for role in roles:
            p = await identity.login(
                runtime.db,
                email=f"{role}@{slug}.test",
                password=PASSWORD,
                key=runtime.secret_key,
                access_ttl=60,
                refresh_ttl=60,
            )
            kit.users[role] = p.access_token
        return kit

    return factory


@pytest.fixture
async def tenant(make_tenant: TenantFactory) -> TenantKit:
    return await make_tenant()


@dataclass
class MachineKit:
    machine_id: Any
    site_id: Any
    sensors: dict[str, Any]  # name -> sensor id
    paths: dict[str, str]  # name -> tag path


MachineFactory = Callable[..., Awaitable[MachineKit]]


@pytest.fixture(scope="session")
async def make_machine(runtime: Runtime) -> MachineFactory:
    """Insert a site/area/line/machine with sensors straight into the database (test data factory)."""
    from mip.platform.ids import uuid7

    async def factory(
        tenant_id: Any,
        *,
        sensors: dict[str, tuple[float | None, float | None]] | None = None,
        safety: bool = True,
        site: str = "plant",
    ) -> MachineKit:
        sensors = sensors if sensors is not None else {"temp": (None, 80.0), "pressure": (1.0, 10.0)}
        ids: dict[str, Any] = {}
        async with runtime.db.tenant_tx(tenant_id) as conn:
            parent = None
            path = ""
            for kind, name in (("site", site), ("area", "area1"), ("line", "line1"), ("machine", "m1")):
                path = f"{path}/{name}" if path else name
                ids[kind] = uuid7()
                await conn.execute(
                    "insert into assets (id, tenant_id, kind, parent_id, name, path) values (%s,%s,%s,%s,%s,%s)",
                    [ids[kind], tenant_id, kind, parent, name, path],
                )
                parent = ids[kind]
            sensor_ids: dict[str, Any] = {}
            for name, (low, high) in sensors.items():
                sensor_ids[name] = uuid7()
                await conn.execute(
                    "insert into sensors (id, tenant_id, machine_id, name, path, kind, unit, low_limit, high_limit,"
                    " safety) values (%s,%s,%s,%s,%s,'other','u',%s,%s,%s)",
                    [sensor_ids[name], tenant_id, ids["machine"], name, f"{path}/{name}", low, high, safety],
                )
        runtime.directory.invalidate(tenant_id)
        return MachineKit(ids["machine"], ids["site"], sensor_ids, {n: f"{path}/{n}" for n in sensor_ids})

    return factory


async def wait_for(predicate: Callable[[], Awaitable[Any]], timeout: float = 10.0, interval: float = 0.05) -> Any:
    """Poll an async predicate until it returns something truthy (for results of the async stream stage)."""
    deadline = asyncio.get_running_loop().time() + timeout
    while True:
        result = await predicate()
        if result:
            return result
        if asyncio.get_running_loop().time() > deadline:
            raise AssertionError("condition not met within timeout")
        await asyncio.sleep(interval)
