// A new planned stop of a site, line or machine: recurring (breaks: local times and weekdays) or one window
// (planned maintenance: from / to in plant time).
import { useState, type FormEvent } from "react";
import { fromLocalInput } from "../../../lib/zoned";
import { ApiProblem } from "../../shared/ApiProblem";
import { createStop, type PlannedStop, type PlannedStopIn, type Reason } from "../api";
import { DaysField } from "../../shared/DaysField";

interface Props {
  assetId: string;
  reasons: Reason[];
  tz: string;
  onSaved(s: PlannedStop): void;
  onCancel(): void;
}

export function StopForm({ assetId, reasons, tz, onSaved, onCancel }: Props) {
  const [name, setName] = useState("");
  const [reason, setReason] = useState("");
  const [recurring, setRecurring] = useState(true);
  const [startTime, setStartTime] = useState("");
  const [endTime, setEndTime] = useState("");
  const [days, setDays] = useState<number[]>([1, 2, 3, 4, 5]);
  const [start, setStart] = useState("");
  const [end, setEnd] = useState("");
  const [invalid, setInvalid] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);

  function body(): PlannedStopIn | string {
    if (!name.trim()) return "Give the stop a name.";
    const base = { asset_id: assetId, name: name.trim(), reason_code: reason || null };
    if (recurring) {
      if (!startTime || !endTime) return "Enter the start and end time.";
      if (days.length === 0) return "Pick at least one day.";
      return { ...base, start_time: startTime, end_time: endTime, days };
    }
    const a = fromLocalInput(start, tz);
    const b = fromLocalInput(end, tz);
    if (!a || !b) return "Enter the start and the end of the window.";
    if (b.getTime() <= a.getTime()) return "The end must be after the start.";
    return { ...base, start: a.toISOString(), end: b.toISOString() };
  }

  async function submit(e: FormEvent) {
    e.preventDefault();
    setError(null);
    const b = body();
    if (typeof b === "string") return setInvalid(b);
    setInvalid(null);
    setBusy(true);
    try {
      onSaved(await createStop(b));
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  }

  return (
    <form className="oee-settings-form" aria-label="New planned stop" onSubmit={(e) => void submit(e)} noValidate>
      <div className="oee-form-grid">
        <div className="field">
          <label htmlFor="stop-name">Name</label>
          <input id="stop-name" value={name} maxLength={200} onChange={(e) => setName(e.target.value)} />
        </div>
        <div className="field">
          <label htmlFor="stop-reason">Reason</label>
          <select id="stop-reason" value={reason} onChange={(e) => setReason(e.target.value)}>
            <option value="">No reason</option>
            {reasons.map((r) => (
              <option key={r.code} value={r.code}>
                {r.name}
              </option>
            ))}
          </select>
        </div>
      </div>
      <fieldset className="pg-picker">
        <legend>Kind</legend>
        <label>
          <input type="radio" name="stop-kind" checked={recurring} onChange={() => setRecurring(true)} /> Recurring (breaks)
        </label>
        <label>
          <input type="radio" name="stop-kind" checked={!recurring} onChange={() => setRecurring(false)} /> One window (planned maintenance)
        </label>
      </fieldset>
      {recurring ? (
        <>
          <div className="oee-form-grid">
            <div className="field">
              <label htmlFor="stop-start-time">Starts (local)</label>
              <input id="stop-start-time" type="time" value={startTime} onChange={(e) => setStartTime(e.target.value)} />
            </div>
            <div className="field">
              <label htmlFor="stop-end-time">Ends (local)</label>
              <input id="stop-end-time" type="time" value={endTime} onChange={(e) => setEndTime(e.target.value)} />
            </div>
          </div>
          <DaysField id="stop-days" legend="Days" value={days} onChange={setDays} />
        </>
      ) : (
        <div className="oee-form-grid">
          <div className="field">
            <label htmlFor="stop-start">From ({tz})</label>
            <input id="stop-start" type="datetime-local" value={start} onChange={(e) => setStart(e.target.value)} />
          </div>
          <div className="field">
            <label htmlFor="stop-end">To ({tz})</label>
            <input id="stop-end" type="datetime-local" value={end} onChange={(e) => setEnd(e.target.value)} />
          </div>
        </div>
      )}
      {invalid && (
        <p className="form-error" role="alert">
          {invalid}
        </p>
      )}
      <div className="pg-actions">
        <button type="submit" className="btn btn-primary" disabled={busy}>
          Create stop
        </button>
        <button type="button" className="btn" onClick={onCancel}>
          Cancel
        </button>
      </div>
      <ApiProblem error={error} action="Could not create the planned stop" />
    </form>
  );
}
