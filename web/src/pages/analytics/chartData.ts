// Which result columns can be charted, and the aligned series uPlot draws: x = a time column (epoch s,
// ascending), one line per y column, or per value of a "split by" column (e.g. one line per sensor).
import { isInstantType, isNumericType, isTimeType, toEpochSeconds } from "./format";
import type { Column } from "./api";

export const MAX_SERIES = 12;

export interface ChartChoice {
  x: string;
  y: string;
  /** "" = no split */
  split: string;
}

export interface ChartColumns {
  time: string[];
  numeric: string[];
  categorical: string[];
}

export function chartColumns(columns: Column[]): ChartColumns {
  return {
    time: columns.filter((c) => isTimeType(c.type)).map((c) => c.name),
    numeric: columns.filter((c) => isNumericType(c.type)).map((c) => c.name),
    categorical: columns.filter((c) => !isTimeType(c.type) && !isNumericType(c.type)).map((c) => c.name),
  };
}

/** The first time column against the first numeric one; split by the first text column when x repeats. */
export function defaultChoice(columns: Column[], rows: unknown[][]): ChartChoice | null {
  const cc = chartColumns(columns);
  if (cc.time.length === 0 || cc.numeric.length === 0) return null;
  const x = cc.time[0];
  const xi = columns.findIndex((c) => c.name === x);
  const seen = new Set<unknown>();
  let repeats = false;
  for (const r of rows) {
    if (seen.has(r[xi])) {
      repeats = true;
      break;
    }
    seen.add(r[xi]);
  }
  return { x, y: cc.numeric[0], split: repeats && cc.categorical.length > 0 ? cc.categorical[0] : "" };
}

export interface SeriesData {
  label: string;
  values: (number | null)[];
}

export interface ChartSeries {
  x: number[];
  series: SeriesData[];
  /** Series left out beyond MAX_SERIES (the ones with the fewest points). */
  dropped: number;
  /** Rows without a usable time. */
  skipped: number;
  /** Plot times in the plant's zone (instants) or as stored (dates, naive timestamps). */
  instant: boolean;
}

export function buildSeries(columns: Column[], rows: unknown[][], choice: ChartChoice): ChartSeries | null {
  const idx = (n: string) => columns.findIndex((c) => c.name === n);
  const xi = idx(choice.x);
  const yi = idx(choice.y);
  const si = choice.split ? idx(choice.split) : -1;
  if (xi < 0 || yi < 0) return null;
  const xType = columns[xi].type;
  const groups = new Map<string, Map<number, number | null>>();
  const xs = new Set<number>();
  let skipped = 0;
  for (const r of rows) {
    const x = toEpochSeconds(r[xi], xType);
    if (x === null) {
      skipped++;
      continue;
    }
    const y = r[yi];
    const key = si >= 0 ? (r[si] === null || r[si] === undefined ? "NULL" : typeof r[si] === "object" ? JSON.stringify(r[si]) : String(r[si])) : choice.y;
    let g = groups.get(key);
    if (!g) groups.set(key, (g = new Map()));
    g.set(x, typeof y === "number" && Number.isFinite(y) ? y : null);
    xs.add(x);
  }
  const x = [...xs].sort((a, b) => a - b);
  let entries = [...groups.entries()];
  let dropped = 0;
  if (entries.length > MAX_SERIES) {
    entries = entries.map((e, i) => ({ e, i, n: e[1].size })).sort((a, b) => b.n - a.n || a.i - b.i).slice(0, MAX_SERIES).sort((a, b) => a.i - b.i).map((o) => o.e);
    dropped = groups.size - MAX_SERIES;
  }
  const series = entries.map(([label, g]) => ({ label, values: x.map((t) => (g.has(t) ? (g.get(t) ?? null) : null)) }));
  return { x, series, dropped, skipped, instant: isInstantType(xType) };
}
