"""Parse and validate a batch of readings, then split it into one bus batch per machine.

Semantics of a batch with some bad rows (documented in docs/ARCHITECTURE.md): by default the valid rows
are accepted and every rejected row is listed with its index and reason; with ``atomic`` a single bad
row rejects the whole batch and nothing is published. Retries are safe: readings are deduplicated on
(tenant, sensor, ts), and a retried request with the same Idempotency-Key reuses the same batch ids.
"""

from __future__ import annotations

import math
import uuid
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import orjson

from mip.identity.service import Principal
from mip.platform.errors import PayloadTooLarge
from mip.platform.ids import uuid7
from mip.platform.timeutil import NS_PER_S, parse_ts
from mip.telemetry.batch import ReadingBatch
from mip.telemetry.directory import TenantSensors
from mip.telemetry.errors import InvalidPayload

BATCH_NAMESPACE = uuid.UUID("6f1c7f1e-3a57-4c59-9a57-8d6cdb0c2f10")


@dataclass(frozen=True, slots=True)
class Rejection:
    index: int
    reason: str
    sensor: str | None = None


@dataclass
class ParsedBatch:
    batches: list[ReadingBatch] = field(default_factory=list)
    rejected: list[Rejection] = field(default_factory=list)
    unknown_refs: int = 0

    @property
    def accepted(self) -> int:
        return sum(len(b) for b in self.batches)


def parse_body(body: bytes, content_type: str, *, max_rows: int) -> list[Any]:
    """JSON (an array, or ``{"readings": [...]}``) or NDJSON (one reading per line) -> list of rows."""
    if not body.strip():
        raise InvalidPayload("request body is empty")
    ctype = content_type.split(";")[0].strip().lower()
    rows: list[Any]
    if ctype in ("application/x-ndjson", "application/ndjson", "application/jsonl"):
        rows = []
        for lineno, line in enumerate(body.splitlines(), start=1):
            if not line.strip():
                continue
            try:
                rows.append(orjson.loads(line))
            except orjson.JSONDecodeError as exc:
                raise InvalidPayload(f"line {lineno}: invalid JSON ({exc.msg})", line=lineno) from None
            if len(rows) > max_rows:
                break
    else:
        try:
            data = orjson.loads(body)
        except orjson.JSONDecodeError as exc:
            raise InvalidPayload(f"invalid JSON at position {exc.pos}: {exc.msg}") from None
        if isinstance(data, dict) and isinstance(data.get("readings"), list):
            rows = data["readings"]
        elif isinstance(data, list):
            rows = data
        else:
            raise InvalidPayload('expected a JSON array of readings or {"readings": [...]}')
    if len(rows) > max_rows:
        raise PayloadTooLarge(f"a batch may hold at most {max_rows} readings", max_rows=max_rows)
    if not rows:
        raise InvalidPayload("the batch holds no readings")
    return rows


def _row_error(
    row: Any, sensors: TenantSensors, principal: Principal, lo_ns: int, hi_ns: int
) -> tuple[str | None, Any, int, float, int]:
    """(reason or None, sensor info, ts ns, value, quality)."""
    if not isinstance(row, dict):
        return "a reading must be a JSON object", None, 0, 0.0, 0
    ref = row.get("sensor")
    if not isinstance(ref, str) or not ref:
        return "'sensor' (id or tag path) is required", None, 0, 0.0, 0
    if "ts" not in row:
        return "'ts' is required", None, 0, 0.0, 0
    try:
        ts = parse_ts(row["ts"])
    except ValueError as exc:
        return str(exc), None, 0, 0.0, 0
    value = row.get("value")
    if isinstance(value, bool) or not isinstance(value, int | float):
        return "'value' must be a number", None, 0, 0.0, 0
    value = float(value)
    if not math.isfinite(value):
        return "'value' must be finite (no NaN or infinity)", None, 0, 0.0, 0
    quality = row.get("quality", 0)
    if isinstance(quality, bool) or not isinstance(quality, int) or not 0 <= quality <= 255:
        return "'quality' must be an integer 0-255 (0 = good)", None, 0, 0.0, 0
    if ts > hi_ns:
        return "timestamp is too far in the future", None, 0, 0.0, 0
    if ts < lo_ns:
        return "timestamp is older than the accepted window", None, 0, 0.0, 0
    info = sensors.resolve(ref)
    if info is None:
        return f"unknown sensor {ref!r}", None, 0, 0.0, 0
    if principal.site_id is not None and info.site_id != principal.site_id:
        return f"sensor {ref!r} is outside this API key's site", None, 0, 0.0, 0
    return None, info, ts, value, quality


def validate(
    rows: list[Any],
    sensors: TenantSensors,
    principal: Principal,
    *,
    received_ns: int,
    max_future_s: float,
    max_age_s: float,
    idempotency_key: str | None = None,
) -> ParsedBatch:
    lo_ns = received_ns - int(max_age_s * NS_PER_S)
    hi_ns = received_ns + int(max_future_s * NS_PER_S)
    out = ParsedBatch()
    per_machine: dict[uuid.UUID, tuple[list[uuid.UUID], list[int], list[int], list[float], list[int]]] = {}
    index_of: dict[uuid.UUID, dict[uuid.UUID, int]] = {}
    for i, row in enumerate(rows):
        reason, info, ts, value, quality = _row_error(row, sensors, principal, lo_ns, hi_ns)
        if reason is not None:
            ref = row.get("sensor") if isinstance(row, dict) else None
            out.rejected.append(Rejection(i, reason, ref if isinstance(ref, str) else None))
            if reason.startswith("unknown sensor"):
                out.unknown_refs += 1
            continue
        cols = per_machine.get(info.machine_id)
        if cols is None:
            cols = per_machine[info.machine_id] = ([], [], [], [], [])
            index_of[info.machine_id] = {}
        idx = index_of[info.machine_id]
        pos = idx.get(info.id)
        if pos is None:
            pos = idx[info.id] = len(cols[0])
            cols[0].append(info.id)
        cols[1].append(pos)
        cols[2].append(ts)
        cols[3].append(value)
        cols[4].append(quality)
    for machine_id, (sensor_ids, sidx, tss, vals, quals) in per_machine.items():
        if idempotency_key:
            batch_id = uuid.uuid5(BATCH_NAMESPACE, f"{principal.tenant_id}:{idempotency_key}:{machine_id}")
        else:
            batch_id = uuid7()
        out.batches.append(
            ReadingBatch(
                tenant_id=principal.tenant_id,
                machine_id=machine_id,
                batch_id=batch_id,
                received_ns=received_ns,
                sensors=tuple(sensor_ids),
                sensor_idx=np.asarray(sidx, dtype=np.uint16),
                ts=np.asarray(tss, dtype=np.int64),
                value=np.asarray(vals, dtype=np.float64),
                quality=np.asarray(quals, dtype=np.int16),
            )
        )
    return out
