"""The bus message for readings: one tenant, one machine, columnar arrays, a batch id for idempotency.

Wire format (little endian): b"MIPB" + u8 version + u32 header length + JSON header + the arrays
``sensor_idx`` (u16), ``ts`` (i64 epoch ns), ``value`` (f64), ``quality`` (i16), each ``n`` long.
"""

from __future__ import annotations

import struct
import uuid
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
import orjson

from mip.platform.errors import BadRequest

MAGIC = b"MIPB"
VERSION = 1
_HEAD = struct.Struct("<4sBI")


class BatchDecodeError(BadRequest):
    code = "batch_decode_error"


@dataclass(frozen=True, slots=True)
class ReadingBatch:
    tenant_id: uuid.UUID
    machine_id: uuid.UUID
    batch_id: uuid.UUID
    received_ns: int
    sensors: tuple[uuid.UUID, ...]
    sensor_idx: npt.NDArray[np.uint16]
    ts: npt.NDArray[np.int64]
    value: npt.NDArray[np.float64]
    quality: npt.NDArray[np.int16]

    def __len__(self) -> int:
        return int(self.ts.shape[0])

    @property
    def key(self) -> bytes:
        """Kafka key: keeps one machine's readings in order on one partition."""
        return f"{self.tenant_id}:{self.machine_id}".encode()

    def sensor_ids(self) -> list[uuid.UUID]:
        return [self.sensors[i] for i in self.sensor_idx.tolist()]

    def encode(self) -> bytes:
        header = orjson.dumps(
            {
                "tenant": str(self.tenant_id),
                "machine": str(self.machine_id),
                "batch": str(self.batch_id),
                "received_ns": self.received_ns,
                "sensors": [str(s) for s in self.sensors],
                "n": len(self),
            }
        )
        return b"".join(
            (
                _HEAD.pack(MAGIC, VERSION, len(header)),
                header,
                self.sensor_idx.astype("<u2", copy=False).tobytes(),
                self.ts.astype("<i8", copy=False).tobytes(),
                self.value.astype("<f8", copy=False).tobytes(),
                self.quality.astype("<i2", copy=False).tobytes(),
            )
        )

    @classmethod
    def decode(cls, data: bytes) -> ReadingBatch:
        try:
            magic, version, hlen = _HEAD.unpack_from(data, 0)
            if magic != MAGIC or version != VERSION:
                raise BatchDecodeError("not a MIP reading batch")
            off = _HEAD.size
            h = orjson.loads(data[off : off + hlen])
            off += hlen
            n = int(h["n"])
            parts = []
            for dtype, size in (("<u2", 2), ("<i8", 8), ("<f8", 8), ("<i2", 2)):
                parts.append(np.frombuffer(data, dtype=dtype, count=n, offset=off))
                off += n * size
            if off != len(data):
                raise BatchDecodeError("reading batch has trailing bytes")
            return cls(
                tenant_id=uuid.UUID(h["tenant"]),
                machine_id=uuid.UUID(h["machine"]),
                batch_id=uuid.UUID(h["batch"]),
                received_ns=int(h["received_ns"]),
                sensors=tuple(uuid.UUID(s) for s in h["sensors"]),
                sensor_idx=parts[0].astype(np.uint16),
                ts=parts[1].astype(np.int64),
                value=parts[2].astype(np.float64),
                quality=parts[3].astype(np.int16),
            )
        except (struct.error, ValueError, KeyError, TypeError, orjson.JSONDecodeError) as exc:
            raise BatchDecodeError(f"corrupt reading batch: {exc}") from None


def merge_batches(batches: list[ReadingBatch]) -> ReadingBatch:
    """One tenant's batches as one (for a single COPY); machine and batch id are the first batch's."""
    if len(batches) == 1:
        return batches[0]
    first = batches[0]
    pos: dict[uuid.UUID, int] = {}
    idx_parts = []
    for b in batches:
        assert b.tenant_id == first.tenant_id, "merge_batches needs one tenant"
        remap = np.array([pos.setdefault(s, len(pos)) for s in b.sensors], dtype=np.uint16)
        idx_parts.append(remap[b.sensor_idx])
    return ReadingBatch(
        tenant_id=first.tenant_id,
        machine_id=first.machine_id,
        batch_id=first.batch_id,
        received_ns=min(b.received_ns for b in batches),
        sensors=tuple(pos),
        sensor_idx=np.concatenate(idx_parts),
        ts=np.concatenate([b.ts for b in batches]),
        value=np.concatenate([b.value for b in batches]),
        quality=np.concatenate([b.quality for b in batches]),
    )
