"""The operator CLI against the real PostgreSQL (via DATABASE_URL): JSON out; problem JSON + exit 2 on bad input."""

from __future__ import annotations

import json
import secrets

from mip.platform.database_setup import DatabaseHandle
from tests.cli_helpers import ok, run


def test_given_cli_when_creating_tenant_user_and_keys_then_json_and_revocation(db_handle: DatabaseHandle) -> None:
    slug = "cli-" + secrets.token_hex(4)
    tenant = ok(db_handle, "tenant", "create", slug, "--name", "CLI Works")
    assert tenant["slug"] == slug
    user = ok(
        db_handle,
        "user",
        "create",
        "--tenant",
        slug,
        "--email",
        f"a@{slug}.test",
        "--password",
        "long-password-1",
        "--role",
        "quality",
    )
    assert user["role"] == "quality"
    assert user["itar_authorized"] is False
    assert "password_hash" not in user
    second = ("--tenant", slug, "--email", f"b@{slug}.test", "--password", "long-password-2", "--itar")
    cleared = ok(db_handle, "user", "create", *second)
    assert cleared["itar_authorized"] is True
    key = ok(db_handle, "apikey", "create", "--tenant", slug, "--name", "gw")
    assert key["key"].startswith("mip_")
    listed = ok(db_handle, "apikey", "list", "--tenant", slug)
    assert [k["id"] for k in listed] == [key["id"]]
    assert "key" not in listed[0]
    revoked = ok(db_handle, "apikey", "revoke", "--tenant", slug, key["id"])
    assert revoked["revoked_at"] is not None


def test_given_bad_input_then_problem_json_on_stderr_and_exit_2(db_handle: DatabaseHandle) -> None:
    bad_slug = run(db_handle, "tenant", "create", "Not A Slug!")
    assert bad_slug.returncode == 2
    assert json.loads(bad_slug.stderr)["code"] == "invalid_slug"
    slug = "cli-" + secrets.token_hex(4)
    ok(db_handle, "tenant", "create", slug)
    dup = run(db_handle, "tenant", "create", slug)
    assert dup.returncode == 2
    assert json.loads(dup.stderr)["code"] == "tenant_exists"
    missing = run(
        db_handle, "user", "create", "--tenant", "no-such-tenant", "--email", "x@y.io", "--password", "long-password-1"
    )
    assert missing.returncode == 2
    assert json.loads(missing.stderr)["code"] == "tenant_not_found"
    weak = run(db_handle, "user", "create", "--tenant", slug, "--email", "x@y.io", "--password", "short")
    assert weak.returncode == 2
    assert json.loads(weak.stderr)["status"] == 422
