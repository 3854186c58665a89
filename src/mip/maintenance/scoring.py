"""Online scoring: every machine of a class with an active RUL model is scored from its recent rollups.

Per machine: the rows of its current life (since its last recorded failure, at most the model's training
look-back) → RUL at the last bucket → health index (100 × RUL / cap) and P(failure within the policy's
horizon) from the model's held-out error distribution → one ``machine_health`` row; above the policy's
thresholds a recommendation (and work order) is raised, idempotently.

``MaintenanceScorer(db, interval_s=900)``: ``await run_once(tenant_id)`` scores one tenant now;
``await start()`` / ``await stop()`` run a loop over every tenant with an active model (found through the
``mip_maintenance_tenants()`` SECURITY DEFINER function), optionally running due scheduled retraining.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import uuid
from collections.abc import Collection
from dataclasses import dataclass
from typing import Any

import numpy as np
from psycopg.types.json import Jsonb

from mip.maintenance import recommendations, registry
from mip.maintenance.artifacts import loads_model
from mip.maintenance.errors import ModelArtifactError
from mip.maintenance.features import SeriesTable
from mip.maintenance.rul import RulModel
from mip.maintenance.series import NS_PER_HOUR, Resolution, current_life, failure_times, load_series
from mip.platform.db import Conn, Database
from mip.platform.ids import uuid7
from mip.platform.timeutil import now_ns

log = logging.getLogger(__name__)


@dataclass
class ScoreReport:
    models: int = 0
    scored: int = 0
    skipped: int = 0
    recommendations: int = 0
    work_orders: int = 0

    def add(self, other: ScoreReport) -> None:
        for k in ("models", "scored", "skipped", "recommendations", "work_orders"):
            setattr(self, k, getattr(self, k) + getattr(other, k))


def health_index(rul: float, cap: float) -> float:
    return round(float(np.clip(100.0 * rul / cap, 0.0, 100.0)), 2)


class MaintenanceScorer:
    def __init__(
        self,
        db: Database,
        *,
        interval_s: float = 900.0,
        retrain: bool = False,
        tenant_ids: Collection[uuid.UUID] | None = None,
    ) -> None:
        self.db = db
        self.interval_s = interval_s
        self.retrain = retrain
        self.tenant_ids = frozenset(tenant_ids) if tenant_ids is not None else None
        self._models: dict[tuple[uuid.UUID, str | None], RulModel] = {}
        self._task: asyncio.Task[None] | None = None

    # -- lifecycle ------------------------------------------------------------------------------------------
    async def start(self) -> None:
        if self._task is None:
            self._task = asyncio.create_task(self._run(), name="maintenance-scorer")

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None

    async def _run(self) -> None:
        while True:
            try:
                await self.run_round()
            except asyncio.CancelledError:
                raise
            except Exception:
                log.exception("maintenance scoring round failed")
            await asyncio.sleep(self.interval_s)

    async def run_round(self) -> ScoreReport:
        """One pass over every tenant with an active model: scheduled retraining (if enabled), then scoring."""
        total = ScoreReport()
        for tenant_id, retrain_due in await registry.maintenance_tenants(self.db):
            if self.tenant_ids is not None and tenant_id not in self.tenant_ids:
                continue
            try:
                if self.retrain and retrain_due:
                    from mip.maintenance.training import run_due_retraining

                    await run_due_retraining(self.db, tenant_id)
                total.add(await self.run_once(tenant_id))
            except asyncio.CancelledError:
                raise
            except Exception:
                log.exception("maintenance scoring of tenant %s failed", tenant_id)
        return total

    # -- scoring --------------------------------------------------------------------------------------------
    async def _model(self, conn: Conn, row: dict[str, Any]) -> RulModel:
        key = (row["id"], row["artifact_sha256"])
        model = self._models.get(key)
        if model is None:
            model = loads_model(await registry.get_artifact(conn, row["id"]))
            self._models = {k: v for k, v in self._models.items() if k[0] != row["id"]}
            self._models[key] = model
        return model

    async def run_once(self, tenant_id: uuid.UUID) -> ScoreReport:
        """Score every machine of the tenant that has an active RUL model for its class."""
        report = ScoreReport()
        async with self.db.tenant_tx(tenant_id) as conn:
            models = await registry.active_models(conn, "rul")
        for row in models:
            try:
                async with self.db.tenant_tx(tenant_id) as conn:
                    report.add(await self._score_class(conn, tenant_id, row))
            except ModelArtifactError as exc:
                log.error("model %s cannot be loaded: %s", row["id"], exc.detail)
        return report

    async def _score_class(self, conn: Conn, tenant_id: uuid.UUID, row: dict[str, Any]) -> ScoreReport:
        report = ScoreReport(models=1)
        model = await self._model(conn, row)
        request = (row["config"] or {}).get("request") or {}
        resolution: Resolution = "1m" if request.get("resolution") == "1m" else "1h"
        lookback_ns = int(request.get("lookback_days", 180)) * 24 * NS_PER_HOUR
        policy = await recommendations.effective_policy(conn, row["machine_class"])
        cur = await conn.execute(
            "select id, name, path from assets where kind = 'machine'"
            " and coalesce(nullif(attributes->>'machine_class', ''), 'default') = %s order by path",
            [row["machine_class"]],
        )
        machines = await cur.fetchall()
        if not machines:
            return report
        ids = [m["id"] for m in machines]
        end = now_ns()
        series = await load_series(conn, ids, end - lookback_ns, end + NS_PER_HOUR, resolution)
        failures = await failure_times(conn, ids)
        columns = list(model.normaliser.columns) if model.normaliser else []
        tables: list[tuple[dict[str, Any], SeriesTable, int]] = []
        for m in machines:
            s = series.get(m["id"])
            past = failures.get(m["id"], [])
            life = current_life(s, columns, past[-1] if past else None) if s is not None else None
            if life is None:
                report.skipped += 1
                continue
            tables.append((m, life, int(round(life.time[-1] * NS_PER_HOUR))))
        if not tables:
            return report
        preds = await asyncio.to_thread(lambda: [model.predict_last(t)[0][1] for _, t, _ in tables])
        probs = model.failure_probability(np.asarray(preds), policy.horizon_hours)
        cap = model.config.cap
        for (m, life, until), rul, p in zip(tables, preds, probs, strict=True):
            hi = health_index(rul, cap)
            p = float(np.clip(p, 0.0, 1.0))
            details = {"rows": life.n_rows, "since_ns": int(round(life.time[0] * NS_PER_HOUR)), "cap_hours": cap}
            await conn.execute(
                "insert into machine_health (id, tenant_id, machine_id, model_id, health_index, rul_hours,"
                " failure_probability, horizon_hours, data_until, details) values (%s,%s,%s,%s,%s,%s,%s,%s,%s,%s)",
                [uuid7(), tenant_id, m["id"], row["id"], hi, rul, p, policy.horizon_hours, until, Jsonb(details)],
            )
            report.scored += 1
            fired = recommendations.triggers(policy, rul, p)
            if fired:
                rec_new, wo_new = await recommendations.raise_recommendation(
                    conn,
                    tenant_id,
                    machine_id=m["id"],
                    machine_name=m["path"],
                    model_id=row["id"],
                    policy=policy,
                    health_index=hi,
                    rul_hours=rul,
                    failure_probability=p,
                    fired=fired,
                )
                report.recommendations += int(rec_new)
                report.work_orders += int(wo_new)
        return report


# -- health queries ------------------------------------------------------------------------------------------
HEALTH_COLUMNS = (
    "machine_id, model_id, health_index, rul_hours, failure_probability, horizon_hours, data_until, details, scored_at"
)


async def machine_history(conn: Conn, machine_id: uuid.UUID, limit: int) -> list[dict[str, Any]]:
    cur = await conn.execute(
        f"select {HEALTH_COLUMNS} from machine_health where machine_id = %s order by scored_at desc, id desc limit %s",
        [machine_id, limit],
    )
    return await cur.fetchall()


async def latest_all(conn: Conn) -> list[dict[str, Any]]:
    cur = await conn.execute(
        f"select distinct on (machine_id) {HEALTH_COLUMNS} from machine_health"
        " order by machine_id, scored_at desc, id desc"
    )
    return await cur.fetchall()
