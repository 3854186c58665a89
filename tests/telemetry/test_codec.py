"""The chunk codec: bit-exact round trips on random and adversarial data, and sane sizes on smooth signals."""

from __future__ import annotations

import numpy as np
import pytest

from mip.telemetry.codec import (
    VAL_DECIMAL,
    VAL_XOR,
    CodecError,
    decimal_scale,
    decode_chunk,
    decode_quality,
    decode_ts,
    decode_values,
    encode_chunk,
    encode_quality,
    encode_ts,
    encode_values,
)

F64 = np.float64


def assert_bits_equal(a: np.ndarray, b: np.ndarray) -> None:
    assert a.dtype == np.float64
    assert b.dtype == np.float64
    assert a.shape == b.shape
    assert a.view(np.uint64).tolist() == b.view(np.uint64).tolist()


def roundtrip(values: np.ndarray) -> int:
    blob, _, _ = encode_values(values)
    assert_bits_equal(decode_values(blob), np.asarray(values, F64))
    return len(blob)


def random_finite_bits(rng: np.random.Generator, n: int) -> np.ndarray:
    bits = rng.integers(0, 2**64, n, dtype=np.uint64)
    v = bits.view(F64)
    return v[np.isfinite(v)]


@pytest.mark.parametrize("seed", range(20))
def test_given_random_floats_when_encoded_then_decoded_bit_exact(seed: int) -> None:
    rng = np.random.default_rng(seed)
    n = int(rng.integers(1, 5000))
    for values in (
        rng.normal(0, 10 ** rng.uniform(-8, 8), n),
        rng.uniform(-1e300, 1e300, n),
        random_finite_bits(rng, n),
        np.round(rng.normal(50, 5, n), int(rng.integers(0, 7))),
        np.cumsum(rng.integers(-1000, 1000, n)).astype(F64) / 1000.0,
    ):
        roundtrip(values)


@pytest.mark.parametrize(
    "values",
    [
        [0.0],
        [-0.0],
        [0.0, -0.0, 0.0, -0.0],
        [1.5, -0.0, 2.5],
        [5e-324, -5e-324, 2.2250738585072014e-308],
        [1.7976931348623157e308, -1.7976931348623157e308, 1.0],
        [np.inf, -np.inf, 3.0],
        [2.0**53, 2.0**53 + 2, -(2.0**60)],
        [0.1 + 0.2, 0.3],
        [1e-7, 2e-7],
        [123456.123456, 0.000001],
        [42.0] * 1000,
        [1e300, 1e-300] * 50,
    ],
)
def test_given_adversarial_values_when_encoded_then_decoded_bit_exact(values: list[float]) -> None:
    roundtrip(np.array(values, F64))


def test_given_no_values_then_round_trip_is_empty() -> None:
    roundtrip(np.zeros(0, F64))
    assert decode_ts(encode_ts(np.zeros(0, np.int64))).tolist() == []


def test_given_decimal_data_then_smallest_exact_scale_is_used() -> None:
    assert decimal_scale(np.array([1.0, 2.0, -7.0]))[0] == 0  # type: ignore[index]
    assert decimal_scale(np.array([1.5, 2.25]))[0] == 2  # type: ignore[index]
    assert decimal_scale(np.array([20.1234, 19.9]))[0] == 4  # type: ignore[index]
    assert decimal_scale(np.array([0.1 + 0.2])) is None  # 0.30000000000000004 is not a short decimal
    assert decimal_scale(np.array([-0.0, 1.0])) is None  # -0.0 would come back as +0.0
    assert decimal_scale(np.array([np.inf])) is None
    assert decimal_scale(np.array([1e17])) is None  # beyond exact integers
    assert encode_values(np.array([1.25, 3.5]))[1:] == (VAL_DECIMAL, 2)
    assert encode_values(np.array([np.pi]))[1:] == (VAL_XOR, -1)


@pytest.mark.parametrize(
    "ts",
    [
        [1_795_000_000_000_000_000],
        [0, 1],
        [5, 7, 100],
        list(range(1_795_000_000 * 10**9, 1_795_000_000 * 10**9 + 3600 * 10**9, 10**9)),
        [-(2**63), 0, 2**63 - 1],
        [10, 11, 2**62, 2**62 + 1],
    ],
)
def test_given_timestamps_when_encoded_then_decoded_exactly(ts: list[int]) -> None:
    t = np.array(ts, np.int64)
    assert decode_ts(encode_ts(t)).tolist() == ts


@pytest.mark.parametrize("seed", range(10))
def test_given_jittered_timestamps_when_encoded_then_decoded_exactly(seed: int) -> None:
    rng = np.random.default_rng(seed)
    t = np.cumsum(rng.integers(1, 10 ** int(rng.integers(1, 12)), int(rng.integers(1, 5000)))) + 1_795_000_000 * 10**9
    assert decode_ts(encode_ts(t)).tolist() == t.tolist()


def test_given_quality_codes_then_zero_codes_cost_nothing_and_others_round_trip() -> None:
    assert encode_quality(np.zeros(3600, np.int16)) is None
    assert decode_quality(None, 3).tolist() == [0, 0, 0]
    q = np.array([0, 0, 192, -1, 32767, -32768, 1], np.int16)
    assert decode_quality(encode_quality(q), q.size).tolist() == q.tolist()


def test_given_a_chunk_when_encoded_then_summary_and_data_match() -> None:
    ts = np.arange(100, dtype=np.int64) * 10**9 + 1_795_000_000 * 10**9
    value = np.linspace(-3, 7, 100)
    quality = np.r_[np.zeros(99, np.int16), np.int16(3)]
    c = encode_chunk(ts, value, quality)
    assert (c.n, c.first_ts, c.last_ts) == (100, int(ts[0]), int(ts[-1]))
    assert (c.min, c.max, c.first_value, c.last_value, c.last_quality) == (-3.0, 7.0, -3.0, 7.0, 3)
    assert c.sum == float(value.sum())
    d_ts, d_val, d_q = decode_chunk(c.ts_data, c.val_data, c.q_data)
    assert d_ts.tolist() == ts.tolist()
    assert_bits_equal(d_val, value)
    assert d_q.tolist() == quality.tolist()


def test_given_a_smooth_hour_at_1hz_then_it_compresses_to_a_few_bits_per_reading() -> None:
    rng = np.random.default_rng(1)
    t = np.arange(3600)
    temp = np.round(60 + 2 * np.sin(t / 600) + rng.normal(0, 0.05, 3600), 2)  # 0.01 degC resolution
    ts = 1_795_000_000 * 10**9 + t.astype(np.int64) * 10**9
    ts_bytes = len(encode_ts(ts))
    val_bytes = roundtrip(temp)
    assert ts_bytes < 64  # a regular series is a header and a run of zeros
    assert val_bytes / 3600 < 1.5
    assert (ts_bytes + val_bytes) / 3600 < 0.05 * (8 + 8)  # < 5% of the raw 16 bytes


@pytest.mark.parametrize("cut", [0, 5, 20])
def test_given_a_truncated_or_corrupt_blob_then_codec_error(cut: int) -> None:
    blob, _, _ = encode_values(np.arange(1000, dtype=F64) / 8)
    with pytest.raises(CodecError):
        decode_values(blob[:cut])
    with pytest.raises(CodecError):
        decode_values(blob[:-3])
    with pytest.raises(CodecError):
        decode_ts(encode_ts(np.arange(10, dtype=np.int64))[: cut + 1])
