// Alarm (alert) endpoints through the typed client.
import { api, unwrap, type Schemas } from "../../api/client";

export type AlertOut = Schemas["AlertOut"];
export type AlertPage = Schemas["AlertPage"];
export type AlertComment = Schemas["CommentOut"];
export type Severity = AlertOut["severity"];
export type AlertState = AlertOut["state"];
export const SEVERITIES: Severity[] = ["critical", "major", "minor", "warning"];

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

export function listAlerts(q: AlertQuery): Promise<AlertPage> {
  return unwrap(api.GET("/api/v1/alerts", { params: { query: q } }));
}

export function acknowledgeAlert(id: string): Promise<AlertOut> {
  return unwrap(api.POST("/api/v1/alerts/{alert_id}/acknowledge", { params: { path: { alert_id: id } } }));
}

export function resolveAlert(id: string): Promise<AlertOut> {
  return unwrap(api.POST("/api/v1/alerts/{alert_id}/resolve", { params: { path: { alert_id: id } } }));
}

export function assignAlert(id: string, userId: string | null): Promise<AlertOut> {
  return unwrap(api.POST("/api/v1/alerts/{alert_id}/assign", { params: { path: { alert_id: id } }, body: { user_id: userId } }));
}

export async function listComments(id: string): Promise<AlertComment[]> {
  const page = await unwrap(api.GET("/api/v1/alerts/{alert_id}/comments", { params: { path: { alert_id: id } } }));
  return page.items;
}

export function addComment(id: string, body: string): Promise<AlertComment> {
  return unwrap(api.POST("/api/v1/alerts/{alert_id}/comments", { params: { path: { alert_id: id } }, body: { body } }));
}

export function listUsers(): Promise<Schemas["UserOut"][]> {
  return unwrap(api.GET("/api/v1/users"));
}

/** An alert from a live event (the server sends the same JSON shape as AlertOut). */
export function alertFromEvent(a: Record<string, unknown>): AlertOut {
  return a as unknown as AlertOut;
}

/** Urgent alarms get the banner and the tone: safety alarms and critical ones. */
export function isUrgent(a: Pick<AlertOut, "safety" | "severity">): boolean {
  return a.safety === true || a.severity === "critical";
}
