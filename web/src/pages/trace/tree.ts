// A trace (nodes + edges, a DAG) as indented tree rows, depth first from the root. A node reached again by
// another path is listed again but its branch is not repeated ("shown above"), so the rows stay at most one
// per edge and a cycle cannot loop.
import type { TraceEdge, TraceNode, TraceOut } from "./api";

export interface TraceRow {
  key: string; // unique: the path of edge ids
  node: TraceNode;
  level: number; // 0 = root
  edge: TraceEdge | null; // how this node hangs off its tree parent (quantity, work order, when)
  hasChildren: boolean;
  repeat: boolean; // already shown above: branch not repeated
}

export function traceRows(t: TraceOut): TraceRow[] {
  const byId = new Map<string, TraceNode>(t.nodes.map((n) => [n.id, n]));
  byId.set(t.root.id, t.root);
  const next = new Map<string, TraceEdge[]>();
  const backward = t.direction === "backward";
  for (const e of t.edges) {
    const from = backward ? e.parent_id : e.child_id;
    const list = next.get(from);
    if (list) list.push(e);
    else next.set(from, [e]);
  }
  const toId = (e: TraceEdge) => (backward ? e.child_id : e.parent_id);
  const rows: TraceRow[] = [];
  const expanded = new Set<string>();
  const walk = (node: TraceNode, level: number, edge: TraceEdge | null, key: string) => {
    const kids = (next.get(node.id) ?? []).filter((e) => byId.has(toId(e)));
    const repeat = expanded.has(node.id);
    rows.push({ key, node, level, edge, hasChildren: kids.length > 0 && !repeat, repeat: repeat && kids.length > 0 });
    if (repeat) return;
    expanded.add(node.id);
    const sorted = kids.slice().sort((a, b) => {
      const x = byId.get(toId(a))!;
      const y = byId.get(toId(b))!;
      return x.part_number.localeCompare(y.part_number) || x.number.localeCompare(y.number, undefined, { numeric: true });
    });
    for (const e of sorted) walk(byId.get(toId(e))!, level + 1, e, `${key}/${e.id}`);
  };
  walk(t.root, 0, null, t.root.id);
  return rows;
}

/** The rows to show when the rows whose keys are in `collapsed` hide their descendants. */
export function visibleRows(rows: TraceRow[], collapsed: ReadonlySet<string>): TraceRow[] {
  const out: TraceRow[] = [];
  let hideBelow = Infinity;
  for (const r of rows) {
    if (r.level > hideBelow) continue;
    hideBelow = Infinity;
    out.push(r);
    if (r.hasChildren && collapsed.has(r.key)) hideBelow = r.level;
  }
  return out;
}

/** Keys of the rows at `level` or deeper that have children: collapsing them shows `level` levels. */
export function keysFrom(rows: TraceRow[], level: number): Set<string> {
  return new Set(rows.filter((r) => r.hasChildren && r.level >= level).map((r) => r.key));
}
