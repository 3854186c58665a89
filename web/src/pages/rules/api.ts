// Detection rule endpoints through the typed client, and the types the rules page works with.
import { api, ApiError, unwrap, type Schemas } from "../../api/client";

export type Rule = Schemas["RuleOut"];
export type RuleBody = Schemas["RuleBody"];
export type RuleVersion = Schemas["RuleVersionOut"];
export type Condition = RuleBody["condition"];
export type ConditionType = Condition["type"];
export type Scope = Schemas["Scope"];
export type Term = Schemas["Term"];
export type Op = Schemas["Threshold"]["op"];
export type Severity = RuleBody["severity"];
export type SensorKind = Schemas["SensorKind"];
export type Machine = Schemas["AssetOut"];
export type Sensor = Schemas["SensorOut"];

export const OPS: Op[] = [">", ">=", "<", "<="];
export const SEVERITIES: Severity[] = ["critical", "major", "minor", "warning"];
export const SENSOR_KINDS: SensorKind[] = ["temperature", "vibration", "pressure", "speed", "power", "current", "flow", "level", "other"];
export const CONDITION_TYPES: { value: ConditionType; label: string }[] = [
  { value: "threshold", label: "Threshold (value crosses a limit)" },
  { value: "rate_of_change", label: "Rate of change" },
  { value: "zscore", label: "Rolling z-score (learned limits)" },
  { value: "ewma", label: "EWMA control limits (learned)" },
  { value: "window", label: "Window aggregate (avg / max / min)" },
  { value: "flatline", label: "Flatline (stuck sensor)" },
  { value: "missing_data", label: "Missing data" },
  { value: "combined", label: "Combined (all of several sensors)" },
];

/** Roles allowed to create, change and delete rules (rules:write on the server). */
export function canWriteRules(role: string | undefined): boolean {
  return role === "admin" || role === "engineer";
}

export async function listRules(): Promise<Rule[]> {
  const page = await unwrap(api.GET("/api/v1/rules", { params: { query: { limit: 1000 } } }));
  return page.items;
}

export function getRule(id: string): Promise<Rule> {
  return unwrap(api.GET("/api/v1/rules/{rule_id}", { params: { path: { rule_id: id } } }));
}

export function createRule(body: RuleBody): Promise<Rule> {
  return unwrap(api.POST("/api/v1/rules", { body }));
}

/** A new version; the API answers 409 when the rule is no longer at `expectedVersion`. */
export function updateRule(id: string, body: RuleBody, expectedVersion: number): Promise<Rule> {
  return unwrap(
    api.PUT("/api/v1/rules/{rule_id}", { params: { path: { rule_id: id }, query: { expected_version: expectedVersion } }, body }),
  );
}

export function deleteRule(id: string): Promise<Rule> {
  return unwrap(api.DELETE("/api/v1/rules/{rule_id}", { params: { path: { rule_id: id } } }));
}

export async function listVersions(id: string): Promise<RuleVersion[]> {
  const page = await unwrap(api.GET("/api/v1/rules/{rule_id}/versions", { params: { path: { rule_id: id } } }));
  return page.items;
}

export async function listMachines(): Promise<Machine[]> {
  const page = await unwrap(api.GET("/api/v1/assets", { params: { query: { kind: "machine", limit: 1000 } } }));
  return page.items;
}

export async function listSensors(machineId: string): Promise<Sensor[]> {
  const page = await unwrap(api.GET("/api/v1/sensors", { params: { query: { machine_id: machineId, limit: 1000 } } }));
  return page.items;
}

export function getSensor(id: string): Promise<Sensor> {
  return unwrap(api.GET("/api/v1/sensors/{sensor_id}", { params: { path: { sensor_id: id } } }));
}

/** The body to PUT for a rule as it is (e.g. to flip `enabled`): everything but identity and version. */
export function bodyOf(r: Rule): RuleBody {
  return {
    name: r.name,
    enabled: r.enabled,
    severity: r.severity,
    safety: r.safety,
    scope: r.scope,
    condition: r.condition,
    message: r.message,
    escalate_after_s: r.escalate_after_s,
    max_alarms_per_hour: r.max_alarms_per_hour,
  };
}

export interface FieldProblem {
  path: string; // "condition.value", "scope", "" for the whole body
  msg: string;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

const TYPES = new Set<string>(CONDITION_TYPES.map((t) => t.value));

/** A 422's location as a form path: drop "body" and the union tag pydantic adds ("condition.threshold.value"). */
export function locToPath(loc: unknown): string {
  const parts = (Array.isArray(loc) ? loc.map(String) : typeof loc === "string" ? loc.split(".") : []).filter((p) => p !== "");
  if (parts[0] === "body") parts.shift();
  if (parts[0] === "condition" && parts.length > 1 && TYPES.has(parts[1])) parts.splice(1, 1);
  return parts.join(".");
}

/** Field problems of a 422: `detail` as a list of {loc, msg} (FastAPI) or MIP's `errors` list; else none. */
export function fieldProblems(e: unknown): FieldProblem[] {
  if (!(e instanceof ApiError)) return [];
  const body = isRecord(e.problem) ? e.problem : {};
  const list = Array.isArray(e.detail) ? e.detail : Array.isArray(body.errors) ? body.errors : [];
  return list.filter(isRecord).map((x) => ({
    path: locToPath(x.loc),
    msg: String(x.msg ?? "invalid").replace(/^Value error, /, ""),
  }));
}
