"""Indented and summarised explosion as of a date (phantoms blown through, scrap included), indented
where-used (all levels up), rolled-up cost and cumulative lead time (longest path)."""

from __future__ import annotations

import uuid
from datetime import date
from typing import Any

from mip.planning.bomdata import BomData, Line

Labour = dict[uuid.UUID, tuple[float, float]]  # item -> (setup cost per lot, run cost per unit)


def _subs(data: BomData, ln: Line) -> list[dict[str, Any]]:
    return [{"item_id": i, "part_number": data.part(i), "priority": p} for i, p in ln.substitutes]


def explode(
    data: BomData,
    item_id: uuid.UUID,
    as_of: date,
    *,
    quantity: float = 1.0,
    revision: str | None = None,
    include_phantoms: bool = False,
) -> dict[str, Any]:
    """Rows depth-first in line order. A phantom line is replaced by its own components (at the phantom's
    level, quantities multiplied through); ``include_phantoms`` also lists the phantom row itself."""
    top = data.items[item_id]
    rows: list[dict[str, Any]] = []
    summary: dict[uuid.UUID, float] = {}

    def walk(
        parent: uuid.UUID, qty: float, level: int, path: str, rev: str | None, stack: tuple[uuid.UUID, ...]
    ) -> None:
        bom = data.bom_for(parent, as_of, rev)
        if bom is None:
            return
        for ln in bom.lines:
            comp = ln.component_id
            if comp in stack:  # refused at write time; guard anyway
                continue
            ext = qty * ln.gross_per
            it = data.items[comp]
            if ln.phantom:
                if include_phantoms:
                    rows.append(_row(data, ln, bom.revision, level, f"{path} / {it['part_number']}", ext))
                walk(comp, ext, level, path, None, (*stack, comp))
                continue
            p = f"{path} / {it['part_number']}"
            rows.append(_row(data, ln, bom.revision, level, p, ext))
            summary[comp] = summary.get(comp, 0.0) + ext
            walk(comp, ext, level + 1, p, None, (*stack, comp))

    walk(item_id, quantity, 1, str(top["part_number"]), revision, (item_id,))
    return {
        "part_number": top["part_number"],
        "revision": revision,
        "as_of": as_of,
        "quantity": quantity,
        "rows": rows,
        "summary": [
            {
                "item_id": i,
                "part_number": data.part(i),
                "make_buy": data.items[i]["make_buy"],
                "uom": data.items[i]["uom"],
                "total_qty": round(q, 9),
            }
            for i, q in sorted(summary.items(), key=lambda kv: data.part(kv[0]))
        ],
    }


def _row(data: BomData, ln: Line, revision: str, level: int, path: str, ext: float) -> dict[str, Any]:
    it = data.items[ln.component_id]
    return {
        "level": level,
        "path": path,
        "item_id": ln.component_id,
        "part_number": it["part_number"],
        "description": it["description"],
        "make_buy": it["make_buy"],
        "uom": it["uom"],
        "qty_per": ln.qty_per,
        "scrap_pct": ln.scrap_pct,
        "extended_qty": round(ext, 9),
        "phantom": ln.phantom,
        "bom_revision": revision,
        "ref_des": ln.ref_des,
        "substitutes": _subs(data, ln),
    }


def where_used(data: BomData, item_id: uuid.UUID, as_of: date | None = None) -> dict[str, Any]:
    """Every BOM that uses the item, then the BOMs using those parents, … (indented, all levels up)."""
    parents = data.parents()
    rows: list[dict[str, Any]] = []

    def walk(child: uuid.UUID, level: int, path: str, stack: tuple[uuid.UUID, ...]) -> None:
        uses = sorted(parents.get(child, []), key=lambda t: (data.part(t[0]), t[1].revision, t[2].line_no))
        for parent, bom, ln in uses:
            if as_of is not None and not bom.effective(as_of):
                continue
            if parent in stack:
                continue
            p = f"{path} / {data.part(parent)}"
            rows.append(
                {
                    "level": level,
                    "path": p,
                    "item_id": parent,
                    "part_number": data.part(parent),
                    "bom_revision": bom.revision,
                    "qty_per": ln.qty_per,
                    "effective_from": bom.effective_from,
                    "effective_to": bom.effective_to,
                }
            )
            walk(parent, level + 1, p, (*stack, parent))

    walk(item_id, 1, data.part(item_id), (item_id,))
    return {"part_number": data.part(item_id), "as_of": as_of, "rows": rows}


def rollup(data: BomData, item_id: uuid.UUID, as_of: date, labour: Labour, *, lot_size: float = 1.0) -> dict[str, Any]:
    """Cost per unit at ``lot_size`` (setup amortised over the lot) and the cumulative lead time.

    Buy items cost their standard cost; make items cost their components (scrap included) plus their routing
    (work-centre rate × setup and run time; setup spread over the quantity of that item in the lot).
    A make item without an effective BOM and routing falls back to its
    standard cost as material. Phantoms add no lead time of their own. Cumulative lead time is the item's own
    lead time plus the longest cumulative lead time among its components."""

    def node(iid: uuid.UUID, qty: float, phantom: bool, stack: tuple[uuid.UUID, ...], lot: float) -> dict[str, Any]:
        it = data.items[iid]
        bom = data.bom_for(iid, as_of) if it["make_buy"] == "make" else None
        children = [
            node(ln.component_id, ln.gross_per, ln.phantom, (*stack, ln.component_id), lot * ln.gross_per)
            for ln in (bom.lines if bom else [])
            if ln.component_id not in stack
        ]
        if it["make_buy"] == "buy" or (bom is None and iid not in labour):
            material, lab = float(it["standard_cost"]), 0.0
        else:
            material = sum(c["total"] * c["quantity"] for c in children)
            setup, run = labour.get(iid, (0.0, 0.0))
            lab = setup / lot + run
        own_lt = 0 if phantom else int(it["lead_time_days"])
        longest = max(children, key=lambda c: c["cumulative_lead_time_days"], default=None)
        cum = own_lt + (longest["cumulative_lead_time_days"] if longest else 0)
        return {
            "part_number": it["part_number"],
            "make_buy": it["make_buy"],
            "quantity": qty,
            "material": round(material, 6),
            "labour": round(lab, 6),
            "total": round(material + lab, 6),
            "lead_time_days": own_lt,
            "cumulative_lead_time_days": cum,
            "children": children,
            "_critical": longest,
        }

    tree = node(item_id, 1.0, False, (item_id,), lot_size)
    path, n = [], tree
    while n is not None:
        path.append(n["part_number"])
        n = n.pop("_critical")
    _strip(tree)
    return {
        "part_number": tree["part_number"],
        "as_of": as_of,
        "lot_size": lot_size,
        "unit_material": tree["material"],
        "unit_labour": tree["labour"],
        "unit_cost": tree["total"],
        "cumulative_lead_time_days": tree["cumulative_lead_time_days"],
        "critical_path": path,
        "tree": tree,
    }


def _strip(n: dict[str, Any]) -> None:
    n.pop("_critical", None)
    for c in n["children"]:
        _strip(c)
