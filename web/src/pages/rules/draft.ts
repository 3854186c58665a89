// The rule form's state (text as typed), its inline validation and the RuleBody it becomes.
import type { Condition, ConditionType, Op, Rule, RuleBody, Scope, Severity } from "./api";
import { checkParam, initialParams, PARAMS } from "./fields";

export type ScopeKind = "sensor" | "machine" | "class" | "tenant";

export interface TermDraft {
  sensor_name: string;
  op: Op;
  value: string;
}

export interface Draft {
  name: string;
  enabled: boolean;
  severity: Severity;
  safety: boolean;
  message: string;
  escalateAfter: string;
  maxPerHour: string;
  scopeKind: ScopeKind;
  machineId: string; // also for a sensor scope: the machine to pick the sensor from
  sensorId: string;
  machineClass: string;
  sensorName: string;
  sensorKind: string;
  type: ConditionType;
  params: Record<ConditionType, Record<string, string>>; // per type, so switching back keeps what was typed
  terms: TermDraft[];
}

/** Errors by form path ("name", "scope.machine_id", "condition.value", "condition.all_of.1.value"). */
export type Errors = Record<string, string>;

const blankTerm = (): TermDraft => ({ sensor_name: "", op: ">", value: "" });

export function emptyDraft(): Draft {
  return {
    name: "",
    enabled: true,
    severity: "major",
    safety: false,
    message: "",
    escalateAfter: "",
    maxPerHour: "",
    scopeKind: "machine",
    machineId: "",
    sensorId: "",
    machineClass: "",
    sensorName: "",
    sensorKind: "",
    type: "threshold",
    params: initialParams(),
    terms: [blankTerm(), blankTerm()],
  };
}

const str = (v: unknown): string => (v === null || v === undefined ? "" : String(v));

export function draftFromRule(r: Rule): Draft {
  const d = emptyDraft();
  const s = r.scope;
  const c = r.condition;
  const fields = c as unknown as Record<string, unknown>;
  d.params[c.type] = Object.fromEntries(PARAMS[c.type].map((p) => [p.key, str(fields[p.key]) || p.initial]));
  return {
    ...d,
    name: r.name,
    enabled: r.enabled,
    severity: r.severity,
    safety: r.safety,
    message: r.message ?? "",
    escalateAfter: str(r.escalate_after_s),
    maxPerHour: str(r.max_alarms_per_hour),
    scopeKind: s.sensor_id ? "sensor" : s.machine_id ? "machine" : s.machine_class ? "class" : "tenant",
    machineId: s.machine_id ?? "",
    sensorId: s.sensor_id ?? "",
    machineClass: s.machine_class ?? "",
    sensorName: s.sensor_name ?? "",
    sensorKind: s.sensor_kind ?? "",
    type: c.type,
    terms: c.type === "combined" ? c.all_of.map((t) => ({ sensor_name: t.sensor_name, op: t.op, value: str(t.value) })) : d.terms,
  };
}

function optionalNumber(text: string, int: boolean, min: number, exclusive: boolean): string {
  const t = text.trim();
  if (!t) return "";
  const v = Number(t);
  if (!Number.isFinite(v)) return "Enter a number";
  if (int && !Number.isInteger(v)) return "Enter a whole number";
  if (exclusive ? v <= min : v < min) return `Must be ${exclusive ? "greater than" : "at least"} ${min}`;
  return "";
}

export function validate(d: Draft): Errors {
  const e: Errors = {};
  const put = (path: string, msg: string) => {
    if (msg) e[path] = msg;
  };
  if (!d.name.trim()) put("name", "Give the rule a name");
  else if (d.name.trim().length > 200) put("name", "At most 200 characters");
  if (d.message.length > 500) put("message", "At most 500 characters");
  put("escalate_after_s", optionalNumber(d.escalateAfter, false, 0, true));
  put("max_alarms_per_hour", optionalNumber(d.maxPerHour, true, 1, false));

  const combined = d.type === "combined";
  if (d.scopeKind === "sensor") {
    if (combined) put("scope", "A combined rule watches a machine or a machine class, not one sensor");
    else if (!d.sensorId) put("scope.sensor_id", "Pick a sensor");
  }
  if (d.scopeKind === "machine" && !d.machineId) put("scope.machine_id", "Pick a machine");
  if (d.scopeKind === "class" && !d.machineClass.trim()) put("scope.machine_class", "Enter a machine class");
  if (d.scopeKind !== "sensor" && !combined && !d.sensorName.trim() && !d.sensorKind) {
    put("scope.sensor_name", "Name the sensor or pick a sensor kind");
  }

  for (const p of PARAMS[d.type]) put(`condition.${p.key}`, checkParam(p, d.params[d.type][p.key] ?? ""));
  if (combined) {
    if (d.terms.length < 2 || d.terms.length > 10) put("condition.all_of", "A combined rule needs 2 to 10 conditions");
    d.terms.forEach((t, i) => {
      if (!t.sensor_name.trim()) put(`condition.all_of.${i}.sensor_name`, "Name the sensor");
      put(`condition.all_of.${i}.value`, checkParam({ key: "value", label: "Value", kind: "number", initial: "" }, t.value));
    });
  }
  return e;
}

function buildCondition(d: Draft): Condition {
  const p = d.params[d.type];
  const n = (k: string) => Number(p[k]);
  switch (d.type) {
    case "threshold":
      return { type: "threshold", op: p.op as Op, value: n("value"), min_duration_s: n("min_duration_s"), deadband: n("deadband") };
    case "rate_of_change":
      return {
        type: "rate_of_change",
        max_per_s: n("max_per_s"),
        window_s: n("window_s"),
        direction: p.direction === "up" || p.direction === "down" ? p.direction : "both",
      };
    case "zscore":
      return { type: "zscore", z: n("z"), window_s: n("window_s"), min_samples: n("min_samples") };
    case "ewma":
      return { type: "ewma", sigmas: n("sigmas"), alpha: n("alpha"), warmup: n("warmup") };
    case "window":
      return {
        type: "window",
        agg: p.agg === "max" || p.agg === "min" ? p.agg : "avg",
        window_s: n("window_s"),
        op: p.op as Op,
        value: n("value"),
      };
    case "flatline":
      return { type: "flatline", window_s: n("window_s"), tolerance: n("tolerance") };
    case "missing_data":
      return { type: "missing_data", intervals: n("intervals") };
    case "combined":
      return {
        type: "combined",
        window_s: n("window_s"),
        all_of: d.terms.map((t) => ({ sensor_name: t.sensor_name.trim(), op: t.op, value: Number(t.value) })),
      };
  }
}

function buildScope(d: Draft): Scope {
  if (d.scopeKind === "sensor") return { sensor_id: d.sensorId };
  const s: Scope = {};
  if (d.scopeKind === "machine") s.machine_id = d.machineId;
  if (d.scopeKind === "class") s.machine_class = d.machineClass.trim();
  if (d.type !== "combined") {
    if (d.sensorName.trim()) s.sensor_name = d.sensorName.trim();
    if (d.sensorKind) s.sensor_kind = d.sensorKind;
  }
  return s;
}

/** The request body for a valid draft. */
export function toBody(d: Draft): RuleBody {
  const opt = (t: string) => (t.trim() ? Number(t) : null);
  return {
    name: d.name.trim(),
    enabled: d.enabled,
    severity: d.severity,
    safety: d.safety,
    scope: buildScope(d),
    condition: buildCondition(d),
    message: d.message.trim() || null,
    escalate_after_s: opt(d.escalateAfter),
    max_alarms_per_hour: opt(d.maxPerHour),
  };
}
