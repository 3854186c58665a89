"""CPU seconds used by the processes of the stack under test (server processes, PostgreSQL, broker),
excluding the load generator and the benchmark itself."""

from __future__ import annotations

import contextlib
from pathlib import Path

import psutil


def _tree_seconds(pid: int) -> float:
    """user+system of a process, its reaped children, and its live descendants."""
    total = 0.0
    with contextlib.suppress(psutil.Error):
        root = psutil.Process(pid)
        procs = [root, *root.children(recursive=True)]
        for p in procs:
            with contextlib.suppress(psutil.Error):
                t = p.cpu_times()
                total += t.user + t.system + t.children_user + t.children_system
    return total


def postmaster_pid(pgdata: Path) -> int | None:
    with contextlib.suppress(OSError, ValueError, IndexError):
        return int((pgdata / "postmaster.pid").read_text().splitlines()[0])
    return None


def stack_cpu_seconds(pids: list[int], pgdata: Path | None = None) -> float:
    return sum(cpu_breakdown({"processes": pids}, pgdata).values())


def cpu_breakdown(groups: dict[str, list[int]], pgdata: Path | None = None) -> dict[str, float]:
    """CPU seconds per named group of process trees, plus ``postgres`` (the postmaster's tree)."""
    out = {name: sum(_tree_seconds(p) for p in pids) for name, pids in groups.items()}
    if pgdata is not None and (pm := postmaster_pid(pgdata)) is not None:
        out["postgres"] = _tree_seconds(pm)
    return out
