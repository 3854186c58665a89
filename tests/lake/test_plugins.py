"""A dataset of another domain plugged in with register_dataset/register_source (the documented example)."""

from __future__ import annotations

import json
import sys
import time
from collections.abc import Iterator
from typing import Any

import pyarrow as pa
import pytest

from mip.lake import sources
from mip.lake.api import lake_for
from mip.lake.datasets import DATASETS, READINGS, register_dataset
from mip.lake.etl import LakeEtl
from mip.lake.reader import LakeReader
from mip.platform.ids import uuid7
from mip.runtime import Runtime
from tests.conftest import MachineFactory, TenantFactory

HOUR_NS = 3_600_000_000_000
EXAMPLE = "tests.lake.quality_example"


@pytest.fixture
def plugin(monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    monkeypatch.setattr(sources, "PLUGIN_MODULES", [EXAMPLE])
    yield
    module = sys.modules.pop(EXAMPLE, None)
    if module is not None:
        DATASETS.pop(module.SPC_SUBGROUPS.name, None)
        sources.SOURCES.remove(module.SPC_SUBGROUPS_SOURCE)
    sources._loaded.discard(EXAMPLE)


def test_registration_refuses_mistakes() -> None:
    with pytest.raises(ValueError, match="already registered"):
        register_dataset(READINGS)
    with pytest.raises(ValueError, match="already has a source"):
        sources.register_source(sources.SqlSource(dataset=DATASETS["alarms"], fingerprint_sql="", extract_sql=""))


async def test_quality_records_plugin_exported_and_queryable(
    plugin: Any, runtime: Runtime, make_tenant: TenantFactory, make_machine: MachineFactory
) -> None:
    tenant = await make_tenant()
    m = await make_machine(tenant.id)
    now = time.time_ns()
    hour = now - now % HOUR_NS - 3 * HOUR_NS
    chart, ids = uuid7(), [uuid7() for _ in range(3)]
    async with runtime.db.tenant_tx(tenant.id) as conn:
        await conn.execute(
            "insert into spc_charts (id, tenant_id, name, chart_type, settings, source, machine_id) "
            "values (%s, %s, 'bore diameter', 'xbar_r', %s, 'manual', %s)",
            [chart, tenant.id, json.dumps({}), m.machine_id],
        )
        for i, sid in enumerate(ids):
            await conn.execute(
                "insert into spc_subgroups (id, tenant_id, chart_id, seq, ts, values, size, phase) "
                "values (%s, %s, %s, %s, %s, %s, 3, 1)",
                [sid, tenant.id, chart, i + 1, hour + i * 60_000_000_000, [10.0 + i, 10.1, 9.9]],
            )
    store, keys = lake_for(runtime.settings)
    reader = LakeReader(store, keys)  # imports the plugin module
    assert "quality_spc_subgroups" in reader.datasets()
    etl = LakeEtl(runtime.db, store, keys, runtime.settings)
    first = await etl.run_round(tenants=[tenant.id], gc=False)
    assert first.errors == []
    assert first.exported["quality_spc_subgroups"] == 3
    rows = reader.read(tenant.id, "quality_spc_subgroups").sort_by([("seq", "ascending")]).to_pylist()
    assert [r["id"] for r in rows] == [str(i) for i in ids]
    assert rows[0]["values"] == [10.0, 10.1, 9.9]
    assert rows[2]["chart_id"] == str(chart)
    assert not any(r["excluded"] for r in rows)

    async with runtime.db.tenant_tx(tenant.id) as conn:  # a subgroup excluded later (assignable cause)
        await conn.execute("update spc_subgroups set excluded = true, note = 'probe slipped' where id = %s", [ids[1]])
    second = await etl.run_round(tenants=[tenant.id], gc=False)
    assert second.exported["quality_spc_subgroups"] == 3  # the hour rewritten whole
    table = reader.read(tenant.id, "quality_spc_subgroups")
    assert table.num_rows == 3
    assert dict(zip(table.column("id").to_pylist(), table.column("excluded").to_pylist(), strict=True)) == {
        str(ids[0]): False,
        str(ids[1]): True,
        str(ids[2]): False,
    }
    assert isinstance(table.schema.field("values").type, pa.ListType)
    assert (await etl.run_round(tenants=[tenant.id], gc=False)).exported == {}
