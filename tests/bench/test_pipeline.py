"""``mip bench pipeline`` end to end at a tiny rate: the result has every field and measures alerts."""

from __future__ import annotations

from typer.testing import CliRunner

from mip.bench.pipeline import PipelineBenchConfig, render_text, run_pipeline_bench
from mip.cli.main import app


async def test_given_a_tiny_load_when_benchmarking_the_pipeline_then_the_result_is_complete() -> None:
    cfg = PipelineBenchConfig(rate=200.0, duration_s=3.0, seed=5, fault_rate_per_hour=3600.0)

    result = await run_pipeline_bench(cfg)

    assert result["benchmark"] == "pipeline"
    assert result["bus"] == "memory"
    assert result["rate_target"] == 200.0
    assert result["duration_s"] == 3.0
    assert result["plant"] == {"machines": 6, "sensors": 30}
    assert result["accepted"] == result["load"]["accepted"] > 0
    assert result["accepted_per_s"] == round(result["accepted"] / 3.0, 1)
    assert result["readings_stored"] == result["accepted"]
    assert result["stored_per_s"] > 0
    assert isinstance(result["kept_up"], bool)
    assert result["throttled_429"] == result["load"]["throttled"]
    alerts = result["alerts"]
    assert alerts["events"] >= alerts["opened"] >= 1
    assert alerts["measured"] == alerts["events"]
    lat = alerts["latency_ms"]
    assert set(lat) == {"p50", "p95", "p99", "max", "mean"}
    assert 0 < lat["p50"] <= lat["p95"] <= lat["p99"] <= lat["max"]
    assert result["machine"]["cpu_count"] >= 1
    assert result["machine"]["python"].count(".") == 2
    assert result["data_dir"] is None
    storage = result["storage"]
    assert storage["readings_compressed"] == result["readings_stored"]
    assert storage["bytes_per_reading"] > 0  # tiny runs are dominated by page overhead: no ratio claim here
    assert storage["baseline_bytes_per_reading"] > 0
    assert alerts["latency_from_reading_ms"]["p50"] >= 0
    assert "alert latency   p50" in render_text(result)


def test_given_memory_bus_and_two_workers_then_refused_as_configuration_error() -> None:
    result = CliRunner().invoke(app, ["bench", "pipeline", "--workers", "2", "--rate", "10", "--duration", "1"])
    assert result.exit_code == 2
    assert "configuration_error" in result.output


async def test_given_kafka_and_two_stream_workers_when_benchmarking_then_everything_is_stored_once() -> None:
    cfg = PipelineBenchConfig(
        rate=300.0, duration_s=3.0, seed=5, fault_rate_per_hour=3600.0, bus="kafka", workers=2, wire_format="arrow"
    )

    result = await run_pipeline_bench(cfg)

    assert result["bus"] == "kafka"
    assert result["workers"] == 2
    assert result["accepted"] > 0
    assert result["readings_stored"] == result["accepted"]
    assert result["alerts"]["opened"] >= 1
    assert result["cpu_s_per_million_readings"] > 0
    assert set(result["cpu_seconds_by_process"]) == {"server", "stream_workers", "kafka", "postgres"}
