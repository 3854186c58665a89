// OEE endpoints through the typed client, and the types the OEE page and the overview tiles work with.
import { api, unwrap, type Schemas } from "../../api/client";

export type CurrentOut = Schemas["CurrentOut"];
export type CurrentMachine = Schemas["CurrentMachine"];
export type MachineOee = Schemas["MachineOee"];
export type LineOee = Schemas["LineOee"];
export type Figures = Schemas["OeeFigures"];
export type ShiftOee = Schemas["ShiftOee"];
export type DayOee = Schemas["DayOee"];
export type Timeline = Schemas["TimelineOut"];
export type Interval = Schemas["IntervalOut"];
export type Pareto = Schemas["ParetoOut"];
export type Reason = Schemas["ReasonOut"];
export type ReasonIn = Schemas["ReasonIn"];
export type Shift = Schemas["ShiftOut"];
export type ShiftIn = Schemas["ShiftIn"];
export type PlannedStop = Schemas["PlannedStopOut"];
export type PlannedStopIn = Schemas["PlannedStopIn"];
export type OeeConfig = Schemas["ConfigOut"];
export type ConfigIn = Schemas["ConfigIn"];
export type StateIn = Schemas["StateIn"];
export type ClassifyIn = Schemas["ClassifyIn"];
export type CountIn = Schemas["CountIn"];
export type Asset = Schemas["AssetOut"];
export type OeeState = Interval["state"];

/** Operator input (states, downtime reasons, counts): oee:write on the server. */
export function canWriteOee(role: string | undefined): boolean {
  return role === "admin" || role === "engineer" || role === "production" || role === "maintenance";
}

/** Shifts, planned stops, reason codes and per-asset config: oee:admin on the server. */
export function canConfigureOee(role: string | undefined): boolean {
  return role === "admin" || role === "engineer";
}

export function fetchCurrent(): Promise<CurrentOut> {
  return unwrap(api.GET("/api/v1/oee/current"));
}

export async function listAssets(kind: Asset["kind"]): Promise<Asset[]> {
  const page = await unwrap(api.GET("/api/v1/assets", { params: { query: { kind, limit: 1000 } } }));
  return page.items;
}

export async function listSensorNames(machineId: string): Promise<string[]> {
  const page = await unwrap(api.GET("/api/v1/sensors", { params: { query: { machine_id: machineId, limit: 1000 } } }));
  return page.items.map((s) => s.name);
}

/** A range (from/to, RFC 3339) or a production day (date, optionally one shift of it). */
export type Span = { from: string; to: string } | { date: string; shift_id?: string };

function spanQuery(span: Span) {
  return "date" in span ? { date: span.date, shift_id: span.shift_id ?? null } : { from: span.from, to: span.to };
}

export function machineOee(id: string, span: Span): Promise<MachineOee> {
  return unwrap(api.GET("/api/v1/oee/machines/{machine_id}", { params: { path: { machine_id: id }, query: spanQuery(span) } }));
}

export function lineOee(id: string, span: Span): Promise<LineOee> {
  return unwrap(api.GET("/api/v1/oee/lines/{line_id}", { params: { path: { line_id: id }, query: spanQuery(span) } }));
}

export function machineStates(id: string, from: string, to: string): Promise<Timeline> {
  return unwrap(api.GET("/api/v1/oee/machines/{machine_id}/states", { params: { path: { machine_id: id }, query: { from, to } } }));
}

export async function machineDowntime(id: string, from: string, to: string): Promise<Interval[]> {
  const out = await unwrap(
    api.GET("/api/v1/oee/machines/{machine_id}/downtime", { params: { path: { machine_id: id }, query: { from, to } } }),
  );
  return out.items;
}

export function pareto(target: { machine_id?: string; line_id?: string }, from: string, to: string): Promise<Pareto> {
  return unwrap(api.GET("/api/v1/oee/pareto", { params: { query: { from, to, ...target } } }));
}

export function postState(machineId: string, body: StateIn) {
  return unwrap(api.POST("/api/v1/oee/machines/{machine_id}/states", { params: { path: { machine_id: machineId } }, body }));
}

export function deleteEntry(entryId: string) {
  return unwrap(api.DELETE("/api/v1/oee/states/{entry_id}", { params: { path: { entry_id: entryId } } }));
}

export function classifyDowntime(machineId: string, body: ClassifyIn) {
  return unwrap(
    api.POST("/api/v1/oee/machines/{machine_id}/downtime/classify", { params: { path: { machine_id: machineId } }, body }),
  );
}

export function addCount(machineId: string, body: CountIn) {
  return unwrap(api.POST("/api/v1/oee/machines/{machine_id}/counts", { params: { path: { machine_id: machineId } }, body }));
}

// -- configuration -----------------------------------------------------------------------------------------

export const listReasons = () => unwrap(api.GET("/api/v1/oee/reasons"));
export const createReason = (body: ReasonIn) => unwrap(api.POST("/api/v1/oee/reasons", { body }));
export const updateReason = (id: string, body: Schemas["ReasonPatch"]) =>
  unwrap(api.PATCH("/api/v1/oee/reasons/{reason_id}", { params: { path: { reason_id: id } }, body }));
export const deleteReason = (id: string) => unwrap(api.DELETE("/api/v1/oee/reasons/{reason_id}", { params: { path: { reason_id: id } } }));

export const listShifts = (siteId: string) => unwrap(api.GET("/api/v1/oee/shifts", { params: { query: { site_id: siteId } } }));
export const createShift = (body: ShiftIn) => unwrap(api.POST("/api/v1/oee/shifts", { body }));
export const updateShift = (id: string, body: Schemas["ShiftPatch"]) =>
  unwrap(api.PATCH("/api/v1/oee/shifts/{shift_id}", { params: { path: { shift_id: id } }, body }));
export const deleteShift = (id: string) => unwrap(api.DELETE("/api/v1/oee/shifts/{shift_id}", { params: { path: { shift_id: id } } }));

export const listStops = (assetId: string) =>
  unwrap(api.GET("/api/v1/oee/planned-stops", { params: { query: { asset_id: assetId } } }));
export const createStop = (body: PlannedStopIn) => unwrap(api.POST("/api/v1/oee/planned-stops", { body }));
export const deleteStop = (id: string) =>
  unwrap(api.DELETE("/api/v1/oee/planned-stops/{stop_id}", { params: { path: { stop_id: id } } }));

export const getConfig = (assetId: string) =>
  unwrap(api.GET("/api/v1/oee/configs/{asset_id}", { params: { path: { asset_id: assetId } } }));
export const putConfig = (assetId: string, body: ConfigIn) =>
  unwrap(api.PUT("/api/v1/oee/configs/{asset_id}", { params: { path: { asset_id: assetId } }, body }));
export const deleteConfig = (assetId: string) =>
  unwrap(api.DELETE("/api/v1/oee/configs/{asset_id}", { params: { path: { asset_id: assetId } } }));
export const recompute = (from: string, to: string, machineIds: string[] | null) =>
  unwrap(api.POST("/api/v1/oee/rollups/recompute", { body: { from, to, machine_ids: machineIds } }));
