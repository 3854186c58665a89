// An asset's own OEE config. Empty fields inherit from the nearest ancestor (shown as the placeholder).
import { useState, type FormEvent } from "react";
import { ApiProblem } from "../../shared/ApiProblem";
import { putConfig, type ConfigIn, type OeeConfig } from "../api";

type Fields = OeeConfig["effective"];
type Key = keyof Fields;

const LABELS: Record<Key, string> = {
  run_sensor: "Run sensor",
  run_threshold: "Run threshold",
  idle_sensor: "Idle sensor",
  idle_threshold: "Idle threshold",
  ideal_cycle_s: "Ideal cycle time (s)",
  counter_sensor: "Counter sensor",
  counter_mode: "Counter mode",
};
const SENSORS: Key[] = ["run_sensor", "idle_sensor", "counter_sensor"];
const NUMBERS: Key[] = ["run_threshold", "idle_threshold", "ideal_cycle_s"];
const ORDER: Key[] = ["run_sensor", "run_threshold", "idle_sensor", "idle_threshold", "ideal_cycle_s", "counter_sensor"];

const text = (v: string | number | null | undefined) => (v === null || v === undefined ? "" : String(v));

interface Props {
  config: OeeConfig;
  sensorNames: string[];
  onSaved(c: OeeConfig): void;
}

export function ConfigForm({ config, sensorNames, onSaved }: Props) {
  const own = config.own;
  const [values, setValues] = useState<Record<Key, string>>(() => {
    const v = {} as Record<Key, string>;
    (Object.keys(LABELS) as Key[]).forEach((k) => (v[k] = text(own?.[k])));
    return v;
  });
  const [invalid, setInvalid] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const set = (k: Key, v: string) => setValues((cur) => ({ ...cur, [k]: v }));
  const prefix = `cfg-${config.asset_id}`;

  async function submit(e: FormEvent) {
    e.preventDefault();
    setError(null);
    const str = (k: Key) => values[k].trim() || null;
    const bad = NUMBERS.find((k) => values[k].trim() !== "" && !Number.isFinite(Number(values[k])));
    if (bad) return setInvalid(`${LABELS[bad]} must be a number.`);
    const num = (k: Key) => (values[k].trim() === "" ? null : Number(values[k]));
    const cycle = num("ideal_cycle_s");
    if (cycle !== null && cycle <= 0) return setInvalid("The ideal cycle time must be more than 0 s.");
    const mode = values.counter_mode;
    const body: ConfigIn = {
      run_sensor: str("run_sensor"),
      run_threshold: num("run_threshold"),
      idle_sensor: str("idle_sensor"),
      idle_threshold: num("idle_threshold"),
      ideal_cycle_s: cycle,
      counter_sensor: str("counter_sensor"),
      counter_mode: mode === "cumulative" || mode === "delta" ? mode : null,
    };
    setInvalid(null);
    setBusy(true);
    try {
      onSaved(await putConfig(config.asset_id, body));
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  }

  return (
    <form className="oee-settings-form" aria-label={`OEE config of ${config.path}`} onSubmit={(e) => void submit(e)} noValidate>
      <datalist id={`${prefix}-sensors`}>
        {sensorNames.map((n) => (
          <option key={n} value={n} />
        ))}
      </datalist>
      <div className="oee-form-grid">
        {ORDER.map((k) => {
          const inherited = text(config.effective[k]);
          return (
            <div className="field" key={k}>
              <label htmlFor={`${prefix}-${k}`}>{LABELS[k]}</label>
              <input
                id={`${prefix}-${k}`}
                value={values[k]}
                inputMode={NUMBERS.includes(k) ? "decimal" : undefined}
                list={SENSORS.includes(k) ? `${prefix}-sensors` : undefined}
                placeholder={inherited ? `inherited: ${inherited}` : "not set"}
                onChange={(e) => set(k, e.target.value)}
              />
            </div>
          );
        })}
        <div className="field">
          <label htmlFor={`${prefix}-counter_mode`}>{LABELS.counter_mode}</label>
          <select id={`${prefix}-counter_mode`} value={values.counter_mode} onChange={(e) => set("counter_mode", e.target.value)}>
            <option value="">Inherit{config.effective.counter_mode ? ` (${config.effective.counter_mode})` : ""}</option>
            <option value="cumulative">Cumulative (a running total)</option>
            <option value="delta">Delta (parts per reading)</option>
          </select>
        </div>
      </div>
      <p className="muted small">
        Running when the run sensor's minute average is above its threshold; idle (powered, not running) by the idle sensor;
        otherwise down. Empty fields inherit from the line, area or site.
      </p>
      {invalid && (
        <p className="form-error" role="alert">
          {invalid}
        </p>
      )}
      <button type="submit" className="btn btn-primary" disabled={busy}>
        {busy ? "Saving…" : "Save config"}
      </button>
      <ApiProblem error={error} action="Could not save the OEE config" labels={LABELS} />
    </form>
  );
}
