"""``mip simulate`` on the command line."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from mip.assets.importer import parse_yaml
from mip.cli.main import app
from mip.sim.plant import build_plant


def test_given_print_assets_when_simulating_then_the_plant_yaml_is_printed_and_nothing_runs() -> None:
    result = CliRunner().invoke(app, ["simulate", "--seed", "7", "--lines", "3", "--print-assets"])
    assert result.exit_code == 0, result.output
    assert result.stdout == build_plant(7, lines_per_site=3).to_asset_yaml()


def test_given_printed_assets_then_the_asset_importer_parses_them() -> None:
    result = CliRunner().invoke(app, ["simulate", "--seed", "7", "--print-assets"])
    doc = parse_yaml(result.stdout)
    sensors = [s for site in doc.sites for a in site.areas for ln in a.lines for m in ln.machines for s in m.sensors]
    assert len(sensors) == 30
    assert {s.name for s in sensors} == {
        "spindle_temp",
        "vibration_rms",
        "hydraulic_pressure",
        "spindle_speed",
        "power",
    }


def test_given_no_api_key_when_simulating_then_it_refuses(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("MIP_API_KEY", raising=False)
    result = CliRunner().invoke(app, ["simulate", "--duration", "1"])
    assert result.exit_code == 2
    assert "API key" in result.output
