// Analytics (/api/v1/analytics/*) and lake status (/api/v1/lake/status) through the typed client, and the
// types the analytics page works with.
import { api, unwrap, type Schemas } from "../../api/client";

export type QueryBody = Schemas["QueryIn"];
export type QueryResult = Schemas["QueryOut"];
export type Column = Schemas["Column"];
export type TableInfo = Schemas["TableOut"];
export type Catalog = Schemas["CatalogOut"];
export type CatalogEngine = Catalog["engine"];
export type ParamSpec = Schemas["ParamSpec"];
export type ParamType = ParamSpec["type"];
export type SavedQuery = Schemas["SavedQueryOut"];
export type SavedQueryBody = Schemas["SavedQueryIn"];
export type SavedQueryPatch = Schemas["SavedQueryPatch"];
export type RunBody = Schemas["RunIn"];
export type LakeStatus = Schemas["LakeStatus"];
export type DatasetStatus = Schemas["DatasetStatus"];
export type ParamValue = string | number | boolean | null;

/** Roles with analytics:query (and so lake status, catalog and saved queries); see identity/permissions.py. */
const QUERY_ROLES = new Set(["admin", "engineer", "production", "quality", "supply_chain", "maintenance"]);

export function canQuery(role: string | undefined): boolean {
  return role !== undefined && QUERY_ROLES.has(role);
}

/** The server lets the owner, an admin, or anyone for an ownerless query change or delete it. */
export function canChange(q: SavedQuery, user: { id: string; role: string } | null | undefined): boolean {
  if (!user) return false;
  return q.owner_id === null || q.owner_id === user.id || user.role === "admin";
}

export function runQuery(body: QueryBody, signal?: AbortSignal): Promise<QueryResult> {
  return unwrap(api.POST("/api/v1/analytics/query", { body, signal }));
}

export async function listTables(): Promise<TableInfo[]> {
  return (await unwrap(api.GET("/api/v1/analytics/tables"))).items;
}

export function getCatalog(engine: CatalogEngine): Promise<Catalog> {
  return unwrap(api.GET("/api/v1/analytics/catalog", { params: { query: { engine } } }));
}

export async function listSaved(): Promise<SavedQuery[]> {
  return (await unwrap(api.GET("/api/v1/analytics/saved-queries"))).items;
}

export function createSaved(body: SavedQueryBody): Promise<SavedQuery> {
  return unwrap(api.POST("/api/v1/analytics/saved-queries", { body }));
}

export function updateSaved(id: string, body: SavedQueryPatch): Promise<SavedQuery> {
  return unwrap(api.PATCH("/api/v1/analytics/saved-queries/{query_id}", { params: { path: { query_id: id } }, body }));
}

export async function deleteSaved(id: string): Promise<void> {
  await unwrap(api.DELETE("/api/v1/analytics/saved-queries/{query_id}", { params: { path: { query_id: id } } }));
}

export function runSaved(id: string, body: RunBody, signal?: AbortSignal): Promise<QueryResult> {
  return unwrap(api.POST("/api/v1/analytics/saved-queries/{query_id}/run", { params: { path: { query_id: id } }, body, signal }));
}

export function lakeStatus(): Promise<LakeStatus> {
  return unwrap(api.GET("/api/v1/lake/status"));
}
