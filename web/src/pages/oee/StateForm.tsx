// Operator input: the machine's state from now (or from a time), e.g. "down — tool change from now",
// optionally until a time; open-ended entries last until the next one.
import { useState, type FormEvent } from "react";
import { fromLocalInput } from "../../lib/zoned";
import { ApiProblem } from "../shared/ApiProblem";
import { postState, type OeeState, type Reason, type StateIn } from "./api";
import { STATE_TEXT, STATES } from "./format";

interface Props {
  machineId: string;
  machineName: string;
  reasons: Reason[];
  tz: string;
  onDone(message: string): void;
}

export function StateForm({ machineId, machineName, reasons, tz, onDone }: Props) {
  const [state, setState] = useState<OeeState>("down");
  const [reason, setReason] = useState("");
  const [fromNow, setFromNow] = useState(true);
  const [start, setStart] = useState("");
  const [end, setEnd] = useState("");
  const [note, setNote] = useState("");
  const [invalid, setInvalid] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);

  async function submit(e: FormEvent) {
    e.preventDefault();
    setError(null);
    const a = fromNow ? new Date() : fromLocalInput(start, tz);
    const b = end ? fromLocalInput(end, tz) : null;
    if (!a) return setInvalid("Enter when the state started.");
    if (end && (!b || b.getTime() <= a.getTime())) return setInvalid("The end must be after the start.");
    setInvalid(null);
    const body: StateIn = { state, start: a.toISOString(), reason_code: reason || null, note: note.trim() };
    if (b) body.end = b.toISOString();
    setBusy(true);
    try {
      await postState(machineId, body);
      const why = reasons.find((r) => r.code === reason)?.name;
      onDone(`${machineName}: ${STATE_TEXT[state].toLowerCase()}${why ? ` — ${why}` : ""} ${fromNow ? "from now" : "recorded"}.`);
      setNote("");
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  }

  return (
    <form className="oee-op-form" aria-labelledby="state-form-title" onSubmit={(e) => void submit(e)} noValidate>
      <h3 id="state-form-title">Record a state change</h3>
      <div className="oee-form-grid">
        <div className="field">
          <label htmlFor="state-state">State</label>
          <select id="state-state" value={state} onChange={(e) => setState(e.target.value as OeeState)}>
            {STATES.map((s) => (
              <option key={s} value={s}>
                {STATE_TEXT[s]}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="state-reason">Reason</label>
          <select id="state-reason" value={reason} onChange={(e) => setReason(e.target.value)}>
            <option value="">No reason</option>
            {reasons.map((r) => (
              <option key={r.code} value={r.code}>
                {r.name}
              </option>
            ))}
          </select>
        </div>
        <fieldset className="pg-picker oee-when">
          <legend>Starting</legend>
          <label>
            <input type="radio" name="state-from" checked={fromNow} onChange={() => setFromNow(true)} /> Now
          </label>
          <label>
            <input type="radio" name="state-from" checked={!fromNow} onChange={() => setFromNow(false)} /> At a time
          </label>
        </fieldset>
        {!fromNow && (
          <div className="field">
            <label htmlFor="state-start">From ({tz})</label>
            <input id="state-start" type="datetime-local" value={start} onChange={(e) => setStart(e.target.value)} />
          </div>
        )}
        <div className="field">
          <label htmlFor="state-end">Until (optional, {tz})</label>
          <input id="state-end" type="datetime-local" value={end} onChange={(e) => setEnd(e.target.value)} aria-describedby="state-end-hint" />
          <span id="state-end-hint" className="muted small">
            Empty: until the next entry
          </span>
        </div>
        <div className="field">
          <label htmlFor="state-note">Note</label>
          <input id="state-note" value={note} maxLength={2000} onChange={(e) => setNote(e.target.value)} />
        </div>
      </div>
      {invalid && (
        <p className="form-error" role="alert">
          {invalid}
        </p>
      )}
      <button type="submit" className="btn btn-primary" disabled={busy}>
        {busy ? "Recording…" : "Record state"}
      </button>
      <ApiProblem error={error} action="Could not record the state" />
    </form>
  );
}
