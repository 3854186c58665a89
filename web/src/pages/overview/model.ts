// Pure helpers for the plant overview: grouping, effective status, limits and number formatting.
import type { MachineState, MachineStatus, SensorStatus } from "./api";

export const STALE_MS = 60_000;

export interface LineGroup {
  key: string;
  name: string;
  machines: MachineStatus[];
}

export interface SiteGroup {
  id: string;
  name: string;
  timezone: string | null;
  lines: LineGroup[];
}

const NO_SITE = { id: "", name: "Not under a site", timezone: null };

const byName = (a: { name: string }, b: { name: string }) => a.name.localeCompare(b.name, undefined, { numeric: true });

/** Machines grouped by site, then by line (machines directly under a site form a trailing "Other machines" group). */
export function groupMachines(machines: MachineStatus[]): SiteGroup[] {
  const sites = new Map<string, SiteGroup & { lineMap: Map<string, LineGroup> }>();
  for (const m of machines) {
    const ref = m.site ?? NO_SITE;
    let site = sites.get(ref.id);
    if (!site) {
      site = { id: ref.id, name: ref.name, timezone: ref.timezone, lines: [], lineMap: new Map() };
      sites.set(ref.id, site);
    }
    const key = m.line?.id ?? "";
    let line = site.lineMap.get(key);
    if (!line) {
      line = { key, name: m.line?.name ?? "Other machines", machines: [] };
      site.lineMap.set(key, line);
    }
    line.machines.push(m);
  }
  return [...sites.values()].sort((a, b) => (a.id === "" ? 1 : b.id === "" ? -1 : byName(a, b))).map(({ lineMap, ...site }) => ({
    ...site,
    lines: [...lineMap.values()]
      .sort((a, b) => (a.key === "" ? 1 : b.key === "" ? -1 : byName(a, b)))
      .map((l) => ({ ...l, machines: [...l.machines].sort(byName) })),
  }));
}

/**
 * The status to show now. "alarm" comes from the server (an unresolved safety, critical or major alarm;
 * alert events trigger a refetch); freshness is recomputed against the (server-aligned) clock so tiles
 * go stale, and come back, between refetches.
 */
export function effectiveStatus(m: MachineStatus, now: number): MachineState {
  if (m.status === "alarm") return "alarm";
  if (!m.last_seen) return "no_data";
  const t = Date.parse(m.last_seen);
  if (!Number.isFinite(t)) return m.status;
  return now - t > STALE_MS ? "stale" : "running";
}

export const STATUS_TEXT: Record<MachineState, string> = {
  running: "Running",
  stale: "Stale",
  no_data: "No data",
  alarm: "Alarm",
};

export const STATUS_ICON: Record<MachineState, string> = {
  running: "●",
  stale: "◷",
  no_data: "○",
  alarm: "⚠",
};

export type LimitState = "ok" | "low" | "high" | "none";

export function limitState(s: Pick<SensorStatus, "value" | "low_limit" | "high_limit">): LimitState {
  if (s.value === null || !Number.isFinite(s.value)) return "none";
  if (s.high_limit !== null && s.value > s.high_limit) return "high";
  if (s.low_limit !== null && s.value < s.low_limit) return "low";
  return "ok";
}

const fmt = new Map<number, Intl.NumberFormat>();
/** A reading with sensible precision: 1234, 123.4, 12.34, 0.123. */
export function formatValue(v: number): string {
  const a = Math.abs(v);
  const digits = a >= 1000 ? 0 : a >= 100 ? 1 : a >= 1 ? 2 : 3;
  let f = fmt.get(digits);
  if (!f) {
    f = new Intl.NumberFormat("en-US", { maximumFractionDigits: digits, minimumFractionDigits: 0 });
    fmt.set(digits, f);
  }
  return f.format(v);
}

/** Apply live points to the machines; returns the same array when nothing changed. */
export function applyReadings(
  machines: MachineStatus[],
  index: Map<string, number>,
  points: { sensor_id: string; ts: string; value: number }[],
): MachineStatus[] {
  let next: MachineStatus[] | null = null;
  for (const p of points) {
    const mi = index.get(p.sensor_id);
    if (mi === undefined) continue;
    const cur: MachineStatus = (next ?? machines)[mi];
    const si = cur.sensors.findIndex((s) => s.id === p.sensor_id);
    if (si < 0) continue;
    const s = cur.sensors[si];
    const t = Date.parse(p.ts);
    if (s.ts && Date.parse(s.ts) > t) continue;
    next ??= [...machines];
    const sensors = [...cur.sensors];
    sensors[si] = { ...s, ts: p.ts, value: p.value };
    const lastSeen = cur.last_seen && Date.parse(cur.last_seen) > t ? cur.last_seen : p.ts;
    next[mi] = { ...cur, sensors, last_seen: lastSeen };
  }
  return next ?? machines;
}

/** sensor id -> index of its machine. */
export function sensorIndex(machines: MachineStatus[]): Map<string, number> {
  const idx = new Map<string, number>();
  machines.forEach((m, i) => m.sensors.forEach((s) => idx.set(s.id, i)));
  return idx;
}

/** Keep sensor values that are newer locally (from live events) than in a refetched overview. */
export function mergeFresh(prev: MachineStatus[], fresh: MachineStatus[]): MachineStatus[] {
  const old = new Map<string, SensorStatus>();
  prev.forEach((m) => m.sensors.forEach((s) => old.set(s.id, s)));
  return fresh.map((m) => {
    let changed = false;
    let lastSeen = m.last_seen;
    const sensors = m.sensors.map((s) => {
      const o = old.get(s.id);
      if (o?.ts && (!s.ts || Date.parse(o.ts) > Date.parse(s.ts))) {
        changed = true;
        if (!lastSeen || Date.parse(o.ts) > Date.parse(lastSeen)) lastSeen = o.ts;
        return { ...s, ts: o.ts, value: o.value };
      }
      return s;
    });
    return changed ? { ...m, sensors, last_seen: lastSeen } : m;
  });
}
