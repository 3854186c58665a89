// How result cells, column types, sizes and lags read on the analytics page.
import { formatDateTime } from "../../lib/time";

const NUMERIC = /^(TINYINT|SMALLINT|INTEGER|BIGINT|HUGEINT|UTINYINT|USMALLINT|UINTEGER|UBIGINT|UHUGEINT|FLOAT|REAL|DOUBLE|DECIMAL(\(\d+,\s*\d+\))?|NUMERIC(\(\d+,\s*\d+\))?|INT\d*)$/i;

export function isNumericType(type: string): boolean {
  return NUMERIC.test(type.trim());
}

/** TIMESTAMP WITH TIME ZONE / TIMESTAMPTZ: an instant, shown in plant time. */
export function isInstantType(type: string): boolean {
  const t = type.trim().toUpperCase();
  return t === "TIMESTAMP WITH TIME ZONE" || t === "TIMESTAMPTZ";
}

/** Any date or timestamp column (a chart x axis candidate). */
export function isTimeType(type: string): boolean {
  const t = type.trim().toUpperCase();
  return t === "DATE" || t.startsWith("TIMESTAMP");
}

/** A time cell as epoch seconds: instants carry their offset, naive timestamps and dates are UTC here. */
export function toEpochSeconds(v: unknown, type: string): number | null {
  if (typeof v !== "string") return null;
  let s = v;
  if (!isInstantType(type) && /T\d/.test(s) && !/(Z|[+-]\d\d:?\d\d)$/.test(s)) s += "Z";
  const ms = Date.parse(s);
  return Number.isNaN(ms) ? null : ms / 1000;
}

// no grouping: ids, years and counts stay as the query returned them
const numFmt = new Intl.NumberFormat("en-US", { maximumFractionDigits: 6, useGrouping: false });

/** A cell as text: instants in plant time, numbers with grouping, nested values as JSON. */
export function formatCell(v: unknown, type: string, timeZone: string): string {
  if (v === null || v === undefined) return "NULL";
  if (typeof v === "number") return numFmt.format(v);
  if (typeof v === "boolean") return v ? "true" : "false";
  if (typeof v === "string") {
    if (isInstantType(type)) {
      const d = new Date(v);
      return Number.isNaN(d.getTime()) ? v : formatDateTime(d, timeZone);
    }
    if (type.toUpperCase().startsWith("TIMESTAMP")) return v.replace("T", " ");
    return v;
  }
  return JSON.stringify(v);
}

/** A cell as CSV text: raw ISO times and plain numbers (for spreadsheets), quoted when needed. */
export function csvCell(v: unknown): string {
  if (v === null || v === undefined) return "";
  const s = typeof v === "object" ? JSON.stringify(v) : String(v);
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export function formatBytes(n: number): string {
  if (!Number.isFinite(n) || n < 0) return "—";
  if (n < 1024) return `${n} B`;
  const units = ["KiB", "MiB", "GiB", "TiB"];
  let v = n / 1024;
  let i = 0;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return `${v >= 100 ? Math.round(v) : v.toFixed(1)} ${units[i]}`;
}

export function formatCount(n: number): string {
  return new Intl.NumberFormat("en-US").format(n);
}

/** "312 ms", "4.2 s" */
export function formatElapsed(ms: number): string {
  return ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(ms < 10_000 ? 2 : 1)} s`;
}
