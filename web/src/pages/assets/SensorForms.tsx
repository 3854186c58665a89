// A machine's sensors: table with inline limit editing (PATCH) and a form to add one (POST /sensors).
import { useState, type FormEvent } from "react";
import { api, unwrap, type Schemas } from "../../api/client";
import type { AssetNode, SensorOut } from "./tree";

type SensorKind = Schemas["SensorKind"];
export const SENSOR_KINDS: SensorKind[] = [
  "temperature", "vibration", "pressure", "speed", "power", "current", "flow", "level", "other",
];

/** "" -> null, else a finite number, else undefined (invalid). */
export function parseLimit(s: string): number | null | undefined {
  if (s.trim() === "") return null;
  const v = Number(s);
  return Number.isFinite(v) ? v : undefined;
}

function limitsError(low: number | null | undefined, high: number | null | undefined): string | null {
  if (low === undefined || high === undefined) return "Limits must be numbers (or empty for none).";
  if (low != null && high != null && low >= high) return "The low limit must be below the high limit.";
  return null;
}

export function AddSensorForm({ machine, onCreated }: { machine: AssetNode; onCreated(s: SensorOut): void }) {
  const [f, setF] = useState({ name: "", kind: "temperature" as SensorKind, unit: "", low: "", high: "", rate: "1", safety: false });
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const set = <K extends keyof typeof f>(k: K, v: (typeof f)[K]) => setF((o) => ({ ...o, [k]: v }));

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const low = parseLimit(f.low);
    const high = parseLimit(f.high);
    const rate = Number(f.rate);
    const bad = limitsError(low, high) ?? (rate > 0 ? null : "The sample rate must be above 0 Hz.");
    if (bad) return setError(bad);
    setBusy(true);
    setError(null);
    const body: Schemas["SensorIn"] = {
      machine_id: machine.id,
      name: f.name.trim(),
      kind: f.kind,
      unit: f.unit.trim(),
      low_limit: low,
      high_limit: high,
      safety: f.safety,
      sample_rate_hz: rate,
    };
    try {
      const s = await unwrap(api.POST("/api/v1/sensors", { body }));
      setF((o) => ({ ...o, name: "", low: "", high: "", safety: false }));
      onCreated(s);
    } catch (err) {
      setError((err as Error).message);
    } finally {
      setBusy(false);
    }
  };

  return (
    <form className="pg-form pg-form-grid" onSubmit={submit} aria-label="Add sensor">
      <h3>Add sensor to {machine.name}</h3>
      <label>
        Name
        <input value={f.name} onChange={(e) => set("name", e.target.value)} required maxLength={64} />
      </label>
      <label>
        Kind
        <select value={f.kind} onChange={(e) => set("kind", e.target.value as SensorKind)}>
          {SENSOR_KINDS.map((k) => (
            <option key={k}>{k}</option>
          ))}
        </select>
      </label>
      <label>
        Unit
        <input value={f.unit} onChange={(e) => set("unit", e.target.value)} placeholder="e.g. degC" />
      </label>
      <label>
        Low limit
        <input inputMode="decimal" value={f.low} onChange={(e) => set("low", e.target.value)} />
      </label>
      <label>
        High limit
        <input inputMode="decimal" value={f.high} onChange={(e) => set("high", e.target.value)} />
      </label>
      <label>
        Sample rate (Hz)
        <input inputMode="decimal" value={f.rate} onChange={(e) => set("rate", e.target.value)} />
      </label>
      <label className="pg-check">
        <input type="checkbox" checked={f.safety} onChange={(e) => set("safety", e.target.checked)} />
        Safety-relevant (a limit breach is a safety alarm)
      </label>
      {error && <p role="alert" className="form-error">{error}</p>}
      <div className="pg-actions">
        <button type="submit" className="btn btn-primary" disabled={busy || !f.name.trim()}>
          {busy ? "Adding…" : "Add sensor"}
        </button>
      </div>
    </form>
  );
}

function LimitEditor({ sensor, onSaved, onCancel }: { sensor: SensorOut; onSaved(s: SensorOut): void; onCancel(): void }) {
  const [low, setLow] = useState(sensor.low_limit?.toString() ?? "");
  const [high, setHigh] = useState(sensor.high_limit?.toString() ?? "");
  const [safety, setSafety] = useState(sensor.safety);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const lo = parseLimit(low);
    const hi = parseLimit(high);
    const bad = limitsError(lo, hi);
    if (bad) return setError(bad);
    setBusy(true);
    try {
      const body: Schemas["SensorPatch"] = { low_limit: lo, high_limit: hi, safety };
      onSaved(await unwrap(api.PATCH("/api/v1/sensors/{sensor_id}", { params: { path: { sensor_id: sensor.id } }, body })));
    } catch (err) {
      setError((err as Error).message);
    } finally {
      setBusy(false);
    }
  };

  return (
    <form className="pg-inline-form" onSubmit={submit} aria-label={`Limits of ${sensor.name}`}>
      <label>
        Low <input inputMode="decimal" value={low} onChange={(e) => setLow(e.target.value)} size={7} />
      </label>
      <label>
        High <input inputMode="decimal" value={high} onChange={(e) => setHigh(e.target.value)} size={7} />
      </label>
      <label className="pg-check">
        <input type="checkbox" checked={safety} onChange={(e) => setSafety(e.target.checked)} /> Safety
      </label>
      <button type="submit" className="btn btn-primary" disabled={busy}>
        Save
      </button>
      <button type="button" className="btn" onClick={onCancel}>
        Cancel
      </button>
      {error && <p role="alert" className="form-error">{error}</p>}
    </form>
  );
}

export function SensorTable({ sensors, canWrite, onChanged }: { sensors: SensorOut[]; canWrite: boolean; onChanged(): void }) {
  const [editing, setEditing] = useState<string | null>(null);
  if (!sensors.length) return <p className="pg-empty">No sensors on this machine yet.</p>;
  const lim = (v: number | null) => (v == null ? "—" : String(v));
  return (
    <div className="table-wrap">
      <table className="table">
        <thead>
          <tr>
            <th scope="col">Sensor</th>
            <th scope="col">Kind</th>
            <th scope="col">Unit</th>
            <th scope="col">Low</th>
            <th scope="col">High</th>
            <th scope="col">Rate</th>
            {canWrite && <th scope="col"><span className="sr-only">Actions</span></th>}
          </tr>
        </thead>
        <tbody>
          {sensors.map((s) => (
            <tr key={s.id}>
              <th scope="row">
                {s.name} {s.safety && <span className="badge">safety</span>}
              </th>
              <td>{s.kind}</td>
              <td>{s.unit || "—"}</td>
              {editing === s.id ? (
                <td colSpan={canWrite ? 4 : 3}>
                  <LimitEditor
                    sensor={s}
                    onCancel={() => setEditing(null)}
                    onSaved={() => {
                      setEditing(null);
                      onChanged();
                    }}
                  />
                </td>
              ) : (
                <>
                  <td>{lim(s.low_limit)}</td>
                  <td>{lim(s.high_limit)}</td>
                  <td>{s.sample_rate_hz} Hz</td>
                  {canWrite && (
                    <td>
                      <button type="button" className="btn btn-small" onClick={() => setEditing(s.id)} aria-label={`Edit limits of ${s.name}`}>
                        Edit limits
                      </button>
                    </td>
                  )}
                </>
              )}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
