"""``mip assets``: help, import (YAML/CSV, dry run, line-numbered errors on stderr, exit 2) and list."""

from __future__ import annotations

import json
import secrets
from pathlib import Path

from mip.platform.database_setup import DatabaseHandle
from tests.assets.test_import import CSV_DOC, DOC
from tests.cli_helpers import ok, run


def test_given_assets_help_then_commands_listed(db_handle: DatabaseHandle) -> None:
    out = run(db_handle, "assets", "--help")
    assert out.returncode == 0, out.stderr
    assert "import" in out.stdout
    assert "list" in out.stdout


def test_given_cli_when_importing_and_listing_then_json_counts_and_assets(
    db_handle: DatabaseHandle, tmp_path: Path
) -> None:
    slug = "cli-assets-" + secrets.token_hex(3)
    ok(db_handle, "tenant", "create", slug)
    yaml_file = tmp_path / "plant.yaml"
    yaml_file.write_text(DOC)
    dry = ok(db_handle, "assets", "import", str(yaml_file), "--tenant", slug, "--dry-run")
    assert (dry["created"], dry["dry_run"]) == (8, True)
    assert ok(db_handle, "assets", "list", "--tenant", slug) == []
    first = ok(db_handle, "assets", "import", str(yaml_file), "--tenant", slug)
    assert (first["sites"], first["sensors"], first["created"]) == (2, 2, 8)
    csv_file = tmp_path / "more.CSV"
    csv_file.write_text(CSV_DOC)
    more = ok(db_handle, "assets", "import", str(csv_file), "--tenant", slug)
    assert more["created"] == 2  # the pressure sensor and the assembly area; the rest already existed
    machines = ok(db_handle, "assets", "list", "--tenant", slug, "--kind", "machine")
    assert [m["path"] for m in machines] == ["plant-1/machining/line-1/cnc-01", "plant-1/machining/line-1/cnc-02"]


def test_given_bad_document_when_importing_then_problem_json_on_stderr_and_exit_2(
    db_handle: DatabaseHandle, tmp_path: Path
) -> None:
    bad = tmp_path / "bad.yml"
    bad.write_text(DOC.replace("cnc-02", "cnc 02").replace("kind: vibration", "kind: wobble"))
    out = run(db_handle, "assets", "import", str(bad), "--tenant", "whoever")
    assert out.returncode == 2
    problem = json.loads(out.stderr)
    assert problem["code"] == "import_invalid"
    assert [e["line"] for e in problem["errors"]] == [12, 13]
    other = tmp_path / "plant.json"
    other.write_text("{}")
    out = run(db_handle, "assets", "import", str(other), "--tenant", "whoever")
    assert out.returncode == 2
    assert json.loads(out.stderr)["code"] == "bad_request"
