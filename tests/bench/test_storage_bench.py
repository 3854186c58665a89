"""``mip bench storage`` on a fresh embedded database at a tiny size: complete result, readings verified."""

from __future__ import annotations

from typer.testing import CliRunner

from mip.bench.storage import StorageBenchConfig, render_text, run_storage_bench
from mip.cli.main import app


async def test_given_a_tiny_run_when_benchmarking_storage_then_the_result_is_complete_and_verified() -> None:
    result = await run_storage_bench(StorageBenchConfig(readings=6000, batch_rows=500))

    assert result["benchmark"] == "storage"
    assert result["readings"] == 6000
    assert result["sensors"] == 30
    assert result["verified"] is True
    assert result["write"]["readings_per_s"] > 0
    assert result["compress"]["chunks"] >= 30
    b = result["bytes_per_reading"]
    assert b["codec_payload"] < b["chunks_only"] <= b["compressed"] < b["hot"]
    assert b["compressed"] < b["row_per_reading_baseline"]
    assert result["baseline"]["readings"] == 6000
    assert result["data_dir"] is None
    assert "bytes/reading" in render_text(result)


def test_given_the_cli_then_bench_storage_is_registered_and_validates_its_options() -> None:
    runner = CliRunner()
    assert "--readings" in runner.invoke(app, ["bench", "storage", "--help"]).output
    bad = runner.invoke(app, ["bench", "storage", "--resolution", "lossy"])
    assert bad.exit_code == 2
