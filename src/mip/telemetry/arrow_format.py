"""Arrow IPC stream ingest format (``application/vnd.apache.arrow.stream``): the compact columnar format
for gateways. Columns: ``sensor`` (string, ideally dictionary-encoded: id or tag path), ``ts`` (int64 epoch
ns or timestamp), ``value`` (any numeric), optional ``quality`` (integer 0-255). Nulls are rejected per row,
with the same reasons as JSON."""

from __future__ import annotations

from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from mip.telemetry.errors import InvalidPayload
from mip.telemetry.ingest import Columns, Rejection, check_size

ARROW_TYPE = "application/vnd.apache.arrow.stream"


def _column(table: pa.Table, name: str) -> pa.ChunkedArray:
    if name not in table.column_names:
        raise InvalidPayload(f"Arrow batch has no column {name!r} (needs sensor, ts, value[, quality])")
    return table.column(name)


def _mask(arr: Any) -> np.ndarray[Any, np.dtype[np.bool_]]:
    return np.asarray(arr.to_numpy(zero_copy_only=False), dtype=bool)


def arrow_columns(body: bytes, *, max_rows: int) -> Columns:
    try:
        table = pa.ipc.open_stream(body).read_all()
    except (pa.ArrowInvalid, OSError) as exc:
        raise InvalidPayload(f"not an Arrow IPC stream: {exc}") from None
    check_size(table.num_rows, max_rows)
    sensor, ts, value = _column(table, "sensor"), _column(table, "ts"), _column(table, "value")
    quality = table.column("quality") if "quality" in table.column_names else None
    n = table.num_rows
    try:
        sensor = sensor.cast(pa.string()) if not pa.types.is_dictionary(sensor.type) else sensor
        enc = (
            pc.dictionary_encode(sensor).combine_chunks()
            if not pa.types.is_dictionary(sensor.type)
            else sensor.combine_chunks()
        )
        if pa.types.is_timestamp(ts.type):
            ts = pc.cast(ts, pa.timestamp("ns", tz=ts.type.tz)).cast(pa.int64())
        elif not pa.types.is_integer(ts.type):
            raise InvalidPayload("Arrow column 'ts' must be int64 epoch ns or a timestamp")
        value_f = value.cast(pa.float64())
        quality_i = quality.cast(pa.int64()) if quality is not None else None
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError) as exc:
        raise InvalidPayload(f"Arrow column types not usable: {exc}") from None
    refs: list[str] = enc.dictionary.to_pylist()
    ref_null = _mask(pc.is_null(enc.indices))
    ref_idx = enc.indices.fill_null(0).to_numpy(zero_copy_only=False).astype(np.int64)
    checks = [
        (ref_null, "'sensor' (id or tag path) is required"),
        (_mask(pc.is_null(ts)), "'ts' is required"),
        (_mask(pc.is_null(value_f)), "'value' must be a number"),
    ]
    if quality_i is not None:
        checks.append((_mask(pc.is_null(quality_i)), "'quality' must be an integer 0-255 (0 = good)"))
    rejected: dict[int, Rejection] = {}
    bad = np.zeros(n, dtype=bool)
    for mask, reason in checks:
        for i in np.flatnonzero(mask & ~bad).tolist():
            rejected[i] = Rejection(i, reason, None if ref_null[i] else refs[int(ref_idx[i])])
        bad |= mask
    ref_idx[bad] = -1
    ts_np = ts.fill_null(0).to_numpy().astype(np.int64, copy=False)
    value_np = value_f.fill_null(0.0).to_numpy().astype(np.float64, copy=False)
    q = np.zeros(n, dtype=np.int64) if quality_i is None else quality_i.fill_null(0).to_numpy()
    q16 = np.where((q < 0) | (q > 255), -1, q).astype(np.int16)
    return Columns(refs, ref_idx, ts_np, value_np, q16, rejected)


def encode_arrow(sensors: list[str], ts: Any, value: Any, quality: Any | None = None) -> bytes:
    """Build an Arrow IPC stream body (for gateways, the simulator and tests)."""
    cols = {
        "sensor": pa.array(sensors).dictionary_encode(),
        "ts": pa.array(ts, type=pa.int64()),
        "value": pa.array(value, type=pa.float64()),
    }
    if quality is not None:
        cols["quality"] = pa.array(quality, type=pa.uint8())
    table = pa.table(cols)
    sink = pa.BufferOutputStream()
    with pa.ipc.new_stream(sink, table.schema) as writer:
        writer.write_table(table)
    return bytes(sink.getvalue().to_pybytes())
