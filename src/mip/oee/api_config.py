"""OEE configuration routes (OEE_ADMIN to change, OEE_READ to read): downtime reason codes, shifts per
site, planned stops, per-asset OEE config, and recomputing rollups. Registered on mip.oee.routing.router."""

from __future__ import annotations

import uuid
from typing import Annotated, Any

from fastapi import Depends

from mip.api.deps import Ctx, require
from mip.identity.permissions import Permission
from mip.oee import config
from mip.oee.config_schemas import (
    ConfigIn,
    ConfigListItem,
    ConfigOut,
    PlannedStopIn,
    PlannedStopOut,
    ReasonIn,
    ReasonOut,
    ReasonPatch,
    RecomputeIn,
    RecomputeOut,
    ShiftIn,
    ShiftOut,
    ShiftPatch,
)
from mip.oee.errors import InvalidOeeInput, MachineNotFound
from mip.oee.jsonout import row_json
from mip.oee.rollups import compute_oee_rollups
from mip.oee.routing import router
from mip.oee.service import check_range
from mip.platform.timeutil import ns_to_rfc3339

P = "/oee"

Reader = Annotated[Ctx, Depends(require(Permission.OEE_READ))]
Admin = Annotated[Ctx, Depends(require(Permission.OEE_ADMIN))]


@router.get(f"{P}/reasons", summary="Downtime reason codes", response_model=list[ReasonOut])
async def list_reasons(ctx: Reader) -> list[dict[str, Any]]:
    async with ctx.tx() as conn:
        return [row_json(r) for r in await config.list_reasons(conn)]


@router.post(f"{P}/reasons", status_code=201, summary="Create a downtime reason code", response_model=ReasonOut)
async def create_reason(body: ReasonIn, ctx: Admin) -> dict[str, Any]:
    async with ctx.tx() as conn:
        row = await config.create_reason(conn, ctx.principal.tenant_id, **body.model_dump())
    return row_json(row)


@router.patch(f"{P}/reasons/{{reason_id}}", summary="Rename or recategorise a reason code", response_model=ReasonOut)
async def update_reason(reason_id: uuid.UUID, body: ReasonPatch, ctx: Admin) -> dict[str, Any]:
    async with ctx.tx() as conn:
        return row_json(await config.update_reason(conn, reason_id, body.model_dump(exclude_none=True)))


@router.delete(f"{P}/reasons/{{reason_id}}", status_code=204, summary="Delete an unused reason code")
async def delete_reason(reason_id: uuid.UUID, ctx: Admin) -> None:
    async with ctx.tx() as conn:
        await config.delete_reason(conn, reason_id)


@router.get(f"{P}/shifts", summary="Shifts (of one site)", response_model=list[ShiftOut])
async def list_shifts(ctx: Reader, site_id: uuid.UUID | None = None) -> list[dict[str, Any]]:
    async with ctx.tx() as conn:
        return [row_json(r) for r in await config.list_shifts(conn, site_id)]


@router.post(f"{P}/shifts", status_code=201, summary="Create a shift of a site", response_model=ShiftOut)
async def create_shift(body: ShiftIn, ctx: Admin) -> dict[str, Any]:
    async with ctx.tx() as conn:
        return row_json(await config.create_shift(conn, ctx.principal.tenant_id, body.model_dump()))


@router.patch(f"{P}/shifts/{{shift_id}}", summary="Change a shift", response_model=ShiftOut)
async def update_shift(shift_id: uuid.UUID, body: ShiftPatch, ctx: Admin) -> dict[str, Any]:
    async with ctx.tx() as conn:
        return row_json(await config.update_shift(conn, shift_id, body.model_dump(exclude_none=True)))


@router.delete(f"{P}/shifts/{{shift_id}}", status_code=204, summary="Delete a shift")
async def delete_shift(shift_id: uuid.UUID, ctx: Admin) -> None:
    async with ctx.tx() as conn:
        await config.delete_shift(conn, shift_id)


@router.get(f"{P}/planned-stops", summary="Planned stops (of one asset)", response_model=list[PlannedStopOut])
async def list_stops(ctx: Reader, asset_id: uuid.UUID | None = None) -> list[dict[str, Any]]:
    async with ctx.tx() as conn:
        return [row_json(r) for r in await config.list_stops(conn, asset_id)]


@router.post(
    f"{P}/planned-stops",
    status_code=201,
    summary="Create a planned stop: recurring (breaks) or one window (planned maintenance)",
    response_model=PlannedStopOut,
)
async def create_stop(body: PlannedStopIn, ctx: Admin) -> dict[str, Any]:
    stop = body.model_dump()
    stop["start_ns"], stop["end_ns"] = stop.pop("start"), stop.pop("end")
    async with ctx.tx() as conn:
        return row_json(await config.create_stop(conn, ctx.principal.tenant_id, stop))


@router.delete(f"{P}/planned-stops/{{stop_id}}", status_code=204, summary="Delete a planned stop")
async def delete_stop(stop_id: uuid.UUID, ctx: Admin) -> None:
    async with ctx.tx() as conn:
        await config.delete_stop(conn, stop_id)


@router.get(f"{P}/configs", summary="Every asset's own OEE config", response_model=list[ConfigListItem])
async def list_configs(ctx: Reader) -> list[dict[str, Any]]:
    async with ctx.tx() as conn:
        return [row_json(r) for r in await config.list_configs(conn)]


@router.get(
    f"{P}/configs/{{asset_id}}", summary="An asset's own and effective (inherited) OEE config", response_model=ConfigOut
)
async def get_config(asset_id: uuid.UUID, ctx: Reader) -> dict[str, Any]:
    async with ctx.tx() as conn:
        return await config.get_config(conn, asset_id)


@router.put(
    f"{P}/configs/{{asset_id}}",
    summary="Set an asset's own OEE config (machine, or line/area/site to inherit)",
    response_model=ConfigOut,
)
async def put_config(asset_id: uuid.UUID, body: ConfigIn, ctx: Admin) -> dict[str, Any]:
    fields = body.model_dump(exclude={"ideal_rate_ppm"})
    async with ctx.tx() as conn:
        return await config.put_config(conn, ctx.principal.tenant_id, asset_id, fields)


@router.delete(f"{P}/configs/{{asset_id}}", status_code=204, summary="Remove an asset's own OEE config")
async def delete_config(asset_id: uuid.UUID, ctx: Admin) -> None:
    async with ctx.tx() as conn:
        await config.delete_config(conn, asset_id)


@router.post(
    f"{P}/rollups/recompute",
    summary="Recompute the OEE rollups of whole past hours (after configuration changes)",
    response_model=RecomputeOut,
)
async def recompute(body: RecomputeIn, ctx: Admin) -> dict[str, Any]:
    check_range(body.start, body.end)
    if body.end - body.start > 31 * 24 * 3600 * 10**9:
        raise InvalidOeeInput("recompute at most 31 days at a time")
    async with ctx.tx() as conn:
        if body.machine_ids:
            cur = await conn.execute(
                "select id from assets where id = any(%s) and kind = 'machine'", [body.machine_ids]
            )
            found = {r["id"] for r in await cur.fetchall()}
            missing = [str(m) for m in body.machine_ids if m not in found]
            if missing:
                raise MachineNotFound(f"machines not found: {', '.join(missing)}", machine_ids=missing)
        stats = await compute_oee_rollups(
            conn, ctx.principal.tenant_id, body.start, body.end, machine_ids=body.machine_ids
        )
    return {
        "from": ns_to_rfc3339(stats["from_ns"]),
        "to": ns_to_rfc3339(stats["to_ns"]),
        **{k: stats[k] for k in ("machines", "rollup_rows", "intervals")},
    }
