"""The per-tenant model registry: versions per name, candidate → active → retired, artifacts as bytea.

At most one active model per (tenant, kind, machine class) — a partial unique index; promoting retires the
previous active one in the same transaction. Scheduled retraining: an active model with
``retrain_every_days`` is due when ``next_retrain_at`` has passed (:func:`retrain_due`).
"""

from __future__ import annotations

import asyncio
import uuid
from typing import Any

from psycopg.types.json import Jsonb

from mip.maintenance.errors import ModelNotFound, ModelStateConflict
from mip.maintenance.schemas import jsonable
from mip.platform.db import Conn, Database
from mip.platform.ids import uuid7

COLUMNS = (
    "id, tenant_id, name, kind, machine_class, version, status, metrics, config, training_data, trained_by, "
    "artifact_sha256, octet_length(artifact) as artifact_bytes, artifact_path, retrain_every_days, "
    "next_retrain_at, promoted_at, retired_at, created_at, updated_at"
)


async def insert_model(
    conn: Conn,
    tenant_id: uuid.UUID,
    *,
    name: str,
    kind: str,
    machine_class: str,
    metrics: dict[str, Any],
    config: dict[str, Any],
    training_data: dict[str, Any],
    trained_by: uuid.UUID | None,
    artifact: bytes | None,
    artifact_sha256: str | None,
    artifact_path: str | None = None,
    retrain_every_days: int | None = None,
) -> dict[str, Any]:
    """A new candidate version of ``name`` (versions count up per tenant and name)."""
    await conn.execute("select pg_advisory_xact_lock(hashtextextended(%s, 8))", [f"ml_models:{tenant_id}:{name}"])
    cur = await conn.execute(
        "insert into ml_models (id, tenant_id, name, kind, machine_class, version, metrics, config, training_data,"
        " trained_by, artifact, artifact_sha256, artifact_path, retrain_every_days)"
        " values (%(id)s, %(t)s, %(name)s, %(kind)s, %(cls)s,"
        " (select coalesce(max(version), 0) + 1 from ml_models where name = %(name)s),"
        " %(metrics)s, %(config)s, %(data)s, %(by)s, %(artifact)s, %(sha)s, %(path)s, %(every)s)"
        f" returning {COLUMNS}",
        {
            "id": uuid7(),
            "t": tenant_id,
            "name": name,
            "kind": kind,
            "cls": machine_class,
            "metrics": Jsonb(metrics),
            "config": Jsonb(config),
            "data": Jsonb(training_data),
            "by": trained_by,
            "artifact": artifact,
            "sha": artifact_sha256,
            "path": artifact_path,
            "every": retrain_every_days,
        },
    )
    row = await cur.fetchone()
    assert row is not None
    return row


async def list_models(
    conn: Conn,
    *,
    kind: str | None = None,
    status: str | None = None,
    machine_class: str | None = None,
    name: str | None = None,
    limit: int = 100,
    offset: int = 0,
) -> list[dict[str, Any]]:
    cur = await conn.execute(
        f"select {COLUMNS} from ml_models"
        " where (%(kind)s::text is null or kind = %(kind)s) and (%(status)s::text is null or status = %(status)s)"
        " and (%(cls)s::text is null or machine_class = %(cls)s) and (%(name)s::text is null or name = %(name)s)"
        " order by created_at desc, id desc limit %(limit)s offset %(offset)s",
        {"kind": kind, "status": status, "cls": machine_class, "name": name, "limit": limit, "offset": offset},
    )
    return await cur.fetchall()


async def get_model(conn: Conn, model_id: uuid.UUID, *, for_update: bool = False) -> dict[str, Any]:
    lock = " for update" if for_update else ""
    cur = await conn.execute(f"select {COLUMNS} from ml_models where id = %s{lock}", [model_id])
    row = await cur.fetchone()
    if row is None:
        raise ModelNotFound(f"model {model_id} not found")
    return row


async def get_artifact(conn: Conn, model_id: uuid.UUID) -> bytes:
    cur = await conn.execute("select artifact, artifact_path from ml_models where id = %s", [model_id])
    row = await cur.fetchone()
    if row is None:
        raise ModelNotFound(f"model {model_id} not found")
    if row["artifact"] is None:
        from pathlib import Path

        return await asyncio.to_thread(Path(row["artifact_path"]).read_bytes)
    return bytes(row["artifact"])


async def promote(conn: Conn, model_id: uuid.UUID) -> dict[str, Any]:
    """Make a candidate (or retired) model the active one of its kind and machine class."""
    model = await get_model(conn, model_id, for_update=True)
    if model["status"] == "active":
        return model
    await conn.execute(
        "select 1 from ml_models where kind = %s and machine_class = %s and status = 'active' for update",
        [model["kind"], model["machine_class"]],
    )
    await conn.execute(
        "update ml_models set status = 'retired', retired_at = now(), next_retrain_at = null, updated_at = now()"
        " where kind = %s and machine_class = %s and status = 'active'",
        [model["kind"], model["machine_class"]],
    )
    cur = await conn.execute(
        "update ml_models set status = 'active', promoted_at = now(), retired_at = null, updated_at = now(),"
        " next_retrain_at = case when retrain_every_days is null then null"
        "   else now() + make_interval(days => retrain_every_days) end"
        f" where id = %s returning {COLUMNS}",
        [model_id],
    )
    row = await cur.fetchone()
    assert row is not None
    return row


async def retire(conn: Conn, model_id: uuid.UUID) -> dict[str, Any]:
    model = await get_model(conn, model_id, for_update=True)
    if model["status"] == "retired":
        raise ModelStateConflict(f"model {model_id} is already retired", status_now=model["status"])
    cur = await conn.execute(
        "update ml_models set status = 'retired', retired_at = now(), next_retrain_at = null, updated_at = now()"
        f" where id = %s returning {COLUMNS}",
        [model_id],
    )
    row = await cur.fetchone()
    assert row is not None
    return row


async def active_models(conn: Conn, kind: str = "rul") -> list[dict[str, Any]]:
    cur = await conn.execute(
        f"select {COLUMNS} from ml_models where status = 'active' and kind = %s order by machine_class", [kind]
    )
    return await cur.fetchall()


async def retrain_due(conn: Conn, tenant_id: uuid.UUID) -> list[dict[str, Any]]:
    """The tenant's active models whose retraining schedule has come round (call in its tenant transaction)."""
    cur = await conn.execute(
        f"select {COLUMNS} from ml_models where tenant_id = %s and status = 'active'"
        " and next_retrain_at is not null and next_retrain_at <= now() order by next_retrain_at",
        [tenant_id],
    )
    return await cur.fetchall()


async def postpone_retraining(conn: Conn, model_id: uuid.UUID) -> None:
    await conn.execute(
        "update ml_models set next_retrain_at = now() + make_interval(days => retrain_every_days),"
        " updated_at = now() where id = %s and retrain_every_days is not null",
        [model_id],
    )


async def maintenance_tenants(db: Database) -> list[tuple[uuid.UUID, bool]]:
    """(tenant, retraining due?) for every tenant with an active model, before any tenant context."""
    async with db.system_tx() as conn:
        cur = await conn.execute("select tenant_id, active, retrain_due from mip_maintenance_tenants()")
        return [(r["tenant_id"], int(r["retrain_due"]) > 0) for r in await cur.fetchall()]


def model_json(row: dict[str, Any]) -> dict[str, Any]:
    return jsonable(row, drop=("tenant_id",))
