// OEE figures and states in words, and the page's range choices as API spans.
import { addDays, fromLocalInput, localDate } from "../../lib/zoned";
import type { OeeState, Span } from "./api";

const pctFmt = new Intl.NumberFormat("en-US", { maximumFractionDigits: 1, minimumFractionDigits: 1 });

/** 0.7243 → "72.4 %"; null → "—". */
export function pct(v: number | null | undefined): string {
  return v === null || v === undefined || !Number.isFinite(v) ? "—" : `${pctFmt.format(v * 100)} %`;
}

const countFmt = new Intl.NumberFormat("en-US", { maximumFractionDigits: 1 });
export const count = (v: number) => countFmt.format(v);

export const STATE_TEXT: Record<OeeState, string> = {
  running: "Running",
  idle: "Idle",
  down: "Down",
  planned_stop: "Planned stop",
};

/** Shapes, so the state never depends on colour alone. */
export const STATE_ICON: Record<OeeState, string> = {
  running: "▶",
  idle: "❚❚",
  down: "■",
  planned_stop: "◆",
};

export const STATES: OeeState[] = ["running", "idle", "down", "planned_stop"];

interface NullContext {
  configured: boolean;
  total_count: number;
  planned_time_s: number;
}

export type Component = "oee" | "availability" | "performance" | "quality";

/** Why a figure is missing, for the "—" tooltip. */
export function whyMissing(c: Component, f: NullContext, values: Record<Component, number | null>): string {
  if (!f.configured) return "not configured";
  if (c === "availability") return f.planned_time_s > 0 ? "no running signal" : "no planned production time";
  if (c === "quality") return f.total_count > 0 ? "no quality data" : "no counts";
  if (c === "performance") return f.total_count > 0 ? "no ideal cycle time" : "no counts";
  const first = (["availability", "performance", "quality"] as const).find((k) => values[k] === null);
  return first ? whyMissing(first, f, values) : "not available";
}

// -- ranges ------------------------------------------------------------------------------------------------

export type RangeKind = "today" | "yesterday" | "7d" | "custom";

export const RANGES: { value: RangeKind; label: string }[] = [
  { value: "today", label: "Today's shifts" },
  { value: "yesterday", label: "Yesterday" },
  { value: "7d", label: "Last 7 days" },
  { value: "custom", label: "Custom" },
];

export interface RangeChoice {
  kind: RangeKind;
  from: string; // datetime-local in the plant zone, custom only
  to: string;
}

const MAX_RANGE_MS = 93 * 86_400_000;

/**
 * The API span of a range choice: production days by their date (the server knows the shifts), the last
 * 7 days from local midnight six days ago, a custom range from plant-time inputs. Throws a readable
 * message for an unusable custom range.
 */
export function spanOf(r: RangeChoice, tz: string, now = Date.now()): Span {
  const today = localDate(now, tz);
  if (r.kind === "today") return { date: today };
  if (r.kind === "yesterday") return { date: addDays(today, -1) };
  if (r.kind === "7d") {
    const from = fromLocalInput(addDays(today, -6), tz);
    return { from: (from ?? new Date(now - 7 * 86_400_000)).toISOString(), to: new Date(now).toISOString() };
  }
  const from = fromLocalInput(r.from, tz);
  const to = fromLocalInput(r.to, tz);
  if (!from || !to) throw new Error("Enter both the start and the end of the range.");
  if (to.getTime() <= from.getTime()) throw new Error("The end must be after the start.");
  if (to.getTime() - from.getTime() > MAX_RANGE_MS) throw new Error("The range may span at most 93 days.");
  return { from: from.toISOString(), to: to.toISOString() };
}

/** The part of [from, to) that has happened: timelines and downtime stop at now. */
export function pastPart(from: string, to: string, now = Date.now()): { from: string; to: string } | null {
  const a = Date.parse(from);
  const b = Math.min(Date.parse(to), now);
  if (!Number.isFinite(a) || !Number.isFinite(b) || b <= a) return null;
  return { from: new Date(a).toISOString(), to: new Date(b).toISOString() };
}
