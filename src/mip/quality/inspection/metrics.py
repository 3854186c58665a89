"""Quality metrics over a time range, in total and per day/week bucket (UTC), from inspection results and NCRs.

* first-pass yield = sampled units with every characteristic passed / sampled units inspected
* DPMO = failed characteristic results / characteristic results inspected (the opportunities) × 10⁶
* PPM = defective units / units inspected × 10⁶ (overall, or by supplier, part or line)
* scrap rate / rework rate = NCR quantity dispositioned scrap / rework or repair (dispositioned or closed NCRs,
  by detection time) / quantity inspected (the lot sizes of the inspections in the range)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from mip.platform.db import Conn
from mip.quality.inspection.errors import InspectionInput

UNITS = (
    "with u as (select i.id, i.lot_size, i.supplier_id, i.item_id, i.line_id, "
    "  date_trunc(%(b)s, i.inspected_at at time zone 'UTC') at time zone 'UTC' as bucket, r.unit, count(*) as n, "
    "  count(*) filter (where not r.passed) as d "
    "  from inspections i join inspection_results r on r.inspection_id = i.id "
    "  where i.inspected_at >= %(s)s and i.inspected_at < %(e)s "
    "  group by i.id, r.unit) "
)
NCR_QTY = (
    "select date_trunc(%(b)s, detected_at at time zone 'UTC') at time zone 'UTC' as bucket, "
    "coalesce(sum(disposition_quantity) filter (where disposition = 'scrap'), 0) as scrap, "
    "coalesce(sum(disposition_quantity) filter (where disposition in ('rework','repair')), 0) as rework "
    "from ncrs where status in ('dispositioned','closed') and detected_at >= %(s)s and detected_at < %(e)s "
    "group by 1"
)
LOT_QTY = (
    "select date_trunc(%(b)s, inspected_at at time zone 'UTC') at time zone 'UTC' as bucket, sum(lot_size) as qty "
    "from inspections "
    "where inspected_at >= %(s)s and inspected_at < %(e)s group by 1"
)


def _ratio(num: float, den: float, scale: float = 1.0) -> float | None:
    return None if den == 0 else round(num / den * scale, 6)


def _values(units: dict[str, int], qty: float, scrap: float, rework: float) -> dict[str, Any]:
    n, fp = units.get("units", 0), units.get("first_pass", 0)
    return {
        "units_inspected": n,
        "units_first_pass": fp,
        "defects": units.get("defects", 0),
        "opportunities": units.get("opportunities", 0),
        "defective_units": n - fp,
        "quantity": qty,
        "scrap_quantity": scrap,
        "rework_quantity": rework,
        "first_pass_yield": _ratio(fp, n),
        "scrap_rate": _ratio(scrap, qty),
        "rework_rate": _ratio(rework, qty),
        "dpmo": _ratio(units.get("defects", 0), units.get("opportunities", 0), 1e6),
        "ppm": _ratio(n - fp, n, 1e6),
    }


def _check(start: datetime, end: datetime, bucket: str) -> None:
    if bucket not in ("day", "week"):
        raise InspectionInput("bucket must be day or week")
    if end <= start:
        raise InspectionInput("end must be after start")
    if (end - start).days > 3660:
        raise InspectionInput("the range is at most 10 years")


async def compute(conn: Conn, *, start: datetime, end: datetime, bucket: str) -> dict[str, Any]:
    _check(start, end, bucket)
    p = {"b": bucket, "s": start, "e": end}
    cur = await conn.execute(
        UNITS + "select bucket, count(*) as units, count(*) filter (where d = 0) as first_pass, "
        "sum(d) as defects, sum(n) as opportunities from u group by bucket",
        p,
    )
    units = {r["bucket"]: {k: int(r[k]) for k in ("units", "first_pass", "defects", "opportunities")}
             for r in await cur.fetchall()}  # fmt: skip
    cur = await conn.execute(LOT_QTY, p)
    qty = {r["bucket"]: float(r["qty"]) for r in await cur.fetchall()}
    cur = await conn.execute(NCR_QTY, p)
    ncr = {r["bucket"]: (float(r["scrap"]), float(r["rework"])) for r in await cur.fetchall()}
    buckets = sorted(set(units) | set(qty) | set(ncr))
    trend = []
    tot_u: dict[str, int] = {}
    for b in buckets:
        u = units.get(b, {})
        for k, v in u.items():
            tot_u[k] = tot_u.get(k, 0) + v
        s, r = ncr.get(b, (0.0, 0.0))
        trend.append({"start": b, **_values(u, qty.get(b, 0.0), s, r)})
    totals = _values(tot_u, sum(qty.values()), sum(v[0] for v in ncr.values()), sum(v[1] for v in ncr.values()))
    return {"start": start, "end": end, "bucket": bucket, "totals": totals, "trend": trend}


GROUPS = {
    "supplier": ("u.supplier_id", "left join quality_suppliers g on g.id = u.supplier_id", "g.code"),
    "part": ("u.item_id", "left join plan_items g on g.id = u.item_id", "g.part_number"),
    "line": ("u.line_id", "left join assets g on g.id = u.line_id", "g.path"),
}


async def ppm(conn: Conn, *, start: datetime, end: datetime, by: str) -> dict[str, Any]:
    if by not in GROUPS:
        raise InspectionInput("by must be supplier, part or line")
    _check(start, end, "day")
    key, join, label = GROUPS[by]
    cur = await conn.execute(
        UNITS + f"select {key} as key, {label} as label, count(*) as units, count(*) filter (where u.d > 0) as bad "
        f"from u {join} group by 1, 2 order by count(*) filter (where u.d > 0)::float / count(*) desc, 2",
        {"b": "day", "s": start, "e": end},
    )
    items = [{"key": r["key"], "label": r["label"] or "(none)", "units_inspected": int(r["units"]),
              "defective_units": int(r["bad"]), "ppm": _ratio(int(r["bad"]), int(r["units"]), 1e6)}
             for r in await cur.fetchall()]  # fmt: skip
    return {"start": start, "end": end, "by": by, "items": items}
