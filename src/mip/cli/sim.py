"""CLI: ``mip simulate`` - a simulated factory posting readings to a MIP server."""

from __future__ import annotations

import asyncio
import signal
import sys
from typing import Annotated

import typer

from mip.cli.common import emit

sim_app = typer.Typer()


@sim_app.command("simulate")
def simulate(
    rate: Annotated[float, typer.Option(min=0.001, help="Target readings per second (all sensors)")] = 100.0,
    seed: Annotated[int, typer.Option(min=0, help="Same seed: same plant and same signals")] = 0,
    url: Annotated[str, typer.Option(help="Base URL of the MIP server")] = "http://127.0.0.1:8000",
    api_key: Annotated[str | None, typer.Option(envvar="MIP_API_KEY", help="Device API key (or MIP_API_KEY)")] = None,
    duration: Annotated[float | None, typer.Option(min=0, help="Seconds to run (default: until Ctrl-C)")] = None,
    sites: Annotated[int, typer.Option(min=1, help="Sites in the plant")] = 1,
    lines: Annotated[int, typer.Option(min=1, help="Lines per site")] = 2,
    machines: Annotated[int, typer.Option(min=1, help="Machines per line")] = 3,
    fault_rate: Annotated[float, typer.Option(min=0, help="Injected faults per machine and hour")] = 1.0,
    spike_rate: Annotated[float, typer.Option(min=0, help="Injected spikes per machine and hour")] = 4.0,
    tick: Annotated[float, typer.Option(min=0.01, max=5.0, help="Seconds between batches")] = 0.2,
    concurrency: Annotated[int, typer.Option(min=1, max=64, help="Concurrent POSTs")] = 4,
    wire_format: Annotated[str, typer.Option("--format", help="Request body: json or arrow (Arrow IPC)")] = "json",
    print_assets: Annotated[
        bool, typer.Option("--print-assets", help="Print the plant as asset-import YAML and exit")
    ] = False,
) -> None:
    """Simulate a factory: post its sensor readings to URL at RATE; print a JSON summary at the end."""
    from mip.sim.plant import build_plant
    from mip.sim.runner import RunnerConfig, SimulationRunner

    plant = build_plant(seed, sites=sites, lines_per_site=lines, machines_per_line=machines)
    if print_assets:
        sys.stdout.write(plant.to_asset_yaml())
        return
    if wire_format not in ("json", "arrow"):
        raise typer.BadParameter("must be json or arrow", param_hint="--format")
    if not api_key:
        raise typer.BadParameter("a device API key is required (--api-key or MIP_API_KEY)", param_hint="--api-key")
    config = RunnerConfig(
        url=url,
        api_key=api_key,
        rate=rate,
        duration_s=duration,
        seed=seed,
        fault_rate_per_hour=fault_rate,
        spike_rate_per_hour=spike_rate,
        tick_s=tick,
        concurrency=concurrency,
        wire_format=wire_format,
    )
    runner = SimulationRunner(plant, config)

    async def main() -> None:
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGINT, signal.SIGTERM):
            loop.add_signal_handler(sig, runner.stop)
        await runner.run()

    try:
        asyncio.run(main())
    except KeyboardInterrupt:  # Ctrl-C before the loop's handler was installed
        runner.stats.stopped = True
    summary = runner.stats.summary()
    summary["plant"] = {"seed": seed, "machines": len(plant.machines()), "sensors": plant.sensor_count()}
    emit(summary)
