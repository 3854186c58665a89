"""Quality records in the data lake: inspection results, NCRs and SPC subgroups.

Registered with the lake at import time (``mip.lake.sources.PLUGIN_MODULES`` lists this module), so the ETL
exports them exactly once per hour like the built-in datasets, the tenant's ``events`` retention applies, and
analytics can ``SELECT … FROM quality_inspection_results | quality_ncrs | quality_spc``.

* ``quality_inspection_results``: one row per recorded result (append-only: results are never overwritten);
  placed by ``recorded_at``.
* ``quality_ncrs``: one row per NCR with its current state (mutable: a changed NCR rewrites its hour);
  placed by ``detected_at``.
* ``quality_spc``: SPC subgroups (mutable: a subgroup can be excluded later); placed by its timestamp.
"""

from __future__ import annotations

import pyarrow as pa

from mip.lake.datasets import ID, TS, DataClass, Dataset, register_dataset
from mip.lake.sources import SqlSource, register_source

_NS = "(extract(epoch from {c}) * 1000000)::bigint * 1000"
_IN_HOUR = "{c} >= to_timestamp(%(a)s / 1e9) and {c} < to_timestamp(%(b)s / 1e9)"

INSPECTION_RESULTS = register_dataset(
    Dataset(
        name="quality_inspection_results",
        schema=pa.schema(
            [
                ("id", pa.string()),
                ("inspection_id", ID),
                ("characteristic_id", ID),
                ("characteristic", pa.string()),
                ("unit", pa.int32()),
                ("serial", pa.string()),
                ("value", pa.float64()),
                ("passed", pa.bool_()),
                ("gauge_id", ID),
                ("ts", TS),
            ]
        ),
        time_column="ts",
        sort=("ts", "id"),
        key=("id",),
        data_class=DataClass.EVENTS,
        append_only=True,
        description="Inspection results (one per sampled unit and characteristic)",
    )
)

NCRS = register_dataset(
    Dataset(
        name="quality_ncrs",
        schema=pa.schema(
            [
                ("id", pa.string()),
                ("number", pa.int64()),
                ("title", pa.string()),
                ("item_id", ID),
                ("supplier_id", ID),
                ("line_id", ID),
                ("quantity", pa.float64()),
                ("status", ID),
                ("disposition", ID),
                ("disposition_quantity", pa.float64()),
                ("ts", TS),
                ("dispositioned_at", TS),
                ("mrb_approved_at", TS),
                ("updated_at", TS),
            ]
        ),
        time_column="ts",
        sort=("ts", "id"),
        key=("id",),
        data_class=DataClass.EVENTS,
        append_only=False,
        description="Nonconformance reports with their current status and disposition",
    )
)

SPC = register_dataset(
    Dataset(
        name="quality_spc",
        schema=pa.schema(
            [
                ("id", pa.string()),
                ("chart_id", ID),
                ("seq", pa.int32()),
                ("ts", TS),
                ("values", pa.list_(pa.float64())),
                ("size", pa.float64()),
                ("excluded", pa.bool_()),
            ]
        ),
        time_column="ts",
        sort=("ts", "id"),
        key=("id",),
        data_class=DataClass.EVENTS,
        append_only=False,
        description="SPC subgroups (measurements per chart and sample)",
    )
)

register_source(
    SqlSource(
        dataset=INSPECTION_RESULTS,
        fingerprint_sql=f"""
          select ns - ns %% 3600000000000 as h, count(*)::text as fp from (
            select {_NS.format(c="recorded_at")} as ns from inspection_results
            where tenant_id = %(t)s and {_IN_HOUR.format(c="recorded_at")}) x group by 1
        """,
        extract_sql=f"""
          select r.id, r.inspection_id, r.characteristic_id, c.name as characteristic, r.unit, r.serial, r.value,
                 r.passed, r.gauge_id, {_NS.format(c="r.recorded_at")} as ts
          from inspection_results r join inspection_characteristics c on c.id = r.characteristic_id
          where r.tenant_id = %(t)s and {_IN_HOUR.format(c="r.recorded_at")}
        """,
    )
)

register_source(
    SqlSource(
        dataset=NCRS,
        fingerprint_sql=f"""
          select ns - ns %% 3600000000000 as h, md5(string_agg(id::text || '|' || version::text, ',' order by id))
                 as fp from (
            select id, version, {_NS.format(c="detected_at")} as ns from ncrs
            where tenant_id = %(t)s and {_IN_HOUR.format(c="detected_at")}) x group by 1
        """,
        extract_sql=f"""
          select id, number, title, item_id, supplier_id, line_id, quantity, status, disposition,
                 disposition_quantity, {_NS.format(c="detected_at")} as ts,
                 {_NS.format(c="dispositioned_at")} as dispositioned_at,
                 {_NS.format(c="mrb_approved_at")} as mrb_approved_at, {_NS.format(c="updated_at")} as updated_at
          from ncrs where tenant_id = %(t)s and {_IN_HOUR.format(c="detected_at")}
        """,
        lookback_days_setting="lake_alarms_lookback_days",  # NCRs change for weeks after they are raised
    )
)

register_source(
    SqlSource(
        dataset=SPC,
        fingerprint_sql="""
          select ts - ts %% 3600000000000 as h,
                 md5(string_agg(id::text || excluded::text || note, ',' order by id)) as fp
          from spc_subgroups where tenant_id = %(t)s and ts >= %(a)s and ts < %(b)s group by 1
        """,
        extract_sql="""
          select id, chart_id, seq, ts, values, size, excluded from spc_subgroups
          where tenant_id = %(t)s and ts >= %(a)s and ts < %(b)s
        """,
    )
)
