"""Lossless, vectorised compression of one sensor's readings (numpy + zstandard, no per-reading Python).

Timestamps (int64 epoch ns, strictly increasing): delta-of-delta, zigzag, the smallest sufficient integer
width, byte-shuffled, zstd. A regular 1 Hz series costs a few bytes per chunk.

Values (float64), bit-exact:

* **decimal**: the smallest scale ``k`` in 0..6 such that ``round(v * 10**k) / 10**k`` reproduces every
  value bit for bit (``-0.0``, non-finite and huge values never qualify). The integers are stored as
  first-order deltas, zigzag, smallest width, byte-shuffled, zstd. Decoding is ``ints / 10**k`` - the same
  IEEE operation the check used - so the round trip is exact.
* **xor** (fallback): XOR of consecutive float64 bit patterns, byte-shuffled, zstd.

Quality codes (int16) are stored only when some reading has a non-zero code.

Every blob starts with a small header (version, codec, width, scale, count, first value), so a blob
decodes on its own; all integer arithmetic wraps modulo 2**64 identically in both directions.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
import zstandard

VERSION = 1
ZSTD_LEVEL = 9
MAX_SCALE = 6
TS_DOD = 0
VAL_DECIMAL = 0
VAL_XOR = 1

_TS_HEAD = struct.Struct("<BBBxIqq")  # version, codec, width, n, first ts, first delta
_VAL_HEAD = struct.Struct("<BBBbIq")  # version, codec, width, scale, n, first integer (decimal codec)
_Q_HEAD = struct.Struct("<BBBxI")  # version, codec (0), width, n
_EXACT_INT = float(2**53)

I64 = npt.NDArray[np.int64]
U64 = npt.NDArray[np.uint64]
F64 = npt.NDArray[np.float64]
I16 = npt.NDArray[np.int16]


class CodecError(ValueError):
    """A blob is corrupt or of an unknown version."""


def zigzag(x: I64) -> U64:
    out: U64 = ((x << 1) ^ (x >> 63)).view(np.uint64)
    return out


def unzigzag(u: U64) -> I64:
    out: I64 = ((u >> np.uint64(1)) ^ (np.uint64(0) - (u & np.uint64(1)))).view(np.int64)
    return out


def _width(u: U64) -> int:
    top = int(u.max()) if u.size else 0
    for w in (1, 2, 4):
        if top < 1 << (8 * w):
            return w
    return 8


def _pack(u: U64, width: int) -> bytes:
    """Narrow to ``width`` bytes, byte-shuffle (all first bytes, then all second bytes, ...), zstd."""
    planes = u.astype(f"<u{width}").view(np.uint8).reshape(-1, width).T
    return zstandard.ZstdCompressor(level=ZSTD_LEVEL).compress(np.ascontiguousarray(planes).tobytes())


def _unpack(payload: bytes, n: int, width: int) -> U64:
    if width not in (1, 2, 4, 8):
        raise CodecError(f"bad integer width {width}")
    try:
        raw = zstandard.ZstdDecompressor().decompress(payload)
    except zstandard.ZstdError as exc:
        raise CodecError(f"corrupt zstd payload: {exc}") from None
    if len(raw) != n * width:
        raise CodecError("payload length does not match the header")
    planes = np.frombuffer(raw, dtype=np.uint8).reshape(width, n).T
    return np.ascontiguousarray(planes).view(f"<u{width}").reshape(n).astype(np.uint64)


def encode_ts(ts: npt.ArrayLike) -> bytes:
    t = np.ascontiguousarray(ts, dtype=np.int64)
    n = int(t.shape[0])
    first = int(t[0]) if n else 0
    d = np.diff(t)
    d0 = int(d[0]) if n > 1 else 0
    dod = zigzag(np.diff(d)) if n > 2 else np.zeros(0, np.uint64)
    width = _width(dod)
    return _TS_HEAD.pack(VERSION, TS_DOD, width, n, first, d0) + _pack(dod, width)


def decode_ts(blob: bytes) -> I64:
    version, codec, width, n, first, d0 = _header(_TS_HEAD, blob)
    if version != VERSION or codec != TS_DOD:
        raise CodecError(f"unknown timestamp codec {version}/{codec}")
    if n == 0:
        return np.zeros(0, np.int64)
    dod = unzigzag(_unpack(blob[_TS_HEAD.size :], max(n - 2, 0), width))
    deltas = np.empty(n - 1, np.int64)
    if n > 1:
        deltas[0] = d0
        deltas[1:] = dod
        np.cumsum(deltas, out=deltas)
    out = np.empty(n, np.int64)
    out[0] = first
    out[1:] = deltas
    np.cumsum(out, out=out)
    return out


def decimal_scale(v: F64) -> tuple[int, I64] | None:
    """The smallest k (0..6) such that the integers ``round(v * 10**k)``, divided by ``10**k`` as the
    decoder does, reproduce every value bit for bit (so ``-0.0`` never qualifies); None if no k does."""
    if v.size == 0:
        return 0, np.zeros(0, np.int64)
    if not bool(np.all(np.isfinite(v))):
        return None
    bits = v.view(np.int64)
    with np.errstate(over="ignore", invalid="ignore"):
        for k in range(MAX_SCALE + 1):
            f = 10.0**k
            r = np.round(v * f)
            if not float(np.max(np.abs(r))) < _EXACT_INT:
                return None  # a larger k only makes the integers larger
            ints = r.astype(np.int64)
            if np.array_equal((ints.astype(np.float64) / f).view(np.int64), bits):
                return k, ints
    return None


def encode_values(values: npt.ArrayLike) -> tuple[bytes, int, int]:
    """(blob, codec, scale); codec is VAL_DECIMAL (scale = k) or VAL_XOR (scale = -1)."""
    v = np.ascontiguousarray(values, dtype=np.float64)
    n = int(v.shape[0])
    found = decimal_scale(v)
    if found is not None:
        k, ints = found
        first = int(ints[0]) if n else 0
        deltas = zigzag(np.diff(ints))
        width = _width(deltas)
        return _VAL_HEAD.pack(VERSION, VAL_DECIMAL, width, k, n, first) + _pack(deltas, width), VAL_DECIMAL, k
    bits = v.view(np.uint64)
    x = bits.copy()
    x[1:] ^= bits[:-1]
    return _VAL_HEAD.pack(VERSION, VAL_XOR, 8, -1, n, 0) + _pack(x, 8), VAL_XOR, -1


def decode_values(blob: bytes) -> F64:
    version, codec, width, k, n, first = _header(_VAL_HEAD, blob)
    if version != VERSION:
        raise CodecError(f"unknown value codec version {version}")
    payload = blob[_VAL_HEAD.size :]
    if codec == VAL_DECIMAL:
        if not 0 <= k <= MAX_SCALE:
            raise CodecError(f"bad decimal scale {k}")
        if n == 0:
            return np.zeros(0, np.float64)
        ints = np.empty(n, np.int64)
        ints[0] = first
        ints[1:] = unzigzag(_unpack(payload, n - 1, width))
        np.cumsum(ints, out=ints)
        out: F64 = ints.astype(np.float64) / 10.0**k
        return out
    if codec == VAL_XOR:
        x = _unpack(payload, n, 8)
        bits = np.bitwise_xor.accumulate(x) if n else x
        return bits.view(np.float64)
    raise CodecError(f"unknown value codec {codec}")


def encode_quality(quality: npt.ArrayLike) -> bytes | None:
    """None when every code is 0 (the usual case); otherwise zigzag + smallest width + zstd."""
    q = np.ascontiguousarray(quality, dtype=np.int16)
    if not q.any():
        return None
    u = zigzag(q.astype(np.int64))
    width = _width(u)
    return _Q_HEAD.pack(VERSION, 0, width, int(q.shape[0])) + _pack(u, width)


def decode_quality(blob: bytes | None, n: int) -> I16:
    if blob is None:
        return np.zeros(n, np.int16)
    version, codec, width, count = _header(_Q_HEAD, blob)
    if version != VERSION or codec != 0 or count != n:
        raise CodecError("bad quality blob")
    return unzigzag(_unpack(blob[_Q_HEAD.size :], n, width)).astype(np.int16)


def _header(head: struct.Struct, blob: bytes) -> tuple[int, ...]:
    if len(blob) < head.size:
        raise CodecError("blob shorter than its header")
    return head.unpack_from(blob, 0)


@dataclass(frozen=True, slots=True)
class EncodedChunk:
    """One sensor's readings for one hour, encoded, with the summary columns of ``reading_chunks``."""

    n: int
    first_ts: int
    last_ts: int
    ts_data: bytes
    val_data: bytes
    q_data: bytes | None
    val_codec: int
    val_scale: int
    min: float
    max: float
    sum: float
    first_value: float
    last_value: float
    last_quality: int


def encode_chunk(ts: I64, value: F64, quality: I16) -> EncodedChunk:
    """``ts`` must be strictly increasing and non-empty."""
    val_data, codec, scale = encode_values(value)
    return EncodedChunk(
        n=int(ts.shape[0]),
        first_ts=int(ts[0]),
        last_ts=int(ts[-1]),
        ts_data=encode_ts(ts),
        val_data=val_data,
        q_data=encode_quality(quality),
        val_codec=codec,
        val_scale=scale,
        min=float(value.min()),
        max=float(value.max()),
        sum=float(value.sum()),
        first_value=float(value[0]),
        last_value=float(value[-1]),
        last_quality=int(quality[-1]),
    )


def decode_chunk(ts_data: bytes, val_data: bytes, q_data: bytes | None) -> tuple[I64, F64, I16]:
    ts = decode_ts(ts_data)
    value = decode_values(val_data)
    if value.shape[0] != ts.shape[0]:
        raise CodecError("timestamp and value counts differ")
    return ts, value, decode_quality(q_data, int(ts.shape[0]))
