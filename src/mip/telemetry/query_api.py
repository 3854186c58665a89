"""Telemetry REST API: reading queries (raw, downsampled buckets, latest per machine)."""

from __future__ import annotations

import uuid
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query

from mip.api.deps import Ctx, require
from mip.identity.permissions import Permission
from mip.platform.errors import NotFound
from mip.platform.timeutil import NS_PER_S, now_ns, ns_to_rfc3339, parse_ts
from mip.telemetry import store
from mip.telemetry.errors import InvalidQuery, SensorNotFound
from mip.telemetry.query_schemas import LatestOut, ReadingsOut

query_router = APIRouter(prefix="/api/v1", tags=["readings"])


def _parse_ts_param(value: str) -> int:
    return parse_ts(int(value)) if value.isdigit() else parse_ts(value)


def _range(start: str | None, end: str | None, default_s: int = 3600) -> tuple[int, int]:
    try:
        end_ns = _parse_ts_param(end) if end else now_ns()
        start_ns = _parse_ts_param(start) if start else end_ns - default_s * NS_PER_S
    except ValueError as exc:
        raise InvalidQuery(str(exc)) from None
    if start_ns >= end_ns:
        raise InvalidQuery("start must be before end")
    return start_ns, end_ns


@query_router.get(
    "/sensors/{sensor_id}/readings",
    summary="Readings of a sensor: raw, or downsampled into buckets",
    response_model=None,
    responses={200: {"model": ReadingsOut}},
)
async def sensor_readings(
    sensor_id: uuid.UUID,
    ctx: Annotated[Ctx, Depends(require(Permission.READINGS_READ))],
    start: Annotated[str | None, Query(description="RFC 3339 or epoch ns; default end - 1 h")] = None,
    end: Annotated[str | None, Query(description="RFC 3339 or epoch ns; default now")] = None,
    bucket_s: Annotated[float | None, Query(gt=0, le=31 * 86400, description="Bucket width in seconds")] = None,
    limit: Annotated[int, Query(ge=1, le=100_000)] = 10_000,
) -> dict[str, Any]:
    start_ns, end_ns = _range(start, end)
    async with ctx.tx() as conn:
        cur = await conn.execute("select id from sensors where id = %s", [sensor_id])
        if await cur.fetchone() is None:
            raise SensorNotFound(f"sensor {sensor_id} not found")
        if bucket_s:
            width = int(bucket_s * NS_PER_S)
            if (end_ns - start_ns) // width > 100_000:
                raise InvalidQuery("too many buckets (max 100000): widen bucket_s or narrow the range")
            rows = await store.bucketed_readings(conn, sensor_id, start_ns, end_ns, width)
        else:
            rows = await store.raw_readings(conn, sensor_id, start_ns, end_ns, limit)
    for r in rows:
        r["ts"] = ns_to_rfc3339(r["ts"])
    return {
        "sensor_id": str(sensor_id),
        "start": ns_to_rfc3339(start_ns),
        "end": ns_to_rfc3339(end_ns),
        "bucket_s": bucket_s,
        "points": rows,
    }


@query_router.get(
    "/machines/{machine_id}/latest",
    summary="Latest value of every sensor of a machine",
    response_model=None,
    responses={200: {"model": LatestOut}},
)
async def machine_latest(
    machine_id: uuid.UUID, ctx: Annotated[Ctx, Depends(require(Permission.READINGS_READ))]
) -> dict[str, Any]:
    async with ctx.tx() as conn:
        cur = await conn.execute("select id from assets where id = %s and kind = 'machine'", [machine_id])
        if await cur.fetchone() is None:
            raise NotFound(f"machine {machine_id} not found")
        rows = await store.latest_for_machine(conn, machine_id)
    for r in rows:
        r["sensor_id"] = str(r["sensor_id"])
        r["ts"] = ns_to_rfc3339(r["ts"]) if r["ts"] is not None else None
    return {"machine_id": str(machine_id), "sensors": rows}
