// CAPAs (8D) as a table: number, title, status, linked NCRs, open/overdue actions, effectiveness, opened.
// Closed and cancelled CAPAs only on request.
import { useState } from "react";
import { Link } from "react-router-dom";
import { formatDateTime } from "../../lib/time";
import type { Capa, Ncr } from "./api";
import { overdueCount } from "./capaDraft";
import { capaStatusLabel } from "./format";

interface Props {
  capas: Capa[];
  ncrs: Ncr[];
  tz: string;
  today: string;
  selectedId: string | null;
  hrefFor(id: string): string;
}

export function CapaList({ capas, ncrs, tz, today, selectedId, hrefFor }: Props) {
  const [showDone, setShowDone] = useState(false);
  const shown = capas.filter((c) => showDone || (c.status !== "closed" && c.status !== "cancelled"));
  const hidden = capas.length - capas.filter((c) => c.status !== "closed" && c.status !== "cancelled").length;
  const ncrNumber = (id: string) => ncrs.find((n) => n.id === id)?.ncr_number ?? id.slice(0, 8);

  return (
    <div>
      <div className="pg-toolbar">
        <label className="pg-check qa-check">
          <input type="checkbox" checked={showDone} onChange={(e) => setShowDone(e.target.checked)} />
          Show closed and cancelled ({hidden})
        </label>
      </div>
      {shown.length === 0 ? (
        <p className="pg-empty">{capas.length === 0 ? "No CAPAs yet." : "No open CAPAs."}</p>
      ) : (
        <div className="table-wrap">
          <table className="table card-table" aria-label="CAPAs">
            <thead>
              <tr>
                <th scope="col">CAPA</th>
                <th scope="col">Status</th>
                <th scope="col">NCRs</th>
                <th scope="col">Actions</th>
                <th scope="col">Effectiveness</th>
                <th scope="col">Opened</th>
              </tr>
            </thead>
            <tbody>
              {shown.map((c) => {
                const overdue = overdueCount(c, today);
                const all = c.corrective_actions.length + c.preventive_actions.length;
                const open = [...c.corrective_actions, ...c.preventive_actions].filter((a) => a.done !== true).length;
                const current = c.id === selectedId;
                return (
                  <tr key={c.id} data-testid="capa-row" className={current ? "qa-row-current" : undefined}>
                    <th scope="row">
                      <Link to={hrefFor(c.id)} aria-current={current ? "true" : undefined}>
                        <span className="pg-mono">{c.capa_number}</span> {c.title}
                      </Link>
                    </th>
                    <td data-label="Status">
                      <span className={`badge qa-status qa-status-${c.status}`}>{capaStatusLabel(c.status)}</span>
                    </td>
                    <td data-label="NCRs" className="pg-mono">
                      {c.ncr_ids.length ? c.ncr_ids.map(ncrNumber).join(", ") : "—"}
                    </td>
                    <td data-label="Open actions">
                      {all === 0 ? <span className="muted">none</span> : `${open} open of ${all}`}
                      {overdue > 0 && <span className="badge qa-badge-overdue">{overdue} overdue</span>}
                    </td>
                    <td data-label="Effectiveness">{c.effectiveness_result === "passed" ? "Passed" : c.effectiveness_result === "failed" ? "Failed" : <span className="muted">not checked</span>}</td>
                    <td data-label="Opened" className="nowrap">
                      {formatDateTime(c.created_at, tz).slice(0, 10)}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
    </div>
  );
}
