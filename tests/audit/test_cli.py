"""`mip audit` as a subprocess against the test database: verify (exit 0 / 3), checkpoints export, public key."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import psycopg

from mip.audit.signing import Keyring
from mip.platform.database_setup import DatabaseHandle
from mip.platform.db import Database
from tests.audit.helpers import entries, make_sites
from tests.conftest import TenantFactory

APP = "from mip.cli.audit import audit_app; audit_app(prog_name='mip audit')"


def audit(handle: DatabaseHandle, data_dir: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "DATABASE_URL": handle.owner_url, "MIP_DATA_DIR": str(data_dir), "MIP_LOG_LEVEL": "WARNING"}
    return subprocess.run(
        [sys.executable, "-c", APP, *args], capture_output=True, text=True, timeout=120, env=env, check=False
    )


def ok(handle: DatabaseHandle, data_dir: Path, *args: str) -> Any:
    out = audit(handle, data_dir, *args)
    assert out.returncode == 0, out.stderr + out.stdout
    return json.loads(out.stdout)


async def test_given_the_cli_then_verify_export_and_detect_tampering(
    db: Database, db_handle: DatabaseHandle, data_dir: Path, make_tenant: TenantFactory, tmp_path: Path
) -> None:
    t = await make_tenant()
    sites = await make_sites(db, t.id, 3)
    signed = ok(db_handle, data_dir, "checkpoint", "--force")
    assert signed["checkpoints"] >= 1
    report = ok(db_handle, data_dir, "verify", "--tenant", t.slug, "--json")
    assert report["ok"] is True
    (mine,) = report["tenants"]
    assert mine["tenant_id"] == str(t.id)
    assert mine["checkpoints_verified"] == mine["checkpoints"] >= 1
    human = audit(db_handle, data_dir, "verify", "-t", str(t.id))
    assert human.returncode == 0
    assert "intact" in human.stdout

    export = tmp_path / "checkpoints.json"
    assert ok(db_handle, data_dir, "checkpoints", "-t", t.slug, "--out", str(export))["checkpoints"] >= 1
    assert json.loads(export.read_text())["items"][0]["tenant_id"] == str(t.id)
    key = ok(db_handle, data_dir, "public-key")
    assert key["key_id"] == Keyring.from_data_dir(data_dir).key_id
    assert key["public_key"].startswith("-----BEGIN PUBLIC KEY-----")

    (target,) = await entries(db, t.id, "assets", sites[2])
    with psycopg.connect(db_handle.owner_url, autocommit=True) as owner:
        owner.execute("update audit_log set object_id = 'elsewhere' where id = %s", [target["id"]])
        owner.execute("delete from audit_checkpoints where tenant_id = %s", [t.id])
    out = audit(db_handle, data_dir, "verify", "-t", t.slug, "--json", "--checkpoints", str(export))
    assert out.returncode == 3, out.stderr
    doc = json.loads(out.stdout)
    assert doc["ok"] is False
    problems = {(p["kind"], p["seq"]) for p in doc["tenants"][0]["problems"]}
    assert ("modified", target["seq"]) in problems
    assert ("checkpoint_deleted", target["seq"]) in problems  # the exported checkpoint was at the head
    human = audit(db_handle, data_dir, "verify", "-t", t.slug)
    assert human.returncode == 3
    assert f"modified at seq {target['seq']} assets/elsewhere" in human.stdout


async def test_given_bad_input_then_exit_2_with_a_problem(
    db_handle: DatabaseHandle, data_dir: Path, tmp_path: Path
) -> None:
    bad_key = tmp_path / "key.pem"
    bad_key.write_text("not a key")
    bad_export = tmp_path / "cp.json"
    bad_export.write_text('{"items": [{"nope": 1}]}')
    for args in (
        ("verify", "-t", "no-such-tenant"),
        ("verify", "--public-key", str(bad_key)),
        ("verify", "--public-key", str(tmp_path / "missing.pem")),
        ("verify", "--checkpoints", str(bad_export)),
        ("entries", "-t", "no-such-tenant"),
    ):
        out = audit(db_handle, data_dir, *args)
        assert out.returncode == 2, (args, out.stdout, out.stderr)
        assert json.loads(out.stderr.strip().splitlines()[-1])["status"] in (400, 404), args
