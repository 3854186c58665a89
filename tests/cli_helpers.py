"""Run the `mip` CLI as a subprocess against the test database (DATABASE_URL = the owner URL)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from typing import Any

from mip.platform.database_setup import DatabaseHandle


def run(handle: DatabaseHandle, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "DATABASE_URL": handle.owner_url, "MIP_LOG_LEVEL": "WARNING"}
    return subprocess.run(
        [sys.executable, "-m", "mip.cli.main", *args], capture_output=True, text=True, timeout=120, env=env
    )


def ok(handle: DatabaseHandle, *args: str) -> Any:
    out = run(handle, *args)
    assert out.returncode == 0, out.stderr
    return json.loads(out.stdout)
