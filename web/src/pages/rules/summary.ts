// Rules in words: "value > 85 for 3 s (deadband 2)", "temperature sensors on Press 1".
import type { Condition, ConditionType, Scope } from "./api";

/** A number without float noise (0.1 + 0.2 → 0.3); "?" when missing (old or hand-written specs). */
export function num(v: number | null | undefined): string {
  if (typeof v !== "number" || !Number.isFinite(v)) return "?";
  return String(Number(v.toPrecision(10)));
}

export function conditionSummary(c: Condition): string {
  switch (c.type) {
    case "threshold": {
      const dur = c.min_duration_s > 0 ? ` for ${num(c.min_duration_s)} s` : "";
      const db = c.deadband > 0 ? ` (deadband ${num(c.deadband)})` : "";
      return `value ${c.op} ${num(c.value)}${dur}${db}`;
    }
    case "rate_of_change": {
      const dir = c.direction === "up" ? " (rising)" : c.direction === "down" ? " (falling)" : "";
      return `rate > ${num(c.max_per_s)}/s over ${num(c.window_s)} s${dir}`;
    }
    case "zscore":
      return `rolling z-score > ${num(c.z)} over ${num(c.window_s)} s`;
    case "ewma":
      return `EWMA ±${num(c.sigmas)}σ (α ${num(c.alpha)})`;
    case "window":
      return `${c.agg} over ${num(c.window_s)} s ${c.op} ${num(c.value)}`;
    case "flatline":
      return `flat within ${num(c.tolerance)} for ${num(c.window_s)} s`;
    case "missing_data":
      return `no data for ${num(c.intervals)} × interval`;
    case "combined": {
      const terms = (c.all_of ?? []).map((t) => `${t.sensor_name} ${t.op} ${num(t.value)}`).join(", ");
      return `all of ${terms} within ${num(c.window_s)} s`;
    }
    default:
      return "unknown condition";
  }
}

export interface Names {
  machine(id: string): string;
  sensor(id: string): string;
}

/** Which sensors the narrowing picks: sensor “temp”, temperature sensors, temperature sensor “temp”. */
function narrowing(s: Scope): string {
  if (s.sensor_name && s.sensor_kind) return `${s.sensor_kind} sensor “${s.sensor_name}”`;
  if (s.sensor_name) return `sensor “${s.sensor_name}”`;
  if (s.sensor_kind) return `${s.sensor_kind} sensors`;
  return "";
}

export function scopeSummary(s: Scope, names: Names): string {
  if (s.sensor_id) return `sensor ${names.sensor(s.sensor_id)}`;
  const which = narrowing(s);
  const on = (where: string) => (which ? `${which} on ${where}` : where);
  if (s.machine_id) return which ? on(names.machine(s.machine_id)) : `machine ${names.machine(s.machine_id)}`;
  if (s.machine_class) return on(`machines of class “${s.machine_class}”`);
  return on("all machines");
}

const TYPES: ConditionType[] = ["threshold", "rate_of_change", "zscore", "ewma", "window", "flatline", "missing_data", "combined"];

/** A condition from stored JSON (a version's spec), when it has a known type. */
export function asCondition(v: unknown): Condition | null {
  if (typeof v !== "object" || v === null) return null;
  const t = (v as { type?: unknown }).type;
  return typeof t === "string" && (TYPES as string[]).includes(t) ? (v as Condition) : null;
}

/** A scope from stored JSON. */
export function asScope(v: unknown): Scope | null {
  return typeof v === "object" && v !== null && !Array.isArray(v) ? (v as Scope) : null;
}
