"""The tenant's items and BOMs in memory (one load), with effectivity resolution, cycle search and
low-level codes. Explosion, where-used, cost rollup and MRP work on this snapshot."""

from __future__ import annotations

import uuid
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from mip.planning.errors import BomCycle, PlanningNotFound
from mip.platform.db import Conn


@dataclass(frozen=True)
class Line:
    line_no: int
    component_id: uuid.UUID
    qty_per: float
    scrap_pct: float
    phantom: bool
    ref_des: str
    substitutes: tuple[tuple[uuid.UUID, int], ...]  # (item id, priority)

    @property
    def gross_per(self) -> float:
        """Quantity per parent including scrap."""
        return self.qty_per * (1 + self.scrap_pct / 100)


@dataclass
class Bom:
    id: uuid.UUID
    item_id: uuid.UUID
    revision: str
    effective_from: date | None
    effective_to: date | None
    version: int
    lines: list[Line] = field(default_factory=list)

    def effective(self, on: date) -> bool:
        return (self.effective_from is None or self.effective_from <= on) and (
            self.effective_to is None or on < self.effective_to
        )


@dataclass
class BomData:
    items: dict[uuid.UUID, dict[str, Any]]
    boms: dict[uuid.UUID, list[Bom]]  # parent item id -> its BOM revisions

    def part(self, item_id: uuid.UUID) -> str:
        return str(self.items[item_id]["part_number"])

    def bom_for(self, item_id: uuid.UUID, on: date, revision: str | None = None) -> Bom | None:
        """The BOM effective on ``on`` (or the named revision)."""
        for b in self.boms.get(item_id, []):
            if (revision is not None and b.revision == revision) or (revision is None and b.effective(on)):
                return b
        if revision is not None:
            raise PlanningNotFound(f"{self.part(item_id)} has no BOM revision {revision!r}")
        return None

    def edges(self, skip_bom: uuid.UUID | None = None) -> dict[uuid.UUID, set[uuid.UUID]]:
        """parent -> components over every revision (structure regardless of effectivity)."""
        out: dict[uuid.UUID, set[uuid.UUID]] = defaultdict(set)
        for parent, boms in self.boms.items():
            for b in boms:
                if b.id != skip_bom:
                    out[parent].update(ln.component_id for ln in b.lines)
        return out

    def parents(self) -> dict[uuid.UUID, list[tuple[uuid.UUID, Bom, Line]]]:
        out: dict[uuid.UUID, list[tuple[uuid.UUID, Bom, Line]]] = defaultdict(list)
        for parent, boms in self.boms.items():
            for b in boms:
                for ln in b.lines:
                    out[ln.component_id].append((parent, b, ln))
        return out

    def low_level_codes(self) -> dict[uuid.UUID, int]:
        """Deepest level at which each item appears in any structure (top items 0)."""
        edges = self.edges()
        llc = {i: 0 for i in self.items}
        indeg: dict[uuid.UUID, int] = defaultdict(int)
        for comps in edges.values():
            for c in comps:
                indeg[c] += 1
        ready = [i for i in self.items if indeg[i] == 0]
        while ready:
            i = ready.pop()
            for c in edges.get(i, ()):
                llc[c] = max(llc[c], llc[i] + 1)
                indeg[c] -= 1
                if indeg[c] == 0:
                    ready.append(c)
        return llc


def find_path(edges: dict[uuid.UUID, set[uuid.UUID]], start: uuid.UUID, goal: uuid.UUID) -> list[uuid.UUID] | None:
    """A path start → … → goal along ``edges`` (iterative DFS), or None."""
    stack: list[tuple[uuid.UUID, list[uuid.UUID]]] = [(start, [start])]
    seen: set[uuid.UUID] = set()
    while stack:
        node, path = stack.pop()
        if node == goal:
            return path
        if node in seen:
            continue
        seen.add(node)
        for nxt in sorted(edges.get(node, ()), key=str):
            if nxt not in seen:
                stack.append((nxt, [*path, nxt]))
    return None


def check_no_cycle(
    data: BomData, parent: uuid.UUID, components: list[uuid.UUID], *, skip_bom: uuid.UUID | None = None
) -> None:
    """422 ``bom_cycle`` naming the cycle (``A → B → C → A``) if ``parent`` reaches itself through the new lines."""
    edges = data.edges(skip_bom)
    for comp in components:
        path = [parent] if comp == parent else find_path(edges, comp, parent)
        if path is not None:
            cycle = [parent, *path] if comp != parent else [parent, parent]
            names = " → ".join(data.part(i) for i in cycle)
            raise BomCycle(f"BOM cycle: {names}", cycle=[data.part(i) for i in cycle])


async def load(conn: Conn) -> BomData:
    cur = await conn.execute("select * from plan_items")
    items = {r["id"]: r for r in await cur.fetchall()}
    cur = await conn.execute("select * from plan_boms order by effective_from nulls first, revision")
    by_id: dict[uuid.UUID, Bom] = {}
    boms: dict[uuid.UUID, list[Bom]] = defaultdict(list)
    for r in await cur.fetchall():
        b = Bom(r["id"], r["item_id"], r["revision"], r["effective_from"], r["effective_to"], r["version"])
        by_id[b.id] = b
        boms[b.item_id].append(b)
    cur = await conn.execute("select line_id, item_id, priority from plan_bom_substitutes order by priority, item_id")
    subs: dict[uuid.UUID, list[tuple[uuid.UUID, int]]] = defaultdict(list)
    for r in await cur.fetchall():
        subs[r["line_id"]].append((r["item_id"], r["priority"]))
    cur = await conn.execute("select * from plan_bom_lines order by bom_id, line_no")
    for r in await cur.fetchall():
        by_id[r["bom_id"]].lines.append(
            Line(
                r["line_no"],
                r["component_id"],
                r["qty_per"],
                r["scrap_pct"],
                r["phantom"],
                r["ref_des"],
                tuple(subs.get(r["id"], [])),
            )
        )
    return BomData(items, dict(boms))
