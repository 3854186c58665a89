"""Parse and validate a batch of readings, then split it into one bus batch per machine.

Every format (JSON array, ``{"readings": [...]}``, NDJSON, Arrow IPC) is first turned into
:class:`Columns`; the checks that need the tenant's sensors (known sensor, API key's site, timestamp window,
finite value) then run vectorised on those columns, the same for every format.

Semantics of a batch with some bad rows (documented in docs/ARCHITECTURE.md): by default the valid rows
are accepted and every rejected row is listed with its index and reason; with ``atomic`` a single bad
row rejects the whole batch and nothing is published. Retries are safe: readings are deduplicated on
(tenant, sensor, ts), and a retried request with the same Idempotency-Key reuses the same batch ids.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import numpy.typing as npt
import orjson

from mip.identity.service import Principal
from mip.platform.errors import PayloadTooLarge
from mip.platform.ids import uuid7
from mip.platform.timeutil import NS_PER_S, parse_ts
from mip.telemetry.batch import ReadingBatch
from mip.telemetry.directory import TenantSensors
from mip.telemetry.errors import InvalidPayload

BATCH_NAMESPACE = uuid.UUID("6f1c7f1e-3a57-4c59-9a57-8d6cdb0c2f10")
NDJSON_TYPES = ("application/x-ndjson", "application/ndjson", "application/jsonl")


@dataclass(frozen=True, slots=True)
class Rejection:
    index: int
    reason: str
    sensor: str | None = None


@dataclass
class Columns:
    """A batch as columns. ``ref_idx`` indexes ``refs`` (the distinct sensor references); rows already
    rejected while decoding are in ``rejected`` and have ``ref_idx == -1``."""

    refs: list[str]
    ref_idx: npt.NDArray[np.int64]
    ts: npt.NDArray[np.int64]
    value: npt.NDArray[np.float64]
    quality: npt.NDArray[np.int16]
    rejected: dict[int, Rejection] = field(default_factory=dict)

    def __len__(self) -> int:
        return int(self.ts.shape[0])


@dataclass
class ParsedBatch:
    batches: list[ReadingBatch] = field(default_factory=list)
    rejected: list[Rejection] = field(default_factory=list)
    unknown_refs: int = 0

    @property
    def accepted(self) -> int:
        return sum(len(b) for b in self.batches)


def parse_json(body: bytes, content_type: str, *, max_rows: int) -> list[Any]:
    """JSON (an array, or ``{"readings": [...]}``) or NDJSON (one reading per line) -> list of rows."""
    if not body.strip():
        raise InvalidPayload("request body is empty")
    rows: list[Any]
    if content_type in NDJSON_TYPES:
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
    check_size(len(rows), max_rows)
    return rows


def check_size(n: int, max_rows: int) -> None:
    if n > max_rows:
        raise PayloadTooLarge(f"a batch may hold at most {max_rows} readings", max_rows=max_rows)
    if n == 0:
        raise InvalidPayload("the batch holds no readings")


def _row_error(row: Any) -> tuple[str | None, str, int, float, int]:
    """Structural checks of one JSON row: (reason or None, sensor ref, ts ns, value, quality)."""
    if not isinstance(row, dict):
        return "a reading must be a JSON object", "", 0, 0.0, 0
    ref = row.get("sensor")
    if not isinstance(ref, str) or not ref:
        return "'sensor' (id or tag path) is required", "", 0, 0.0, 0
    if "ts" not in row:
        return "'ts' is required", ref, 0, 0.0, 0
    try:
        ts = parse_ts(row["ts"])
    except ValueError as exc:
        return str(exc), ref, 0, 0.0, 0
    value = row.get("value")
    if isinstance(value, bool) or not isinstance(value, int | float):
        return "'value' must be a number", ref, 0, 0.0, 0
    quality = row.get("quality", 0)
    if isinstance(quality, bool) or not isinstance(quality, int) or not 0 <= quality <= 255:
        return "'quality' must be an integer 0-255 (0 = good)", ref, 0, 0.0, 0
    return None, ref, ts, float(value), quality


def json_columns(rows: list[Any]) -> Columns:
    n = len(rows)
    ref_pos: dict[str, int] = {}
    ref_idx = np.full(n, -1, dtype=np.int64)
    ts = np.zeros(n, dtype=np.int64)
    value = np.zeros(n, dtype=np.float64)
    quality = np.zeros(n, dtype=np.int16)
    rejected: dict[int, Rejection] = {}
    for i, row in enumerate(rows):
        reason, ref, t, v, q = _row_error(row)
        if reason is not None:
            rejected[i] = Rejection(i, reason, ref or None)
            continue
        pos = ref_pos.get(ref)
        if pos is None:
            pos = ref_pos[ref] = len(ref_pos)
        ref_idx[i] = pos
        ts[i] = t
        value[i] = v
        quality[i] = q
    return Columns(list(ref_pos), ref_idx, ts, value, quality, rejected)


_REASONS = (
    "'value' must be finite (no NaN or infinity)",
    "'quality' must be an integer 0-255 (0 = good)",
    "timestamp is too far in the future",
    "timestamp is older than the accepted window",
)


def validate(
    cols: Columns,
    sensors: TenantSensors,
    principal: Principal,
    *,
    received_ns: int,
    max_future_s: float,
    max_age_s: float,
    idempotency_key: str | None = None,
) -> ParsedBatch:
    """The tenant-dependent checks, vectorised; then one ReadingBatch per machine."""
    out = ParsedBatch()
    n = len(cols)
    lo_ns = received_ns - int(max_age_s * NS_PER_S)
    hi_ns = received_ns + int(max_future_s * NS_PER_S)
    infos = [sensors.resolve(r) for r in cols.refs]
    # per distinct reference: 0 ok, 1 unknown, 2 outside the key's site
    ref_state = np.array(
        [
            1 if i is None else 2 if principal.site_id is not None and i.site_id != principal.site_id else 0
            for i in infos
        ]
        or [0],
        dtype=np.int8,
    )
    has_ref = cols.ref_idx >= 0
    safe_idx = np.where(has_ref, cols.ref_idx, 0)
    code = np.full(n, -1, dtype=np.int8)  # -1 accepted; 0..3 _REASONS; 10 unknown; 11 site; 99 decode
    code[~has_ref] = 99
    checks = (~np.isfinite(cols.value), (cols.quality < 0) | (cols.quality > 255), cols.ts > hi_ns, cols.ts < lo_ns)
    for k, bad in enumerate(checks):
        code[(code == -1) & bad] = k
    state = ref_state[safe_idx]
    code[(code == -1) & (state == 1)] = 10
    code[(code == -1) & (state == 2)] = 11
    for i in np.flatnonzero(code >= 0).tolist():
        c = int(code[i])
        if c == 99:
            out.rejected.append(cols.rejected[i])
            continue
        ref = cols.refs[int(cols.ref_idx[i])]
        if c == 10:
            out.unknown_refs += 1
            reason = f"unknown sensor {ref!r}"
        elif c == 11:
            reason = f"sensor {ref!r} is outside this API key's site"
        else:
            reason = _REASONS[c]
        out.rejected.append(Rejection(i, reason, ref))
    good = code == -1
    if good.any():
        out.batches = _split_by_machine(cols, infos, good, principal, received_ns, idempotency_key)
    return out


def _split_by_machine(
    cols: Columns,
    infos: list[Any],
    good: npt.NDArray[np.bool_],
    principal: Principal,
    received_ns: int,
    idempotency_key: str | None,
) -> list[ReadingBatch]:
    ref_idx = cols.ref_idx[good]
    machines = sorted({infos[r].machine_id for r in np.unique(ref_idx).tolist()})
    machine_pos = {m: k for k, m in enumerate(machines)}
    ref_machine = np.array([machine_pos.get(i.machine_id, -1) if i else -1 for i in infos], dtype=np.int64)
    row_machine = ref_machine[ref_idx]
    ts, value, quality = cols.ts[good], cols.value[good], cols.quality[good]
    batches: list[ReadingBatch] = []
    for k, machine_id in enumerate(machines):
        sel = row_machine == k
        refs_here, local = np.unique(ref_idx[sel], return_inverse=True)
        # two references (id and tag path) may name the same sensor: map to distinct sensor ids
        sensor_ids = [infos[r].id for r in refs_here.tolist()]
        uniq: dict[uuid.UUID, int] = {}
        remap = np.array([uniq.setdefault(s, len(uniq)) for s in sensor_ids], dtype=np.uint16)
        if idempotency_key:
            batch_id = uuid.uuid5(BATCH_NAMESPACE, f"{principal.tenant_id}:{idempotency_key}:{machine_id}")
        else:
            batch_id = uuid7()
        batches.append(
            ReadingBatch(
                tenant_id=principal.tenant_id,
                machine_id=machine_id,
                batch_id=batch_id,
                received_ns=received_ns,
                sensors=tuple(uniq),
                sensor_idx=remap[local],
                ts=ts[sel],
                value=value[sel],
                quality=quality[sel],
            )
        )
    return batches
