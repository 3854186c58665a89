"""Training RUL models for a machine class from the time-series store, and scheduled retraining.

The same :class:`RulModel` as the C-MAPSS benchmark, on hourly (or per-minute) rollups: windows of 6 h to
a week, a one-day baseline, a piecewise-linear cap of a month by default. CPU work runs in a thread.
"""

from __future__ import annotations

import asyncio
import hashlib
import logging
import time
import uuid
from typing import Any

import numpy as np

from mip.maintenance import registry
from mip.maintenance.artifacts import dumps_model, environment, now_iso, sha256
from mip.maintenance.errors import InsufficientTrainingData
from mip.maintenance.features import FeatureConfig, SeriesTable
from mip.maintenance.metrics import TruncationSpec
from mip.maintenance.rul import RulConfig, RulModel, cross_validate
from mip.maintenance.schemas import TrainIn
from mip.maintenance.series import (
    NS_PER_HOUR,
    common_columns,
    failure_times,
    label_lives,
    load_series,
    machine_class_members,
)
from mip.platform.db import Database
from mip.platform.timeutil import now_ns

log = logging.getLogger(__name__)


def plant_config(req: TrainIn) -> RulConfig:
    per_hour = 60 if req.resolution == "1m" else 1
    return RulConfig(
        cap=req.cap_hours,
        features=FeatureConfig(
            windows=tuple(w * per_hour for w in (6, 24, 72, 168)),
            std_windows=(24 * per_hour,),
            ewma_alphas=(0.2 / per_hour,),
            baseline_rows=24 * per_hour,
            drift_alphas=tuple(a / per_hour for a in (0.2, 0.05, 0.02)),
        ),
        max_iter=req.max_iter,
        min_samples_leaf=20,
    )


def table_sha256(table: SeriesTable) -> str:
    h = hashlib.sha256()
    for arr in (table.units, table.time, table.values, table.target):
        if arr is not None:
            h.update(np.ascontiguousarray(arr).tobytes())
    h.update(",".join(table.columns).encode())
    return h.hexdigest()


def _fit(table: SeriesTable, config: RulConfig, folds: int) -> tuple[bytes, dict[str, Any], float]:
    started = time.perf_counter()
    n_units = int(np.unique(table.units).size)
    spec = TruncationSpec(per_unit=10, min_rul=1.0, max_rul=config.cap * 1.2, min_prefix=config.features.baseline_rows)
    cv = cross_validate(table, config, n_folds=min(folds, n_units), truncation=spec)
    model = RulModel(config).fit(table)
    assert table.target is not None
    model.set_residuals(cv.oof, table.target)
    return dumps_model(model), cv.metrics, time.perf_counter() - started


async def train_for_class(
    db: Database, tenant_id: uuid.UUID, req: TrainIn, *, trained_by: uuid.UUID | None
) -> dict[str, Any]:
    """Train a new candidate version for ``req.machine_class`` from the last ``lookback_days``."""
    end = now_ns()
    start = end - req.lookback_days * 24 * NS_PER_HOUR
    config = plant_config(req)
    async with db.tenant_tx(tenant_id) as conn:
        machines = await machine_class_members(conn, req.machine_class)
        if not machines:
            raise InsufficientTrainingData(
                f"no machine of class {req.machine_class!r}", machine_class=req.machine_class
            )
        series = list((await load_series(conn, machines, start, end, req.resolution)).values())
        failures = await failure_times(conn, machines)
    columns = common_columns(series)
    if not columns:
        raise InsufficientTrainingData(
            f"no sensor with data in the last {req.lookback_days} days is shared by the machines of class "
            f"{req.machine_class!r}"
        )
    lives = label_lives(series, failures, columns, config.cap)
    table = lives.table
    failed = sum(1 for life in lives.lives if life["failed"])
    if failed < 2 or len(lives.lives) < 2:
        raise InsufficientTrainingData(
            f"training needs at least two recorded failures (work orders with failed_at) of class "
            f"{req.machine_class!r} machines with rollups before them; found {failed}",
            failures=failed,
        )
    blob, metrics, seconds = await asyncio.to_thread(_fit, table, config, req.folds)
    training_data = {
        "source": f"{'rollup_1h' if req.resolution == '1h' else 'rollup_1m'} of the machines of class "
        f"{req.machine_class!r}; lives end at work orders with failed_at",
        "range": {"start_ns": start, "end_ns": end},
        "rows": table.n_rows,
        "lives": len(lives.lives),
        "failures": failed,
        "machines": sorted({life["machine_id"] for life in lives.lives}),
        "sensors": columns,
        "sha256": table_sha256(table),
    }
    stored_config = {
        "request": req.model_dump(),
        "model": config.to_json(),
        "trained_at": now_iso(),
        "training_seconds": round(seconds, 2),
        **environment(),
    }
    async with db.tenant_tx(tenant_id) as conn:
        return await registry.insert_model(
            conn,
            tenant_id,
            name=req.name or f"rul-{req.machine_class}",
            kind="rul",
            machine_class=req.machine_class,
            metrics=metrics,
            config=stored_config,
            training_data=training_data,
            trained_by=trained_by,
            artifact=blob,
            artifact_sha256=sha256(blob),
            retrain_every_days=req.retrain_every_days,
        )


def _rmse(model: dict[str, Any]) -> float:
    try:
        return float(model["metrics"]["truncated"]["rmse"])
    except (KeyError, TypeError, ValueError):
        return float("inf")


async def run_due_retraining(db: Database, tenant_id: uuid.UUID) -> list[dict[str, Any]]:
    """Retrain every active model of the tenant whose schedule is due. Each retrained version is stored as a
    candidate, and promoted when the model asked for ``auto_promote`` and its CV RMSE is not worse. The
    schedule moves on whether or not training succeeded (a failure is logged)."""
    async with db.tenant_tx(tenant_id) as conn:
        due = await registry.retrain_due(conn, tenant_id)
    results: list[dict[str, Any]] = []
    for active in due:
        async with db.tenant_tx(tenant_id) as conn:
            await registry.postpone_retraining(conn, active["id"])
        req_json = dict((active["config"] or {}).get("request") or {})
        req_json.update(name=active["name"], machine_class=active["machine_class"])
        try:
            req = TrainIn.model_validate(req_json)
            new = await train_for_class(db, tenant_id, req, trained_by=None)
        except InsufficientTrainingData as exc:
            log.warning("scheduled retraining of model %s skipped: %s", active["id"], exc.detail)
            continue
        if req.auto_promote and _rmse(new) <= _rmse(active):
            async with db.tenant_tx(tenant_id) as conn:
                new = await registry.promote(conn, new["id"])
        results.append(new)
    return results
