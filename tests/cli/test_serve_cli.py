"""`mip serve` refuses option combinations that cannot work, with a problem JSON and exit 2."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path


def test_given_memory_bus_when_serving_a_lone_role_then_configuration_error(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("MIP_") and k != "DATABASE_URL"}
    out = subprocess.run(
        [sys.executable, "-m", "mip.cli.main", "serve", "--role", "stream", "--data-dir", str(tmp_path)],
        capture_output=True,
        text=True,
        timeout=60,
        env={**env, "MIP_BUS": "memory"},
    )
    assert out.returncode == 2
    problem = json.loads(out.stderr.strip().splitlines()[-1])
    assert problem["code"] == "configuration_error"
    assert "MIP_BUS=kafka" in problem["detail"]
