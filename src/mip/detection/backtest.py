"""Backtests: replay a CSV of one machine's readings, in time order and in stream-sized batches, through the
same ``Engine`` the stream workers run, and report which alarms would have been raised and cleared, when.

The CSV is one machine; each sensor gets a ``SensorInfo`` from its column name (kind from ``kinds``, sample
rate from its median interval). Rules with a machine or machine-class target are applied to this machine.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any

import numpy as np

from mip.detection.engine import Activity, Engine, SensorInfo, Transition
from mip.detection.sources import Readings, UnknownSensor
from mip.detection.spec import Combined, RuleSpec
from mip.telemetry.batch import ReadingBatch

NS = 1_000_000_000
MACHINE = uuid.uuid5(uuid.NAMESPACE_URL, "mip:backtest:machine")
TENANT = uuid.uuid5(uuid.NAMESPACE_URL, "mip:backtest:tenant")


def iso(ns: int) -> str:
    s, rem = divmod(ns, NS)
    return datetime.fromtimestamp(s, UTC).replace(microsecond=rem // 1000).isoformat().replace("+00:00", "Z")


def sensor_infos(readings: Readings, kinds: dict[str, str], machine: str = "machine") -> list[SensorInfo]:
    out = []
    for k, name in enumerate(readings.names):
        ts = np.sort(readings.ts[readings.sensor == k])
        gaps = np.diff(ts)
        gaps = gaps[gaps > 0]
        rate = NS / float(np.median(gaps)) if gaps.shape[0] else 1.0
        out.append(
            SensorInfo(
                id=uuid.uuid5(MACHINE, name),
                machine_id=MACHINE,
                name=name,
                kind=kinds.get(name, ""),
                path=f"{machine}/{name}",
                machine_class=None,
                sample_rate_hz=rate,
            )
        )
    return out


def check_rules(rules: list[RuleSpec], sensors: list[SensorInfo]) -> list[dict[str, Any]]:
    """Problems that would make a rule watch nothing in this backtest: unknown sensor names or kinds."""
    names = {s.name for s in sensors}
    kinds = {s.kind for s in sensors if s.kind}
    errors: list[dict[str, Any]] = []

    def err(i: int, loc: list[Any], msg: str) -> None:
        errors.append({"rule": rules[i].name, "loc": [i, *loc], "msg": msg})

    for i, r in enumerate(rules):
        sc = r.scope
        if isinstance(r.condition, Combined):
            for k, t in enumerate(r.condition.all_of):
                if t.sensor_name not in names:
                    err(i, ["condition", "all_of", k, "sensor_name"], f"no sensor named {t.sensor_name!r} in the input")
        elif sc.sensor_id is not None:
            err(i, ["scope", "sensor_id"], "a backtest input has sensor names, not ids: scope the rule by sensor_name")
        elif sc.sensor_name is not None and sc.sensor_name not in names:
            err(i, ["scope", "sensor_name"], f"no sensor named {sc.sensor_name!r} in the input")
        elif sc.sensor_name is None and sc.sensor_kind is not None and sc.sensor_kind not in kinds:
            err(
                i, ["scope", "sensor_kind"], f"no sensor of kind {sc.sensor_kind!r} (give kinds with --kinds name=kind)"
            )
    return errors


def for_this_machine(rule: RuleSpec) -> RuleSpec:
    sc = rule.scope
    if sc.machine_id is None and sc.machine_class is None:
        return rule
    return rule.model_copy(update={"scope": sc.model_copy(update={"machine_id": None, "machine_class": None})})


class Report:
    """Alarms assembled from the engine's transitions and activity, batch by batch."""

    def __init__(self, rules: list[RuleSpec], sensors: list[SensorInfo]) -> None:
        self.rules = {r.id: r for r in rules}
        self.names = {s.id: s.name for s in sensors}
        self.alarms: list[dict[str, Any]] = []
        self.transitions: list[dict[str, Any]] = []
        self.open: dict[tuple[uuid.UUID, uuid.UUID | None], dict[str, Any]] = {}
        self.by_key: dict[tuple[uuid.UUID, uuid.UUID | None], list[dict[str, Any]]] = {}
        self.scores: dict[int, float] = {}

    def transition(self, t: Transition) -> None:
        sensor = self.names.get(t.sensor_id) if t.sensor_id else None
        self.transitions.append(
            {
                "kind": t.kind,
                "rule": t.rule_name,
                "rule_id": str(t.rule_id),
                "sensor": sensor,
                "ts": iso(t.ts),
                "value": t.value,
                "details": t.details,
            }
        )
        key = (t.rule_id, t.sensor_id)
        alarm: dict[str, Any] | None
        if t.kind == "raise":
            alarm = {
                "rule": t.rule_name,
                "rule_id": str(t.rule_id),
                "sensor": sensor,
                "raised_at": iso(t.ts),
                "cleared_at": None,
                "peak": t.value,
                "count": 0,
                "severity": t.severity,
                "safety": t.safety,
                "message": t.message,
                "_raised_ns": t.ts,
            }
            self.alarms.append(alarm)
            self.open[key] = alarm
            self.by_key.setdefault(key, []).append(alarm)
        else:
            alarm = self.open.pop(key, None)
            if alarm is not None:
                alarm["cleared_at"] = iso(t.ts)

    def activity(self, a: Activity) -> None:
        candidates = [x for x in self.by_key.get((a.rule_id, a.sensor_id), []) if x["_raised_ns"] <= a.first_ts]
        if not candidates:
            return
        alarm = candidates[-1]
        alarm["count"] += a.count
        best = self.scores.get(id(alarm))
        if best is None or a.peak_score > best:
            self.scores[id(alarm)] = a.peak_score
            alarm["peak"] = a.peak_value

    def result(self, n_rules: int, n_readings: int) -> dict[str, Any]:
        alarms = [{k: v for k, v in a.items() if not k.startswith("_")} for a in self.alarms]
        return {"rules": n_rules, "readings": n_readings, "alarms": alarms, "transitions": self.transitions}


def run_backtest(
    rules: list[RuleSpec],
    readings: Readings,
    kinds: dict[str, str] | None = None,
    batch_rows: int = 1000,
    machine: str = "machine",
) -> dict[str, Any]:
    """Replay ``readings`` (time order; ties keep file order) through a fresh Engine in batches of
    ``batch_rows``; alarms with raise/clear times, reading counts and peaks, and every transition."""
    sensors = sensor_infos(readings, kinds or {}, machine)
    errors = check_rules(rules, sensors)
    if errors:
        raise UnknownSensor(f"{len(errors)} rule reference(s) match no sensor of the input", errors=errors)
    active = [for_this_machine(r) for r in rules]
    engine = Engine(active, sensors)
    report = Report(active, sensors)
    order = np.argsort(readings.ts, kind="stable")
    ids = tuple(s.id for s in sensors)
    idx = readings.sensor[order].astype(np.uint16)
    ts = readings.ts[order]
    val = readings.value[order]
    n = int(ts.shape[0])
    for a in range(0, n, max(1, batch_rows)):
        b = min(n, a + batch_rows)
        batch = ReadingBatch(
            TENANT, MACHINE, uuid.uuid4(), int(ts[b - 1]), ids, idx[a:b], ts[a:b], val[a:b], np.zeros(b - a, np.int16)
        )
        res = engine.process(batch)
        for t in res.transitions:
            report.transition(t)
        for act in res.activity:
            report.activity(act)
    return report.result(len(rules), n)


def render_text(result: dict[str, Any]) -> str:
    lines = [f"{result['rules']} rule(s), {result['readings']} reading(s), {len(result['alarms'])} alarm(s)"]
    if result["alarms"]:
        head = ("raised_at", "cleared_at", "severity", "rule", "sensor", "count", "peak")
        rows = [
            (
                a["raised_at"],
                a["cleared_at"] or "(active)",
                a["severity"] + (" SAFETY" if a["safety"] else ""),
                a["rule"],
                a["sensor"] or "(machine)",
                str(a["count"]),
                "" if a["peak"] is None else f"{a['peak']:.6g}",
            )
            for a in result["alarms"]
        ]
        widths = [max(len(h), *(len(r[i]) for r in rows)) for i, h in enumerate(head)]
        lines.append("  ".join(h.ljust(w) for h, w in zip(head, widths, strict=True)))
        lines += ["  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)) for r in rows]
    return "\n".join(lines)
