// The indented multi-level BOM: expand/collapse per assembly (and all at once), quantities with scrap,
// phantom and substitute markers, reference designators and the BOM revision each line comes from.
import { useMemo, useState } from "react";
import type { Explosion } from "./api";
import { fmtQty, treeRows, visibleRows } from "./tree";

export function BomTree({ explosion }: { explosion: Explosion }) {
  const rows = useMemo(() => treeRows(explosion.rows), [explosion]);
  const [collapsed, setCollapsed] = useState<ReadonlySet<string>>(new Set());
  const shown = visibleRows(rows, collapsed);
  const parents = rows.filter((r) => r.hasChildren);

  function toggle(key: string) {
    setCollapsed((cur) => {
      const next = new Set(cur);
      if (next.has(key)) next.delete(key);
      else next.add(key);
      return next;
    });
  }

  if (rows.length === 0) {
    return <p className="pg-empty">No BOM is effective for {explosion.part_number} on {explosion.as_of}: it has no components on that date.</p>;
  }
  return (
    <div className="pl-tree">
      <div className="pg-actions">
        <button type="button" className="btn btn-small" onClick={() => setCollapsed(new Set())} disabled={collapsed.size === 0}>
          Expand all
        </button>
        <button type="button" className="btn btn-small" onClick={() => setCollapsed(new Set(parents.map((p) => p.key)))} disabled={parents.length === 0}>
          Collapse all
        </button>
        <span className="muted small">
          {rows.length} lines, {explosion.summary.length} distinct components · quantities per {fmtQty(explosion.quantity)} {explosion.part_number}, scrap included
        </span>
      </div>
      <div className="table-wrap" tabIndex={0} role="region" aria-label={`Indented BOM of ${explosion.part_number}`}>
        <table className="table pl-bom" aria-label={`Indented BOM of ${explosion.part_number}`}>
          <thead>
            <tr>
              <th scope="col">Level</th>
              <th scope="col">Component</th>
              <th scope="col">Description</th>
              <th scope="col" className="num">
                Qty per
              </th>
              <th scope="col" className="num">
                Scrap
              </th>
              <th scope="col" className="num">
                Extended qty
              </th>
              <th scope="col">Make/buy</th>
              <th scope="col">Markers</th>
              <th scope="col">Ref. designators</th>
              <th scope="col">BOM rev.</th>
            </tr>
          </thead>
          <tbody>
            {shown.map(({ key, row, hasChildren }) => {
              const open = !collapsed.has(key);
              return (
                <tr key={key} data-testid="bom-row" className={row.phantom ? "pl-phantom" : undefined}>
                  <td className="pg-mono">{`${".".repeat(row.level)}${row.level}`}</td>
                  <th scope="row" className="pl-part">
                    <span className="pl-indent" style={{ paddingLeft: `${(row.level - 1) * 1.25}rem` }}>
                      {hasChildren ? (
                        <button
                          type="button"
                          className="pl-toggle"
                          aria-expanded={open}
                          aria-label={`${open ? "Collapse" : "Expand"} ${row.part_number}`}
                          onClick={() => toggle(key)}
                        >
                          <span aria-hidden="true">{open ? "▾" : "▸"}</span>
                        </button>
                      ) : (
                        <span className="pl-toggle-space" aria-hidden="true" />
                      )}
                      <span className="pg-mono">{row.part_number}</span>
                    </span>
                  </th>
                  <td>{row.description || <span className="muted">—</span>}</td>
                  <td className="num">
                    {fmtQty(row.qty_per)} {row.uom}
                  </td>
                  <td className="num">{row.scrap_pct ? `${fmtQty(row.scrap_pct)} %` : "—"}</td>
                  <td className="num">
                    {fmtQty(row.extended_qty)} {row.uom}
                  </td>
                  <td>{row.make_buy}</td>
                  <td>
                    {row.phantom && (
                      <span className="badge pl-badge-phantom" title="Phantom: blown through, its components are consumed directly">
                        Phantom
                      </span>
                    )}
                    {row.substitutes.length > 0 && (
                      <span className="badge pl-badge-sub">
                        Substitutes: {row.substitutes.map((s) => `${s.part_number} (#${s.priority})`).join(", ")}
                      </span>
                    )}
                  </td>
                  <td className="pg-mono">{row.ref_des || <span className="muted">—</span>}</td>
                  <td>{row.bom_revision ?? "—"}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
      {explosion.rows.some((r) => r.phantom) && (
        <p className="muted small">A phantom is blown through: the components it lists appear at its own level, consumed directly by its parent.</p>
      )}
    </div>
  );
}
