"""The simulated plant: deterministic for a seed, and rendered in the asset importer's YAML format."""

from __future__ import annotations

import re

import pytest
import yaml

from mip.sim.plant import NAME_RE, SENSOR_KINDS, build_plant

EXPECTED_SENSORS = {
    "spindle_temp": "temperature",
    "vibration_rms": "vibration",
    "hydraulic_pressure": "pressure",
    "spindle_speed": "speed",
    "power": "power",
}


def test_given_the_same_seed_when_building_twice_then_the_plants_are_identical() -> None:
    assert build_plant(7) == build_plant(7)
    assert build_plant(7).to_asset_yaml() == build_plant(7).to_asset_yaml()


def test_given_different_seeds_when_building_then_the_plants_differ() -> None:
    assert build_plant(7).to_asset_yaml() != build_plant(8).to_asset_yaml()


def test_given_sizes_when_building_then_the_hierarchy_has_that_shape() -> None:
    plant = build_plant(3, sites=2, lines_per_site=3, machines_per_line=4)
    assert len(plant.sites) == 2
    for site in plant.sites:
        assert sum(len(a.lines) for a in site.areas) == 3
        assert all(len(ln.machines) == 4 for a in site.areas for ln in a.lines)
    assert len(plant.machines()) == 2 * 3 * 4
    paths = plant.sensor_paths()
    assert len(paths) == len(set(paths)) == 2 * 3 * 4 * 5


def test_given_a_plant_then_every_machine_has_the_five_sensors_with_consistent_limits() -> None:
    for machine in build_plant(11, lines_per_site=4).machines():
        assert {s.name: s.kind for s in machine.sensors} == EXPECTED_SENSORS
        for s in machine.sensors:
            assert s.kind in SENSOR_KINDS
            assert s.high_limit is not None
            assert s.run < s.high_limit
            assert s.low_limit is None or s.low_limit < min(s.idle, s.run)
            assert s.run + s.wear_cap + 5 * s.noise < s.high_limit


def test_given_a_plant_when_rendering_yaml_then_safe_load_gives_the_documented_shape() -> None:
    plant = build_plant(7, sites=2)
    doc = yaml.safe_load(plant.to_asset_yaml())
    assert doc == plant.to_dict()
    assert list(doc) == ["sites"]
    for site in doc["sites"]:
        assert set(site) == {"name", "timezone", "areas"}
        for area in site["areas"]:
            assert set(area) == {"name", "lines"}
            for line in area["lines"]:
                assert set(line) == {"name", "machines"}
                for machine in line["machines"]:
                    assert set(machine) == {"name", "sensors"}
                    for sensor in machine["sensors"]:
                        assert {"name", "kind", "unit", "sample_rate_hz", "safety"} <= set(sensor)
                        assert set(sensor) <= {"name", "kind", "unit", "sample_rate_hz", "low_limit", "high_limit",
                                               "safety"}  # fmt: skip
                        assert isinstance(sensor["safety"], bool)
                        assert isinstance(sensor["high_limit"], int | float)
                        assert sensor["kind"] in SENSOR_KINDS


def test_given_a_plant_then_names_are_valid_and_tag_paths_have_five_parts() -> None:
    plant = build_plant(5, sites=2, lines_per_site=3)
    doc = plant.to_dict()
    names = [s["name"] for s in doc["sites"]]
    names += [a["name"] for s in doc["sites"] for a in s["areas"]]
    names += [m.name for m in plant.machines()] + [x.name for m in plant.machines() for x in m.sensors]
    assert all(NAME_RE.match(n) for n in names)
    for path in plant.sensor_paths():
        parts = path.split("/")
        assert len(parts) == 5
        assert all(re.match(r"^[A-Za-z0-9][A-Za-z0-9_.-]*$", p) for p in parts)


def test_given_yaml_then_each_sensor_is_one_flow_mapping_in_the_importer_layout() -> None:
    text = build_plant(7).to_asset_yaml()
    lines = text.splitlines()
    assert lines[0] == "sites:"
    assert lines[1].startswith("  - name: plant-1")
    assert lines[2].startswith("    timezone: ")
    assert lines[3] == "    areas:"
    sensor_lines = [ln for ln in lines if ln.lstrip().startswith("- {")]
    assert len(sensor_lines) == 30
    assert all(ln.startswith("                  - {name: ") and ln.endswith("}") for ln in sensor_lines)
    assert (
        "{name: spindle_temp, kind: temperature, unit: degC, sample_rate_hz: 1, high_limit: 85, safety: true}" in text
    )


def test_given_invalid_sizes_when_building_then_it_refuses() -> None:
    with pytest.raises(ValueError, match="at least one"):
        build_plant(1, machines_per_line=0)
