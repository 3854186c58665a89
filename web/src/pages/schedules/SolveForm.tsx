// Solve a new schedule from the tenant's planning data (open work orders, routings, calendars): name,
// objective, time limit and horizon. CP-SAT runs for up to the time limit; the form shows the elapsed time.
import { useEffect, useId, useState } from "react";
import { ApiProblem } from "../shared/ApiProblem";
import { OBJECTIVES, solve, type Objective, type Schedule } from "./api";

export function SolveForm({ onSolved }: { onSolved(s: Schedule): void }) {
  const ids = useId();
  const [name, setName] = useState("schedule");
  const [objective, setObjective] = useState<Objective>("mix");
  const [limit, setLimit] = useState("10");
  const [days, setDays] = useState("56");
  const [busy, setBusy] = useState(false);
  const [elapsed, setElapsed] = useState(0);
  const [error, setError] = useState<unknown>(null);
  const limitN = Number(limit);
  const daysN = Number(days);
  const limitOk = Number.isFinite(limitN) && limitN > 0 && limitN <= 120;
  const daysOk = Number.isInteger(daysN) && daysN >= 1 && daysN <= 366;

  useEffect(() => {
    if (!busy) return;
    const t0 = Date.now();
    setElapsed(0);
    const t = setInterval(() => setElapsed(Math.round((Date.now() - t0) / 1000)), 1000);
    return () => clearInterval(t);
  }, [busy]);

  async function submit() {
    setBusy(true);
    setError(null);
    try {
      onSolved(await solve({ name: name.trim() || "schedule", objective, time_limit_s: limitN, horizon_days: daysN }));
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  }

  return (
    <form
      className="sch-solve"
      aria-labelledby={`${ids}-title`}
      aria-busy={busy}
      onSubmit={(e) => {
        e.preventDefault();
        if (limitOk && daysOk && !busy) void submit();
      }}
    >
      <h2 id={`${ids}-title`}>Solve a new schedule</h2>
      <p className="muted small">From the planning data: every open work order with its routing, on the machines' calendars and windows.</p>
      <div className="sch-fields">
        <div className="field">
          <label htmlFor={`${ids}-name`}>Name</label>
          <input id={`${ids}-name`} value={name} maxLength={200} onChange={(e) => setName(e.target.value)} />
        </div>
        <div className="field">
          <label htmlFor={`${ids}-obj`}>Objective</label>
          <select id={`${ids}-obj`} value={objective} onChange={(e) => setObjective(e.target.value as Objective)}>
            {OBJECTIVES.map((o) => (
              <option key={o.value} value={o.value}>
                {o.label}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor={`${ids}-limit`}>Time limit (s)</label>
          <input
            id={`${ids}-limit`}
            type="number"
            min="1"
            max="120"
            step="any"
            value={limit}
            aria-invalid={!limitOk}
            aria-describedby={`${ids}-limit-hint`}
            onChange={(e) => setLimit(e.target.value)}
          />
          <span id={`${ids}-limit-hint`} className={limitOk ? "muted small" : "field-error"}>
            1 to 120 seconds
          </span>
        </div>
        <div className="field">
          <label htmlFor={`${ids}-days`}>Horizon (days)</label>
          <input
            id={`${ids}-days`}
            type="number"
            min="1"
            max="366"
            step="1"
            value={days}
            aria-invalid={!daysOk}
            aria-describedby={`${ids}-days-hint`}
            onChange={(e) => setDays(e.target.value)}
          />
          <span id={`${ids}-days-hint`} className={daysOk ? "muted small" : "field-error"}>
            1 to 366 days
          </span>
        </div>
      </div>
      <div className="pg-actions">
        <button type="submit" className="btn btn-primary" disabled={busy || !limitOk || !daysOk}>
          {busy ? "Solving…" : "Solve"}
        </button>
        {busy && (
          <span role="status" className="sch-progress">
            <span className="sch-spinner" aria-hidden="true" /> Solving… {elapsed} s of at most {limitOk ? limitN : "?"} s
          </span>
        )}
      </div>
      <ApiProblem error={error} action="Could not solve" />
    </form>
  );
}
