"""``mip bench ingest``: decode + validate + split + encode cost of one request body, per wire format,
in-process (no HTTP, no database): what the ingest role spends per reading before the bus."""

from __future__ import annotations

import time
import uuid
from typing import Any

import numpy as np
import orjson

from mip.identity.permissions import Role
from mip.identity.service import Principal
from mip.sim.plant import build_plant
from mip.sim.signals import PlantSignals
from mip.telemetry.arrow_format import arrow_columns, encode_arrow
from mip.telemetry.directory import SensorInfo, TenantSensors
from mip.telemetry.ingest import json_columns, parse_json, validate


def _directory(paths: list[str]) -> TenantSensors:
    sensors = TenantSensors()
    for path in paths:
        machine = uuid.uuid5(uuid.NAMESPACE_URL, path.rsplit("/", 1)[0])
        info = SensorInfo(
            uuid.uuid5(uuid.NAMESPACE_URL, path), path, path.rsplit("/", 1)[1], "", machine, None, None, None, False
        )
        sensors.by_id[info.id] = info
        sensors.by_path[path] = info
    return sensors


def run_ingest_bench(rows: int = 10_000, repeat: int = 20, seed: int = 7) -> dict[str, Any]:
    plant = build_plant(seed)
    signals = PlantSignals(plant, start_ns=time.time_ns(), seed=seed)
    paths = signals.paths
    steps = max(1, rows // len(paths))
    ts0 = time.time_ns()
    gen = signals.generate(ts0 + np.arange(steps, dtype=np.int64) * 100_000_000)
    ts = np.repeat(gen.ts, len(paths))
    values = np.round(gen.values, 4).ravel()
    sensors = paths * steps
    bodies = {
        "json": orjson.dumps(
            [{"sensor": s, "ts": int(t), "value": float(v)} for s, t, v in zip(sensors, ts, values, strict=True)]
        ),
        "arrow": encode_arrow(sensors, ts, values),
    }
    directory = _directory(paths)
    principal = Principal(uuid.uuid4(), Role.DEVICE)
    out: dict[str, Any] = {"benchmark": "ingest", "rows_per_body": len(sensors), "repeat": repeat, "formats": {}}
    for fmt, body in bodies.items():
        start = time.process_time()
        for _ in range(repeat):
            cols = (
                arrow_columns(body, max_rows=10**7)
                if fmt == "arrow"
                else json_columns(parse_json(body, "application/json", max_rows=10**7))
            )
            parsed = validate(cols, directory, principal, received_ns=ts0, max_future_s=3600, max_age_s=3600)
            for batch in parsed.batches:
                batch.encode()
        cpu = time.process_time() - start
        out["formats"][fmt] = {
            "body_bytes": len(body),
            "bytes_per_reading": round(len(body) / len(sensors), 2),
            "readings_per_cpu_second": round(len(sensors) * repeat / cpu),
            "accepted": parsed.accepted,
        }
    return out
