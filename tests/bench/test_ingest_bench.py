"""`mip bench ingest` decodes every format to the same accepted readings (no speed assertions)."""

from __future__ import annotations

from mip.bench.ingest import run_ingest_bench


def test_given_small_bodies_when_benchmarking_then_every_format_accepts_every_reading() -> None:
    result = run_ingest_bench(rows=300, repeat=2)
    assert set(result["formats"]) == {"json", "arrow"}
    for fmt in result["formats"].values():
        assert fmt["accepted"] == result["rows_per_body"]
        assert fmt["readings_per_cpu_second"] > 0
    assert result["formats"]["arrow"]["body_bytes"] < result["formats"]["json"]["body_bytes"]
