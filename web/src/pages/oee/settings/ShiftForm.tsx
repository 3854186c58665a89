// Create or change a shift of a site: name, local start and end (an end at or before the start runs into
// the next day) and the weekdays it starts on. Checked here first, then by the API.
import { useEffect, useRef, useState, type FormEvent } from "react";
import { ApiProblem } from "../../shared/ApiProblem";
import { createShift, updateShift, type Shift } from "../api";
import { DaysField } from "../../shared/DaysField";

interface Props {
  siteId: string;
  shift: Shift | null; // null: a new one
  onSaved(s: Shift): void;
  onCancel(): void;
}

const LABELS = { name: "Name", start_time: "Starts", end_time: "Ends", days: "Days" };
const TIME_RE = /^([01]\d|2[0-3]):[0-5]\d$/;

export function ShiftForm({ siteId, shift, onSaved, onCancel }: Props) {
  const [name, setName] = useState(shift?.name ?? "");
  const [start, setStart] = useState(shift?.start_time.slice(0, 5) ?? "");
  const [end, setEnd] = useState(shift?.end_time.slice(0, 5) ?? "");
  const [days, setDays] = useState<number[]>(shift?.days ?? [1, 2, 3, 4, 5]);
  const [submitted, setSubmitted] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const first = useRef<HTMLInputElement>(null);
  useEffect(() => first.current?.focus(), []);

  const errors: Partial<Record<keyof typeof LABELS, string>> = {};
  if (!name.trim()) errors.name = "Give the shift a name";
  if (!TIME_RE.test(start)) errors.start_time = "Enter the start as HH:MM";
  if (!TIME_RE.test(end)) errors.end_time = "Enter the end as HH:MM";
  if (days.length === 0) errors.days = "Pick at least one day";
  const shown = submitted ? errors : {};

  async function submit(e: FormEvent) {
    e.preventDefault();
    setSubmitted(true);
    setError(null);
    if (Object.keys(errors).length > 0) {
      const firstBad = (Object.keys(errors)[0] ?? "name") as keyof typeof LABELS;
      document.getElementById(`shift-${firstBad}`)?.focus();
      return;
    }
    setBusy(true);
    try {
      const body = { name: name.trim(), start_time: start, end_time: end, days };
      onSaved(shift ? await updateShift(shift.id, body) : await createShift({ site_id: siteId, ...body }));
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  }

  const a11y = (f: keyof typeof LABELS) => ({
    id: `shift-${f}`,
    "aria-invalid": shown[f] ? true : undefined,
    "aria-describedby": shown[f] ? `shift-${f}-err` : undefined,
  });
  const err = (f: keyof typeof LABELS) =>
    shown[f] ? (
      <span id={`shift-${f}-err`} className="field-error">
        {shown[f]}
      </span>
    ) : null;

  return (
    <form className="oee-settings-form" aria-label={shift ? `Edit shift ${shift.name}` : "New shift"} onSubmit={(e) => void submit(e)} noValidate>
      <div className="oee-form-grid">
        <div className="field">
          <label htmlFor="shift-name">Name</label>
          <input ref={first} {...a11y("name")} value={name} maxLength={200} onChange={(e) => setName(e.target.value)} />
          {err("name")}
        </div>
        <div className="field">
          <label htmlFor="shift-start_time">Starts</label>
          <input type="time" {...a11y("start_time")} value={start} onChange={(e) => setStart(e.target.value)} />
          {err("start_time")}
        </div>
        <div className="field">
          <label htmlFor="shift-end_time">Ends</label>
          <input type="time" {...a11y("end_time")} value={end} onChange={(e) => setEnd(e.target.value)} />
          {err("end_time")}
          <span className="muted small">At or before the start: ends the next day</span>
        </div>
      </div>
      <DaysField id="shift-days" legend="Starts on" value={days} onChange={setDays} error={shown.days} />
      <div className="pg-actions">
        <button type="submit" className="btn btn-primary" disabled={busy}>
          {busy ? "Saving…" : shift ? "Save shift" : "Create shift"}
        </button>
        <button type="button" className="btn" onClick={onCancel}>
          Cancel
        </button>
      </div>
      <ApiProblem error={error} action="Could not save the shift" labels={LABELS} />
    </form>
  );
}
