"""How a domain adds a lake dataset: quality records (SPC subgroups), registered at import time.

Loaded through ``mip.lake.sources.PLUGIN_MODULES`` in tests/lake/test_plugins.py; the quality domain would
put the same code in ``mip/quality/lake.py`` and add that module to ``PLUGIN_MODULES``.
"""

from __future__ import annotations

import pyarrow as pa

from mip.lake.datasets import ID, TS, DataClass, Dataset, register_dataset
from mip.lake.sources import SqlSource, register_source

SPC_SUBGROUPS = register_dataset(
    Dataset(
        name="quality_spc_subgroups",
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
        append_only=False,  # a subgroup can be excluded later: a changed hour is rewritten
        description="SPC subgroups (measurements per chart and sample)",
    )
)

SPC_SUBGROUPS_SOURCE = register_source(
    SqlSource(
        dataset=SPC_SUBGROUPS,
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
