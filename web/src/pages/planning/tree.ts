// The indented BOM (rows depth-first with levels, as the explode API returns them) as a collapsible tree.
import type { ExplosionRow } from "./api";

export interface TreeRow {
  key: string; // unique per row (index in the explosion + path)
  row: ExplosionRow;
  hasChildren: boolean;
}

/** Rows with a stable key and whether the next row is one level deeper (has children). */
export function treeRows(rows: ExplosionRow[]): TreeRow[] {
  return rows.map((row, i) => ({ key: `${i}:${row.path}`, row, hasChildren: i + 1 < rows.length && rows[i + 1].level > row.level }));
}

/** The rows to show when the rows whose keys are in `collapsed` hide their descendants. */
export function visibleRows(rows: TreeRow[], collapsed: ReadonlySet<string>): TreeRow[] {
  const out: TreeRow[] = [];
  let hideBelow = Infinity; // hide rows deeper than this level
  for (const r of rows) {
    if (r.row.level > hideBelow) continue;
    hideBelow = Infinity;
    out.push(r);
    if (r.hasChildren && collapsed.has(r.key)) hideBelow = r.row.level;
  }
  return out;
}

/** "1.25", "8", "0.3333": quantities without float noise. */
export function fmtQty(q: number): string {
  if (!Number.isFinite(q)) return "—";
  return String(Number(q.toFixed(4)));
}

export function fmtMoney(v: number): string {
  return Number.isFinite(v) ? v.toLocaleString("en-GB", { minimumFractionDigits: 2, maximumFractionDigits: 2 }) : "—";
}
