// MRP: the latest runs (who, when, what went in and came out), running MRP (planning:write), the exceptions
// of a run, and the supply orders (planned by MRP, firm, released …) with their pegging: which demand each
// supply covers, up to the top-level orders.
import { useId, useState } from "react";
import { ApiProblem } from "../shared/ApiProblem";
import { useResource } from "../maintenance/useResource";
import { Empty, LoadError, Loading, Notice } from "../maintenance/States";
import { formatDateTime } from "../../lib/time";
import { listRuns, listSupply, runMrp, SUPPLY_STATUSES, type MrpRun, type Peg, type SupplyStatus } from "./api";
import { fmtQty } from "./tree";

interface Props {
  canWrite: boolean;
  today: string;
  tz: string;
}

export function MrpTab({ canWrite, today, tz }: Props) {
  const ids = useId();
  const runs = useResource(() => listRuns());
  const [status, setStatus] = useState<SupplyStatus | "">("");
  const supply = useResource(() => listSupply(status), status);
  const [runId, setRunId] = useState<string | null>(null);
  const [asOf, setAsOf] = useState(today);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [done, setDone] = useState<MrpRun | null>(null);

  const run = runs.data?.find((r) => r.id === runId) ?? runs.data?.[0] ?? null;

  async function onRun() {
    setBusy(true);
    setError(null);
    setDone(null);
    try {
      const r = await runMrp(asOf);
      setDone(r);
      setRunId(r.id);
      runs.reload();
      supply.reload();
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  }

  return (
    <div className="mnt-tab-body">
      <section className="panel" aria-labelledby={`${ids}-runs`}>
        <div className="pg-card-head">
          <h2 id={`${ids}-runs`}>MRP runs</h2>
          {canWrite && (
            <form
              className="pg-actions"
              onSubmit={(e) => {
                e.preventDefault();
                void onRun();
              }}
            >
              <label htmlFor={`${ids}-asof`}>Planning date</label>
              <input id={`${ids}-asof`} type="date" value={asOf} required onChange={(e) => setAsOf(e.target.value)} />
              <button type="submit" className="btn btn-primary" disabled={busy || !asOf} aria-busy={busy}>
                {busy ? "Running MRP…" : "Run MRP"}
              </button>
            </form>
          )}
        </div>
        {!canWrite && <p className="muted small">Running MRP needs an administrator, engineer, production or supply-chain role.</p>}
        <ApiProblem error={error} action="Could not run MRP" />
        {done && (
          <Notice>
            MRP run #{done.number} planned {String(done.outputs.planned_work_orders ?? 0)} work orders and {String(done.outputs.purchase_requisitions ?? 0)}{" "}
            purchase requisitions with {done.exceptions.length} exceptions.
          </Notice>
        )}
        {runs.error ? (
          <LoadError what="MRP runs" error={runs.error} onRetry={runs.reload} />
        ) : !runs.data ? (
          <Loading what="MRP runs" />
        ) : runs.data.length === 0 ? (
          <p className="pg-empty">MRP has not run yet.</p>
        ) : (
          <div className="table-wrap" tabIndex={0} role="region" aria-label="MRP runs">
            <table className="table" aria-label="MRP runs">
              <thead>
                <tr>
                  <th scope="col">Run</th>
                  <th scope="col">Planning date</th>
                  <th scope="col">Started</th>
                  <th scope="col">In</th>
                  <th scope="col">Out</th>
                  <th scope="col">Exceptions</th>
                </tr>
              </thead>
              <tbody>
                {runs.data.map((r) => (
                  <tr key={r.id} className={r.id === run?.id ? "mnt-row is-selected" : undefined}>
                    <th scope="row">
                      <button type="button" className="btn btn-small" aria-pressed={r.id === run?.id} onClick={() => setRunId(r.id)}>
                        #{r.number}
                      </button>
                    </th>
                    <td>{r.as_of}</td>
                    <td>{formatDateTime(r.started_at, tz)}</td>
                    <td className="small">{counts(r.inputs)}</td>
                    <td className="small">{counts(r.outputs)}</td>
                    <td>{r.exceptions.length}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>

      {run && (
        <section className="panel" aria-labelledby={`${ids}-exc`}>
          <h2 id={`${ids}-exc`}>Exceptions of run #{run.number}</h2>
          {run.exceptions.length === 0 ? (
            <p className="pg-empty">No exceptions: every requirement is covered in time.</p>
          ) : (
            <ul className="pl-exceptions" aria-label={`Exceptions of run #${run.number}`}>
              {run.exceptions.map((x, i) => (
                <li key={i}>
                  <span className="badge pl-exc-kind">{x.kind.replace(/_/g, " ")}</span> <span className="pg-mono">{x.part_number}</span>: {x.message}
                  {x.date ? <span className="muted"> · {x.date}</span> : null}
                </li>
              ))}
            </ul>
          )}
        </section>
      )}

      <section className="panel" aria-labelledby={`${ids}-sup`}>
        <div className="pg-card-head">
          <h2 id={`${ids}-sup`}>Supply orders and pegging</h2>
          <div className="pg-actions">
            <label htmlFor={`${ids}-status`}>Status</label>
            <select id={`${ids}-status`} value={status} onChange={(e) => setStatus(e.target.value as SupplyStatus | "")}>
              <option value="">All</option>
              {SUPPLY_STATUSES.map((s) => (
                <option key={s} value={s}>
                  {s}
                </option>
              ))}
            </select>
          </div>
        </div>
        {supply.error ? (
          <LoadError what="supply orders" error={supply.error} onRetry={supply.reload} />
        ) : !supply.data ? (
          <Loading what="supply orders" />
        ) : supply.data.length === 0 ? (
          <Empty title="No supply orders">
            <p>{status ? `No ${status} orders.` : "Run MRP to plan work orders and purchase requisitions."}</p>
          </Empty>
        ) : (
          <div className="table-wrap" tabIndex={0} role="region" aria-label="Supply orders">
            <table className="table card-table" aria-label="Supply orders">
              <thead>
                <tr>
                  <th scope="col">Order</th>
                  <th scope="col">Kind</th>
                  <th scope="col">Item</th>
                  <th scope="col" className="num">
                    Qty
                  </th>
                  <th scope="col">Start</th>
                  <th scope="col">Due</th>
                  <th scope="col">Status</th>
                  <th scope="col">Pegged to (demand that caused it)</th>
                </tr>
              </thead>
              <tbody>
                {supply.data.map((s) => (
                  <tr key={s.id} data-testid="supply-row">
                    <th scope="row" className="pg-mono">
                      {s.number}
                    </th>
                    <td data-label="Kind">{s.kind === "make" ? "Work order" : "Purchase"}</td>
                    <td data-label="Item" className="pg-mono">
                      {s.part_number}
                    </td>
                    <td data-label="Qty" className="num">
                      {fmtQty(s.quantity)}
                    </td>
                    <td data-label="Start">{s.start_date}</td>
                    <td data-label="Due">{s.due_date}</td>
                    <td data-label="Status">
                      {s.status}
                      {s.source === "mrp" && <span className="muted small"> (MRP)</span>}
                    </td>
                    <td data-label="Pegged to" className="pl-pegs">
                      {s.pegging.length === 0 ? (
                        <span className="muted">not pegged</span>
                      ) : (
                        <ul>
                          {s.pegging.map((p, i) => (
                            <li key={i}>{pegText(p)}</li>
                          ))}
                        </ul>
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>
    </div>
  );
}

function counts(o: Record<string, unknown>): string {
  return Object.entries(o)
    .map(([k, v]) => `${k.replace(/_/g, " ")}: ${String(v)}`)
    .join(", ");
}

/** "5 for SO-1001 by 2026-03-14", "8 for WO-12 (→ SO-1001, SO-1002) by …", "5 for safety stock by …". */
export function pegText(p: Peg): string {
  const what = p.demand_order_no
    ? `demand ${p.demand_order_no}`
    : p.parent_number
      ? `${p.parent_number}${p.top_orders.length ? ` (→ ${p.top_orders.join(", ")})` : ""}`
      : p.safety_stock
        ? "safety stock"
        : "unknown demand";
  return `${fmtQty(p.quantity)} for ${what} by ${p.required_date}`;
}
