// Alarm inbox filters, kept in the URL (?state=open&severity=critical&safety=1&machine=<id>&mine=1).
import { SEVERITIES, type AlertOut, type AlertState, type Severity } from "./api";

export type StateFilter = "active" | AlertState | "all";
export const STATE_OPTIONS: { value: StateFilter; label: string }[] = [
  { value: "active", label: "All active (open + acknowledged)" },
  { value: "open", label: "Open (unacknowledged)" },
  { value: "acknowledged", label: "Acknowledged" },
  { value: "resolved", label: "Resolved" },
  { value: "all", label: "Any state" },
];

export interface Filters {
  state: StateFilter;
  severity: Severity | null;
  safety: boolean;
  machineId: string | null;
  mine: boolean;
}

export function parseFilters(p: URLSearchParams): Filters {
  const st = p.get("state");
  const sev = p.get("severity");
  return {
    state: STATE_OPTIONS.some((o) => o.value === st) ? (st as StateFilter) : "active",
    severity: SEVERITIES.includes(sev as Severity) ? (sev as Severity) : null,
    safety: p.get("safety") === "1",
    machineId: p.get("machine") || null,
    mine: p.get("mine") === "1",
  };
}

export function filtersToParams(f: Filters): URLSearchParams {
  const p = new URLSearchParams();
  if (f.state !== "active") p.set("state", f.state);
  if (f.severity) p.set("severity", f.severity);
  if (f.safety) p.set("safety", "1");
  if (f.machineId) p.set("machine", f.machineId);
  if (f.mine) p.set("mine", "1");
  return p;
}

/** The API state values to query: "active" needs two queries (the API filters one state at a time). */
export function stateStreams(f: Filters): (AlertState | undefined)[] {
  if (f.state === "active") return ["open", "acknowledged"];
  if (f.state === "all") return [undefined];
  return [f.state];
}

/** Whether an alert (e.g. from a live event) belongs in the list under these filters. */
export function matches(f: Filters, a: AlertOut, myId: string | undefined): boolean {
  if (f.state === "active" && a.state === "resolved") return false;
  if (f.state !== "active" && f.state !== "all" && a.state !== f.state) return false;
  if (f.severity && a.severity !== f.severity) return false;
  if (f.safety && !a.safety) return false;
  if (f.machineId && a.machine_id !== f.machineId) return false;
  if (f.mine && (!myId || a.assigned_to !== myId)) return false;
  return true;
}

/** Newest first (by creation), ties by id, so merged pages and live inserts agree. */
export function newestFirst(a: AlertOut, b: AlertOut): number {
  return b.created_at.localeCompare(a.created_at) || b.id.localeCompare(a.id);
}
