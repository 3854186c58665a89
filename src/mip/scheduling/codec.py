"""JSON form of problems and schedules (for the CLI, the API and persistence).

Problem JSON::

    {"name": "...", "horizon_start": "2025-01-06T06:00:00+00:00" | null,
     "machines": [{"id": "M1", "name": "", "work_center": "", "unavailable": [{"start": 0, "end": 60, "reason": ""}]}],
     "jobs": [{"id": "J1", "release": 0, "due": 480, "weight": 1, "priority": 0, "name": ""}],
     "operations": [{"id": "J1-10", "job": "J1", "name": "",
                     "modes": [{"machine": "M1", "duration": 30, "setup": 5}],
                     "predecessors": [{"op": "J1-00", "min_lag": 0}]}],
     "existing": [{"op": "J1-10", "machine": "M1", "start": 0, "end": 35}] | null,
     "frozen_until": null}
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from mip.scheduling.model import (
    Assignment,
    BadInstance,
    Job,
    Machine,
    Mode,
    Operation,
    Predecessor,
    Problem,
    Schedule,
    Window,
)


def _int(obj: dict[str, Any], key: str, where: str, default: int | None = None) -> int:
    v = obj.get(key, default)
    if v is None or isinstance(v, bool) or not isinstance(v, int):
        raise BadInstance(f"{where}: {key!r} must be an integer")
    return v


def _str(obj: dict[str, Any], key: str, where: str, default: str | None = None) -> str:
    v = obj.get(key, default)
    if not isinstance(v, str) or (default is None and not v):
        raise BadInstance(f"{where}: {key!r} must be a non-empty string")
    return v


def _list(obj: dict[str, Any], key: str, where: str) -> list[Any]:
    v = obj.get(key, [])
    if not isinstance(v, list):
        raise BadInstance(f"{where}: {key!r} must be a list")
    return v


def _dict(v: Any, where: str) -> dict[str, Any]:
    if not isinstance(v, dict):
        raise BadInstance(f"{where} must be an object")
    return v


def schedule_to_list(s: Schedule) -> list[dict[str, Any]]:
    return [{"op": a.op, "machine": a.machine, "start": a.start, "end": a.end} for a in s.assignments]


def schedule_from_list(items: Any, where: str = "existing") -> Schedule:
    if not isinstance(items, list):
        raise BadInstance(f"{where} must be a list of assignments")
    out = []
    for i, raw in enumerate(items):
        w = f"{where}[{i}]"
        a = _dict(raw, w)
        out.append(Assignment(_str(a, "op", w), _str(a, "machine", w), _int(a, "start", w), _int(a, "end", w)))
    return Schedule(tuple(out))


def problem_to_dict(p: Problem) -> dict[str, Any]:
    return {
        "name": p.name,
        "horizon_start": p.horizon_start.isoformat() if p.horizon_start else None,
        "machines": [
            {
                "id": m.id,
                "name": m.name,
                "work_center": m.work_center,
                "unavailable": [{"start": w.start, "end": w.end, "reason": w.reason} for w in m.unavailable],
            }
            for m in p.machines
        ],
        "jobs": [
            {"id": j.id, "release": j.release, "due": j.due, "weight": j.weight, "priority": j.priority, "name": j.name}
            for j in p.jobs
        ],
        "operations": [
            {
                "id": o.id,
                "job": o.job,
                "name": o.name,
                "modes": [{"machine": m.machine, "duration": m.duration, "setup": m.setup} for m in o.modes],
                "predecessors": [{"op": q.op, "min_lag": q.min_lag} for q in o.predecessors],
            }
            for o in p.operations
        ],
        "existing": schedule_to_list(p.existing) if p.existing else None,
        "frozen_until": p.frozen_until,
    }


def _horizon(v: Any) -> datetime | None:
    if v is None:
        return None
    if isinstance(v, datetime):
        dt = v
    else:
        try:
            dt = datetime.fromisoformat(str(v))
        except ValueError:
            raise BadInstance(f"horizon_start {v!r} is not an ISO 8601 datetime") from None
    if dt.tzinfo is None:
        raise BadInstance("horizon_start must carry a timezone offset")
    return dt


def problem_from_dict(data: Any) -> Problem:
    """Parse and validate a problem JSON object (raises BadInstance with the failing path)."""
    d = _dict(data, "problem")
    machines = []
    for i, raw in enumerate(_list(d, "machines", "problem")):
        w = f"machines[{i}]"
        m = _dict(raw, w)
        wins = []
        for k, rw in enumerate(_list(m, "unavailable", w)):
            ww = f"{w}.unavailable[{k}]"
            x = _dict(rw, ww)
            wins.append(Window(_int(x, "start", ww), _int(x, "end", ww), _str(x, "reason", ww, "")))
        machines.append(Machine(_str(m, "id", w), _str(m, "name", w, ""), _str(m, "work_center", w, ""), tuple(wins)))
    jobs = []
    for i, raw in enumerate(_list(d, "jobs", "problem")):
        w = f"jobs[{i}]"
        j = _dict(raw, w)
        due = None if j.get("due") is None else _int(j, "due", w)
        jobs.append(
            Job(
                _str(j, "id", w),
                _int(j, "release", w, 0),
                due,
                _int(j, "weight", w, 1),
                _int(j, "priority", w, 0),
                _str(j, "name", w, ""),
            )
        )
    ops = []
    for i, raw in enumerate(_list(d, "operations", "problem")):
        w = f"operations[{i}]"
        o = _dict(raw, w)
        modes = []
        for k, rm in enumerate(_list(o, "modes", w)):
            mw = f"{w}.modes[{k}]"
            x = _dict(rm, mw)
            modes.append(Mode(_str(x, "machine", mw), _int(x, "duration", mw), _int(x, "setup", mw, 0)))
        preds = []
        for k, rp in enumerate(_list(o, "predecessors", w)):
            pw = f"{w}.predecessors[{k}]"
            x = _dict(rp, pw)
            preds.append(Predecessor(_str(x, "op", pw), _int(x, "min_lag", pw, 0)))
        ops.append(Operation(_str(o, "id", w), _str(o, "job", w), tuple(modes), tuple(preds), _str(o, "name", w, "")))
    existing = None if d.get("existing") is None else schedule_from_list(d["existing"])
    frozen = None if d.get("frozen_until") is None else _int(d, "frozen_until", "problem")
    name = d.get("name") or ""
    if not isinstance(name, str):
        raise BadInstance("problem: 'name' must be a string")
    problem = Problem(
        tuple(machines), tuple(jobs), tuple(ops), _horizon(d.get("horizon_start")), name, existing, frozen
    )
    return problem.validate()
