// Create a stored SPC chart: name, type, subgroup size, rules, specification limits, and where its subgroups
// come from (entered by hand for a machine, or fed from a sensor's readings).
import { useId, useState } from "react";
import { ApiProblem } from "../shared/ApiProblem";
import { useResource } from "../maintenance/useResource";
import { CHART_TYPES, createChart, listMachines, listSensors, RULE_PRESETS, type ChartType, type RulePreset, type StoredChart } from "./api";

const num = (s: string): number | null => (s.trim() === "" ? null : Number(s));

export function ChartForm({ onCreated, onCancel }: { onCreated(c: StoredChart): void; onCancel(): void }) {
  const ids = useId();
  const [name, setName] = useState("");
  const [type, setType] = useState<ChartType>("xbar");
  const [size, setSize] = useState("5");
  const [rules, setRules] = useState<RulePreset>("we");
  const [source, setSource] = useState<"manual" | "sensor">("manual");
  const [machine, setMachine] = useState("");
  const [sensor, setSensor] = useState("");
  const [lsl, setLsl] = useState("");
  const [usl, setUsl] = useState("");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const machines = useResource(listMachines);
  const sensors = useResource(() => (source === "sensor" ? listSensors() : Promise.resolve([])), source);

  const sizeN = Number(size);
  const lslN = num(lsl);
  const uslN = num(usl);
  const problems: string[] = [];
  if (!name.trim()) problems.push("Enter a name.");
  if (!Number.isInteger(sizeN) || sizeN < 1 || sizeN > 1000) problems.push("The subgroup size is a whole number from 1 to 1000.");
  if ((lslN !== null && !Number.isFinite(lslN)) || (uslN !== null && !Number.isFinite(uslN))) problems.push("Specification limits must be numbers.");
  else if (lslN !== null && uslN !== null && uslN <= lslN) problems.push("USL must be above LSL.");
  if (source === "manual" && !machine) problems.push("Pick the machine its alarms belong to.");
  if (source === "sensor" && !sensor) problems.push("Pick the sensor.");

  async function submit() {
    setBusy(true);
    setError(null);
    try {
      const settings = { type, rules, ...(lslN !== null ? { lsl: lslN } : {}), ...(uslN !== null ? { usl: uslN } : {}) };
      const created = await createChart({
        name: name.trim(),
        settings,
        source,
        subgroup_size: sizeN,
        ...(source === "manual" ? { machine_id: machine } : { sensor_id: sensor }),
      });
      onCreated(created);
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  }

  return (
    <form
      className="panel spc-form"
      aria-labelledby={`${ids}-t`}
      onSubmit={(e) => {
        e.preventDefault();
        if (problems.length === 0) void submit();
      }}
    >
      <h2 id={`${ids}-t`}>New SPC chart</h2>
      <div className="sch-fields">
        <div className="field">
          <label htmlFor={`${ids}-name`}>Name</label>
          <input id={`${ids}-name`} value={name} maxLength={200} required onChange={(e) => setName(e.target.value)} />
        </div>
        <div className="field">
          <label htmlFor={`${ids}-type`}>Chart type</label>
          <select id={`${ids}-type`} value={type} onChange={(e) => setType(e.target.value as ChartType)}>
            {CHART_TYPES.map((c) => (
              <option key={c.value} value={c.value}>
                {c.label}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor={`${ids}-size`}>Subgroup size</label>
          <input id={`${ids}-size`} type="number" min="1" max="1000" step="1" value={size} onChange={(e) => setSize(e.target.value)} />
        </div>
        <div className="field">
          <label htmlFor={`${ids}-rules`}>Rules</label>
          <select id={`${ids}-rules`} value={rules} onChange={(e) => setRules(e.target.value as RulePreset)}>
            {RULE_PRESETS.map((r) => (
              <option key={r.value} value={r.value}>
                {r.label}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor={`${ids}-lsl`}>LSL (optional)</label>
          <input id={`${ids}-lsl`} inputMode="decimal" value={lsl} onChange={(e) => setLsl(e.target.value)} />
        </div>
        <div className="field">
          <label htmlFor={`${ids}-usl`}>USL (optional)</label>
          <input id={`${ids}-usl`} inputMode="decimal" value={usl} onChange={(e) => setUsl(e.target.value)} />
        </div>
      </div>
      <fieldset className="spc-source">
        <legend>Subgroups come from</legend>
        <label className="field-check">
          <input type="radio" name={`${ids}-src`} checked={source === "manual"} onChange={() => setSource("manual")} />
          Entered by hand
        </label>
        <label className="field-check">
          <input type="radio" name={`${ids}-src`} checked={source === "sensor"} onChange={() => setSource("sensor")} />
          A sensor's readings ({size || "n"} consecutive readings per subgroup)
        </label>
      </fieldset>
      {source === "manual" ? (
        <div className="field">
          <label htmlFor={`${ids}-machine`}>Machine (its alarms belong to it)</label>
          <select id={`${ids}-machine`} value={machine} onChange={(e) => setMachine(e.target.value)}>
            <option value="">{machines.data ? "Choose…" : "Loading machines…"}</option>
            {machines.data?.map((m) => (
              <option key={m.id} value={m.id}>
                {m.path}
              </option>
            ))}
          </select>
        </div>
      ) : (
        <div className="field">
          <label htmlFor={`${ids}-sensor`}>Sensor</label>
          <select id={`${ids}-sensor`} value={sensor} onChange={(e) => setSensor(e.target.value)}>
            <option value="">{sensors.data ? "Choose…" : "Loading sensors…"}</option>
            {sensors.data?.map((s) => (
              <option key={s.id} value={s.id}>
                {s.path}
              </option>
            ))}
          </select>
        </div>
      )}
      {(machines.error || sensors.error) && <p className="field-error">Could not load {machines.error ? "machines" : "sensors"}: {machines.error ?? sensors.error}</p>}
      {problems.length > 0 && name !== "" && (
        <ul className="field-error spc-problems">
          {problems.map((p) => (
            <li key={p}>{p}</li>
          ))}
        </ul>
      )}
      <div className="pg-actions">
        <button type="submit" className="btn btn-primary" disabled={busy || problems.length > 0}>
          {busy ? "Creating…" : "Create chart"}
        </button>
        <button type="button" className="btn" onClick={onCancel}>
          Cancel
        </button>
      </div>
      <ApiProblem error={error} action="Could not create the chart" />
    </form>
  );
}
