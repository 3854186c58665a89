"""DDL that lets a tenant point its own engine (Athena/Glue or Trino's Hive connector) at its lake data.

Layout (mip.lake.manifest): ``<lake>/<dataset>/tenant=<uuid>/date=YYYY-MM-DD/hour=HH/*.parquet``. The DDL
declares one table per dataset over the tenant's prefix, partitioned by ``date`` and ``hour`` (strings).
The header says plainly what an outside engine can and cannot do with these files today.
"""

from __future__ import annotations

import uuid
from typing import Literal

import pyarrow as pa

Engine = Literal["athena", "trino"]
PROJECTION_START = "2020-01-01"


def _hive_type(t: pa.DataType, engine: Engine) -> str:
    if pa.types.is_dictionary(t):
        return _hive_type(t.value_type, engine)
    if pa.types.is_string(t) or pa.types.is_large_string(t):
        return "string" if engine == "athena" else "varchar"
    if pa.types.is_timestamp(t):
        return "timestamp" if engine == "athena" else "timestamp(3)"
    if pa.types.is_boolean(t):
        return "boolean"
    if pa.types.is_float64(t):
        return "double"
    if pa.types.is_float32(t):
        return "float" if engine == "athena" else "real"
    if pa.types.is_int64(t) or pa.types.is_uint32(t):
        return "bigint"
    if pa.types.is_integer(t):  # int8..int32, uint8/uint16 (stored as INT32 in Parquet)
        return "int" if engine == "athena" else "integer"
    if pa.types.is_list(t) or pa.types.is_large_list(t):
        item = _hive_type(t.value_type, engine)
        return f"array<{item}>" if engine == "athena" else f"array({item})"
    raise ValueError(f"no {engine} type for {t}")


def header(engine: Engine, tenant_id: uuid.UUID, lake_url: str) -> str:
    lines = [
        f"-- MIP lake catalog for tenant {tenant_id} ({'Amazon Athena / AWS Glue' if engine == 'athena' else 'Trino'})",
        f"-- Lake root: {lake_url}",
        "--",
        "-- ENCRYPTION: every file is encrypted with Parquet modular encryption (AES-GCM, encrypted footer and",
        "-- columns). Data keys are wrapped with your tenant's master key by MIP's key provider (local key",
        "-- files today; a cloud KMS provider implements the same wrap/unwrap). An engine can read the files only",
        "-- with a Parquet decryption factory whose KMS client unwraps keys with that master key, e.g. pyarrow or",
        "-- parquet-java with a KmsClient for MIP's key wrapping. As of this writing Athena does not read Parquet",
        "-- modular encryption and Trino's Hive connector does not either: these tables resolve the layout and",
        "-- schema, but SELECTs fail until your engine is given a decryption factory and key access. Until then,",
        "-- query your data with MIP (POST /api/v1/analytics/query, `mip analytics query`).",
        "--",
        "-- COMMITTED DATA: the files an engine should read are those listed in the day manifests",
        "-- (<dataset>/tenant=<uuid>/_manifest/date=YYYY-MM-DD.json). A directory listing can also see files",
        "-- of a replaced or failed write until garbage collection removes them (about an hour), so a plain",
        "-- table scan may briefly count rows twice after a rewrite of an hour (alarms, rollups).",
        "--",
        "-- TYPES: timestamps are UTC. readings.value may be stored as a scaled int64 in some files (file",
        "-- metadata mip.value_scale = k, value = stored / 10^k); MIP's reader undoes this, other engines do not.",
    ]
    if not lake_url.startswith("s3://"):
        lines += [
            "--",
            "-- NOTE: this lake is on a local directory, not S3: set MIP_LAKE_URL=s3://bucket/prefix so that",
            "-- cloud engines can reach the files. The LOCATIONs below use the local URL.",
        ]
    return "\n".join(lines) + "\n"


def _location(lake_url: str, dataset: str, tenant_id: uuid.UUID) -> str:
    return f"{lake_url.rstrip('/')}/{dataset}/tenant={tenant_id}/"


def athena_table(
    dataset: str, schema: pa.Schema, description: str, tenant_id: uuid.UUID, lake_url: str, database: str
) -> str:
    loc = _location(lake_url, dataset, tenant_id)
    cols = ",\n".join(f"  `{f.name}` {_hive_type(f.type, 'athena')}" for f in schema)
    comment = description.replace("'", "''")
    return (
        f"CREATE EXTERNAL TABLE IF NOT EXISTS `{database}`.`{dataset}` (\n{cols}\n)\n"
        f"COMMENT '{comment}'\n"
        "PARTITIONED BY (`date` string, `hour` string)\n"
        "STORED AS PARQUET\n"
        f"LOCATION '{loc}'\n"
        "TBLPROPERTIES (\n"
        "  'projection.enabled' = 'true',\n"
        "  'projection.date.type' = 'date',\n"
        "  'projection.date.format' = 'yyyy-MM-dd',\n"
        f"  'projection.date.range' = '{PROJECTION_START},NOW',\n"
        "  'projection.date.interval' = '1',\n"
        "  'projection.date.interval.unit' = 'DAYS',\n"
        "  'projection.hour.type' = 'integer',\n"
        "  'projection.hour.range' = '0,23',\n"
        "  'projection.hour.digits' = '2',\n"
        f"  'storage.location.template' = '{loc}date=${{date}}/hour=${{hour}}/'\n"
        ");\n"
    )


def trino_table(
    dataset: str, schema: pa.Schema, description: str, tenant_id: uuid.UUID, lake_url: str, catalog: str, database: str
) -> str:
    loc = _location(lake_url, dataset, tenant_id)
    cols = ",\n".join(f'  "{f.name}" {_hive_type(f.type, "trino")}' for f in schema)
    comment = description.replace("'", "''")
    return (
        f'CREATE TABLE IF NOT EXISTS {catalog}.{database}."{dataset}" (\n{cols},\n'
        '  "date" varchar,\n  "hour" varchar\n)\n'
        f"COMMENT '{comment}'\n"
        "WITH (\n"
        f"  external_location = '{loc}',\n"
        "  format = 'PARQUET',\n"
        "  partitioned_by = ARRAY['date', 'hour']\n"
        ");\n"
        f"CALL {catalog}.system.sync_partition_metadata('{database}', '{dataset}', 'ADD');\n"
    )


def catalog_ddl(
    engine: Engine,
    tenant_id: uuid.UUID,
    lake_url: str,
    datasets: list[tuple[str, pa.Schema, str]],
    *,
    database: str = "mip",
    trino_catalog: str = "hive",
) -> str:
    """The whole script for ``engine``: header, then one table per (name, schema, description)."""
    parts = [header(engine, tenant_id, lake_url)]
    if engine == "athena":
        parts.append(f"CREATE DATABASE IF NOT EXISTS `{database}`;\n")
        parts += [athena_table(n, s, d, tenant_id, lake_url, database) for n, s, d in datasets]
    else:
        parts.append(f"CREATE SCHEMA IF NOT EXISTS {trino_catalog}.{database};\n")
        parts += [trino_table(n, s, d, tenant_id, lake_url, trino_catalog, database) for n, s, d in datasets]
        parts.append("-- rerun the sync_partition_metadata calls to pick up new hours (Trino has no projection)\n")
    return "\n".join(parts)
