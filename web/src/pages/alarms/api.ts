// Alarm (alert) endpoints. Acknowledge/resolve/list use the typed client; assign and comments use the
// JSON helper until they appear in schema.d.ts.
import { api, unwrap, type Schemas } from "../../api/client";
import { request } from "../shared/http";

export type Severity = "critical" | "major" | "minor" | "warning";
export type AlertState = "open" | "acknowledged" | "resolved";
export const SEVERITIES: Severity[] = ["critical", "major", "minor", "warning"];

export interface AlertOut {
  id: string;
  tenant_id: string;
  sensor_id: string;
  machine_id: string;
  rule: string;
  severity: Severity;
  safety: boolean;
  state: AlertState;
  message: string;
  threshold: number | null;
  first_ts: string;
  last_ts: string;
  last_value: number | null;
  peak_value: number | null;
  count: number;
  acknowledged_by: string | null;
  acknowledged_at: string | null;
  resolved_by: string | null;
  resolved_at: string | null;
  assigned_to: string | null;
  created_at: string;
  updated_at: string;
}

export interface AlertPage {
  items: AlertOut[];
  limit: number;
  offset: number;
}

export interface AlertComment {
  id: string;
  alert_id: string;
  author_id: string | null;
  author_name: string;
  body: string;
  created_at: string;
}

export interface AlertQuery {
  state?: AlertState;
  severity?: Severity;
  safety?: boolean;
  machine_id?: string;
  assigned_to?: string;
  limit: number;
  offset: number;
}

/** Roles allowed to acknowledge, resolve, assign and comment (alerts:act on the server). */
const OPERATE = new Set(["admin", "engineer", "production", "quality", "maintenance"]);
export function canAct(role: string | undefined): boolean {
  return role !== undefined && OPERATE.has(role);
}

export async function listAlerts(q: AlertQuery, signal?: AbortSignal): Promise<AlertPage> {
  // assigned_to is part of the contract but not of the generated query type yet: send it through the helper.
  if (q.assigned_to) return request<AlertPage>("GET", "/api/v1/alerts", { query: { ...q }, signal });
  const data = await unwrap(api.GET("/api/v1/alerts", { params: { query: q }, signal }));
  return data as unknown as AlertPage;
}

export async function acknowledgeAlert(id: string): Promise<AlertOut> {
  const data = await unwrap(api.POST("/api/v1/alerts/{alert_id}/acknowledge", { params: { path: { alert_id: id } } }));
  return data as unknown as AlertOut;
}

export async function resolveAlert(id: string): Promise<AlertOut> {
  const data = await unwrap(api.POST("/api/v1/alerts/{alert_id}/resolve", { params: { path: { alert_id: id } } }));
  return data as unknown as AlertOut;
}

export function assignAlert(id: string, userId: string | null): Promise<AlertOut> {
  return request<AlertOut>("POST", `/api/v1/alerts/${encodeURIComponent(id)}/assign`, { body: { user_id: userId } });
}

export async function listComments(id: string, signal?: AbortSignal): Promise<AlertComment[]> {
  const page = await request<{ items: AlertComment[] }>("GET", `/api/v1/alerts/${encodeURIComponent(id)}/comments`, { signal });
  return page.items;
}

export function addComment(id: string, body: string): Promise<AlertComment> {
  return request<AlertComment>("POST", `/api/v1/alerts/${encodeURIComponent(id)}/comments`, { body: { body } });
}

export async function listUsers(): Promise<Schemas["UserOut"][]> {
  return unwrap(api.GET("/api/v1/users"));
}

/** An alert from a live event, normalised to AlertOut (the server sends the same JSON shape). */
export function alertFromEvent(a: Record<string, unknown>): AlertOut {
  return a as unknown as AlertOut;
}

export function isUrgent(a: Pick<AlertOut, "safety" | "severity">): boolean {
  return a.safety === true || a.severity === "critical";
}
