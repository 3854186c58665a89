// Reschedule after a disruption: a machine goes down for a window. Work started before "now" stays frozen;
// the rest is re-planned close to the current plan (stability), giving a new draft schedule.
import { useId, useState } from "react";
import { fromLocalInput, toLocalInput } from "../../lib/zoned";
import { ApiProblem } from "../shared/ApiProblem";
import { reschedule, type Gantt, type Schedule } from "./api";

interface Props {
  schedule: Schedule;
  gantt: Gantt;
  tz: string;
  onDone(s: Schedule): void;
}

export function RescheduleForm({ schedule, gantt, tz, onDone }: Props) {
  const ids = useId();
  const origin = schedule.horizon_start ? Date.parse(schedule.horizon_start) : null;
  const nowLocal = toLocalInput(Math.max(Date.now(), origin ?? 0), tz);
  const [machine, setMachine] = useState(gantt.rows[0]?.machine ?? "");
  const [from, setFrom] = useState(nowLocal);
  const [to, setTo] = useState(toLocalInput(Math.max(Date.now(), origin ?? 0) + 4 * 3_600_000, tz));
  const [now, setNow] = useState(nowLocal);
  const [limit, setLimit] = useState("10");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);

  const minutes = (v: string): number | null => {
    if (origin === null) {
      const n = Number(v);
      return v.trim() !== "" && Number.isInteger(n) ? n : null;
    }
    const d = fromLocalInput(v, tz);
    return d ? Math.round((d.getTime() - origin) / 60_000) : null;
  };
  const a = minutes(from);
  const b = minutes(to);
  const n = minutes(now);
  const limitN = Number(limit);
  const problem =
    !machine
      ? "Pick a machine."
      : a === null || b === null || n === null
        ? "Enter the times."
        : b <= a
          ? "The window must end after it starts."
          : a < 0 || n < 0
            ? "Times must not be before the schedule's start."
            : !(limitN > 0 && limitN <= 120)
              ? "The time limit is 1 to 120 seconds."
              : null;

  async function submit() {
    if (problem || a === null || b === null || n === null) return;
    setBusy(true);
    setError(null);
    try {
      onDone(await reschedule(schedule.id, { now: n, machine_down: [{ machine, start: a, end: b }], time_limit_s: limitN, objective: "mix" }));
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  }

  const type = origin === null ? "number" : "datetime-local";
  const unit = origin === null ? " (minutes from start)" : ` (${tz})`;
  return (
    <form
      aria-labelledby={`${ids}-title`}
      aria-busy={busy}
      onSubmit={(e) => {
        e.preventDefault();
        void submit();
      }}
    >
      <h3 id={`${ids}-title`}>Reschedule after a machine goes down</h3>
      <div className="sch-fields">
        <div className="field">
          <label htmlFor={`${ids}-m`}>Machine</label>
          <select id={`${ids}-m`} value={machine} onChange={(e) => setMachine(e.target.value)}>
            {gantt.rows.map((r) => (
              <option key={r.machine} value={r.machine}>
                {r.name}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor={`${ids}-from`}>Down from{unit}</label>
          <input id={`${ids}-from`} type={type} value={from} onChange={(e) => setFrom(e.target.value)} />
        </div>
        <div className="field">
          <label htmlFor={`${ids}-to`}>Down until{unit}</label>
          <input id={`${ids}-to`} type={type} value={to} onChange={(e) => setTo(e.target.value)} />
        </div>
        <div className="field">
          <label htmlFor={`${ids}-now`}>Freeze work before{unit}</label>
          <input id={`${ids}-now`} type={type} value={now} onChange={(e) => setNow(e.target.value)} />
        </div>
        <div className="field">
          <label htmlFor={`${ids}-limit`}>Time limit (s)</label>
          <input id={`${ids}-limit`} type="number" min="1" max="120" step="any" value={limit} onChange={(e) => setLimit(e.target.value)} />
        </div>
      </div>
      {problem && <p className="field-error">{problem}</p>}
      <div className="pg-actions">
        <button type="submit" className="btn btn-primary" disabled={busy || problem !== null}>
          {busy ? "Rescheduling…" : "Reschedule"}
        </button>
        {busy && (
          <span role="status" className="sch-progress">
            <span className="sch-spinner" aria-hidden="true" /> Rescheduling… (up to {limitN} s)
          </span>
        )}
      </div>
      <ApiProblem error={error} action="Could not reschedule" />
    </form>
  );
}
