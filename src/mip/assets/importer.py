"""Bulk import of an asset hierarchy from YAML or CSV.

A document is parsed and validated completely first; every problem is reported with its 1-based line
in the source text (:class:`ImportInvalid`). :func:`import_document` then matches assets and sensors by
tag path (upsert) inside the caller's transaction, so a document is imported entirely or not at all
and importing it twice creates nothing the second time. Fields a YAML document leaves out keep their
stored values on update (defaults on create); a CSV document sets every column it has.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from typing import Annotated, Any, cast

import psycopg
import yaml
from pydantic import AfterValidator, BaseModel, ConfigDict, Field, JsonValue, PrivateAttr, ValidationError
from pydantic import model_validator as _model_validator
from psycopg.types.json import Jsonb

from mip.assets import service
from mip.assets.errors import ImportErrorItem, ImportInvalid, InvalidName, InvalidTimezone, PathExists
from mip.assets.service import AssetKind, SensorKind
from mip.platform.db import Conn
from mip.platform.errors import MIPError
from mip.platform.ids import uuid7

MAX_ERRORS = 1000


def _name(value: str) -> str:
    try:
        return service.check_name(value)
    except InvalidName as exc:
        raise ValueError(exc.detail) from None


def _tz(value: str | None) -> str | None:
    try:
        return service.check_timezone(value)
    except InvalidTimezone as exc:
        raise ValueError(exc.detail) from None


Name = Annotated[str, AfterValidator(_name)]
Limit = Annotated[float | None, Field(allow_inf_nan=False)]


class _Spec(BaseModel):
    model_config = ConfigDict(extra="forbid")
    _line: int = PrivateAttr(default=0)

    @property
    def line(self) -> int:
        """1-based line in the source document (0 when built in code)."""
        return self._line


class SensorSpec(_Spec):
    name: Name
    kind: SensorKind = SensorKind.OTHER
    unit: str = Field(default="", max_length=32)
    sample_rate_hz: float = Field(default=1.0, gt=0, allow_inf_nan=False)
    low_limit: Limit = None
    high_limit: Limit = None
    safety: bool = False

    @_model_validator(mode="after")
    def _limits(self) -> SensorSpec:
        lo, hi = self.low_limit, self.high_limit
        if lo is not None and hi is not None and lo >= hi:
            raise ValueError(f"low_limit ({lo:g}) must be below high_limit ({hi:g})")
        return self


class _AssetSpec(_Spec):
    name: Name
    description: str = Field(default="", max_length=2000)
    timezone: Annotated[str | None, AfterValidator(_tz)] = None
    attributes: dict[str, JsonValue] = Field(default_factory=dict)


class MachineSpec(_AssetSpec):
    sensors: list[SensorSpec] = Field(default_factory=list)


class LineSpec(_AssetSpec):
    machines: list[MachineSpec] = Field(default_factory=list)


class AreaSpec(_AssetSpec):
    lines: list[LineSpec] = Field(default_factory=list)


class SiteSpec(_AssetSpec):
    areas: list[AreaSpec] = Field(default_factory=list)


class AssetDocument(BaseModel):
    model_config = ConfigDict(extra="forbid")
    sites: list[SiteSpec] = Field(default_factory=list)


# (kind, spec model, key of the children list) from the top down; the sensor level has no children.
LEVELS: list[tuple[str, type[_Spec], str | None]] = [
    ("site", SiteSpec, "areas"),
    ("area", AreaSpec, "lines"),
    ("line", LineSpec, "machines"),
    ("machine", MachineSpec, "sensors"),
    ("sensor", SensorSpec, None),
]
ASSET_KEYS = ("description", "timezone", "attributes")
SENSOR_KEYS = ("kind", "unit", "sample_rate_hz", "low_limit", "high_limit", "safety")
STRING_KEYS = frozenset({"name", "unit", "description", "timezone"})


class _Collector:
    """Errors with line numbers, plus tag paths seen so far (to report duplicates)."""

    def __init__(self) -> None:
        self.errors: list[ImportErrorItem] = []
        self.paths: dict[str, int] = {}

    def add(self, line: int, message: str) -> None:
        self.errors.append({"line": line, "message": message})

    def claim(self, kind: str, path: str, line: int) -> bool:
        first = self.paths.setdefault(path, line)
        if first != line:
            self.add(line, f"duplicate {kind} {path!r} (first defined on line {first})")
            return False
        return True

    def validate(
        self, model: type[_Spec], data: dict[str, Any], line: int, what: str, lines: dict[str, int]
    ) -> _Spec | None:
        """Validate one entity; each field error is reported on that field's own line."""
        try:
            spec = model.model_validate(data)
        except ValidationError as exc:
            for e in exc.errors():
                field = str(e["loc"][0]) if e["loc"] else ""
                msg = e["msg"].removeprefix("Value error, ")
                prefix = f"{what}: {field}: " if field else f"{what}: "
                if e["type"] == "extra_forbidden":
                    msg = f"unknown key {field!r}"
                    prefix = f"{what}: "
                self.add(lines.get(field, line), prefix + msg)
            return None
        spec._line = line
        return spec

    def raise_if_any(self) -> None:
        if self.errors:
            raise ImportInvalid(self.errors[:MAX_ERRORS], error_count=len(self.errors))


# --- YAML -----------------------------------------------------------------------------------------------


class _YamlReader:
    def __init__(self, loader: yaml.SafeLoader, out: _Collector) -> None:
        self.loader = loader
        self.out = out

    def value(self, key: str, node: yaml.Node) -> Any:
        value = self.loader.construct_object(node, deep=True)  # type: ignore[no-untyped-call]
        if key in STRING_KEYS and isinstance(node, yaml.ScalarNode) and isinstance(value, bool | int | float):
            return node.value  # a name like 0012 or yes stays the text written
        return value

    def items(self, node: yaml.Node, what: str) -> list[yaml.MappingNode]:
        if isinstance(node, yaml.ScalarNode) and node.tag == "tag:yaml.org,2002:null":
            return []
        if not isinstance(node, yaml.SequenceNode):
            self.out.add(_line(node), f"{what} must be a list")
            return []
        found = []
        for item in node.value:
            if isinstance(item, yaml.MappingNode):
                found.append(item)
            else:
                self.out.add(_line(item), f"each entry of {what} must be a mapping with at least a name")
        return found

    def entity(self, node: yaml.MappingNode, level: int, parent: str) -> _Spec | None:
        kind, model, child_key = LEVELS[level]
        data: dict[str, Any] = {}
        lines: dict[str, int] = {}
        children: list[_Spec] = []
        child_node: yaml.Node | None = None
        for k, v in node.value:
            key = k.value if isinstance(k, yaml.ScalarNode) else None
            if not isinstance(key, str) or key in lines:
                self.out.add(_line(k), f"{kind}: duplicate or invalid key {key!r}")
                continue
            lines[key] = _line(v)
            if key == child_key:
                child_node = v
            else:
                data[key] = self.value(key, v)
        name = data.get("name")
        what = f"{kind} {name!r}" if isinstance(name, str) else kind
        path = f"{parent}/{name}" if parent else str(name)
        if isinstance(name, str):
            self.out.claim(kind, path, _line(node))
        if child_node is not None and child_key is not None:
            for item in self.items(child_node, f"{what}: {child_key}"):
                child = self.entity(item, level + 1, path)
                if child is not None:
                    children.append(child)
            data[child_key] = children
        return self.out.validate(model, data, _line(node), what, lines)


def _line(node: yaml.Node) -> int:
    return int(node.start_mark.line) + 1


def _aliases(root: yaml.Node, out: _Collector) -> None:
    """Reject anchors/aliases: a re-used node could multiply the document (a 'billion laughs')."""
    seen: set[int] = set()
    stack = [root]
    while stack:
        node = stack.pop()
        if id(node) in seen:
            out.add(_line(node), "YAML anchors and aliases are not supported in asset documents")
            continue
        seen.add(id(node))
        if isinstance(node, yaml.SequenceNode):
            stack.extend(node.value)
        elif isinstance(node, yaml.MappingNode):
            for k, v in node.value:
                stack.extend((k, v))


def parse_yaml(text: str) -> AssetDocument:
    """Parse the ``sites: [{name, areas: [{name, lines: [...]}]}]`` document; raises :class:`ImportInvalid`."""
    out = _Collector()
    loader = yaml.SafeLoader(text.removeprefix("\ufeff"))
    try:
        root = loader.get_single_node()  # type: ignore[no-untyped-call]
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        out.add(int(mark.line) + 1 if mark else 1, f"YAML syntax: {exc.problem or exc.context}")
        root = None
    except yaml.YAMLError as exc:
        out.add(1, f"YAML syntax: {exc}")
        root = None
    try:
        if root is None:
            out.errors or out.add(1, "the document is empty; expected a mapping with a 'sites' list")
            out.raise_if_any()
        assert root is not None
        _aliases(root, out)
        out.raise_if_any()
        sites: list[_Spec] = []
        if not isinstance(root, yaml.MappingNode):
            out.add(_line(root), "the document must be a mapping with a 'sites' list")
        else:
            reader = _YamlReader(loader, out)
            for k, v in root.value:
                if not (isinstance(k, yaml.ScalarNode) and k.value == "sites"):
                    out.add(_line(k), f"unknown top-level key {getattr(k, 'value', k)!r}; expected 'sites'")
                    continue
                for item in reader.items(v, "sites"):
                    site = reader.entity(item, 0, "")
                    if site is not None:
                        sites.append(site)
        out.raise_if_any()
        return AssetDocument(sites=cast(list[SiteSpec], sites))
    finally:
        loader.dispose()  # type: ignore[no-untyped-call]


# --- CSV ------------------------------------------------------------------------------------------------

CSV_LEVELS = ("site", "area", "line", "machine")
CSV_COLUMNS = (*CSV_LEVELS, "sensor", *SENSOR_KEYS)


def _csv_records(text: str) -> Iterator[tuple[int, list[str]]]:
    """(1-based line where the record starts, its cells); blank lines skipped."""
    reader = csv.reader(io.StringIO(text.removeprefix("\ufeff"), newline=""))
    start = 1
    for row in reader:
        if any(cell.strip() for cell in row):
            yield start, [cell.strip() for cell in row]
        start = reader.line_num + 1


def parse_csv(text: str) -> AssetDocument:
    """One row per sensor: ``site,area,line,machine,sensor,kind,unit,sample_rate_hz,low_limit,high_limit,safety``.

    Parents are created implicitly; an empty ``sensor`` cell gives a machine (or a shorter branch) without
    sensors; empty limits are null. Raises :class:`ImportInvalid` listing every bad line.
    """
    out = _Collector()
    records = _csv_records(text)
    try:
        header_line, header = next(records)
    except StopIteration:
        out.add(1, f"the CSV is empty; expected the header {','.join(CSV_COLUMNS)}")
        header_line, header = 1, []
    except csv.Error as exc:
        out.add(1, f"CSV syntax: {exc}")
        header_line, header = 1, []
    header = [h.lower() for h in header]
    cols = {h: i for i, h in enumerate(header)}
    for h in header:
        if h not in CSV_COLUMNS or header.count(h) > 1:
            out.add(header_line, f"unknown or repeated column {h!r}; expected {','.join(CSV_COLUMNS)}")
    missing = [c for c in CSV_LEVELS if c not in cols]
    if header and missing:
        out.add(header_line, f"missing column(s) {', '.join(missing)}")
    out.raise_if_any()

    doc = AssetDocument()
    nodes: dict[str, _Spec] = {}
    try:
        for line, row in records:
            if len(row) != len(header):
                out.add(line, f"expected {len(header)} fields, found {len(row)}")
                continue
            cell = {h: row[i] for h, i in cols.items()}
            _csv_row(line, cell, doc, nodes, out)
    except csv.Error as exc:
        out.add(out.errors[-1]["line"] if out.errors else 1, f"CSV syntax: {exc}")
    out.raise_if_any()
    return doc


def _csv_row(line: int, cell: dict[str, str], doc: AssetDocument, nodes: dict[str, _Spec], out: _Collector) -> None:
    names = [cell[c] for c in CSV_LEVELS]
    depth = max((i + 1 for i, n in enumerate(names) if n), default=0)
    sensor = cell.get("sensor", "")
    extras = [k for k in SENSOR_KEYS if cell.get(k)]
    if not all(names[:depth]):
        out.add(line, f"{CSV_LEVELS[names.index('')]} is empty but a lower level is set")
        return
    if (sensor or extras) and depth < 4:
        out.add(line, "a sensor needs site, area, line and machine")
        return
    if extras and not sensor:
        out.add(line, f"{', '.join(extras)} given but the sensor column is empty")
        return
    parent: _Spec | None = None
    path = ""
    for level, name in enumerate(names[:depth]):
        kind, model, child_key = LEVELS[level]
        path = f"{path}/{name}" if path else name
        node = nodes.get(path)
        if node is None:
            node = out.validate(model, {"name": name}, line, f"{kind} {name!r}", {})
            if node is None:
                return
            nodes[path] = node
            out.claim(kind, path, line)
            siblings = doc.sites if parent is None else getattr(parent, cast(str, LEVELS[level - 1][2]))
            siblings.append(node)
        parent = node
    if sensor and isinstance(parent, MachineSpec):
        data: dict[str, Any] = {"name": sensor}
        defaults = {"kind": "other", "unit": "", "sample_rate_hz": 1.0, "safety": False}
        for k in SENSOR_KEYS:
            if k in cell:
                data[k] = cell[k] or defaults.get(k)
        spec = out.validate(SensorSpec, data, line, f"sensor {sensor!r}", {})
        if spec is not None and out.claim("sensor", f"{path}/{sensor}", line):
            parent.sensors.append(cast(SensorSpec, spec))


# --- writing --------------------------------------------------------------------------------------------


def _walk(doc: AssetDocument) -> Iterator[tuple[str, str, str, _Spec]]:
    """(kind, path, parent path, spec) from the top down, parents before their children."""

    def visit(spec: _Spec, level: int, parent: str) -> Iterator[tuple[str, str, str, _Spec]]:
        kind, _, child_key = LEVELS[level]
        path = f"{parent}/{spec.name}" if parent else spec.name  # type: ignore[attr-defined]
        yield kind, path, parent, spec
        for child in getattr(spec, child_key) if child_key else ():
            yield from visit(child, level + 1, path)

    for site in doc.sites:
        yield from visit(site, 0, "")


async def import_document(
    conn: Conn, tenant_id: Any, doc: AssetDocument, *, dry_run: bool = False
) -> dict[str, Any]:
    """Upsert ``doc`` by tag path in ``conn``'s tenant transaction; all-or-nothing.

    Returns counts: ``sites, areas, lines, machines, sensors`` (in the document) and ``created, updated,
    unchanged`` (entities). With ``dry_run`` nothing is written but the counts are the same.
    """
    items = list(_walk(doc))
    out = _Collector()
    for kind, path, _, spec in items:
        out.claim(kind, path, spec.line)
    cur = await conn.execute(
        "select id, kind, path, description, timezone, attributes from assets where path = any(%s)",
        [[p for k, p, _, _ in items if k != "sensor"]],
    )
    assets = {r["path"]: dict(r) for r in await cur.fetchall()}
    cur = await conn.execute(
        f"select id, path, {', '.join(SENSOR_KEYS)} from sensors where path = any(%s)",
        [[p for k, p, _, _ in items if k == "sensor"]],
    )
    sensors = {r["path"]: dict(r) for r in await cur.fetchall()}

    counts: dict[str, Any] = {f"{kind}s": 0 for kind, _, _ in LEVELS}
    counts.update(created=0, updated=0, unchanged=0, dry_run=dry_run)
    ids: dict[str, Any] = {p: r["id"] for p, r in assets.items()}
    new_assets: list[list[Any]] = []
    new_sensors: list[list[Any]] = []
    changed_assets: list[list[Any]] = []
    changed_sensors: list[list[Any]] = []
    for kind, path, parent, spec in items:
        counts[f"{kind}s"] += 1
        given = spec.model_dump(include=spec.model_fields_set)
        name = path.rpartition("/")[2]
        if kind == "sensor":
            old = sensors.get(path)
            try:
                fields = service.check_sensor_fields(
                    {"name": name, **(old or SensorSpec(name=name).model_dump()), **given}
                )
            except MIPError as exc:
                out.add(spec.line, f"sensor {path!r}: {exc.detail}")
                continue
            values = [fields[k] for k in SENSOR_KEYS]
            if old is None:
                new_sensors.append([uuid7(), tenant_id, ids.get(parent), name, path, *values])
            elif values != [old[k] for k in SENSOR_KEYS]:
                changed_sensors.append([*values, old["id"]])
        else:
            old = assets.get(path)
            if old is not None and old["kind"] != kind:
                out.add(spec.line, f"{path!r} exists as a {old['kind']}, not a {kind}")
                continue
            base = old or _AssetSpec(name=name).model_dump()
            values = [given.get(k, base[k]) for k in ASSET_KEYS]
            if old is None:
                ids[path] = uuid7()
                new_assets.append([ids[path], tenant_id, AssetKind(kind).value, ids.get(parent), name, path])
                new_assets[-1] += [*values[:2], Jsonb(values[2])]
            elif values != [old[k] for k in ASSET_KEYS]:
                changed_assets.append([*values[:2], Jsonb(values[2]), old["id"]])
        if old is None:
            counts["created"] += 1
        elif (changed_sensors if kind == "sensor" else changed_assets)[-1:] and _is_last(
            changed_sensors if kind == "sensor" else changed_assets, old["id"]
        ):
            counts["updated"] += 1
        else:
            counts["unchanged"] += 1
    out.raise_if_any()
    if dry_run:
        return counts
    try:
        async with conn.cursor() as c:
            for sql, rows in (
                (
                    "insert into assets (id, tenant_id, kind, parent_id, name, path, description, timezone, "
                    "attributes) values (%s, %s, %s, %s, %s, %s, %s, %s, %s)",
                    new_assets,
                ),
                (
                    "update assets set description = %s, timezone = %s, attributes = %s, updated_at = now() "
                    "where id = %s",
                    changed_assets,
                ),
                (
                    f"insert into sensors (id, tenant_id, machine_id, name, path, {', '.join(SENSOR_KEYS)}) "
                    f"values (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s)",
                    new_sensors,
                ),
                (
                    f"update sensors set {', '.join(f'{k} = %s' for k in SENSOR_KEYS)}, updated_at = now() "
                    f"where id = %s",
                    changed_sensors,
                ),
            ):
                if rows:
                    await c.executemany(sql, rows)
    except psycopg.errors.UniqueViolation:
        raise PathExists("an imported path was created concurrently; retry the import") from None
    return counts


def _is_last(rows: list[list[Any]], row_id: Any) -> bool:
    return bool(rows) and rows[-1][-1] == row_id
