// Alarm inbox filters, kept in the URL (?status=cleared&state=open&severity=critical&safety=1&machine=<id>&mine=1).
// "status" is the alarm lifecycle (active: the condition is still present; cleared: it went away or a person
// resolved it); "state" is the acknowledgement workflow. Default: active alarms in any state.
import { alarmStatus, SEVERITIES, type AlertOut, type AlertState, type Severity } from "./api";

export type StatusFilter = "active" | "cleared" | "all";
export const STATUS_OPTIONS: { value: StatusFilter; label: string }[] = [
  { value: "active", label: "Active" },
  { value: "cleared", label: "Cleared" },
  { value: "all", label: "All" },
];

export type StateFilter = AlertState | "any";
export const STATE_OPTIONS: { value: StateFilter; label: string }[] = [
  { value: "any", label: "Any state" },
  { value: "open", label: "Unacknowledged" },
  { value: "acknowledged", label: "Acknowledged" },
  { value: "resolved", label: "Resolved" },
];

export interface Filters {
  status: StatusFilter;
  state: StateFilter;
  severity: Severity | null;
  safety: boolean;
  machineId: string | null;
  ruleId: string | null;
  mine: boolean;
}

export const DEFAULT_FILTERS: Filters = {
  status: "active",
  state: "any",
  severity: null,
  safety: false,
  machineId: null,
  ruleId: null,
  mine: false,
};

export function parseFilters(p: URLSearchParams): Filters {
  let st = p.get("state");
  let status = p.get("status");
  // links from before the lifecycle: ?state=active / ?state=all meant what status means now
  if (!status && (st === "active" || st === "all")) {
    status = st;
    st = null;
  }
  const sev = p.get("severity");
  return {
    status: STATUS_OPTIONS.some((o) => o.value === status) ? (status as StatusFilter) : "active",
    state: STATE_OPTIONS.some((o) => o.value === st) ? (st as StateFilter) : "any",
    severity: SEVERITIES.includes(sev as Severity) ? (sev as Severity) : null,
    safety: p.get("safety") === "1",
    machineId: p.get("machine") || null,
    ruleId: p.get("rule") || null,
    mine: p.get("mine") === "1",
  };
}

export function filtersToParams(f: Filters): URLSearchParams {
  const p = new URLSearchParams();
  if (f.status !== "active") p.set("status", f.status);
  if (f.state !== "any") p.set("state", f.state);
  if (f.severity) p.set("severity", f.severity);
  if (f.safety) p.set("safety", "1");
  if (f.machineId) p.set("machine", f.machineId);
  if (f.ruleId) p.set("rule", f.ruleId);
  if (f.mine) p.set("mine", "1");
  return p;
}

export function isDefault(f: Filters): boolean {
  return filtersToParams(f).toString() === "";
}

/** The API's `active` parameter for a status filter (undefined: both). */
export function activeParam(f: Filters): boolean | undefined {
  return f.status === "all" ? undefined : f.status === "active";
}

/** Whether an alert (e.g. from a live event) belongs in the list under these filters. */
export function matches(f: Filters, a: AlertOut, myId: string | undefined): boolean {
  const active = alarmStatus(a).startsWith("active") && a.state !== "resolved";
  if (f.status === "active" && !active) return false;
  if (f.status === "cleared" && active) return false;
  if (f.state !== "any" && a.state !== f.state) return false;
  if (f.severity && a.severity !== f.severity) return false;
  if (f.safety && !a.safety) return false;
  if (f.machineId && a.machine_id !== f.machineId) return false;
  if (f.ruleId && a.rule_id !== f.ruleId) return false;
  if (f.mine && (!myId || a.assigned_to !== myId)) return false;
  return true;
}

/** Newest first (by creation), ties by id, so merged pages and live inserts agree. */
export function newestFirst(a: AlertOut, b: AlertOut): number {
  return b.created_at.localeCompare(a.created_at) || b.id.localeCompare(a.id);
}
