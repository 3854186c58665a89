// The parameters of each condition type as form fields: label, default, bounds (as the API checks them).
import type { ConditionType } from "./api";

export interface ParamSpec {
  key: string;
  label: string;
  kind: "number" | "int" | "op" | "select";
  options?: { value: string; label: string }[];
  initial: string; // "" = required, no default
  min?: number;
  minExclusive?: boolean; // > min rather than >= min
  max?: number;
  hint?: string;
}

const OP: ParamSpec = { key: "op", label: "Comparison", kind: "op", initial: ">" };

export const PARAMS: Record<ConditionType, ParamSpec[]> = {
  threshold: [
    OP,
    { key: "value", label: "Limit", kind: "number", initial: "" },
    { key: "min_duration_s", label: "Min duration (s)", kind: "number", initial: "0", min: 0, hint: "Raise only after the breach lasts this long" },
    { key: "deadband", label: "Deadband", kind: "number", initial: "0", min: 0, hint: "Clear only when back past the limit by this much" },
  ],
  rate_of_change: [
    { key: "max_per_s", label: "Max change per second", kind: "number", initial: "", min: 0, minExclusive: true },
    { key: "window_s", label: "Window (s)", kind: "number", initial: "10", min: 0, minExclusive: true },
    {
      key: "direction",
      label: "Direction",
      kind: "select",
      initial: "both",
      options: [
        { value: "both", label: "Both" },
        { value: "up", label: "Rising" },
        { value: "down", label: "Falling" },
      ],
    },
  ],
  zscore: [
    { key: "z", label: "z-score above", kind: "number", initial: "4", min: 0, minExclusive: true },
    { key: "window_s", label: "Window (s)", kind: "number", initial: "300", min: 0, minExclusive: true },
    { key: "min_samples", label: "Min samples", kind: "int", initial: "30", min: 3, hint: "No alarms until the window holds this many readings" },
  ],
  ewma: [
    { key: "sigmas", label: "Sigmas (σ)", kind: "number", initial: "3", min: 0, minExclusive: true },
    { key: "alpha", label: "Smoothing α", kind: "number", initial: "0.1", min: 0, minExclusive: true, max: 1 },
    { key: "warmup", label: "Warm-up readings", kind: "int", initial: "50", min: 2 },
  ],
  window: [
    {
      key: "agg",
      label: "Aggregate",
      kind: "select",
      initial: "avg",
      options: [
        { value: "avg", label: "Average" },
        { value: "max", label: "Maximum" },
        { value: "min", label: "Minimum" },
      ],
    },
    { key: "window_s", label: "Window (s)", kind: "number", initial: "", min: 0, minExclusive: true },
    OP,
    { key: "value", label: "Limit", kind: "number", initial: "" },
  ],
  flatline: [
    { key: "window_s", label: "For at least (s)", kind: "number", initial: "", min: 0, minExclusive: true },
    { key: "tolerance", label: "Tolerance (max − min)", kind: "number", initial: "0", min: 0 },
  ],
  missing_data: [
    { key: "intervals", label: "Missed intervals", kind: "number", initial: "5", min: 1, minExclusive: true, hint: "× the sensor's expected interval (1 / sample rate)" },
  ],
  combined: [{ key: "window_s", label: "Within (s)", kind: "number", initial: "10", min: 0, minExclusive: true }],
};

/** "" when the text is a valid value for the spec, else the problem. */
export function checkParam(p: ParamSpec, text: string): string {
  if (p.kind === "op" || p.kind === "select") return text ? "" : "Required";
  const t = text.trim();
  if (t === "") return "Required";
  const v = Number(t);
  if (!Number.isFinite(v)) return "Enter a number";
  if (p.kind === "int" && !Number.isInteger(v)) return "Enter a whole number";
  if (p.min !== undefined && (p.minExclusive ? v <= p.min : v < p.min)) return `Must be ${p.minExclusive ? "greater than" : "at least"} ${p.min}`;
  if (p.max !== undefined && v > p.max) return `Must be at most ${p.max}`;
  return "";
}

export function initialParams(): Record<ConditionType, Record<string, string>> {
  const out = {} as Record<ConditionType, Record<string, string>>;
  for (const [type, specs] of Object.entries(PARAMS) as [ConditionType, ParamSpec[]][]) {
    out[type] = Object.fromEntries(specs.map((p) => [p.key, p.initial]));
  }
  return out;
}
