// The NCR board: one column per workflow status (open → contained → pending MRB → dispositioned → closed;
// cancelled only on request), a card per NCR with number, title, item, quantity, age and urgency.
import { useState } from "react";
import { Link } from "react-router-dom";
import type { Ncr } from "./api";
import { NCR_COLUMNS, NCR_STATUS_LABEL, URGENCY_LABEL, ageDays, ageText, dispositionLabel, fmtQty, ncrUrgency } from "./format";
import type { QualityBasics } from "./useQualityBasics";

interface Props {
  ncrs: Ncr[];
  basics: QualityBasics;
  now: number;
  selectedId: string | null;
  /** The link of a card (keeps the page's other URL state). */
  hrefFor(id: string): string;
}

function matches(n: Ncr, q: string, basics: QualityBasics): boolean {
  if (!q) return true;
  const hay = [n.ncr_number, n.title, basics.itemName(n.item_id), basics.supplierName(n.supplier_id), ...n.lots, ...n.serials].join(" ").toLowerCase();
  return hay.includes(q.toLowerCase());
}

export function NcrBoard({ ncrs, basics, now, selectedId, hrefFor }: Props) {
  const [showCancelled, setShowCancelled] = useState(false);
  const [query, setQuery] = useState("");
  const columns = showCancelled ? [...NCR_COLUMNS, "cancelled" as const] : NCR_COLUMNS;
  const shown = ncrs.filter((n) => matches(n, query.trim(), basics));
  const cancelled = ncrs.filter((n) => n.status === "cancelled").length;

  return (
    <div className="qa-board-wrap">
      <div className="pg-toolbar qa-board-tools">
        <label className="qa-inline-label">
          Filter
          <input type="search" value={query} onChange={(e) => setQuery(e.target.value)} placeholder="Number, title, item, lot, serial" />
        </label>
        <label className="pg-check qa-check">
          <input type="checkbox" checked={showCancelled} onChange={(e) => setShowCancelled(e.target.checked)} />
          Show cancelled ({cancelled})
        </label>
        {query.trim() && (
          <span className="muted small" role="status">
            {shown.length} of {ncrs.length} NCRs match
          </span>
        )}
      </div>
      <div className={`qa-board qa-cols-${columns.length}`}>
        {columns.map((status) => {
          const cards = shown.filter((n) => n.status === status);
          const id = `qa-col-${status}`;
          return (
            <section key={status} className={`qa-col qa-col-${status}`} aria-labelledby={id} data-testid={`column-${status}`}>
              <h3 id={id} className="qa-col-head">
                {NCR_STATUS_LABEL[status]} <span className="qa-col-count">({cards.length})</span>
              </h3>
              {cards.length === 0 ? (
                <p className="muted small qa-col-empty">None</p>
              ) : (
                <ul className="qa-cards">
                  {cards.map((n) => {
                    const days = ageDays(n.detected_at, now);
                    const urgency = ncrUrgency(n.status, days);
                    const current = n.id === selectedId;
                    return (
                      <li key={n.id} className={`qa-card qa-urg-${urgency}${current ? " qa-card-current" : ""}`} data-testid="ncr-card">
                        <Link to={hrefFor(n.id)} className="qa-card-link" aria-current={current ? "true" : undefined}>
                          <span className="qa-card-number pg-mono">{n.ncr_number}</span>
                          <span className="qa-card-title">{n.title}</span>
                        </Link>
                        <dl className="qa-card-facts">
                          <div>
                            <dt>Item</dt>
                            <dd className="pg-mono">{basics.itemName(n.item_id)}</dd>
                          </div>
                          <div>
                            <dt>Qty</dt>
                            <dd className="num">{fmtQty(n.quantity)}</dd>
                          </div>
                          <div>
                            <dt>Age</dt>
                            <dd>{ageText(days)}</dd>
                          </div>
                          {urgency !== "none" && (
                            <div>
                              <dt>Urgency</dt>
                              <dd>
                                <span className={`badge qa-urg-badge-${urgency}`}>{URGENCY_LABEL[urgency]}</span>
                              </dd>
                            </div>
                          )}
                        </dl>
                        {n.disposition && (
                          <p className="small qa-card-disp">
                            {dispositionLabel(n.disposition)}
                            {n.status === "pending_mrb" && " · awaiting MRB"}
                          </p>
                        )}
                      </li>
                    );
                  })}
                </ul>
              )}
            </section>
          );
        })}
      </div>
      <p className="muted small">
        Urgency is derived on this board (the NCR has no severity field): awaiting MRB or open more than 30 days = high, more than 7 days = medium.
      </p>
    </div>
  );
}
