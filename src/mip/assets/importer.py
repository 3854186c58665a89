"""Bulk import of an asset hierarchy from YAML or CSV.

A document is parsed and validated completely first; every problem is reported with its 1-based line in
the source text (:class:`ImportInvalid`). :func:`import_document` then matches assets and sensors by tag
path (upsert) inside the caller's transaction, so a document is imported entirely or not at all, and
importing it twice creates nothing the second time. Fields a YAML document leaves out keep their stored
values on update (defaults on create); a CSV document sets every column it has.
"""

from __future__ import annotations

import csv
import io
import uuid
from collections.abc import Callable, Iterator
from typing import Annotated, Any, TypeVar

import psycopg
import yaml
from psycopg.types.json import Jsonb
from pydantic import AfterValidator, BaseModel, ConfigDict, Field, JsonValue, PrivateAttr, ValidationError
from pydantic import model_validator as _model_validator

from mip.assets import service
from mip.assets.errors import ImportErrorItem, ImportInvalid, PathExists
from mip.assets.service import SensorKind
from mip.platform.db import Conn
from mip.platform.errors import MIPError
from mip.platform.ids import uuid7

MAX_ERRORS = 1000
T = TypeVar("T")


def _checked(check: Callable[[Any], T]) -> AfterValidator:
    """A service check as a pydantic validator (its error detail becomes the message)."""

    def run(value: Any) -> T:
        try:
            return check(value)
        except MIPError as exc:
            raise ValueError(exc.detail) from None

    return AfterValidator(run)


Limit = Annotated[float | None, Field(allow_inf_nan=False)]


class _Spec(BaseModel):
    model_config = ConfigDict(extra="forbid")
    _line: int = PrivateAttr(default=0)
    name: Annotated[str, _checked(service.check_name)]

    @property
    def line(self) -> int:
        """1-based line in the source document (0 when built in code)."""
        return self._line


class SensorSpec(_Spec):
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
    description: str = Field(default="", max_length=2000)
    timezone: Annotated[str | None, _checked(service.check_timezone)] = None
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


# (kind, spec model, key of its children list) from the top down; sensors have no children.
LEVELS: list[tuple[str, type[_Spec], str | None]] = [
    ("site", SiteSpec, "areas"),
    ("area", AreaSpec, "lines"),
    ("line", LineSpec, "machines"),
    ("machine", MachineSpec, "sensors"),
    ("sensor", SensorSpec, None),
]
ASSET_KEYS = ("description", "timezone", "attributes")
ASSET_DEFAULTS: dict[str, Any] = {"description": "", "timezone": None, "attributes": {}}
SENSOR_KEYS = ("kind", "unit", "sample_rate_hz", "low_limit", "high_limit", "safety")
SENSOR_DEFAULTS: dict[str, Any] = {k: SensorSpec.model_fields[k].default for k in SENSOR_KEYS}
STRING_KEYS = frozenset({"name", "unit", "description", "timezone"})


class _Collector:
    """Errors with their lines, and the tag paths seen so far (to report duplicates)."""

    def __init__(self) -> None:
        self.errors: list[ImportErrorItem] = []
        self.paths: dict[str, int] = {}

    def add(self, line: int, message: str) -> None:
        self.errors.append({"line": line, "message": message})

    def claim(self, kind: str, path: str, line: int) -> bool:
        """Record one entity's path; False (and an error) if another entity already has it."""
        if path in self.paths:
            self.add(line, f"duplicate {kind} {path!r} (first defined on line {self.paths[path]})")
            return False
        self.paths[path] = line
        return True

    def validate(self, model: type[_Spec], data: dict[str, Any], line: int, what: str, lines: dict[str, int]) -> Any:
        """The validated spec, or None; each field error is reported on that field's own line."""
        try:
            spec = model.model_validate(data)
        except ValidationError as exc:
            for e in exc.errors():
                field = str(e["loc"][0]) if e["loc"] else ""
                if e["type"] == "extra_forbidden":
                    msg = f"{what}: unknown key {field!r}"
                elif e["type"] == "enum":
                    msg = f"{what}: unknown {field} {e['input']!r}; expected one of {e['ctx']['expected']}"
                else:
                    msg = f"{what}: {field + ': ' if field else ''}{e['msg'].removeprefix('Value error, ')}"
                self.add(lines.get(field, line), msg)
            return None
        spec._line = line
        return spec

    def raise_if_any(self) -> None:
        if self.errors:
            first = sorted(self.errors, key=lambda e: e["line"])[:MAX_ERRORS]
            raise ImportInvalid(first, error_count=len(self.errors))


# --- YAML -----------------------------------------------------------------------------------------------


_Loader = yaml.SafeLoader | yaml.CSafeLoader
_LOADER: type[_Loader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml when present: much faster


def _line(node: yaml.Node) -> int:
    return int(node.start_mark.line) + 1


class _YamlReader:
    def __init__(self, loader: _Loader, out: _Collector) -> None:
        self.loader = loader
        self.out = out

    def value(self, key: str, node: yaml.Node) -> Any:
        value = self.loader.construct_object(node, deep=True)
        if key in STRING_KEYS and isinstance(node, yaml.ScalarNode) and isinstance(value, bool | int | float):
            return node.value  # a name such as 0012 or yes stays the text as written
        return value

    def items(self, node: yaml.Node, what: str) -> list[yaml.MappingNode]:
        if isinstance(node, yaml.ScalarNode) and node.tag == "tag:yaml.org,2002:null":
            return []
        if not isinstance(node, yaml.SequenceNode):
            self.out.add(_line(node), f"{what} must be a list")
            return []
        for item in node.value:
            if not isinstance(item, yaml.MappingNode):
                self.out.add(_line(item), f"each entry of {what} must be a mapping with at least a name")
        return [item for item in node.value if isinstance(item, yaml.MappingNode)]

    def entity(self, node: yaml.MappingNode, level: int, parent: str) -> Any:
        kind, model, child_key = LEVELS[level]
        data: dict[str, Any] = {}
        lines: dict[str, int] = {}
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
            children = [self.entity(item, level + 1, path) for item in self.items(child_node, f"{what}: {child_key}")]
            data[child_key] = [c for c in children if c is not None]
        return self.out.validate(model, data, _line(node), what, lines)


def _compose(loader: _Loader, out: _Collector) -> yaml.Node | None:
    """The single document's node tree, or None with the syntax error recorded."""
    try:
        root = loader.get_single_node()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        out.add(int(mark.line) + 1 if mark else 1, f"YAML syntax: {exc.problem or exc.context}")
        return None
    except yaml.YAMLError as exc:
        out.add(1, f"YAML syntax: {exc}")
        return None
    if root is None:
        out.add(1, "the document is empty; expected a mapping with a 'sites' list")
        return None
    # Reject anchors/aliases: a re-used node could multiply the document (a "billion laughs").
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
            stack.extend(x for pair in node.value for x in pair)
    if not isinstance(root, yaml.MappingNode):
        out.add(_line(root), "the document must be a mapping with a 'sites' list")
    return None if out.errors else root


def parse_yaml(text: str) -> AssetDocument:
    """Parse ``sites: [{name, timezone, areas: [{name, lines: [{name, machines: [{name, sensors}]}]}]}]``.

    Raises :class:`ImportInvalid` listing every error with its line.
    """
    out = _Collector()
    loader = _LOADER(text.removeprefix("\ufeff"))
    try:
        root = _compose(loader, out)
        sites: list[Any] = []
        if isinstance(root, yaml.MappingNode):
            reader = _YamlReader(loader, out)
            for k, v in root.value:
                if not (isinstance(k, yaml.ScalarNode) and k.value == "sites"):
                    out.add(_line(k), f"unknown top-level key {getattr(k, 'value', '?')!r}; expected 'sites'")
                    continue
                sites += [reader.entity(item, 0, "") for item in reader.items(v, "sites")]
        out.raise_if_any()
        return AssetDocument.model_validate({"sites": sites})
    finally:
        loader.dispose()


# --- CSV ------------------------------------------------------------------------------------------------

CSV_LEVELS = ("site", "area", "line", "machine")
CSV_COLUMNS = (*CSV_LEVELS, "sensor", *SENSOR_KEYS)


def _csv_records(text: str, out: _Collector) -> Iterator[tuple[int, list[str]]]:
    """(1-based line where the record starts, its stripped cells); blank lines skipped. A CSV syntax error
    is recorded and ends the file."""
    reader = csv.reader(io.StringIO(text.removeprefix("\ufeff"), newline=""), strict=True)
    start = 1
    try:
        for row in reader:
            if any(cell.strip() for cell in row):
                yield start, [cell.strip() for cell in row]
            start = reader.line_num + 1
    except csv.Error as exc:
        out.add(start, f"CSV syntax: {exc}")


def parse_csv(text: str) -> AssetDocument:
    """One row per sensor: ``site,area,line,machine,sensor,kind,unit,sample_rate_hz,low_limit,high_limit,safety``.

    Parents are created implicitly; an empty ``sensor`` cell gives a machine (or a shorter branch) with no
    sensor; empty limits are null. Raises :class:`ImportInvalid` listing every bad line.
    """
    out = _Collector()
    records = _csv_records(text, out)
    header_line, header = next(records, (1, []))
    header = [h.lower() for h in header]
    cols = {h: i for i, h in enumerate(header)}
    wrong = [h for h in cols if h not in CSV_COLUMNS] + [c for c in CSV_LEVELS if c not in cols]
    if len(cols) != len(header) or wrong:
        expected = ",".join(CSV_COLUMNS)
        out.add(header_line, f"the header must be {expected} (sensor columns optional), not {','.join(header)!r}")
    out.raise_if_any()
    doc = AssetDocument()
    nodes: dict[str, Any] = {}
    for line, row in records:
        if len(row) != len(header):
            out.add(line, f"expected {len(header)} fields, found {len(row)}")
        else:
            _csv_row(line, {h: row[i] for h, i in cols.items()}, doc, nodes, out)
    out.raise_if_any()
    return doc


def _csv_row(line: int, cell: dict[str, str], doc: AssetDocument, nodes: dict[str, Any], out: _Collector) -> None:
    names = [cell[c] for c in CSV_LEVELS]
    depth = max((i + 1 for i, n in enumerate(names) if n), default=0)
    sensor = cell.get("sensor", "")
    extras = [k for k in SENSOR_KEYS if cell.get(k)]
    if not all(names[:depth]):
        return out.add(line, f"{CSV_LEVELS[names.index('')]} is empty but a lower level is set")
    if (sensor or extras) and depth < 4:
        return out.add(line, "a sensor needs site, area, line and machine")
    if extras and not sensor:
        return out.add(line, f"{', '.join(extras)} given but the sensor column is empty")
    parent: Any = None
    path = ""
    for level, name in enumerate(names[:depth]):
        kind, model, _ = LEVELS[level]
        path = f"{path}/{name}" if path else name
        if path not in nodes:
            node = out.validate(model, {"name": name}, line, f"{kind} {name!r}", {})
            if node is None:
                return None
            nodes[path] = node
            out.claim(kind, path, line)
            (doc.sites if parent is None else getattr(parent, str(LEVELS[level - 1][2]))).append(node)
        parent = nodes[path]
    if sensor:
        data = {"name": sensor, **{k: cell[k] or SENSOR_DEFAULTS[k] for k in SENSOR_KEYS if k in cell}}
        spec = out.validate(SensorSpec, data, line, f"sensor {sensor!r}", {})
        if spec is not None and out.claim("sensor", f"{path}/{sensor}", line):
            parent.sensors.append(spec)
    return None


# --- writing --------------------------------------------------------------------------------------------

_INSERT_ASSETS = (
    "insert into assets (id, tenant_id, kind, parent_id, name, path, description, timezone, attributes) "
    "values (%s, %s, %s, %s, %s, %s, %s, %s, %s)"
)
_UPDATE_ASSETS = "update assets set description = %s, timezone = %s, attributes = %s, updated_at = now() where id = %s"
_INSERT_SENSORS = (
    f"insert into sensors (id, tenant_id, machine_id, name, path, {', '.join(SENSOR_KEYS)}) "
    f"values (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s)"
)
_UPDATE_SENSORS = f"update sensors set {', '.join(f'{k} = %s' for k in SENSOR_KEYS)}, updated_at = now() where id = %s"


def walk(doc: AssetDocument) -> Iterator[tuple[str, str, str, _Spec]]:
    """(kind, path, parent path, spec) for every asset and sensor, parents before their children."""

    def visit(spec: _Spec, level: int, parent: str) -> Iterator[tuple[str, str, str, _Spec]]:
        kind, _, child_key = LEVELS[level]
        path = f"{parent}/{spec.name}" if parent else spec.name
        yield kind, path, parent, spec
        for child in getattr(spec, child_key) if child_key else ():
            yield from visit(child, level + 1, path)

    for site in doc.sites:
        yield from visit(site, 0, "")


async def import_document(
    conn: Conn, tenant_id: uuid.UUID, doc: AssetDocument, *, dry_run: bool = False
) -> dict[str, Any]:
    """Upsert ``doc`` by tag path in ``conn``'s tenant transaction; all-or-nothing.

    Returns ``{sites, areas, lines, machines, sensors}`` (how many the document has) and ``{created, updated,
    unchanged}`` (what happened to them). With ``dry_run`` the counts are the same but nothing is written.
    """
    items = list(walk(doc))
    out = _Collector()
    for kind, path, _, spec in items:
        out.claim(kind, path, spec.line)
    paths = [[p for k, p, _, _ in items if k != "sensor"], [p for k, p, _, _ in items if k == "sensor"]]
    cur = await conn.execute(
        f"select id, kind, path, {', '.join(ASSET_KEYS)} from assets where path = any(%s)", [paths[0]]
    )
    assets = {r["path"]: r for r in await cur.fetchall()}
    cur = await conn.execute(f"select id, path, {', '.join(SENSOR_KEYS)} from sensors where path = any(%s)", [paths[1]])
    sensors = {r["path"]: r for r in await cur.fetchall()}

    counts: dict[str, Any] = {f"{kind}s": 0 for kind, _, _ in LEVELS} | {"created": 0, "updated": 0, "unchanged": 0}
    ids: dict[str, uuid.UUID] = {p: r["id"] for p, r in assets.items()}
    writes: dict[str, list[list[Any]]] = {
        sql: [] for sql in (_INSERT_ASSETS, _UPDATE_ASSETS, _INSERT_SENSORS, _UPDATE_SENSORS)
    }
    for kind, path, parent, spec in items:
        counts[f"{kind}s"] += 1
        keys = SENSOR_KEYS if kind == "sensor" else ASSET_KEYS
        given = {k: getattr(spec, k) for k in keys if k in spec.model_fields_set}
        state = "unchanged"
        if kind == "sensor":
            old: Any = sensors.get(path)
            try:
                fields = service.check_sensor_fields({**(old or SENSOR_DEFAULTS), **given, "name": spec.name})
            except MIPError as exc:
                out.add(spec.line, f"sensor {path!r}: {exc.detail}")
                continue
            values = [fields[k] for k in SENSOR_KEYS]
            if old is None:
                state = "created"
                writes[_INSERT_SENSORS].append([uuid7(), tenant_id, ids[parent], spec.name, path, *values])
            elif values != [old[k] for k in SENSOR_KEYS]:
                state = "updated"
                writes[_UPDATE_SENSORS].append([*values, old["id"]])
        else:
            old = assets.get(path)
            if old is not None and old["kind"] != kind:
                out.add(spec.line, f"{path!r} exists as a {old['kind']}, not a {kind}")
                continue
            desc, tz, attrs = (given.get(k, (old or ASSET_DEFAULTS)[k]) for k in ASSET_KEYS)
            if old is None:
                state = "created"
                ids[path] = uuid7()
                row = [ids[path], tenant_id, kind, ids.get(parent), spec.name, path, desc, tz, Jsonb(attrs)]
                writes[_INSERT_ASSETS].append(row)
            elif [desc, tz, attrs] != [old[k] for k in ASSET_KEYS]:
                state = "updated"
                writes[_UPDATE_ASSETS].append([desc, tz, Jsonb(attrs), old["id"]])
        counts[state] += 1
    out.raise_if_any()
    if not dry_run:
        try:
            async with conn.cursor() as c:
                for sql, rows in writes.items():
                    if rows:
                        await c.executemany(sql, rows)
        except psycopg.errors.UniqueViolation:
            raise PathExists("an imported path was created concurrently; retry the import") from None
    return counts | {"dry_run": dry_run}
