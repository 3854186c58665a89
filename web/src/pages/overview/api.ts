// GET /api/v1/plant/overview: every machine with its status, alarm counts and latest sensor values, in one request.
import { request } from "../shared/http";
import type { Severity } from "../alarms/api";

export type MachineState = "running" | "stale" | "no_data" | "alarm";

export interface SensorStatus {
  id: string;
  name: string;
  kind: string;
  unit: string | null;
  low_limit: number | null;
  high_limit: number | null;
  ts: string | null;
  value: number | null;
}

export interface MachineStatus {
  id: string;
  name: string;
  path: string;
  site: { id: string; name: string; timezone: string | null };
  line: { id: string; name: string } | null;
  status: MachineState;
  last_seen: string | null;
  open_alerts: number;
  safety_alerts: number;
  worst_severity: Severity | null;
  sensors: SensorStatus[];
}

export interface PlantOverview {
  generated_at: string;
  timezone: string;
  machines: MachineStatus[];
}

let inflight: Promise<PlantOverview> | null = null;
let last: { at: number; data: PlantOverview } | null = null;

/**
 * The plant overview. Concurrent callers share one request; `maxAgeMs` lets callers that only need
 * names and time zones (the alarm banner, the alarms page) reuse a recent answer.
 */
export function fetchOverview(maxAgeMs = 0): Promise<PlantOverview> {
  if (last && maxAgeMs > 0 && Date.now() - last.at <= maxAgeMs) return Promise.resolve(last.data);
  if (inflight) return inflight;
  const p = request<PlantOverview>("GET", "/api/v1/plant/overview")
    .then((data) => {
      last = { at: Date.now(), data };
      return data;
    })
    .finally(() => {
      if (inflight === p) inflight = null;
    });
  inflight = p;
  return p;
}

/** Forget the cached overview (tests, logout). */
export function resetOverviewCache(): void {
  inflight = null;
  last = null;
}
