// What the OEE page shows: a line or a machine, and a range (today's shifts, yesterday, the last 7 days or
// a custom range typed in plant time and applied with a button).
import { useState, type FormEvent } from "react";
import { localDate, toLocalInput } from "../../lib/zoned";
import type { Asset } from "./api";
import { RANGES, type RangeChoice, type RangeKind } from "./format";

export interface Target {
  kind: "line" | "machine";
  id: string;
}

interface Props {
  lines: Asset[];
  machines: Asset[];
  target: Target | null;
  onTarget(t: Target): void;
  range: RangeChoice;
  onRange(r: RangeChoice): void;
  tz: string;
  rangeError: string | null;
}

export function TargetPicker({ lines, machines, target, onTarget, range, onRange, tz, rangeError }: Props) {
  // a custom range starts as "today so far" in plant time
  const [from, setFrom] = useState(() => range.from || `${localDate(Date.now(), tz)}T00:00`);
  const [to, setTo] = useState(() => range.to || toLocalInput(Date.now(), tz));

  function pick(kind: RangeKind) {
    if (kind !== "custom") onRange({ kind, from: range.from, to: range.to });
    else onRange({ kind, from, to });
  }
  function apply(e: FormEvent) {
    e.preventDefault();
    onRange({ kind: "custom", from, to });
  }

  return (
    <form className="panel oee-picker" aria-label="Line or machine and range" onSubmit={apply}>
      <div className="field oee-target">
        <label htmlFor="oee-target">Line or machine</label>
        <select
          id="oee-target"
          value={target ? `${target.kind}:${target.id}` : ""}
          onChange={(e) => {
            const [kind, id] = e.target.value.split(":");
            if (id) onTarget({ kind: kind === "line" ? "line" : "machine", id });
          }}
        >
          {!target && <option value="">Choose…</option>}
          {lines.length > 0 && (
            <optgroup label="Lines">
              {lines.map((l) => (
                <option key={l.id} value={`line:${l.id}`}>
                  {l.path}
                </option>
              ))}
            </optgroup>
          )}
          {machines.length > 0 && (
            <optgroup label="Machines">
              {machines.map((m) => (
                <option key={m.id} value={`machine:${m.id}`}>
                  {m.path}
                </option>
              ))}
            </optgroup>
          )}
        </select>
      </div>
      <fieldset className="pg-picker oee-ranges">
        <legend>Range</legend>
        {RANGES.map((r) => (
          <label key={r.value}>
            <input type="radio" name="oee-range" value={r.value} checked={range.kind === r.value} onChange={() => pick(r.value)} />
            {r.label}
          </label>
        ))}
      </fieldset>
      {range.kind === "custom" && (
        <div className="oee-custom">
          <div className="field">
            <label htmlFor="oee-from">From</label>
            <input id="oee-from" type="datetime-local" value={from} onChange={(e) => setFrom(e.target.value)} aria-describedby="oee-tz-hint" />
          </div>
          <div className="field">
            <label htmlFor="oee-to">To</label>
            <input id="oee-to" type="datetime-local" value={to} onChange={(e) => setTo(e.target.value)} aria-describedby="oee-tz-hint" />
          </div>
          <button type="submit" className="btn btn-primary">
            Apply range
          </button>
          <span id="oee-tz-hint" className="muted small">
            Plant time ({tz})
          </span>
        </div>
      )}
      {rangeError && (
        <p className="form-error" role="alert">
          {rangeError}
        </p>
      )}
    </form>
  );
}
