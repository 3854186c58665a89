// Edit the risk policy of one machine class (PUT /policies/{machine_class}): when a score raises a
// recommendation, whether it opens a work order right away, and how long a dismissal snoozes.
import { useEffect, useRef, useState, type FormEvent } from "react";
import { ApiProblem } from "../shared/ApiProblem";
import { putPolicy, type Policy, type PolicyBody } from "./api";
import { formatHours } from "./format";

export const DEFAULT_POLICY: PolicyBody = {
  failure_probability_threshold: 0.5,
  rul_threshold_hours: 336,
  horizon_hours: 168,
  auto_work_order: true,
  snooze_hours: 72,
};

interface Props {
  /** null: a new policy (the class is typed in). */
  machineClass: string | null;
  initial: PolicyBody;
  classes: string[];
  onSaved(p: Policy): void;
  onCancel(): void;
}

type Key = "probability" | "horizon" | "rul" | "snooze";
const CLASS_RE = /^[A-Za-z0-9_.:*-]+$/;
const LABELS = {
  failure_probability_threshold: "Failure probability above",
  rul_threshold_hours: "Remaining life below",
  horizon_hours: "Horizon",
  snooze_hours: "Snooze",
};

export function PolicyForm({ machineClass, initial, classes, onSaved, onCancel }: Props) {
  const [cls, setCls] = useState(machineClass ?? "");
  const [v, setV] = useState<Record<Key, string>>({
    probability: String(Math.round(initial.failure_probability_threshold * 1000) / 10),
    horizon: String(initial.horizon_hours),
    rul: String(initial.rul_threshold_hours),
    snooze: String(initial.snooze_hours),
  });
  const [auto, setAuto] = useState(initial.auto_work_order);
  const [errors, setErrors] = useState<Partial<Record<Key | "cls", string>>>({});
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const first = useRef<HTMLInputElement>(null);
  useEffect(() => first.current?.focus(), []);
  const id = `policy-${(machineClass ?? "new").replace(/[^A-Za-z0-9]+/g, "-")}`;

  const ranges: Record<Key, [number, number, boolean]> = { probability: [0, 100, false], horizon: [0, 8760, false], rul: [0, 87600, true], snooze: [0, 8760, true] };

  function check() {
    const e: Partial<Record<Key | "cls", string>> = {};
    if (machineClass === null) {
      if (!cls.trim()) e.cls = "Enter a machine class (* for the tenant default)";
      else if (!CLASS_RE.test(cls.trim())) e.cls = "Letters, digits and _ . : - only, or *";
    }
    for (const k of Object.keys(ranges) as Key[]) {
      const [lo, hi, loOk] = ranges[k];
      const n = Number(v[k]);
      if (!v[k].trim() || !Number.isFinite(n)) e[k] = "Enter a number";
      else if (n > hi || n < lo || (!loOk && n === lo)) e[k] = loOk ? `Between ${lo} and ${hi}` : `Above ${lo}, at most ${hi}`;
    }
    return e;
  }

  async function submit(ev: FormEvent) {
    ev.preventDefault();
    const e = check();
    setErrors(e);
    const firstBad = Object.keys(e)[0];
    if (firstBad) return document.getElementById(`${id}-${firstBad}`)?.focus();
    const body: PolicyBody = {
      failure_probability_threshold: Number(v.probability) / 100,
      rul_threshold_hours: Number(v.rul),
      horizon_hours: Number(v.horizon),
      auto_work_order: auto,
      snooze_hours: Number(v.snooze),
    };
    setBusy(true);
    setError(null);
    try {
      onSaved(await putPolicy(machineClass ?? cls.trim(), body));
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  }

  const input = (k: Key, label: string, hint: string) => (
    <div className="field">
      <label htmlFor={`${id}-${k}`}>{label}</label>
      <input
        id={`${id}-${k}`}
        ref={machineClass !== null && k === "probability" ? first : undefined}
        type="number"
        inputMode="decimal"
        step="any"
        value={v[k]}
        onChange={(e) => setV({ ...v, [k]: e.target.value })}
        aria-invalid={errors[k] ? true : undefined}
        aria-describedby={errors[k] ? `${id}-${k}-err` : `${id}-${k}-hint`}
      />
      <span id={`${id}-${k}-hint`} className="muted small">
        {hint}
      </span>
      {errors[k] && (
        <span id={`${id}-${k}-err`} className="field-error">
          {errors[k]}
        </span>
      )}
    </div>
  );
  const hours = (k: Key) => (Number.isFinite(Number(v[k])) && v[k].trim() ? `= ${formatHours(Number(v[k]))}` : "hours");

  return (
    <form className="mnt-form" aria-label={machineClass === null ? "New risk policy" : `Risk policy for ${machineClass}`} onSubmit={submit} noValidate>
      <div className="mnt-grid">
        {machineClass === null && (
          <div className="field">
            <label htmlFor={`${id}-cls`}>Machine class</label>
            <input
              id={`${id}-cls`}
              ref={first}
              list={`${id}-classes`}
              value={cls}
              onChange={(e) => setCls(e.target.value)}
              aria-invalid={errors.cls ? true : undefined}
              aria-describedby={errors.cls ? `${id}-cls-err` : undefined}
            />
            <datalist id={`${id}-classes`}>
              {["*", ...classes].map((c) => (
                <option key={c} value={c} />
              ))}
            </datalist>
            {errors.cls && (
              <span id={`${id}-cls-err`} className="field-error">
                {errors.cls}
              </span>
            )}
          </div>
        )}
        {input("probability", "Failure probability above (%)", "Recommend when the risk within the horizon is higher")}
        {input("horizon", "Horizon (hours)", hours("horizon"))}
        {input("rul", "Remaining life below (hours)", hours("rul"))}
        {input("snooze", "Snooze after dismissal (hours)", hours("snooze"))}
        <label className="field-check mnt-full">
          <input type="checkbox" checked={auto} onChange={(e) => setAuto(e.target.checked)} />
          Open a work order automatically with each recommendation
        </label>
      </div>
      <ApiProblem error={error} action="Could not save the policy" labels={LABELS} />
      <div className="pg-actions">
        <button type="submit" className="btn btn-primary" disabled={busy}>
          {busy ? "Saving…" : "Save policy"}
        </button>
        <button type="button" className="btn" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </form>
  );
}
