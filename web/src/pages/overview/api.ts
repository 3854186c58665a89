// GET /api/v1/plant/overview: every machine with its status, alarm counts and latest sensor values, in one request.
import { api, getSession, onSession, unwrap, type Schemas } from "../../api/client";

export type PlantOverview = Schemas["PlantOverview"];
export type MachineStatus = Schemas["MachineStatus"];
export type SensorStatus = Schemas["SensorValue"];
export type MachineState = MachineStatus["status"];

let inflight: Promise<PlantOverview> | null = null;
let last: { at: number; data: PlantOverview } | null = null;

/**
 * The plant overview. Concurrent callers share one request; `maxAgeMs` lets callers that only need
 * names and time zones (the alarm banner, the alarms page) reuse a recent answer.
 */
export function fetchOverview(maxAgeMs = 0): Promise<PlantOverview> {
  if (last && maxAgeMs > 0 && Date.now() - last.at <= maxAgeMs) return Promise.resolve(last.data);
  if (inflight) return inflight;
  const p = unwrap(api.GET("/api/v1/plant/overview"))
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

// Another user (maybe of another tenant) may sign in in this tab: never serve them the previous answer.
let lastUser: string | null = getSession()?.user.id ?? null;
onSession((s) => {
  const user = s?.user.id ?? null;
  if (user !== lastUser) resetOverviewCache();
  lastUser = user;
});
