"""CSV export and import of items and BOMs (one file; round-trips byte for byte).

Rows are ``item`` (item master), ``bom`` (a BOM header: parent part number, revision, effectivity) and
``line`` (a BOM line of the ``bom`` with the same part number and revision). Substitutes are written
``PART:priority;PART:priority``. Import validates every row and the resulting structure (unknown parts, buy
parents, overlapping effectivity, cycles) before writing anything; on any problem it writes nothing and lists
every problem with its row number (the header is row 1)."""

from __future__ import annotations

import csv
import io
import uuid
from collections import defaultdict
from datetime import date
from typing import Any

from pydantic import ValidationError

from mip.planning import bomdata, boms
from mip.planning.bomdata import Bom, BomData, Line
from mip.planning.errors import ImportInvalid
from mip.planning.schemas import BomLineIn, ItemIn, SubstituteIn
from mip.platform.db import Conn
from mip.platform.errors import MIPError
from mip.platform.ids import uuid7

COLUMNS = [
    "record", "part_number", "description", "make_buy", "uom", "lead_time_days", "standard_cost", "safety_stock",
    "on_hand", "revision", "effective_from", "effective_to", "line_no", "component", "qty_per", "scrap_pct",
    "phantom", "ref_des", "substitutes", "itar",
]  # fmt: skip
ITEM_FIELDS = ["description", "make_buy", "uom", "lead_time_days", "standard_cost", "safety_stock", "on_hand", "itar"]
MAX_ROWS = 100_000


def _num(x: float) -> str:
    s = repr(float(x))
    return s[:-2] if s.endswith(".0") else s


def _d(x: date | None) -> str:
    return x.isoformat() if x else ""


async def export_csv(conn: Conn) -> str:
    data = await bomdata.load(conn)
    out = io.StringIO()
    w = csv.writer(out, lineterminator="\n")
    w.writerow(COLUMNS)
    blank = dict.fromkeys(COLUMNS, "")
    for it in sorted(data.items.values(), key=lambda i: i["part_number"]):
        row = {**blank, "record": "item", "part_number": it["part_number"], "description": it["description"]}
        row.update(make_buy=it["make_buy"], uom=it["uom"], lead_time_days=str(it["lead_time_days"]))
        row.update({k: _num(it[k]) for k in ("standard_cost", "safety_stock", "on_hand")})
        row["itar"] = "true" if it.get("itar") else "false"
        w.writerow(row.values())
    heads = sorted(
        (b for bs in data.boms.values() for b in bs),
        key=lambda b: (data.part(b.item_id), b.effective_from or date.min, b.revision),
    )
    for b in heads:
        key = {"part_number": data.part(b.item_id), "revision": b.revision}
        eff = {"effective_from": _d(b.effective_from), "effective_to": _d(b.effective_to)}
        w.writerow({**blank, "record": "bom", **key, **eff}.values())
        for ln in b.lines:
            subs = ";".join(
                f"{data.part(i)}:{p}" for i, p in sorted(ln.substitutes, key=lambda s: (s[1], data.part(s[0])))
            )
            line = {"line_no": str(ln.line_no), "component": data.part(ln.component_id), "qty_per": _num(ln.qty_per)}
            line.update(scrap_pct=_num(ln.scrap_pct), phantom="true" if ln.phantom else "false", ref_des=ln.ref_des)
            w.writerow({**blank, "record": "line", **key, **line, "substitutes": subs}.values())
    return out.getvalue()


def _bool(v: str) -> bool:
    s = v.strip().lower()
    if s in ("true", "yes", "1", "y"):
        return True
    if s in ("false", "no", "0", "n", ""):
        return False
    raise ValueError(f"phantom: not a boolean: {v!r}")


def _date(v: str, what: str) -> date | None:
    try:
        return date.fromisoformat(v.strip()) if v.strip() else None
    except ValueError:
        raise ValueError(f"{what}: not a date (YYYY-MM-DD): {v!r}") from None


def _subs(v: str) -> list[SubstituteIn]:
    out = []
    for part in filter(None, (p.strip() for p in v.split(";"))):
        pn, _, prio = part.partition(":")
        out.append(SubstituteIn(part_number=pn, priority=int(prio) if prio else 1))
    return out


def _pyd(exc: ValidationError) -> str:
    return "; ".join(f"{'.'.join(map(str, e['loc'])) or 'row'}: {e['msg']}" for e in exc.errors())


class _Parsed:
    def __init__(self) -> None:
        self.items: dict[str, tuple[int, ItemIn]] = {}
        self.boms: dict[tuple[str, str], dict[str, Any]] = {}
        self.errors: list[dict[str, Any]] = []

    def err(self, row: int, problem: str) -> None:
        self.errors.append({"row": row, "problem": problem})


def parse(text: str) -> _Parsed:
    p = _Parsed()
    reader = csv.DictReader(io.StringIO(text))
    header = reader.fieldnames or []
    missing = [c for c in ("record", "part_number") if c not in header]
    unknown = [c for c in header if c not in COLUMNS]
    if missing or unknown:
        p.err(1, f"header: missing {missing or '-'}, unknown {unknown or '-'}; columns are {','.join(COLUMNS)}")
        return p
    for n, raw in enumerate(reader, start=2):
        if n > MAX_ROWS:
            p.err(n, f"more than {MAX_ROWS} rows")
            break
        r = {k: (v or "").strip() for k, v in raw.items() if k is not None}
        rec, pn = r.get("record", ""), r.get("part_number", "")
        try:
            if rec == "item":
                if pn in p.items:
                    raise ValueError(f"part number {pn} appears twice (row {p.items[pn][0]})")
                vals = {k: r[k] for k in ITEM_FIELDS if r.get(k, "") != ""}
                p.items[pn] = (n, ItemIn(part_number=pn, **vals))
            elif rec == "bom":
                key = (pn, r.get("revision", ""))
                if not key[1]:
                    raise ValueError("bom: revision is required")
                if key in p.boms:
                    raise ValueError(f"BOM {pn} revision {key[1]} appears twice (row {p.boms[key]['row']})")
                eff = (
                    _date(r.get("effective_from", ""), "effective_from"),
                    _date(r.get("effective_to", ""), "effective_to"),
                )
                if eff[0] and eff[1] and eff[1] <= eff[0]:
                    raise ValueError("effective_to must be after effective_from")
                p.boms[key] = {"row": n, "eff": eff, "lines": []}
            elif rec == "line":
                key = (pn, r.get("revision", ""))
                if key not in p.boms:
                    raise ValueError(f"line before its bom row ({pn} revision {key[1] or '?'})")
                line = BomLineIn(
                    line_no=int(r["line_no"]) if r.get("line_no") else None,
                    component=r.get("component", ""),
                    qty_per=r.get("qty_per", ""),
                    scrap_pct=r.get("scrap_pct") or 0,
                    phantom=_bool(r.get("phantom", "")),
                    ref_des=r.get("ref_des", ""),
                    substitutes=_subs(r.get("substitutes", "")),
                )
                p.boms[key]["lines"].append((n, line))
            else:
                raise ValueError(f"record must be item, bom or line, not {rec!r}")
        except ValidationError as exc:
            p.err(n, _pyd(exc))
        except ValueError as exc:
            p.err(n, str(exc))
    return p


def _merge(data: BomData, p: _Parsed) -> tuple[BomData, dict[str, uuid.UUID]]:
    """The tenant's structure as it will be after the import (file items and BOMs replace the DB's)."""
    ids = {it["part_number"]: i for i, it in data.items.items()}
    items = {i: dict(it) for i, it in data.items.items()}
    for pn, (_, it) in p.items.items():
        iid = ids.setdefault(pn, uuid7())
        items[iid] = {**items.get(iid, {}), **it.model_dump(), "id": iid}
    merged: dict[uuid.UUID, list[Bom]] = defaultdict(list)
    file_keys = {(ids.get(pn), rev) for pn, rev in p.boms}
    for parent, bs in data.boms.items():
        merged[parent] += [b for b in bs if (parent, b.revision) not in file_keys]
    for (pn, rev), b in p.boms.items():
        parent = ids[pn]
        lines = [
            Line(no, ids[ln.component], ln.qty_per, ln.scrap_pct, ln.phantom, ln.ref_des, ())
            for no, ln in b["numbered"]
        ]
        merged[parent].append(Bom(uuid7(), parent, rev, b["eff"][0], b["eff"][1], 0, lines))
        b["id"] = merged[parent][-1].id
    return BomData(items, dict(merged)), ids


def marks_itar(text: str) -> bool:
    """Whether the file creates or changes ITAR-controlled items (only ITAR-authorised users may import it)."""
    return any(it.itar for _, it in parse(text).items.values())


async def import_csv(conn: Conn, tenant_id: uuid.UUID, text: str) -> dict[str, int]:
    p = parse(text)
    data = await bomdata.load(conn)
    known = {it["part_number"] for it in data.items.values()} | set(p.items)
    for (pn, rev), b in p.boms.items():
        if pn not in known:
            p.err(b["row"], f"unknown part number {pn}")
        for n, ln in b["lines"]:
            for ref in [ln.component, *(s.part_number for s in ln.substitutes)]:
                if ref not in known:
                    p.err(n, f"unknown part number {ref}")
        try:
            b["numbered"] = [(no, ln) for no, ln in boms.numbered([ln for _, ln in b["lines"]])]
        except MIPError as exc:
            p.err(b["row"], f"{pn} revision {rev}: {exc.detail}")
    if not p.errors:
        merged, ids = _merge(data, p)
        for (pn, rev), b in p.boms.items():
            parts = {ln.component: ids[ln.component] for _, ln in b["lines"]}
            parts.update({s.part_number: ids[s.part_number] for _, ln in b["lines"] for s in ln.substitutes})
            try:
                boms.validate_structure(merged, ids[pn], rev, b["eff"], b["numbered"], parts, bom_id=b["id"])
            except MIPError as exc:
                p.err(b["row"], f"{pn} revision {rev}: {exc.detail}")
    if p.errors:
        p.errors.sort(key=lambda e: e["row"])
        raise ImportInvalid(f"{len(p.errors)} problem(s); nothing was imported", errors=p.errors)
    return await _write(conn, tenant_id, data, p)


async def _write(conn: Conn, tenant_id: uuid.UUID, data: BomData, p: _Parsed) -> dict[str, int]:
    from mip.planning import common

    ids = {it["part_number"]: i for i, it in data.items.items()}
    stats = {"items_created": 0, "items_updated": 0, "boms_created": 0, "boms_replaced": 0}
    for pn, (_, it) in sorted(p.items.items()):
        vals = it.model_dump()
        if pn in ids:
            cur = data.items[ids[pn]]
            changes = {k: v for k, v in vals.items() if cur[k] != v}
            if changes:
                await common.update(conn, "plan_items", ids[pn], changes, None, what="item")
                stats["items_updated"] += 1
        else:
            row = await common.insert(conn, "plan_items", {"tenant_id": tenant_id, **vals}, duplicate=pn)
            ids[pn] = row["id"]
            stats["items_created"] += 1
    existing = {(b.item_id, b.revision): b.id for bs in data.boms.values() for b in bs}
    for (pn, rev), b in p.boms.items():
        parent = ids[pn]
        bom_id = existing.get((parent, rev))
        eff = {"effective_from": b["eff"][0], "effective_to": b["eff"][1]}
        if bom_id is None:
            row = await common.insert(
                conn, "plan_boms", {"tenant_id": tenant_id, "item_id": parent, "revision": rev, **eff}, duplicate=rev
            )
            bom_id = row["id"]
            stats["boms_created"] += 1
        else:
            await common.update(conn, "plan_boms", bom_id, eff, None, what="BOM")
            stats["boms_replaced"] += 1
        await boms.write_lines(conn, tenant_id, bom_id, b["numbered"], ids)
    return stats
