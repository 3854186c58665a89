"""What a tenant's SQL may do, decided with DuckDB's own parser (never with regexes).

``analyze`` accepts exactly one SELECT (``WITH``, ``FROM``-first, ``VALUES``, ``DESCRIBE``/``SUMMARIZE`` of a
dataset are SELECTs to DuckDB) and walks its serialized syntax tree (``json_serialize_sql``) for:

- the tables it reads: each must be one of the tenant's datasets or a CTE of the query; anything that looks
  like a path or URL (``FROM '/etc/passwd'``, ``FROM 's3://...'``) is refused as ``forbidden_sql``;
- table functions: only ``range``/``generate_series``/``unnest``; file and URL readers (``read_csv``,
  ``read_parquet``, ``glob``, ...) and ``query()`` are refused as ``forbidden_sql``;
- the columns it names, so the engine decrypts only those (``*``, ``COLUMNS(...)``, ``#n``, ``USING`` and
  ``NATURAL`` joins, or a table used as a value fall back to every column).

The DuckDB connection the query then runs on is locked down as well (see engine.py): this check gives clear
errors and keeps the loaded data small; the connection settings are what make an escape impossible.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import duckdb

from mip.analytics.errors import ForbiddenSql, SqlError

MAX_SQL_CHARS = 100_000
ALLOWED_TABLE_FUNCTIONS = frozenset({"range", "generate_series", "unnest"})
# refused wherever they appear (as table or scalar function), with a message about files/URLs
FILE_FUNCTIONS = frozenset(
    {
        "read_csv",
        "read_csv_auto",
        "read_parquet",
        "parquet_scan",
        "parquet_metadata",
        "parquet_schema",
        "parquet_file_metadata",
        "parquet_kv_metadata",
        "read_json",
        "read_json_auto",
        "read_json_objects",
        "read_json_objects_auto",
        "read_ndjson",
        "read_ndjson_auto",
        "read_ndjson_objects",
        "read_text",
        "read_blob",
        "read_xlsx",
        "glob",
        "sniff_csv",
        "iceberg_scan",
        "delta_scan",
        "sqlite_scan",
        "postgres_scan",
        "mysql_scan",
        "query",
        "query_table",
        "getenv",
    }
)
PATH_CHARS = frozenset("/\\.:*?~")
LOCAL_SCHEMAS = frozenset({"", "main", "memory"})


@dataclass
class Analysis:
    """One validated SELECT: the datasets it reads and the columns it may need from each."""

    sql: str
    tables: set[str] = field(default_factory=set)  # dataset names (lower case)
    column_refs: set[str] = field(default_factory=set)  # every identifier used as a column (lower case)
    all_columns: bool = False
    parameters: set[str] = field(default_factory=set)  # $name parameters

    def columns_for(self, schema_names: Iterable[str]) -> list[str] | None:
        """The columns of a dataset to load (None: every column); at least one so COUNT(*) sees the rows."""
        names = list(schema_names)
        if self.all_columns:
            return None
        wanted = [n for n in names if n.lower() in self.column_refs]
        if not wanted and names:
            wanted = [names[0]]
        return wanted


def _keyword(query: str) -> str:
    words = query.strip().split(None, 1)
    return words[0].upper() if words else ""


def parse_one(sql: str) -> tuple[str, set[str]]:
    """Exactly one SELECT statement: its text and its named parameters."""
    if len(sql) > MAX_SQL_CHARS:
        raise ForbiddenSql(f"the query is longer than {MAX_SQL_CHARS} characters")
    try:
        statements = duckdb.extract_statements(sql)
    except duckdb.Error as exc:
        raise SqlError(str(exc)) from None
    if not statements:
        raise SqlError("the query is empty")
    if len(statements) > 1:
        raise ForbiddenSql(f"exactly one statement is allowed; got {len(statements)}", statements=len(statements))
    stmt = statements[0]
    if stmt.type != duckdb.StatementType.SELECT:
        kind = _keyword(stmt.query) or stmt.type.name
        raise ForbiddenSql(
            f"only read-only queries (SELECT / WITH) are allowed; {kind} statements are not", statement=kind
        )
    return stmt.query, {str(p) for p in stmt.named_parameters}


def serialize(con: duckdb.DuckDBPyConnection, sql: str) -> dict[str, Any]:
    rows = con.execute("select json_serialize_sql($q)", {"q": sql}).fetchall()
    tree: dict[str, Any] = json.loads(rows[0][0]) if rows else {"error": True}
    if tree.get("error"):
        message = tree.get("error_message") or "this statement form is not supported"
        raise ForbiddenSql(f"only plain SELECT queries are supported: {message}")
    return tree


def _is_pathlike(name: str) -> bool:
    return any(c in PATH_CHARS for c in name)


class _Walker:
    def __init__(self, datasets: set[str]) -> None:
        self.datasets = datasets
        self.ctes: set[str] = set()
        self.base: list[tuple[str, str, str, str]] = []  # catalog, schema, table, alias
        self.bare: set[str] = set()  # unqualified column references
        self.out = Analysis(sql="")

    def walk(self, node: Any) -> None:
        if isinstance(node, list):
            for item in node:
                self.walk(item)
            return
        if not isinstance(node, dict):
            return
        kind = node.get("type")
        cte_map = node.get("cte_map")
        if isinstance(cte_map, dict):
            for entry in cte_map.get("map") or []:
                self.ctes.add(str(entry.get("key", "")).lower())
        if kind == "BASE_TABLE":
            catalog, schema, table = (
                str(node.get(k) or "").lower() for k in ("catalog_name", "schema_name", "table_name")
            )
            self.base.append((catalog, schema, table, str(node.get("alias") or "").lower()))
        elif kind == "TABLE_FUNCTION":
            fn = str((node.get("function") or {}).get("function_name", "")).lower()
            if fn not in ALLOWED_TABLE_FUNCTIONS:
                self._refuse_function(fn, table=True)
        elif kind in ("STAR", "POSITIONAL_REFERENCE") or (
            kind == "JOIN" and (node.get("using_columns") or node.get("ref_type") == "NATURAL")
        ):
            self.out.all_columns = True  # every column of every table may be needed
        elif kind == "COLUMN_REF":
            parts = [str(n).lower() for n in node.get("column_names") or []]
            self.out.column_refs.update(parts)
            if len(parts) == 1:
                self.bare.add(parts[0])
        fn_name = node.get("function_name")
        if isinstance(fn_name, str) and fn_name.lower() in FILE_FUNCTIONS:
            self._refuse_function(fn_name.lower(), table=False)
        for value in node.values():
            if isinstance(value, dict | list):
                self.walk(value)

    @staticmethod
    def _refuse_function(fn: str, *, table: bool) -> None:
        if fn in FILE_FUNCTIONS:
            raise ForbiddenSql(f"{fn}() is not allowed: queries read only your datasets, never files or URLs")
        allowed = ", ".join(sorted(ALLOWED_TABLE_FUNCTIONS))
        raise ForbiddenSql(f"table function {fn}() is not allowed (allowed: {allowed})" if table else f"{fn}()")

    def finish(self) -> Analysis:
        aliases: set[str] = set()
        for catalog, schema, table, alias in self.base:
            if _is_pathlike(table) or _is_pathlike(schema) or _is_pathlike(catalog):
                raise ForbiddenSql(
                    f"{table!r} is not allowed: queries read only your datasets, never files or URLs", table=table
                )
            if schema not in LOCAL_SCHEMAS or catalog not in LOCAL_SCHEMAS:
                qualified = ".".join(p for p in (catalog, schema, table) if p)
                raise ForbiddenSql(f"{qualified}: only your datasets can be queried", table=qualified)
            if table in self.ctes and not schema and not catalog:
                aliases.add(alias or table)
                continue
            if table not in self.datasets:
                known = ", ".join(sorted(self.datasets)) or "none yet"
                raise SqlError(f"unknown table {table!r}; your datasets: {known}", table=table)
            self.out.tables.add(table)
            aliases.add(alias or table)
        if self.bare & aliases:  # a table used as a value (``SELECT r FROM readings r``)
            self.out.all_columns = True
        return self.out


def analyze(con: duckdb.DuckDBPyConnection, sql: str, datasets: Iterable[str]) -> Analysis:
    """Validate ``sql`` and describe what it reads. Raises ForbiddenSql / SqlError."""
    query, params = parse_one(sql)
    tree = serialize(con, query)
    walker = _Walker({d.lower() for d in datasets})
    walker.walk(tree.get("statements", []))
    out = walker.finish()
    out.sql = query
    out.parameters = params
    return out
