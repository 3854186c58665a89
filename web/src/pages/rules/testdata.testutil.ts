// Rules page test data (types only from the app, so importing this never loads the API client early).
import type { Condition, Rule, RuleVersion } from "./api";

export const MACHINES = [
  { id: "m1", name: "Press 1", path: "Berlin/Line A/Press 1", kind: "machine", parent_id: "l1", description: "", attributes: { class: "press" }, timezone: null, tenant_id: "t", created_at: "", updated_at: "" },
  { id: "m2", name: "CNC 7", path: "Berlin/Line B/CNC 7", kind: "machine", parent_id: "l2", description: "", attributes: { class: "cnc" }, timezone: null, tenant_id: "t", created_at: "", updated_at: "" },
];

const sensor = (id: string, machine: string, name: string, kind: string, unit: string) => ({
  id, machine_id: machine, name, kind, unit, path: `${MACHINES.find((m) => m.id === machine)?.path}/${name}`,
  tenant_id: "t", high_limit: null, low_limit: null, safety: false, sample_rate_hz: 1, created_at: "", updated_at: "",
});

export const SENSORS = [sensor("s-temp", "m1", "temp", "temperature", "degC"), sensor("s-vib", "m1", "vib", "vibration", "mm/s"), sensor("s-p", "m2", "pressure", "pressure", "bar")];

let n = 0;
export function makeRule(condition: Condition, over: Partial<Rule> = {}): Rule {
  n++;
  return {
    id: over.id ?? `r-${n}`,
    name: `Rule ${n}`,
    enabled: true,
    severity: "major",
    safety: false,
    scope: { machine_id: "m1", sensor_name: "temp" },
    condition,
    message: null,
    escalate_after_s: null,
    max_alarms_per_hour: null,
    version: 3,
    created_at: "2026-03-01T08:00:00Z",
    created_by: null,
    updated_at: "2026-03-01T09:00:00Z",
    updated_by: null,
    ...over,
  };
}

export const THRESHOLD: Condition = { type: "threshold", op: ">", value: 85, min_duration_s: 3, deadband: 2 };

/** One version of a rule, with its spec as the API stores it (the body, nulls included). */
export function version(r: Rule, v: number, change: RuleVersion["change"], by: string | null, at: string): RuleVersion {
  const spec = {
    name: r.name,
    enabled: r.enabled,
    severity: r.severity,
    safety: r.safety,
    scope: { sensor_id: null, machine_id: null, machine_class: null, sensor_name: null, sensor_kind: null, ...r.scope },
    condition: r.condition,
    message: r.message,
    escalate_after_s: r.escalate_after_s,
    max_alarms_per_hour: r.max_alarms_per_hour,
  };
  return { rule_id: r.id, version: v, change, changed_by: by, changed_at: at, spec };
}
