// Pure Gantt geometry: time scale, tick choice, visible bars by binary search (bars of a machine never overlap
// and come sorted by start), sub-pixel bars merged, colours per order.
import type { GanttBar } from "./api";

export interface View {
  start: number; // minutes from horizon start
  end: number;
}

/** Index of the first bar that ends after t (bars sorted by start, not overlapping → ends sorted too). */
export function firstEndingAfter(bars: readonly GanttBar[], t: number): number {
  let lo = 0;
  let hi = bars.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (bars[mid].end <= t) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

export interface Drawn {
  x: number;
  w: number;
  bar: GanttBar | null; // null: several sub-pixel bars merged into one block
  count: number;
  late: boolean;
}

/** The bars of one row inside the view as pixel rectangles; runs of bars under 2 px become one block. */
export function layoutRow(bars: readonly GanttBar[], view: View, width: number): Drawn[] {
  const ppm = width / Math.max(1, view.end - view.start);
  const out: Drawn[] = [];
  for (let i = firstEndingAfter(bars, view.start); i < bars.length && bars[i].start < view.end; i++) {
    const b = bars[i];
    const x = Math.max(0, (b.start - view.start) * ppm);
    const x2 = Math.min(width, (b.end - view.start) * ppm);
    const w = Math.max(1, x2 - x);
    const prev = out[out.length - 1];
    if (w < 2 && prev && prev.w < 4 && x - (prev.x + prev.w) < 1) {
      prev.w = Math.max(prev.w, x + w - prev.x);
      prev.bar = null;
      prev.count++;
      prev.late ||= b.late;
      continue;
    }
    out.push({ x, w, bar: b, count: 1, late: b.late });
  }
  return out;
}

/** The bar at minute t of a row, if any. */
export function barAt(bars: readonly GanttBar[], t: number): GanttBar | null {
  const i = firstEndingAfter(bars, t);
  return i < bars.length && bars[i].start <= t ? bars[i] : null;
}

const STEPS = [5, 10, 15, 30, 60, 120, 240, 360, 720, 1440, 2880, 10080, 20160, 43200];

/** Tick step (minutes) so that labels are at least `minPx` apart. */
export function tickStep(view: View, width: number, minPx = 90): number {
  const ppm = width / Math.max(1, view.end - view.start);
  return STEPS.find((s) => s * ppm >= minPx) ?? STEPS[STEPS.length - 1];
}

export function ticks(view: View, step: number): number[] {
  const out: number[] = [];
  for (let t = Math.ceil(view.start / step) * step; t <= view.end; t += step) out.push(t);
  return out;
}

/** Zoom around minute `at` by `factor` (< 1 zooms in), kept inside [0, max] and at least 30 minutes wide. */
export function zoom(view: View, factor: number, at: number, max: number): View {
  const span = Math.min(Math.max(30, (view.end - view.start) * factor), Math.max(30, max));
  const ratio = (at - view.start) / Math.max(1, view.end - view.start);
  const start = at - ratio * span;
  return clamp({ start, end: start + span }, max);
}

export function pan(view: View, minutes: number, max: number): View {
  return clamp({ start: view.start + minutes, end: view.end + minutes }, max);
}

function clamp(v: View, max: number): View {
  const span = v.end - v.start;
  const hi = Math.max(max, span);
  let start = Math.min(Math.max(0, v.start), hi - span);
  start = Math.max(0, start);
  return { start, end: start + span };
}

// 12 hues readable on the dark panel (all ≥ 3:1 against #172029 as UI parts); late bars also get a red frame.
const PALETTE = ["#5cb0ff", "#3fd08f", "#f6c04d", "#c792ea", "#ff9a4d", "#4dd0e1", "#aed581", "#f48fb1", "#90a4ae", "#ffd54f", "#80cbc4", "#b39ddb"];

export function orderColour(order: string): string {
  let h = 2166136261;
  for (let i = 0; i < order.length; i++) h = Math.imul(h ^ order.charCodeAt(i), 16777619);
  return PALETTE[(h >>> 0) % PALETTE.length];
}
