"""OEE REST API: machine and line OEE (range, production day or shift), the current shift of every machine,
state timelines, downtime and its Pareto, operator input (states, classifications, counts). Configuration
routes (reason codes, shifts, planned stops, per-asset config, recompute) are in api_config.py; both
register on the one router of mip.oee.routing."""

from __future__ import annotations

import uuid
from datetime import date
from typing import Annotated, Any

from fastapi import Depends, Query

from mip.api.deps import Ctx, require
from mip.identity.permissions import Permission
from mip.oee import api_config, operator, service
from mip.oee.errors import InvalidOeeInput
from mip.oee.jsonout import row_json
from mip.oee.routing import router
from mip.oee.schemas import (
    ClassifyIn,
    CountIn,
    CountOut,
    CountPage,
    CurrentOut,
    DowntimeOut,
    EntryOut,
    LineOee,
    MachineOee,
    ParetoOut,
    StateIn,
    TimelineOut,
)
from mip.platform.timeutil import NS_PER_S, now_ns, parse_ts

__all__ = ["api_config", "router"]  # api_config: imported for its routes, registered on the same router
P = "/oee"

Reader = Annotated[Ctx, Depends(require(Permission.OEE_READ))]
Writer = Annotated[Ctx, Depends(require(Permission.OEE_WRITE))]
From = Annotated[str | None, Query(alias="from", description="RFC 3339 or epoch ns (default: to - 24 h)")]
To = Annotated[str | None, Query(alias="to", description="RFC 3339 or epoch ns (default: now)")]
Day = Annotated[
    date | None, Query(alias="date", description="Production day (local date a shift starts on); replaces from/to")
]
ShiftQ = Annotated[uuid.UUID | None, Query(description="With 'date': only this shift of that day")]
IncludePlanned = Annotated[bool, Query(description="Also list planned stops")]


def _ts(value: str, what: str) -> int:
    try:
        return parse_ts(int(value)) if value.isdigit() else parse_ts(value)
    except ValueError as exc:
        raise InvalidOeeInput(f"'{what}': {exc}") from None


def time_range(start: str | None, end: str | None, now: int) -> tuple[int, int]:
    b = _ts(end, "to") if end else now
    a = _ts(start, "from") if start else b - 24 * 3600 * NS_PER_S
    service.check_range(a, b)
    return a, b


def _span(start: str | None, end: str | None, day: date | None, now: int) -> dict[str, Any]:
    if day is not None:
        if start or end:
            raise InvalidOeeInput("give 'date' or 'from'/'to', not both")
        return {"day": day}
    a, b = time_range(start, end, now)
    return {"a": a, "b": b}


@router.get(f"{P}/current", summary="Current shift OEE and state of every machine", response_model=CurrentOut)
async def current(ctx: Reader) -> dict[str, Any]:
    async with ctx.tx() as conn:
        return await service.current(conn, now_ns())


@router.get(
    f"{P}/machines/{{machine_id}}",
    summary="A machine's OEE over a range, a production day or one shift",
    response_model=MachineOee,
)
async def machine_oee(
    machine_id: uuid.UUID, ctx: Reader, start: From = None, end: To = None, day: Day = None, shift_id: ShiftQ = None
) -> dict[str, Any]:
    now = now_ns()
    span = _span(start, end, day, now)
    async with ctx.tx() as conn:
        return await service.machine_oee(conn, machine_id, now, shift_id=shift_id, **span)


@router.get(
    f"{P}/lines/{{line_id}}",
    summary="A line's OEE (summed components of its machines) over a range, a production day or one shift",
    response_model=LineOee,
)
async def line_oee(
    line_id: uuid.UUID, ctx: Reader, start: From = None, end: To = None, day: Day = None, shift_id: ShiftQ = None
) -> dict[str, Any]:
    now = now_ns()
    span = _span(start, end, day, now)
    async with ctx.tx() as conn:
        return await service.line_oee(conn, line_id, now, shift_id=shift_id, **span)


@router.get(f"{P}/machines/{{machine_id}}/states", summary="A machine's state timeline", response_model=TimelineOut)
async def states(machine_id: uuid.UUID, ctx: Reader, start: From = None, end: To = None) -> dict[str, Any]:
    now = now_ns()
    a, b = time_range(start, end, now)
    async with ctx.tx() as conn:
        return await service.timeline(conn, machine_id, a, b, now)


@router.post(
    f"{P}/machines/{{machine_id}}/states",
    status_code=201,
    summary="Operator input: the machine's state (with a reason) for an interval, or from now on",
    response_model=EntryOut,
)
async def post_state(machine_id: uuid.UUID, body: StateIn, ctx: Writer) -> dict[str, Any]:
    async with ctx.tx() as conn:
        row = await operator.post_state(
            conn, ctx.principal.tenant_id, ctx.principal.user_id, machine_id, state=body.state, start=body.start,
            end=body.end, reason_code=body.reason_code, note=body.note, now=now_ns(),
        )  # fmt: skip
    return row_json(row)


@router.delete(f"{P}/states/{{entry_id}}", status_code=204, summary="Withdraw an operator state entry")
async def delete_state(entry_id: uuid.UUID, ctx: Writer) -> None:
    async with ctx.tx() as conn:
        await operator.delete_entry(conn, ctx.principal.tenant_id, entry_id, now_ns())


@router.get(
    f"{P}/machines/{{machine_id}}/downtime",
    summary="Downtime (idle and down, optionally planned stops) inside shift time",
    response_model=DowntimeOut,
)
async def downtime(
    machine_id: uuid.UUID, ctx: Reader, start: From = None, end: To = None, include_planned: IncludePlanned = False
) -> dict[str, Any]:
    now = now_ns()
    a, b = time_range(start, end, now)
    async with ctx.tx() as conn:
        return await service.downtime(conn, machine_id, a, b, now, include_planned=include_planned)


@router.post(
    f"{P}/machines/{{machine_id}}/downtime/classify",
    status_code=201,
    summary="Give a downtime interval a reason code",
    response_model=EntryOut,
)
async def classify(machine_id: uuid.UUID, body: ClassifyIn, ctx: Writer) -> dict[str, Any]:
    async with ctx.tx() as conn:
        row = await operator.classify(
            conn, ctx.principal.tenant_id, ctx.principal.user_id, machine_id, start=body.start, end=body.end,
            reason_code=body.reason_code, note=body.note, now=now_ns(),
        )  # fmt: skip
    return row_json(row)


@router.get(
    f"{P}/pareto",
    summary="Downtime Pareto by reason (all machines, one machine or one line)",
    response_model=ParetoOut,
)
async def pareto(
    ctx: Reader,
    start: From = None,
    end: To = None,
    machine_id: uuid.UUID | None = None,
    line_id: uuid.UUID | None = None,
    include_planned: IncludePlanned = False,
) -> dict[str, Any]:
    now = now_ns()
    a, b = time_range(start, end, now)
    async with ctx.tx() as conn:
        return await service.pareto(
            conn, a, b, now, machine_id=machine_id, line_id=line_id, include_planned=include_planned
        )


@router.get(f"{P}/machines/{{machine_id}}/counts", summary="Operator-entered counts", response_model=CountPage)
async def list_counts(machine_id: uuid.UUID, ctx: Reader, start: From = None, end: To = None) -> dict[str, Any]:
    a, b = time_range(start, end, now_ns())
    async with ctx.tx() as conn:
        rows = await operator.list_counts(conn, machine_id, a, b)
    return {"items": [row_json(r) for r in rows]}


@router.post(
    f"{P}/machines/{{machine_id}}/counts",
    status_code=201,
    summary="Enter good and reject counts for an interval",
    response_model=CountOut,
)
async def add_count(machine_id: uuid.UUID, body: CountIn, ctx: Writer) -> dict[str, Any]:
    async with ctx.tx() as conn:
        row = await operator.add_count(
            conn, ctx.principal.tenant_id, ctx.principal.user_id, machine_id, start=body.start, end=body.end,
            good=body.good, reject=body.reject, note=body.note, now=now_ns(),
        )  # fmt: skip
    return row_json(row)


@router.delete(f"{P}/counts/{{count_id}}", status_code=204, summary="Delete a count entry")
async def delete_count(count_id: uuid.UUID, ctx: Writer) -> None:
    async with ctx.tx() as conn:
        await operator.delete_count(conn, ctx.principal.tenant_id, count_id, now_ns())
