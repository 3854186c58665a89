"""Telemetry REST API: ingestion with device keys."""

from __future__ import annotations

import asyncio
import uuid
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Header, Query, Request
from pydantic import BaseModel

from mip.api.body import read_body
from mip.api.deps import Ctx, require
from mip.api.responses import FastJSON
from mip.identity.permissions import Permission
from mip.platform.bus import TOPIC_READINGS, BusFull
from mip.platform.errors import Overloaded, UnsupportedMediaType
from mip.platform.timeutil import now_ns
from mip.telemetry import ingest
from mip.telemetry.arrow_format import ARROW_TYPE, arrow_columns
from mip.telemetry.errors import AllRowsRejected

ingest_router = APIRouter(prefix="/api/v1/ingest", tags=["ingest"])

JSON_TYPES = ("application/json", "application/x-ndjson", "application/ndjson", "application/jsonl", "")


class RejectedRow(BaseModel):
    index: int
    reason: str
    sensor: str | None = None


class IngestOut(BaseModel):
    accepted: int
    rejected: list[RejectedRow]
    batches: list[uuid.UUID]


@ingest_router.post(
    "/readings",
    response_model=IngestOut,
    status_code=202,
    summary='Ingest a batch of readings (JSON array, {"readings": [...]}, NDJSON, or Arrow IPC stream)',
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {
                "application/json": {
                    "schema": {
                        "type": "array",
                        "items": {
                            "type": "object",
                            "required": ["sensor", "ts", "value"],
                            "properties": {
                                "sensor": {"type": "string", "description": "sensor id or tag path"},
                                "ts": {"description": "RFC 3339 or epoch ns"},
                                "value": {"type": "number"},
                                "quality": {"type": "integer", "minimum": 0, "maximum": 255},
                            },
                        },
                    }
                },
                "application/x-ndjson": {"schema": {"type": "string"}},
                "application/vnd.apache.arrow.stream": {"schema": {"type": "string", "format": "binary"}},
            },
        }
    },
)
async def ingest_readings(
    request: Request,
    ctx: Annotated[Ctx, Depends(require(Permission.READINGS_WRITE))],
    atomic: Annotated[bool, Query(description="Reject the whole batch if any row is invalid")] = False,
    idempotency_key: Annotated[str | None, Header(max_length=200)] = None,
) -> FastJSON:
    received = now_ns()
    s = ctx.rt.settings
    ctype = request.headers.get("content-type", "")
    mtype = ctype.split(";")[0].strip().lower()
    if mtype not in JSON_TYPES and mtype != ARROW_TYPE:
        raise UnsupportedMediaType(f"content type {ctype!r} is not JSON, NDJSON or {ARROW_TYPE}")
    body = await read_body(request, s.ingest_max_body_bytes, "request body")
    if mtype == ARROW_TYPE:
        cols = arrow_columns(body, max_rows=s.ingest_max_batch_rows)
    else:
        cols = ingest.json_columns(ingest.parse_json(body, mtype, max_rows=s.ingest_max_batch_rows))
    sensors = await ctx.rt.directory.get(ctx.principal.tenant_id)
    kwargs: dict[str, Any] = {
        "received_ns": received,
        "max_future_s": s.ingest_max_future_skew_s,
        "max_age_s": s.ingest_max_past_age_s,
        "idempotency_key": idempotency_key,
    }
    parsed = ingest.validate(cols, sensors, ctx.principal, **kwargs)
    if parsed.unknown_refs:  # a sensor created moments ago: look once more with a fresh directory
        sensors = await ctx.rt.directory.get(ctx.principal.tenant_id, max_age_s=0.5)
        parsed = ingest.validate(cols, sensors, ctx.principal, **kwargs)
    rejected = [{"index": r.index, "reason": r.reason, "sensor": r.sensor} for r in parsed.rejected]
    if not parsed.batches or (atomic and parsed.rejected):
        raise AllRowsRejected(
            "no reading was accepted" if not parsed.batches else "atomic batch rejected: some rows are invalid",
            rejected=rejected,
        )
    # one machine batch per message; published concurrently (with Kafka each waits for the broker's ack)
    results = await asyncio.gather(
        *(ctx.rt.bus.publish(TOPIC_READINGS, b.key, b.encode()) for b in parsed.batches), return_exceptions=True
    )
    failed = [r for r in results if isinstance(r, BaseException)]
    if failed:
        if not all(isinstance(f, BusFull) for f in failed):
            raise next(f for f in failed if not isinstance(f, BusFull))
        raise Overloaded(
            f"ingest is saturated; retry after a moment ({len(results) - len(failed)} of {len(results)} machine "
            "batches were accepted; a retry with the same Idempotency-Key is safe)",
            retry_after=ctx.rt.bus.retry_after_s(),
        )
    published = [str(b.batch_id) for b in parsed.batches]
    return FastJSON({"accepted": parsed.accepted, "rejected": rejected, "batches": published}, status_code=202)
