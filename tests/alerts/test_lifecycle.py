"""Alarm lifecycle from rule transitions: one active alarm per originator and rule (even with concurrent
workers), counts, clear, acknowledge, flood control, escalation, and every transition recorded."""

from __future__ import annotations

import asyncio
import time
import uuid
from typing import Any

import httpx

from mip.alerts.escalation import escalate_once
from mip.alerts.lifecycle import apply_engine_result
from mip.detection.engine import Activity, EngineResult, Transition
from mip.detection.spec import RuleSpec
from mip.platform.bus import TOPIC_ALERTS
from mip.runtime import Runtime
from tests.conftest import MachineFactory, MachineKit, TenantKit


def _rule(**over: Any) -> RuleSpec:
    base: dict[str, Any] = {
        "name": "hot",
        "severity": "major",
        "scope": {"sensor_name": "temp"},
        "condition": {"type": "threshold", "op": ">", "value": 80},
    }
    return RuleSpec.model_validate({**base, **over})


def _t(kind: str, rule: RuleSpec, m: MachineKit, sensor: str = "temp", value: float = 90.0) -> Transition:
    return Transition(
        kind=kind,  # type: ignore[arg-type]
        rule_id=rule.id,
        rule_version=rule.version,
        rule_name=rule.name,
        machine_id=m.machine_id,
        sensor_id=m.sensors[sensor],
        ts=time.time_ns(),
        value=value,
        severity=rule.severity,
        safety=rule.safety,
        message=f"{sensor} {value}",
        details={"threshold": 80.0},
    )


async def _apply(runtime: Runtime, tenant: TenantKit, result: EngineResult, *rules: RuleSpec) -> list[Any]:
    async with runtime.db.tenant_tx(tenant.id) as conn:
        return await apply_engine_result(conn, tenant.id, result, {r.id: r for r in rules})


async def _alarms(client: httpx.AsyncClient, tenant: TenantKit, **params: Any) -> list[dict[str, Any]]:
    return list((await client.get("/api/v1/alerts", headers=tenant.auth, params=params)).json()["items"])


async def test_given_raise_activity_clear_ack_then_status_walks_the_lifecycle(
    client: httpx.AsyncClient, runtime: Runtime, tenant: TenantKit, make_machine: MachineFactory
) -> None:
    m = await make_machine(tenant.id, sensors={"temp": (None, None)})
    rule = _rule()
    events = await _apply(runtime, tenant, EngineResult(transitions=[_t("raise", rule, m)]), rule)
    assert [k for k, _ in events] == ["alert.opened"]
    act = Activity(
        rule.id,
        m.machine_id,
        m.sensors["temp"],
        count=4,
        last_ts=time.time_ns() + 10**9,
        last_value=93.0,
        peak_value=95.0,
    )
    await _apply(runtime, tenant, EngineResult(transitions=[_t("raise", rule, m)], activity=[act]), rule)
    [alarm] = await _alarms(client, tenant)
    assert alarm["status"] == "active_unack"
    # the raising reading counted once, then the 4 breaching readings the engine reported
    assert (alarm["count"], alarm["peak_value"], alarm["last_value"]) == (5, 95.0, 93.0)
    assert alarm["rule_id"] == str(rule.id)
    await _apply(runtime, tenant, EngineResult(transitions=[_t("clear", rule, m, value=70.0)]), rule)
    [alarm] = await _alarms(client, tenant)
    assert alarm["status"] == "cleared_unack"
    assert alarm["cleared_at"] is not None
    await client.post(f"/api/v1/alerts/{alarm['id']}/acknowledge", headers=tenant.auth)
    assert (await _alarms(client, tenant))[0]["status"] == "cleared_ack"
    await _apply(runtime, tenant, EngineResult(transitions=[_t("raise", rule, m)]), rule)
    alarms = await _alarms(client, tenant)
    assert [a["status"] for a in alarms] == ["active_unack", "cleared_ack"]  # a new alarm after the clear
    assert len(await _alarms(client, tenant, active=True)) == 1
    history = (await client.get(f"/api/v1/alerts/{alarm['id']}/events", headers=tenant.auth)).json()["items"]
    assert [e["kind"] for e in history] == ["raised", "cleared", "acknowledged"]
    me = (await client.get("/api/v1/me", headers=tenant.auth)).json()["id"]
    assert [e["actor_id"] for e in history] == [None, None, me]


async def test_given_two_workers_raising_at_once_then_one_active_alarm(
    client: httpx.AsyncClient, runtime: Runtime, tenant: TenantKit, make_machine: MachineFactory
) -> None:
    m = await make_machine(tenant.id, sensors={"temp": (None, None)})
    rule = _rule()
    results = await asyncio.gather(
        *(_apply(runtime, tenant, EngineResult(transitions=[_t("raise", rule, m)]), rule) for _ in range(6))
    )
    assert sum(len(r) for r in results) == 1  # exactly one opened
    assert len(await _alarms(client, tenant)) == 1


async def test_given_rule_flooding_then_extra_alarms_grouped_but_safety_never(
    client: httpx.AsyncClient, runtime: Runtime, tenant: TenantKit, make_machine: MachineFactory
) -> None:
    sensors = {f"s{i}": (None, None) for i in range(5)}
    m = await make_machine(tenant.id, sensors=sensors)
    rule = _rule(max_alarms_per_hour=2, scope={"sensor_kind": "other"})
    for i in range(5):
        await _apply(runtime, tenant, EngineResult(transitions=[_t("raise", rule, m, sensor=f"s{i}")]), rule)
    alarms = await _alarms(client, tenant)
    flood = [a for a in alarms if a["rule"].startswith("flood:")]
    assert len(alarms) == 3
    assert len(flood) == 1
    assert flood[0]["suppressed"] == 3
    assert flood[0]["originator_id"] == str(rule.id)
    safety = _rule(max_alarms_per_hour=1, safety=True, scope={"sensor_kind": "other"})
    for i in range(3):
        await _apply(runtime, tenant, EngineResult(transitions=[_t("raise", safety, m, sensor=f"s{i}")]), safety)
    assert len(await _alarms(client, tenant, rule_id=str(safety.id))) == 3


async def test_given_unacknowledged_past_its_time_then_escalated_once_and_published(
    client: httpx.AsyncClient, runtime: Runtime, tenant: TenantKit, make_machine: MachineFactory
) -> None:
    m = await make_machine(tenant.id, sensors={"temp": (None, None), "pressure": (None, None)})
    rule = _rule(escalate_after_s=30, severity="minor")
    other = _rule(escalate_after_s=30, scope={"sensor_name": "pressure"})
    await _apply(runtime, tenant, EngineResult(transitions=[_t("raise", rule, m)]), rule)
    await _apply(runtime, tenant, EngineResult(transitions=[_t("raise", other, m, sensor="pressure")]), other)
    acked = (await _alarms(client, tenant, rule_id=str(other.id)))[0]
    await client.post(f"/api/v1/alerts/{acked['id']}/acknowledge", headers=tenant.auth)
    async with runtime.db.tenant_tx(tenant.id) as conn:
        await conn.execute("update alerts set created_at = now() - interval '31 seconds'")
    sub = await runtime.bus.subscribe(TOPIC_ALERTS, f"test-{uuid.uuid4()}", from_start=False)
    assert await escalate_once(runtime.db, runtime.bus) >= 1
    [alarm] = await _alarms(client, tenant, rule_id=str(rule.id))
    assert alarm["escalation_level"] == 1
    assert alarm["severity"] == "major"  # stepped up from minor
    assert (await _alarms(client, tenant, rule_id=str(other.id)))[0]["escalation_level"] == 0  # acknowledged
    messages = [m.value for m in await sub.poll(100, 1.0)]
    assert any(b"alert.escalated" in v and alarm["id"].encode() in v for v in messages)
    kinds = [
        e["kind"]
        for e in (await client.get(f"/api/v1/alerts/{alarm['id']}/events", headers=tenant.auth)).json()["items"]
    ]
    assert kinds == ["raised", "escalated"]
