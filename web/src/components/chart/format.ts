// Pure helpers of the chart (no uPlot import, so pages and tests can use them without a canvas).
import type { ChartData } from "./types";

export interface Limits {
  low?: number | null;
  high?: number | null;
}

/** uPlot's column layout: [x, y] or, with a band, [x, max, min, y] (the line is drawn over the band). */
export function toAligned(d: ChartData, band: boolean): [Float64Array, ...Float64Array[]] {
  if (!band) return [d.x, d.y];
  return [d.x, d.max ?? d.y, d.min ?? d.y, d.y];
}

export const numFmt = new Intl.NumberFormat("en-US", { maximumSignificantDigits: 6 });
const bigFmt = new Intl.NumberFormat("en-US", { maximumFractionDigits: 0 });
const smallFmt = new Intl.NumberFormat("en-US", { maximumSignificantDigits: 4 });

/** A reading for people: 4 significant digits, whole numbers from 1,000 up ("111.9 bar", "1,200 rpm"). */
export function formatValue(v: number | null | undefined, unit: string): string {
  if (v == null || !Number.isFinite(v)) return "—";
  const n = Math.abs(v) >= 1000 ? bigFmt.format(v) : smallFmt.format(v);
  return unit ? `${n} ${unit}` : n;
}

/** y range over the visible data, stretched to show a limit that is near it, padded 8%. */
export function yRange(dmin: number | null, dmax: number | null, limits: Limits): [number, number] {
  const lims = [limits.low, limits.high].filter((v): v is number => v != null && Number.isFinite(v));
  if (dmin == null || dmax == null || !Number.isFinite(dmin) || !Number.isFinite(dmax)) {
    if (!lims.length) return [0, 1];
    [dmin, dmax] = [Math.min(...lims), Math.max(...lims)];
  }
  let lo = dmin;
  let hi = dmax;
  const span = hi - lo || Math.abs(hi) * 0.1 || 1;
  for (const l of lims) {
    if (l > lo - span && l < hi + span) {
      lo = Math.min(lo, l);
      hi = Math.max(hi, l);
    }
  }
  const pad = (hi - lo || span) * 0.08;
  return [lo - pad, hi + pad];
}

/** "#5cb0ff" -> "rgba(92, 176, 255, a)"; other colour syntaxes fall back to a neutral blue band. */
export function withAlpha(color: string, a: number): string {
  const m = /^#([0-9a-f]{6})$/i.exec(color.trim());
  if (!m) return `rgba(47, 129, 247, ${a})`;
  const n = parseInt(m[1], 16);
  return `rgba(${n >> 16}, ${(n >> 8) & 255}, ${n & 255}, ${a})`;
}

