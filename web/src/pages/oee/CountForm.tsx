// Operator input: good and reject counts for an interval (plant time).
import { useState, type FormEvent } from "react";
import { fromLocalInput, toLocalInput } from "../../lib/zoned";
import { ApiProblem } from "../shared/ApiProblem";
import { addCount } from "./api";

interface Props {
  machineId: string;
  machineName: string;
  tz: string;
  onDone(message: string): void;
}

const HOUR = 3_600_000;

export function CountForm({ machineId, machineName, tz, onDone }: Props) {
  const [start, setStart] = useState(() => toLocalInput(Math.floor(Date.now() / HOUR) * HOUR - HOUR, tz));
  const [end, setEnd] = useState(() => toLocalInput(Math.floor(Date.now() / HOUR) * HOUR, tz));
  const [good, setGood] = useState("");
  const [reject, setReject] = useState("");
  const [note, setNote] = useState("");
  const [invalid, setInvalid] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);

  async function submit(e: FormEvent) {
    e.preventDefault();
    setError(null);
    const a = fromLocalInput(start, tz);
    const b = fromLocalInput(end, tz);
    const g = good.trim() === "" ? 0 : Number(good);
    const r = reject.trim() === "" ? 0 : Number(reject);
    if (!a || !b) return setInvalid("Enter the start and the end of the interval.");
    if (b.getTime() <= a.getTime()) return setInvalid("The end must be after the start.");
    if (!Number.isFinite(g) || !Number.isFinite(r) || g < 0 || r < 0) return setInvalid("Counts must be numbers of 0 or more.");
    if (g + r === 0) return setInvalid("Enter a good or a reject count.");
    setInvalid(null);
    setBusy(true);
    try {
      await addCount(machineId, { start: a.toISOString(), end: b.toISOString(), good: g, reject: r, note: note.trim() });
      onDone(`${machineName}: ${g} good and ${r} reject recorded.`);
      setGood("");
      setReject("");
      setNote("");
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  }

  return (
    <form className="oee-op-form" aria-labelledby="count-form-title" onSubmit={(e) => void submit(e)} noValidate>
      <h3 id="count-form-title">Enter counts</h3>
      <div className="oee-form-grid">
        <div className="field">
          <label htmlFor="count-start">From ({tz})</label>
          <input id="count-start" type="datetime-local" value={start} onChange={(e) => setStart(e.target.value)} />
        </div>
        <div className="field">
          <label htmlFor="count-end">To ({tz})</label>
          <input id="count-end" type="datetime-local" value={end} onChange={(e) => setEnd(e.target.value)} />
        </div>
        <div className="field">
          <label htmlFor="count-good">Good</label>
          <input id="count-good" type="number" inputMode="numeric" min={0} value={good} onChange={(e) => setGood(e.target.value)} />
        </div>
        <div className="field">
          <label htmlFor="count-reject">Reject</label>
          <input id="count-reject" type="number" inputMode="numeric" min={0} value={reject} onChange={(e) => setReject(e.target.value)} />
        </div>
        <div className="field">
          <label htmlFor="count-note">Note</label>
          <input id="count-note" value={note} maxLength={2000} onChange={(e) => setNote(e.target.value)} />
        </div>
      </div>
      {invalid && (
        <p className="form-error" role="alert">
          {invalid}
        </p>
      )}
      <button type="submit" className="btn btn-primary" disabled={busy}>
        {busy ? "Saving…" : "Save counts"}
      </button>
      <ApiProblem error={error} action="Could not save the counts" />
    </form>
  );
}
