"""A simulated factory: sites -> areas -> lines -> machines -> sensors, deterministic for a seed.

Every machine carries the same five sensors (spindle temperature, vibration RMS, hydraulic pressure,
spindle speed, power). Their engineering limits are set from the machine's operating point so that
normal operation - including noise, slow drift and wear - stays inside them and an injected fault
crosses them. :meth:`Plant.to_asset_yaml` renders the plant in the asset importer's format.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

import numpy as np

SENSOR_KINDS = ("temperature", "vibration", "pressure", "speed", "power", "current", "flow", "level", "other")
NAME_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]*$")

TIMEZONES = (
    "Europe/Berlin",
    "America/Chicago",
    "Asia/Shanghai",
    "Europe/Warsaw",
    "America/Detroit",
    "Asia/Tokyo",
    "Europe/Paris",
    "America/Sao_Paulo",
)
AREA_NAMES = ("machining", "turning", "grinding", "finishing", "pressing")

# Operating ranges per machine model: (run_lo, run_hi) for temperature, vibration, pressure, speed, power.
_MODELS: dict[str, dict[str, tuple[float, float]]] = {
    "cnc": {"temp": (55, 64), "vib": (2.0, 3.0), "pres": (140, 160), "speed": (8000, 12000), "power": (15, 25)},
    "mill": {"temp": (52, 62), "vib": (1.8, 2.8), "pres": (120, 150), "speed": (6000, 10000), "power": (12, 22)},
    "lathe": {"temp": (50, 60), "vib": (1.5, 2.5), "pres": (90, 120), "speed": (2000, 4000), "power": (10, 20)},
    "grinder": {"temp": (45, 55), "vib": (0.8, 1.4), "pres": (60, 80), "speed": (1500, 3000), "power": (8, 15)},
}
_VIB_LIMIT = {"cnc": 7.1, "mill": 7.1, "lathe": 7.1, "grinder": 4.5}
TEMP_LIMIT = 85.0


@dataclass(frozen=True, slots=True)
class SensorSpec:
    """A sensor as the importer sees it, plus the simulation's operating point (not exported)."""

    name: str
    kind: str
    unit: str
    sample_rate_hz: float
    low_limit: float | None
    high_limit: float | None
    safety: bool
    run: float  # mean value while the machine runs
    idle: float  # mean value while it idles
    noise: float  # noise std-dev while running (scaled down toward idle_noise when idle)
    idle_noise: float
    wear_cap: float  # how far wear may raise the running value (kept inside the limits)

    def asset_fields(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "name": self.name,
            "kind": self.kind,
            "unit": self.unit,
            "sample_rate_hz": _tidy(self.sample_rate_hz),
        }
        if self.low_limit is not None:
            out["low_limit"] = _tidy(self.low_limit)
        if self.high_limit is not None:
            out["high_limit"] = _tidy(self.high_limit)
        out["safety"] = self.safety
        return out


@dataclass(frozen=True, slots=True)
class Machine:
    name: str
    model: str
    path: str  # site/area/line/machine
    timezone: str
    sensors: tuple[SensorSpec, ...]
    degrading: bool  # wearing toward failure: vibration and temperature creep up, faults get likelier
    wear0: float  # wear (0..1) at simulation start
    night_shift: bool  # runs the night shift too (most machines idle at night)

    def sensor_paths(self) -> list[str]:
        return [f"{self.path}/{s.name}" for s in self.sensors]


@dataclass(frozen=True, slots=True)
class Line:
    name: str
    machines: tuple[Machine, ...]


@dataclass(frozen=True, slots=True)
class Area:
    name: str
    lines: tuple[Line, ...]


@dataclass(frozen=True, slots=True)
class Site:
    name: str
    timezone: str
    areas: tuple[Area, ...]


@dataclass(frozen=True, slots=True)
class Plant:
    seed: int
    sites: tuple[Site, ...]

    def machines(self) -> list[Machine]:
        return [m for s in self.sites for a in s.areas for ln in a.lines for m in ln.machines]

    def sensor_paths(self) -> list[str]:
        """Every sensor's tag path, machine by machine (the column order of the signal generator)."""
        return [p for m in self.machines() for p in m.sensor_paths()]

    def sensor_count(self) -> int:
        return sum(len(m.sensors) for m in self.machines())

    def to_dict(self) -> dict[str, Any]:
        """The importer document as plain data (what ``yaml.safe_load(to_asset_yaml())`` returns)."""
        return {
            "sites": [
                {
                    "name": s.name,
                    "timezone": s.timezone,
                    "areas": [
                        {
                            "name": a.name,
                            "lines": [
                                {
                                    "name": ln.name,
                                    "machines": [
                                        {"name": m.name, "sensors": [x.asset_fields() for x in m.sensors]}
                                        for m in ln.machines
                                    ],
                                }
                                for ln in a.lines
                            ],
                        }
                        for a in s.areas
                    ],
                }
                for s in self.sites
            ]
        }

    def to_asset_yaml(self) -> str:
        """The asset importer's YAML: nested block lists, one flow mapping per sensor."""
        out = ["sites:"]
        for s in self.sites:
            out += [f"  - name: {s.name}", f"    timezone: {s.timezone}", "    areas:"]
            for a in s.areas:
                out += [f"      - name: {a.name}", "        lines:"]
                for ln in a.lines:
                    out += [f"          - name: {ln.name}", "            machines:"]
                    for m in ln.machines:
                        out += [f"              - name: {m.name}", "                sensors:"]
                        for x in m.sensors:
                            fields = ", ".join(f"{k}: {_yaml_scalar(v)}" for k, v in x.asset_fields().items())
                            out.append(f"                  - {{{fields}}}")
        return "\n".join(out) + "\n"


def _tidy(v: float) -> int | float:
    return int(v) if float(v).is_integer() else float(v)


def _yaml_scalar(v: Any) -> str:
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, int):
        return str(v)
    if isinstance(v, float):
        return f"{v:.6f}".rstrip("0").rstrip(".")  # always plain decimal notation (YAML 1.1 safe)
    text = str(v)
    if not NAME_RE.match(text.replace("/", "")):
        raise ValueError(f"not a plain YAML scalar: {text!r}")
    return text


def _machine_sensors(model: str, rng: np.random.Generator) -> tuple[SensorSpec, ...]:
    r = {k: float(rng.uniform(lo, hi)) for k, (lo, hi) in _MODELS[model].items()}
    temp = round(r["temp"], 1)
    vib = round(r["vib"], 2)
    pres = round(r["pres"], 0)
    speed = round(r["speed"], -2)
    power = round(r["power"], 1)
    vib_limit = _VIB_LIMIT[model]
    # noise sigma; values are clipped at 4 sigma, drift adds up to 1 sigma: limits keep >= 6 sigma + wear
    t_sig, v_sig = 0.4, round(0.04 * vib, 3)
    return (
        SensorSpec(
            "spindle_temp",
            "temperature",
            "degC",
            1,
            None,
            TEMP_LIMIT,
            True,
            run=temp,
            idle=round(float(rng.uniform(22, 27)), 1),
            noise=t_sig,
            idle_noise=0.2,
            wear_cap=round(0.7 * (TEMP_LIMIT - temp - 6 * t_sig), 2),
        ),
        SensorSpec(
            "vibration_rms",
            "vibration",
            "mm/s",
            10,
            None,
            vib_limit,
            False,
            run=vib,
            idle=0.25,
            noise=v_sig,
            idle_noise=0.02,
            wear_cap=round(0.7 * (vib_limit - vib - 6 * v_sig), 3),
        ),
        SensorSpec(
            "hydraulic_pressure",
            "pressure",
            "bar",
            1,
            round(0.4 * pres),
            round(1.2 * pres),
            True,
            run=pres,
            idle=round(0.75 * pres),
            noise=round(0.01 * pres, 2),
            idle_noise=round(0.005 * pres, 2),
            wear_cap=0.0,
        ),
        SensorSpec(
            "spindle_speed",
            "speed",
            "rpm",
            1,
            None,
            round(1.15 * speed, -2),
            False,
            run=speed,
            idle=0.0,
            noise=round(0.003 * speed, 1),
            idle_noise=0.0,
            wear_cap=0.0,
        ),
        SensorSpec(
            "power",
            "power",
            "kW",
            1,
            None,
            round(1.5 * power, 1),
            False,
            run=power,
            idle=round(0.08 * power, 2),
            noise=round(0.02 * power, 3),
            idle_noise=0.02,
            wear_cap=0.0,
        ),
    )


def build_plant(seed: int, *, sites: int = 1, lines_per_site: int = 2, machines_per_line: int = 3) -> Plant:
    """A plant whose every name, operating point and limit follows from ``seed``."""
    if sites < 1 or lines_per_site < 1 or machines_per_line < 1:
        raise ValueError("a plant needs at least one site, line and machine")
    rng = np.random.default_rng(seed)
    models = tuple(_MODELS)
    out_sites: list[Site] = []
    for si in range(1, sites + 1):
        site_name = f"plant-{si}"
        tz = TIMEZONES[int(rng.integers(len(TIMEZONES)))]
        n_areas = (lines_per_site + 1) // 2  # two lines per area
        areas: list[Area] = []
        machine_no = 0
        for ai in range(n_areas):
            area_name = AREA_NAMES[ai] if ai < len(AREA_NAMES) else f"area-{ai + 1}"
            lines: list[Line] = []
            for li in range(2 * ai + 1, min(2 * ai + 2, lines_per_site) + 1):
                line_name = f"line-{li}"
                machines: list[Machine] = []
                for _ in range(machines_per_line):
                    machine_no += 1
                    model = models[int(rng.integers(len(models)))]
                    name = f"{model}-{machine_no:02d}"
                    degrading = bool(rng.random() < 0.3)
                    wear0 = float(rng.uniform(0.3, 0.6)) if degrading else 0.0
                    night = bool(rng.random() < 0.35)
                    machines.append(
                        Machine(
                            name=name,
                            model=model,
                            path=f"{site_name}/{area_name}/{line_name}/{name}",
                            timezone=tz,
                            sensors=_machine_sensors(model, rng),
                            degrading=degrading,
                            wear0=wear0,
                            night_shift=night,
                        )
                    )
                lines.append(Line(line_name, tuple(machines)))
            areas.append(Area(area_name, tuple(lines)))
        out_sites.append(Site(site_name, tz, tuple(areas)))
    return Plant(seed=seed, sites=tuple(out_sites))
