// Train a new candidate RUL model for a machine class (POST /models/train). Training reads the class's
// rollups and the work orders with a failure time, and can take a while.
import { useEffect, useRef, useState, type FormEvent } from "react";
import { ApiProblem } from "../shared/ApiProblem";
import { trainModel, type Model, type TrainBody } from "./api";

interface Props {
  classes: string[];
  onTrained(m: Model): void;
  onCancel(): void;
}

interface NumField {
  key: "lookback_days" | "cap_hours" | "folds" | "max_iter" | "retrain_every_days";
  label: string;
  min: number;
  max: number;
  hint: string;
  optional?: boolean;
  integer?: boolean;
}

const FIELDS: NumField[] = [
  { key: "lookback_days", label: "History (days)", min: 1, max: 730, hint: "How far back to learn from", integer: true },
  { key: "cap_hours", label: "RUL cap (hours)", min: 6, max: 17520, hint: "Remaining life above this counts as “healthy”" },
  { key: "folds", label: "Cross-validation folds", min: 2, max: 10, hint: "Grouped by machine life", integer: true },
  { key: "max_iter", label: "Boosting iterations", min: 10, max: 1000, hint: "More fits slower", integer: true },
  { key: "retrain_every_days", label: "Retrain every (days)", min: 1, max: 365, hint: "Empty: no scheduled retraining", optional: true, integer: true },
];

const CLASS_RE = /^[A-Za-z0-9_.:-]+$/;
const LABELS = { machine_class: "Machine class", name: "Name", lookback_days: "History", cap_hours: "RUL cap", folds: "Folds", max_iter: "Iterations", retrain_every_days: "Retrain every" };

export function TrainForm({ classes, onTrained, onCancel }: Props) {
  const [machineClass, setMachineClass] = useState(classes.length === 1 ? classes[0] : "");
  const [name, setName] = useState("");
  const [resolution, setResolution] = useState<TrainBody["resolution"]>("1h");
  const [nums, setNums] = useState<Record<NumField["key"], string>>({ lookback_days: "180", cap_hours: "720", folds: "5", max_iter: "150", retrain_every_days: "" });
  const [autoPromote, setAutoPromote] = useState(false);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const first = useRef<HTMLInputElement>(null);
  useEffect(() => first.current?.focus(), []);

  function check(): Record<string, string> {
    const e: Record<string, string> = {};
    const c = machineClass.trim();
    if (!c) e.machine_class = "Enter a machine class";
    else if (!CLASS_RE.test(c)) e.machine_class = "Letters, digits and _ . : - only";
    for (const f of FIELDS) {
      const raw = nums[f.key].trim();
      if (!raw && f.optional) continue;
      const v = Number(raw);
      if (!raw || !Number.isFinite(v)) e[f.key] = "Enter a number";
      else if (v < f.min || v > f.max) e[f.key] = `Between ${f.min} and ${f.max}`;
      else if (f.integer && !Number.isInteger(v)) e[f.key] = "A whole number";
    }
    return e;
  }

  async function submit(ev: FormEvent) {
    ev.preventDefault();
    const e = check();
    setErrors(e);
    if (Object.keys(e).length) {
      document.getElementById(`train-${Object.keys(e)[0]}`)?.focus();
      return;
    }
    const body: TrainBody = {
      machine_class: machineClass.trim(),
      name: name.trim() || null,
      lookback_days: Number(nums.lookback_days),
      resolution,
      cap_hours: Number(nums.cap_hours),
      folds: Number(nums.folds),
      max_iter: Number(nums.max_iter),
      retrain_every_days: nums.retrain_every_days.trim() ? Number(nums.retrain_every_days) : null,
      auto_promote: autoPromote,
    };
    setBusy(true);
    setError(null);
    try {
      onTrained(await trainModel(body));
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  }

  const a11y = (key: string, hint?: boolean) => ({
    id: `train-${key}`,
    "aria-invalid": errors[key] ? (true as const) : undefined,
    "aria-describedby": [errors[key] ? `train-${key}-err` : "", hint ? `train-${key}-hint` : ""].filter(Boolean).join(" ") || undefined,
  });
  const err = (key: string) =>
    errors[key] ? (
      <span id={`train-${key}-err`} className="field-error">
        {errors[key]}
      </span>
    ) : null;

  return (
    <form className="mnt-form" aria-label="Train a model" onSubmit={submit} noValidate>
      <div className="mnt-grid">
        <div className="field">
          <label htmlFor="train-machine_class">Machine class</label>
          <input ref={first} list="train-classes" value={machineClass} onChange={(e) => setMachineClass(e.target.value)} {...a11y("machine_class", true)} />
          <datalist id="train-classes">
            {classes.map((c) => (
              <option key={c} value={c} />
            ))}
          </datalist>
          <span id="train-machine_class-hint" className="muted small">
            The machines' <code>machine_class</code> attribute (“default” when unset)
          </span>
          {err("machine_class")}
        </div>
        <div className="field">
          <label htmlFor="train-name">Name (optional)</label>
          <input value={name} maxLength={100} placeholder={`rul-${machineClass.trim() || "<class>"}`} onChange={(e) => setName(e.target.value)} {...a11y("name")} />
          {err("name")}
        </div>
        <div className="field">
          <label htmlFor="train-resolution">Resolution</label>
          <select id="train-resolution" value={resolution} onChange={(e) => setResolution(e.target.value as TrainBody["resolution"])}>
            <option value="1h">Hourly rollups</option>
            <option value="1m">Per-minute rollups</option>
          </select>
        </div>
        {FIELDS.map((f) => (
          <div className="field" key={f.key}>
            <label htmlFor={`train-${f.key}`}>{f.label}</label>
            <input
              type="number"
              inputMode="decimal"
              min={f.min}
              max={f.max}
              value={nums[f.key]}
              onChange={(e) => setNums({ ...nums, [f.key]: e.target.value })}
              {...a11y(f.key, true)}
            />
            <span id={`train-${f.key}-hint`} className="muted small">
              {f.hint}
            </span>
            {err(f.key)}
          </div>
        ))}
        <label className="field-check mnt-full">
          <input type="checkbox" checked={autoPromote} onChange={(e) => setAutoPromote(e.target.checked)} />
          Retrained versions replace the active one when they are not worse (auto-promote)
        </label>
      </div>
      <p className="muted small">
        Training needs at least two recorded failures (work orders with “machine failed at”) of machines in the class. The new version is a
        candidate until promoted.
      </p>
      <ApiProblem error={error} action="Could not train" labels={LABELS} />
      {busy && (
        <p className="loading" role="status">
          Training… this can take a minute.
        </p>
      )}
      <div className="pg-actions">
        <button type="submit" className="btn btn-primary" disabled={busy}>
          Train model
        </button>
        <button type="button" className="btn" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </form>
  );
}
