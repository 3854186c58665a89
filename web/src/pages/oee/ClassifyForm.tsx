// Give one downtime interval a reason code (operators): the interval's own start and end, a reason, a note.
import { useEffect, useRef, useState, type FormEvent } from "react";
import { formatDateTime } from "../../lib/time";
import { ApiProblem } from "../shared/ApiProblem";
import { classifyDowntime, type Interval, type Reason } from "./api";

interface Props {
  machineId: string;
  interval: Interval;
  reasons: Reason[];
  tz: string;
  onDone(reason: string): void;
  onCancel(): void;
}

export function ClassifyForm({ machineId, interval: iv, reasons, tz, onDone, onCancel }: Props) {
  const [code, setCode] = useState(iv.reason_code ?? "");
  const [note, setNote] = useState(iv.note);
  const [missing, setMissing] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const select = useRef<HTMLSelectElement>(null);
  useEffect(() => select.current?.focus(), []);
  const id = `classify-${iv.start}`;

  async function submit(e: FormEvent) {
    e.preventDefault();
    if (!code) {
      setMissing(true);
      select.current?.focus();
      return;
    }
    setBusy(true);
    setError(null);
    try {
      await classifyDowntime(machineId, { start: iv.start, end: iv.end, reason_code: code, note: note.trim() });
      onDone(reasons.find((r) => r.code === code)?.name ?? code);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  }

  return (
    <form
      className="oee-inline-form"
      aria-label={`Classify downtime from ${formatDateTime(iv.start, tz)}`}
      onSubmit={(e) => void submit(e)}
      noValidate
    >
      <div className="field">
        <label htmlFor={`${id}-reason`}>Reason</label>
        <select
          id={`${id}-reason`}
          ref={select}
          value={code}
          onChange={(e) => {
            setCode(e.target.value);
            setMissing(false);
          }}
          aria-invalid={missing || undefined}
          aria-describedby={missing ? `${id}-err` : undefined}
        >
          <option value="">Choose a reason…</option>
          {reasons.map((r) => (
            <option key={r.code} value={r.code}>
              {r.name} ({r.category})
            </option>
          ))}
        </select>
        {missing && (
          <span id={`${id}-err`} className="field-error">
            Pick a reason
          </span>
        )}
        {reasons.length === 0 && <span className="muted small">No reason codes yet: an administrator or engineer adds them under Settings.</span>}
      </div>
      <div className="field">
        <label htmlFor={`${id}-note`}>Note</label>
        <input id={`${id}-note`} value={note} maxLength={2000} onChange={(e) => setNote(e.target.value)} />
      </div>
      <div className="pg-actions">
        <button type="submit" className="btn btn-primary" disabled={busy}>
          {busy ? "Saving…" : "Save reason"}
        </button>
        <button type="button" className="btn" onClick={onCancel}>
          Cancel
        </button>
      </div>
      <ApiProblem error={error} action="Could not classify the downtime" />
    </form>
  );
}
