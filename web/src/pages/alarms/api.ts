// Alarm (alert) endpoints through the typed client.
import { api, unwrap, type Schemas } from "../../api/client";

export type AlertOut = Schemas["AlertOut"];
export type AlertPage = Schemas["AlertPage"];
export type AlertComment = Schemas["CommentOut"];
export type AlarmEvent = Schemas["AlarmEventOut"];
export type Severity = AlertOut["severity"];
export type AlertState = AlertOut["state"];
export type AlarmStatus = AlertOut["status"];
export const SEVERITIES: Severity[] = ["critical", "major", "minor", "warning"];

export interface AlertQuery {
  state?: AlertState;
  active?: boolean;
  rule_id?: string;
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

export async function listAlarmEvents(id: string): Promise<AlarmEvent[]> {
  const page = await unwrap(api.GET("/api/v1/alerts/{alert_id}/events", { params: { path: { alert_id: id } } }));
  return page.items;
}

export function listUsers(): Promise<Schemas["UserOut"][]> {
  return unwrap(api.GET("/api/v1/users"));
}

/** An alert from a live event (the server sends the same JSON shape as AlertOut). */
export function alertFromEvent(a: Record<string, unknown>): AlertOut {
  return a as unknown as AlertOut;
}

/**
 * The lifecycle status (active/cleared × unacknowledged/acknowledged). The API sends it; derived the same
 * way (resolved counts as cleared) for events from an older server that lack it.
 */
export function alarmStatus(
  a: Pick<AlertOut, "state" | "cleared_at" | "acknowledged_at"> & { status?: AlarmStatus | null },
): AlarmStatus {
  if (a.status) return a.status;
  const cleared = (a.cleared_at ?? null) !== null || a.state === "resolved";
  const acked = (a.acknowledged_at ?? null) !== null || a.state === "acknowledged";
  return `${cleared ? "cleared" : "active"}_${acked ? "ack" : "unack"}`;
}

export const STATUS_TEXT: Record<AlarmStatus, string> = {
  active_unack: "Active · unacknowledged",
  active_ack: "Active · acknowledged",
  cleared_unack: "Cleared · unacknowledged",
  cleared_ack: "Cleared · acknowledged",
};

/** Whether the condition is still present (not cleared, not resolved). */
export function isActive(a: Pick<AlertOut, "state" | "cleared_at" | "acknowledged_at"> & { status?: AlarmStatus | null }): boolean {
  return alarmStatus(a).startsWith("active");
}

/** Urgent alarms get the banner and the tone: safety alarms and critical ones. */
export function isUrgent(a: Pick<AlertOut, "safety" | "severity">): boolean {
  return a.safety === true || a.severity === "critical";
}
