"""CLI: ``mip demo`` - embedded platform, a seeded demo tenant, and the factory simulator, in one command."""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
import subprocess
import sys
from datetime import time
from pathlib import Path
from typing import Annotated, Any

import typer

from mip.platform.errors import MIPError

demo_app = typer.Typer()

DEMO_TENANT = "demo"
DEMO_EMAIL = "admin@demo.mip"
DEMO_PASSWORD = "mip-demo-2026"  # noqa: S105 - the published demo login, printed on start


async def seed(app_url: str, seed_value: int) -> dict[str, Any]:
    """Idempotent: the demo tenant, its admin, the simulated plant's assets, and a fresh simulator key."""
    from mip.assets.importer import import_document, parse_yaml
    from mip.identity import service as identity
    from mip.identity.permissions import Role
    from mip.platform.db import Database
    from mip.sim.history import seed_history
    from mip.sim.plant import build_plant
    from mip.tenancy import service as tenancy
    from mip.tenancy.errors import TenantExists

    db = Database(app_url, min_size=1, max_size=2)
    await db.open()
    try:
        with contextlib.suppress(TenantExists):
            await tenancy.create_tenant(db, slug=DEMO_TENANT, name="Demo Heavy Industries", timezone="Europe/Berlin")
        tenant = await tenancy.tenant_by_slug(db, DEMO_TENANT)
        async with db.tenant_tx(tenant["id"]) as conn:
            cur = await conn.execute("select 1 from users where email = %s", [DEMO_EMAIL])
            if await cur.fetchone() is None:
                await identity.create_user(
                    conn,
                    tenant["id"],
                    email=DEMO_EMAIL,
                    password=DEMO_PASSWORD,
                    role=Role.ADMIN,
                    full_name="Demo Admin",
                )
            for key in await identity.list_api_keys(conn):
                if key["name"] == "demo simulator" and key["revoked_at"] is None:
                    await identity.revoke_api_key(conn, key["id"])
            full, _ = await identity.create_api_key(conn, tenant["id"], name="demo simulator")
            counts = await import_document(conn, tenant["id"], parse_yaml(build_plant(seed_value).to_asset_yaml()))
            await seed_operations(conn, tenant["id"])
            await seed_history(conn, tenant["id"], build_plant(seed_value))
        return {"tenant_id": tenant["id"], "api_key": full, "assets": counts}
    finally:
        await db.close()


SIM_RULES = Path(__file__).resolve().parents[1] / "sim" / "rules.yaml"
SHIFTS = (("Early", time(6), time(14)), ("Late", time(14), time(22)), ("Night", time(22), time(6)))


async def seed_operations(conn: Any, tenant_id: Any) -> None:
    """Idempotent: three shifts and an OEE config per site (running = spindle speed, idle = power), and the
    simulated plant's detection rules, so the demo shows OEE and rule alarms from the start; a planning data set
    (a pump with a 4-level BOM, routings on the plant's machines, a calendar, orders, an MRP run)."""
    import yaml

    from mip.detection import rules_store
    from mip.detection.spec import RuleBody
    from mip.oee import config as oee_config

    cur = await conn.execute("select id from assets where kind = 'site'")
    for site in await cur.fetchall():
        if not await oee_config.list_shifts(conn, site["id"]):
            for name, start, end in SHIFTS:
                shift = {"site_id": site["id"], "name": name, "start_time": start, "end_time": end}
                await oee_config.create_shift(conn, tenant_id, {**shift, "days": [1, 2, 3, 4, 5, 6, 7]})
        fields = {"run_sensor": "spindle_speed", "run_threshold": 100.0, "idle_sensor": "power", "idle_threshold": 0.5}
        await oee_config.put_config(conn, tenant_id, site["id"], {**fields, "ideal_cycle_s": 45.0})
    if not await rules_store.list_rules(conn, limit=1):
        for body in yaml.safe_load(SIM_RULES.read_text()):
            await rules_store.create_rule(conn, tenant_id, RuleBody.model_validate(body), None)
    from mip.planning.demo import seed_planning_demo

    cur = await conn.execute("select id from assets where kind = 'machine' order by path")
    await seed_planning_demo(conn, tenant_id, [r["id"] for r in await cur.fetchall()])


@demo_app.command("demo")
def demo(
    host: Annotated[str, typer.Option(help="Bind address")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port")] = 8000,
    rate: Annotated[int, typer.Option(help="Simulated readings per second")] = 500,
    seed_value: Annotated[int, typer.Option("--seed", help="Simulator seed")] = 7,
    data_dir: Annotated[Path | None, typer.Option("--data-dir", help="Embedded PostgreSQL and state")] = None,
) -> None:
    """Run MIP on embedded defaults with a seeded demo tenant and a simulated factory."""
    from mip.api.app import create_app
    from mip.api.server import make_server
    from mip.platform.database_setup import open_database
    from mip.platform.logging import configure_logging
    from mip.platform.settings import Settings
    from mip.runtime import Runtime

    if data_dir is not None:
        os.environ["MIP_DATA_DIR"] = str(data_dir.resolve())
    settings = Settings()
    configure_logging("WARNING", settings.log_json)
    handle = open_database(settings)
    try:
        info = asyncio.run(seed(handle.app_url, seed_value))
    except MIPError as exc:
        from mip.cli.common import fail

        handle.stop()
        fail(exc)
    runtime = Runtime.build(settings, handle=handle)
    server = make_server(create_app(runtime), host, port)
    url = f"http://{host}:{port}"

    async def main() -> None:
        serving = asyncio.create_task(server.serve())
        while not server.started and not serving.done():  # noqa: ASYNC110 - uvicorn exposes only a flag
            await asyncio.sleep(0.05)
        if serving.done():
            await serving
            return
        args = ["-m", "mip.cli.main", "simulate", "--url", url, "--api-key", info["api_key"], "--rate", str(rate)]
        sim = await asyncio.create_subprocess_exec(
            sys.executable, *args, "--seed", str(seed_value), stdout=subprocess.DEVNULL
        )
        banner = (
            f"\nMIP is running at {url}  (API docs: {url}/docs)\n"
            f"  login:  {DEMO_EMAIL} / {DEMO_PASSWORD}   (tenant '{DEMO_TENANT}')\n"
            f"  simulator: {rate} readings/s into {info['assets'].get('sensors', '?')} sensors; alerts stream "
            f"on ws://{host}:{port}/api/v1/ws?token=<access token>\n"
            f"  data dir: {settings.data_dir}\n  Ctrl-C stops everything.\n"
        )
        sys.stderr.write(banner)
        try:
            await serving
        finally:
            if sim.returncode is None:
                sim.send_signal(signal.SIGINT)
                try:
                    await asyncio.wait_for(sim.wait(), 5)
                except TimeoutError:
                    sim.kill()

    try:
        asyncio.run(main())
    finally:
        runtime.close_database()
