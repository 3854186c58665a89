// Dead letters (admins): deliveries that failed every attempt, newest first, each with Retry (a fresh
// attempt budget, due now).
import { useCallback, useEffect, useState } from "react";
import { formatDateTime } from "../../lib/time";
import { ApiProblem } from "../shared/ApiProblem";
import { listDeadLetters, retryDelivery, type Delivery } from "./api";

export function DeadLettersSection({ tz, onNotice }: { tz: string; onNotice(m: string): void }) {
  const [items, setItems] = useState<Delivery[] | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState<string | null>(null);

  const load = useCallback(() => {
    setError(null);
    listDeadLetters()
      .then(setItems)
      .catch((e) => setError(e));
  }, []);
  useEffect(load, [load]);

  async function retry(d: Delivery) {
    setBusy(d.id);
    setError(null);
    try {
      const out = await retryDelivery(d.id);
      setItems((cur) => (cur ?? []).filter((x) => x.id !== d.id));
      onNotice(`Delivery to ${d.target} queued again (${out.status}).`);
    } catch (e) {
      setError(e);
    } finally {
      setBusy(null);
    }
  }

  return (
    <section className="panel pg-card" aria-labelledby="dead-title">
      <div className="pg-card-head">
        <h2 id="dead-title">Dead letters</h2>
        <button type="button" className="btn btn-small" onClick={load}>
          Refresh
        </button>
      </div>
      <ApiProblem error={error} action="Dead letters" />
      {items?.length === 0 && <p className="muted">No dead letters: every notification was delivered or is still being tried.</p>}
      {!!items?.length && (
        <div className="table-wrap">
          <table className="table card-table" data-testid="dead-letters">
            <caption className="sr-only">Failed deliveries, newest first (plant time, {tz})</caption>
            <thead>
              <tr>
                {["Failed", "Event", "Channel", "Target", "Attempts", "Last error", "Actions"].map((c) => (
                  <th key={c} scope="col">
                    {c}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {items.map((d) => (
                <tr key={d.id}>
                  <td data-label="Failed" className="nowrap">{formatDateTime(d.dead_at ?? d.updated_at, tz)}</td>
                  <td data-label="Event">{d.event_type}</td>
                  <td data-label="Channel">{d.channel}</td>
                  <td data-label="Target" className="nf-url">{d.target}</td>
                  <td data-label="Attempts" className="num">{d.attempts}</td>
                  <td data-label="Last error">
                    {d.last_status_code !== null && <span className="pg-mono">HTTP {d.last_status_code} </span>}
                    {d.last_error ?? "—"}
                  </td>
                  <td data-label="Actions">
                    <button type="button" className="btn btn-small" onClick={() => void retry(d)} disabled={busy === d.id} aria-label={`Retry delivery to ${d.target} (${d.event_type})`}>
                      {busy === d.id ? "Retrying…" : "Retry"}
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
