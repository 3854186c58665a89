// The query's time window: a preset ending now (resolved when the query runs), or a custom start/end typed
// in plant time. Lake datasets are read only within [start, end); sensors/assets are not time-bound.
import { fromLocalInput, toLocalInput } from "../../lib/zoned";

export type Preset = "1d" | "7d" | "30d" | "90d" | "custom";

export const PRESETS: { value: Preset; label: string; days: number }[] = [
  { value: "1d", label: "Last 24 hours", days: 1 },
  { value: "7d", label: "Last 7 days", days: 7 },
  { value: "30d", label: "Last 30 days", days: 30 },
  { value: "90d", label: "Last 90 days", days: 90 },
  { value: "custom", label: "Custom range", days: 0 },
];

export const MAX_RANGE_DAYS = 400;
const DAY_MS = 86_400_000;

export interface RangeInput {
  preset: Preset;
  /** datetime-local text in plant time (custom only) */
  start: string;
  end: string;
}

export type Window = { ok: true; start: Date; end: Date } | { ok: false; error: string };

export function resolveRange(r: RangeInput, timeZone: string, now = Date.now()): Window {
  if (r.preset !== "custom") {
    const days = PRESETS.find((p) => p.value === r.preset)?.days ?? 7;
    return { ok: true, start: new Date(now - days * DAY_MS), end: new Date(now) };
  }
  const start = fromLocalInput(r.start, timeZone);
  const end = fromLocalInput(r.end, timeZone);
  if (!start) return { ok: false, error: "Enter a start date and time." };
  if (!end) return { ok: false, error: "Enter an end date and time." };
  if (start >= end) return { ok: false, error: "The start must be before the end." };
  if (end.getTime() - start.getTime() > MAX_RANGE_DAYS * DAY_MS) return { ok: false, error: `The range may span at most ${MAX_RANGE_DAYS} days.` };
  return { ok: true, start, end };
}

/** Custom inputs pre-filled with a preset's current window (so switching to custom starts from it). */
export function customFrom(r: RangeInput, timeZone: string, now = Date.now()): RangeInput {
  const w = resolveRange(r.preset === "custom" ? { ...r, preset: "7d" } : r, timeZone, now);
  if (!w.ok) return { ...r, preset: "custom" };
  return { preset: "custom", start: toLocalInput(w.start, timeZone), end: toLocalInput(w.end, timeZone) };
}
