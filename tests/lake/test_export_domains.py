"""Alarms, alarm events and OEE rollups made by their own services, exported and read back exactly once;
an alarm acknowledged later and OEE hours recomputed later are re-exported in their new state, not twice."""

from __future__ import annotations

import datetime as dt
import time
from datetime import date
from typing import Any

import pyarrow as pa
import pytest

from mip.alerts import service as alerts
from mip.lake.api import lake_for
from mip.lake.etl import LakeEtl
from mip.lake.manifest import load_manifest
from mip.lake.reader import LakeReader
from mip.oee import operator
from mip.oee.calendar import MINUTE_NS
from mip.oee.rollups import compute_oee_rollups
from mip.platform.db import Database
from mip.runtime import Runtime
from mip.streaming.rules import HIGH, LOW, Breach
from tests.conftest import MachineFactory, TenantFactory
from tests.oee.helpers import configure, make_plant, night_start, write_night

HOUR_NS = 3_600_000_000_000


def _rows(table: pa.Table, key: str) -> dict[str, dict[str, Any]]:
    out: dict[str, dict[str, Any]] = {}
    for r in table.to_pylist():
        k = str(r[key])
        assert k not in out, f"{key} {k} exported twice"
        out[k] = r
    return out


async def test_alarms_and_events_exported_once_and_acknowledgement_reexported(
    runtime: Runtime, make_tenant: TenantFactory, make_machine: MachineFactory
) -> None:
    tenant = await make_tenant()
    m = await make_machine(tenant.id)
    today = dt.datetime.now(dt.UTC).replace(hour=0, minute=0, second=0, microsecond=0)
    day0 = today - dt.timedelta(days=2)  # a closed day: its alarms end up in one day file
    t10 = int(day0.timestamp()) * 1_000_000_000 + 10 * HOUR_NS
    t14 = t10 + 4 * HOUR_NS
    breaches = [
        Breach(
            m.sensors["temp"], HIGH, 80.0, t10 + MINUTE_NS, t10 + 3 * MINUTE_NS, 91.5, 95.25, 3, True, m.paths["temp"]
        ),
        Breach(m.sensors["pressure"], LOW, 1.0, t14, t14 + MINUTE_NS, 0.5, 0.25, 2, False, m.paths["pressure"]),
    ]
    async with runtime.db.tenant_tx(tenant.id) as conn:
        made = await alerts.record_breaches(conn, tenant.id, m.machine_id, breaches)
    hot, low = (str(r["id"]) for r in made)
    store, keys = lake_for(runtime.settings)
    etl = LakeEtl(runtime.db, store, keys, runtime.settings)
    later = time.time_ns() + 2 * HOUR_NS  # as seen after the current hour closed (the raise events are in it)

    first = await etl.run_round(now_ns=later, tenants=[tenant.id], gc=False)
    assert first.errors == []
    assert first.exported["alarms"] == 2
    assert first.exported["alarm_events"] == 2
    reader = LakeReader(store, keys)
    lake = _rows(reader.read(tenant.id, "alarms"), "id")
    assert set(lake) == {hot, low}
    a = lake[hot]
    assert (a["state"], a["severity"], a["safety"], a["rule"]) == ("open", "critical", True, HIGH)
    assert (a["machine_id"], a["sensor_id"]) == (str(m.machine_id), str(m.sensors["temp"]))
    assert (a["last_value"], a["peak_value"], a["count"], a["threshold"]) == (91.5, 95.25, 3, 80.0)
    assert a["ts"] == dt.datetime.fromtimestamp((t10 + MINUTE_NS) / 1e9, dt.UTC)
    assert a["acknowledged_at"] is None
    assert lake[low]["state"] == "open"
    assert lake[low]["rule"] == LOW
    events = _rows(reader.read(tenant.id, "alarm_events"), "id")
    assert sorted((e["alert_id"], e["kind"]) for e in events.values()) == sorted([(hot, "raised"), (low, "raised")])
    manifest = load_manifest(store, "alarms", tenant.id, day0.date())
    assert len(manifest.day_files) == 1  # the closed day was compacted: two hours, one file
    assert manifest.day_files[0].hours == [10, 14]
    assert manifest.files == manifest.day_files

    async with runtime.db.tenant_tx(tenant.id) as conn:
        acked = await alerts.acknowledge(conn, made[0]["id"], None)
    second = await etl.run_round(now_ns=later, tenants=[tenant.id], gc=False)
    assert second.errors == []
    assert second.exported == {"alarms": 1, "alarm_events": 1}  # the changed alarm's hour; the new event
    lake = _rows(reader.read(tenant.id, "alarms"), "id")
    assert set(lake) == {hot, low}
    assert lake[hot]["state"] == "acknowledged"
    assert lake[hot]["acknowledged_at"] == acked["acknowledged_at"]
    assert lake[low]["state"] == "open"
    events = _rows(reader.read(tenant.id, "alarm_events"), "id")
    assert sorted(e["kind"] for e in events.values() if e["alert_id"] == hot) == ["acknowledged", "raised"]
    assert len(events) == 3
    manifest = load_manifest(store, "alarms", tenant.id, day0.date())
    assert len(manifest.files) == 1  # rewritten without the changed hour, then compacted again
    assert manifest.day_files[0].rows == 2

    third = await etl.run_round(now_ns=later, tenants=[tenant.id], gc=False)
    assert third.exported == {}
    assert third.commits == 0
    assert len(reader.read(tenant.id, "alarms")) == 2


async def _oee_rows(db: Database, tenant_id: Any) -> dict[str, dict[str, Any]]:
    async with db.tenant_tx(tenant_id) as conn:
        cur = await conn.execute(
            "select machine_id, bucket_start, bucket_end, shift_name, run_ns, idle_ns, down_ns, planned_stop_ns, "
            "total_count, good_count, reject_count from oee_rollups"
        )
        rows = await cur.fetchall()
    return {f"{r['machine_id']}/{r['bucket_start']}": dict(r) for r in rows}


def _lake_oee(reader: LakeReader, tenant_id: Any) -> dict[str, dict[str, Any]]:
    out = {}
    for r in reader.read(tenant_id, "oee_hourly").to_pylist():
        start = int(r["bucket_start"].timestamp()) * 1_000_000_000
        key = f"{r['machine_id']}/{start}"
        assert key not in out, f"OEE bucket {key} exported twice"
        out[key] = r
    return out


def _same(db_rows: dict[str, dict[str, Any]], lake: dict[str, dict[str, Any]]) -> None:
    assert set(lake) == set(db_rows)
    for k, want in db_rows.items():
        got = lake[k]
        assert int(got["bucket_end"].timestamp()) * 1_000_000_000 == want["bucket_end"]
        for col in ("shift_name", "run_ns", "idle_ns", "down_ns", "planned_stop_ns"):
            assert got[col] == want[col], (k, col)
        for col in ("total_count", "good_count", "reject_count"):
            assert got[col] == pytest.approx(want[col]), (k, col)


async def test_oee_rollups_exported_once_and_recomputed_hours_replaced(
    runtime: Runtime, make_tenant: TenantFactory
) -> None:
    db = runtime.db
    tenant = await make_tenant()
    p = await make_plant(db, tenant.id, "UTC")
    await configure(db, p)
    day = date(2100, 3, 1)  # far ahead: the live compressor never touches these readings
    start = night_start(p, day)  # 22:00 UTC; the night shift ends 06:00 the next day
    await write_night(db, p, start)
    later = start + 3 * 24 * HOUR_NS
    async with db.tenant_tx(tenant.id) as conn:
        await compute_oee_rollups(conn, tenant.id, start - HOUR_NS, start + 9 * HOUR_NS, now_ns=later)
    db_rows = await _oee_rows(db, tenant.id)
    assert len(db_rows) >= 2 * 8  # two machines, eight night hours (and the hour before)

    store, keys = lake_for(runtime.settings)
    etl = LakeEtl(db, store, keys, runtime.settings)
    first = await etl.run_round(now_ns=later, tenants=[tenant.id], gc=False)
    assert first.errors == []
    assert first.exported["oee_hourly"] == len(db_rows)
    reader = LakeReader(store, keys)
    _same(db_rows, _lake_oee(reader, tenant.id))
    assert sum(r["total_count"] for r in _lake_oee(reader, tenant.id).values()) == pytest.approx(720 + 450)
    for d in (day, day + dt.timedelta(days=1)):  # both closed days compacted into one file each
        assert len(load_manifest(store, "oee_hourly", tenant.id, d).files) == 1

    # the operator books 36 rejects on m1 for the night: the rolled-up hours are recomputed
    async with db.tenant_tx(tenant.id) as conn:
        await operator.add_count(
            conn, tenant.id, None, p.machines["m1"], start=start, end=start + 480 * MINUTE_NS, good=0,
            reject=36, note="scrap bin", now=later,
        )  # fmt: skip
        await compute_oee_rollups(conn, tenant.id, start - HOUR_NS, start + 9 * HOUR_NS, now_ns=later)
    changed = await _oee_rows(db, tenant.id)
    assert sum(r["reject_count"] for r in changed.values()) == pytest.approx(36)
    second = await etl.run_round(now_ns=later, tenants=[tenant.id], gc=False)
    assert second.errors == []
    assert second.exported["oee_hourly"] > 0
    lake = _lake_oee(reader, tenant.id)
    _same(changed, lake)
    assert sum(r["reject_count"] for r in lake.values()) == pytest.approx(36)
    assert (await etl.run_round(now_ns=later, tenants=[tenant.id], gc=False)).exported == {}
