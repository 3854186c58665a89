// SPC endpoints (/api/v1/quality/spc/*) through the typed client: stored charts with subgroups, frozen Phase I
// limits and signals, and the stateless chart computation.
import { api, unwrap, type Schemas } from "../../api/client";

export type StoredChart = Schemas["StoredChartOut"];
export type ChartView = Schemas["ChartOut"];
export type ChartPoint = Schemas["PointOut"];
export type Violation = Schemas["ViolationOut"];
export type Capability = Schemas["CapabilityOut"];
export type ChartCreate = Schemas["ChartCreate"];
export type ChartSettings = Schemas["ChartSettings"];
export type ChartRequest = Schemas["ChartRequest"];
export type ChartType = ChartSettings["type"];
export type RulePreset = "we" | "nelson" | "limits" | "none";
export type SubgroupIn = Schemas["SubgroupIn"];
export type PointsOut = Schemas["PointsOut"];
export type FreezeIn = Schemas["FreezeIn"];
export type Sensor = Schemas["SensorOut"];

export const CHART_TYPES: { value: ChartType; label: string; attribute: boolean }[] = [
  { value: "xbar", label: "X̄ (subgroup means, R̄ σ)", attribute: false },
  { value: "r", label: "R (ranges)", attribute: false },
  { value: "s", label: "S (standard deviations)", attribute: false },
  { value: "imr", label: "I-MR (individuals)", attribute: false },
  { value: "ewma", label: "EWMA", attribute: false },
  { value: "cusum", label: "CUSUM", attribute: false },
  { value: "p", label: "p (fraction defective)", attribute: true },
  { value: "np", label: "np (number defective)", attribute: true },
  { value: "c", label: "c (defects)", attribute: true },
  { value: "u", label: "u (defects per unit)", attribute: true },
];

export const RULE_PRESETS: { value: RulePreset; label: string }[] = [
  { value: "we", label: "Western Electric (rules 1–4)" },
  { value: "nelson", label: "Nelson (all 8 rules)" },
  { value: "limits", label: "Limits only (rule 1)" },
  { value: "none", label: "No rules" },
];

export const isAttribute = (t: string) => CHART_TYPES.some((c) => c.value === t && c.attribute);
export const typeLabel = (t: string) => CHART_TYPES.find((c) => c.value === t)?.label.split(" (")[0] ?? t;

/** Charts, subgroups and frozen limits (quality:write on the server). */
export function canWriteQuality(role: string | undefined): boolean {
  return role === "admin" || role === "engineer" || role === "quality";
}

export async function listCharts(): Promise<StoredChart[]> {
  return (await unwrap(api.GET("/api/v1/quality/spc/charts", { params: { query: { limit: 1000 } } }))).items;
}

export type NewChart = Omit<Partial<ChartCreate>, "settings"> & { name: string; settings: Partial<ChartSettings> & { type: ChartType } };

/** Fields the API defaults are required in the generated types; the body sends only what the user chose. */
export function createChart(body: NewChart): Promise<StoredChart> {
  return unwrap(api.POST("/api/v1/quality/spc/charts", { body: body as ChartCreate }));
}

export function viewChart(id: string): Promise<ChartView> {
  return unwrap(api.GET("/api/v1/quality/spc/charts/{chart_id}/chart", { params: { path: { chart_id: id }, query: { last: 500 } } }));
}

export function addSubgroups(id: string, subgroups: SubgroupIn[]): Promise<PointsOut> {
  return unwrap(api.POST("/api/v1/quality/spc/charts/{chart_id}/points", { params: { path: { chart_id: id } }, body: { subgroups } }));
}

export function freezeLimits(id: string, body: Partial<FreezeIn>): Promise<StoredChart> {
  return unwrap(api.POST("/api/v1/quality/spc/charts/{chart_id}/limits", { params: { path: { chart_id: id } }, body: body as FreezeIn }));
}

export function computeChart(body: Partial<ChartRequest> & { type: ChartType }): Promise<ChartView> {
  return unwrap(api.POST("/api/v1/quality/spc/chart", { body: body as ChartRequest }));
}

export async function listSensors(): Promise<Sensor[]> {
  return (await unwrap(api.GET("/api/v1/sensors", { params: { query: { limit: 1000 } } }))).items;
}

export interface MachineOption {
  id: string;
  path: string;
}

export async function listMachines(): Promise<MachineOption[]> {
  const page = await unwrap(api.GET("/api/v1/assets", { params: { query: { kind: "machine", limit: 1000 } } }));
  return page.items.map((a) => ({ id: a.id, path: a.path }));
}
