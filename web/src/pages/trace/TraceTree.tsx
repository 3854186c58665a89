// The backward (what went into it) or forward (where it went) genealogy as an indented, collapsible tree:
// each row a lot or serial with part/revision, status, the quantity consumed on that link, the work order
// and, for purchased lots, supplier lot and certificate. ITAR-controlled rows are badged.
import { useMemo, useState } from "react";
import { formatDateTime } from "../../lib/time";
import { fmtQty } from "../quality/format";
import type { TraceOut } from "./api";
import { keysFrom, traceRows, visibleRows } from "./tree";

interface Props {
  trace: TraceOut;
  tz: string;
  workOrderName(id: string | null): string;
}

export function TraceTree({ trace, tz, workOrderName }: Props) {
  const rows = useMemo(() => traceRows(trace), [trace]);
  // big trees open two levels deep; small ones fully
  const [collapsed, setCollapsed] = useState<ReadonlySet<string>>(() => (rows.length > 200 ? keysFrom(rows, 2) : new Set()));
  const shown = visibleRows(rows, collapsed);
  const parents = rows.filter((r) => r.hasChildren);
  const backward = trace.direction === "backward";
  const what = backward ? "Components of" : "Where used:";
  const qtyHead = backward ? "Qty consumed" : "Qty into parent";

  function toggle(key: string) {
    setCollapsed((cur) => {
      const next = new Set(cur);
      if (next.has(key)) next.delete(key);
      else next.add(key);
      return next;
    });
  }

  if (rows.length <= 1) {
    return (
      <p className="pg-empty">
        {backward ? `Nothing is recorded as consumed into ${trace.root.number}.` : `${trace.root.number} has not been consumed into anything.`}
        {trace.restricted_nodes > 0 && " (Some linked items are ITAR-controlled and hidden from you.)"}
      </p>
    );
  }
  return (
    <div className="tr-tree">
      <div className="pg-actions">
        <button type="button" className="btn btn-small" onClick={() => setCollapsed(new Set())} disabled={collapsed.size === 0}>
          Expand all
        </button>
        <button type="button" className="btn btn-small" onClick={() => setCollapsed(keysFrom(rows, 0))} disabled={parents.length === 0}>
          Collapse all
        </button>
        <span className="muted small">
          {trace.node_count} {trace.node_count === 1 ? "item" : "items"}, {trace.max_depth} {trace.max_depth === 1 ? "level" : "levels"} · {trace.elapsed_ms} ms
        </span>
      </div>
      <div className="table-wrap">
        <table className="table tr-table" aria-label={`${what} ${trace.root.number}`}>
          <thead>
            <tr>
              <th scope="col">Lot / serial</th>
              <th scope="col">Part (rev.)</th>
              <th scope="col">Status</th>
              <th scope="col" className="num">
                {qtyHead}
              </th>
              <th scope="col">Work order</th>
              <th scope="col">Supplier lot / cert.</th>
              <th scope="col">Recorded</th>
            </tr>
          </thead>
          <tbody>
            {shown.map((r) => {
              const open = !collapsed.has(r.key);
              const n = r.node;
              return (
                <tr key={r.key} data-testid="trace-row" className={n.itar ? "tr-itar-row" : undefined}>
                  <th scope="row">
                    <span className="tr-indent" style={{ paddingLeft: `${r.level * 1.25}rem` }}>
                      {r.hasChildren ? (
                        <button type="button" className="tr-toggle" aria-expanded={open} aria-label={`${open ? "Collapse" : "Expand"} ${n.kind} ${n.number}`} onClick={() => toggle(r.key)}>
                          <span aria-hidden="true">{open ? "▾" : "▸"}</span>
                        </button>
                      ) : (
                        <span className="tr-toggle-space" aria-hidden="true" />
                      )}
                      <span className="sr-only">Level {r.level}: </span>
                      <span className="pg-kind">{n.kind}</span>
                      <span className="pg-mono tr-number">{n.number}</span>
                      {n.itar && <span className="badge tr-itar-badge">ITAR</span>}
                      {r.repeat && <span className="muted small"> (branch shown above)</span>}
                    </span>
                  </th>
                  <td data-label="Part">
                    <span className="pg-mono">{n.part_number}</span>
                    {n.revision && <span className="muted"> rev. {n.revision}</span>}
                  </td>
                  <td data-label="Status">{n.status}</td>
                  <td data-label={qtyHead} className="num">
                    {r.edge ? fmtQty(r.edge.quantity) : n.kind === "lot" ? `${fmtQty(n.quantity)} (lot)` : "—"}
                  </td>
                  <td data-label="Work order">{r.edge?.work_order_id ? workOrderName(r.edge.work_order_id) : <span className="muted">—</span>}</td>
                  <td data-label="Supplier lot / cert.">
                    {n.supplier || n.supplier_lot || n.cert_ref ? (
                      <>
                        {n.supplier}
                        {n.supplier_lot && <span className="pg-mono"> {n.supplier_lot}</span>}
                        {n.cert_ref && <span className="muted"> · cert {n.cert_ref}</span>}
                      </>
                    ) : (
                      <span className="muted">—</span>
                    )}
                  </td>
                  <td data-label="Recorded" className="nowrap">
                    {r.edge ? formatDateTime(r.edge.at, tz) : <span className="muted">root</span>}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
    </div>
  );
}
