// The scope part of the rule form: one sensor, one machine, a machine class or every machine of the tenant,
// narrowed by sensor name and/or kind. Machines come from the asset list; sensors are loaded per machine.
import { useEffect, useMemo, useState } from "react";
import { getSensor, listSensors, SENSOR_KINDS, type Machine, type Sensor } from "./api";
import type { Draft, Errors, ScopeKind } from "./draft";
import { a11y, Field, FieldError } from "./FormBits";

const KINDS: { value: ScopeKind; label: string }[] = [
  { value: "sensor", label: "One sensor" },
  { value: "machine", label: "One machine" },
  { value: "class", label: "Machine class" },
  { value: "tenant", label: "All machines (tenant-wide)" },
];

/** The sensors of a machine ([] while loading or without a machine). */
export function useSensors(machineId: string): Sensor[] {
  const [state, setState] = useState<{ id: string; sensors: Sensor[] }>({ id: "", sensors: [] });
  useEffect(() => {
    if (!machineId) return;
    let alive = true;
    listSensors(machineId)
      .then((s) => alive && setState({ id: machineId, sensors: s }))
      .catch(() => alive && setState({ id: machineId, sensors: [] }));
    return () => {
      alive = false;
    };
  }, [machineId]);
  return state.id === machineId ? state.sensors : [];
}

interface Props {
  draft: Draft;
  errors: Errors;
  machines: Machine[];
  sensors: Sensor[];
  set(patch: Partial<Draft>): void;
}

export function ScopeFields({ draft: d, errors, machines, sensors, set }: Props) {
  // Editing a sensor-scoped rule: find the sensor's machine, so the pickers show where it is.
  useEffect(() => {
    if (d.scopeKind !== "sensor" || !d.sensorId || d.machineId) return;
    let alive = true;
    getSensor(d.sensorId)
      .then((s) => alive && set({ machineId: s.machine_id }))
      .catch(() => {});
    return () => {
      alive = false;
    };
  }, [d.scopeKind, d.sensorId, d.machineId, set]);

  const sorted = useMemo(() => [...machines].sort((a, b) => a.path.localeCompare(b.path, undefined, { numeric: true })), [machines]);
  const classes = useMemo(
    () => [...new Set(machines.map((m) => m.attributes["class"]).filter((c): c is string => typeof c === "string" && c !== ""))].sort(),
    [machines],
  );
  const narrow = d.scopeKind !== "sensor" && d.type !== "combined";
  const needsMachine = d.scopeKind === "sensor" || d.scopeKind === "machine";

  return (
    <fieldset className="rule-section">
      <legend>Scope</legend>
      <div className="rule-radios" role="radiogroup" aria-label="What the rule watches">
        {KINDS.map((k) => (
          <label key={k.value} className="pg-check">
            <input type="radio" name="rule-scope" value={k.value} checked={d.scopeKind === k.value} onChange={() => set({ scopeKind: k.value })} />
            {k.label}
          </label>
        ))}
      </div>
      <FieldError path="scope" error={errors["scope"]} />
      <div className="rule-grid">
        {needsMachine && (
          <Field path="scope.machine_id" label="Machine" error={errors["scope.machine_id"]}>
            <select
              {...a11y("scope.machine_id", errors["scope.machine_id"])}
              value={d.machineId}
              onChange={(e) => set({ machineId: e.target.value, sensorId: "" })}
            >
              <option value="">Choose a machine…</option>
              {d.machineId && !machines.some((m) => m.id === d.machineId) && <option value={d.machineId}>Machine {d.machineId.slice(0, 8)}</option>}
              {sorted.map((m) => (
                <option key={m.id} value={m.id}>
                  {m.path || m.name}
                </option>
              ))}
            </select>
          </Field>
        )}
        {d.scopeKind === "sensor" && (
          <Field path="scope.sensor_id" label="Sensor" error={errors["scope.sensor_id"]}>
            <select
              {...a11y("scope.sensor_id", errors["scope.sensor_id"])}
              value={d.sensorId}
              disabled={!d.machineId}
              onChange={(e) => set({ sensorId: e.target.value })}
            >
              <option value="">{d.machineId ? "Choose a sensor…" : "Choose a machine first"}</option>
              {d.sensorId && !sensors.some((s) => s.id === d.sensorId) && <option value={d.sensorId}>Sensor {d.sensorId.slice(0, 8)}</option>}
              {sensors.map((s) => (
                <option key={s.id} value={s.id}>
                  {s.name} ({s.kind}
                  {s.unit ? `, ${s.unit}` : ""})
                </option>
              ))}
            </select>
          </Field>
        )}
        {d.scopeKind === "class" && (
          <Field path="scope.machine_class" label="Machine class" error={errors["scope.machine_class"]} hint="Machines whose attribute “class” equals this">
            <input
              {...a11y("scope.machine_class", errors["scope.machine_class"], "rule-scope-machine-class-hint")}
              list="rule-classes"
              value={d.machineClass}
              onChange={(e) => set({ machineClass: e.target.value })}
            />
            <datalist id="rule-classes">
              {classes.map((c) => (
                <option key={c} value={c} />
              ))}
            </datalist>
          </Field>
        )}
        {narrow && (
          <>
            <Field path="scope.sensor_name" label="Sensor name" error={errors["scope.sensor_name"]} hint="Name, kind or both">
              <input
                {...a11y("scope.sensor_name", errors["scope.sensor_name"], "rule-scope-sensor-name-hint")}
                list="rule-sensor-names"
                value={d.sensorName}
                onChange={(e) => set({ sensorName: e.target.value })}
              />
              <datalist id="rule-sensor-names">
                {[...new Set(sensors.map((s) => s.name))].map((n) => (
                  <option key={n} value={n} />
                ))}
              </datalist>
            </Field>
            <Field path="scope.sensor_kind" label="Sensor kind" error={errors["scope.sensor_kind"]}>
              <select {...a11y("scope.sensor_kind", errors["scope.sensor_kind"])} value={d.sensorKind} onChange={(e) => set({ sensorKind: e.target.value })}>
                <option value="">Any kind</option>
                {SENSOR_KINDS.map((k) => (
                  <option key={k} value={k}>
                    {k}
                  </option>
                ))}
              </select>
            </Field>
          </>
        )}
      </div>
    </fieldset>
  );
}
