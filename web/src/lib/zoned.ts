// Wall-clock helpers for the plant time zone: local dates and times of an instant, and the instant of a
// local date/time (as typed into <input type="date|time|datetime-local">), independent of the browser's zone.
import { validTimeZone } from "./time";

interface Parts {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

const partFormatters = new Map<string, Intl.DateTimeFormat>();

function partsIn(d: Date, tz: string): Parts {
  const zone = validTimeZone(tz);
  let f = partFormatters.get(zone);
  if (!f) {
    f = new Intl.DateTimeFormat("en-US", {
      timeZone: zone,
      hourCycle: "h23",
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
      hour: "2-digit",
      minute: "2-digit",
      second: "2-digit",
    });
    partFormatters.set(zone, f);
  }
  const p = Object.fromEntries(f.formatToParts(d).map((x) => [x.type, x.value]));
  return {
    year: Number(p.year),
    month: Number(p.month),
    day: Number(p.day),
    hour: Number(p.hour) % 24,
    minute: Number(p.minute),
    second: Number(p.second),
  };
}

const pad = (n: number, w = 2) => String(n).padStart(w, "0");

/** The zone's offset from UTC at an instant, in ms (Berlin in winter: +3 600 000). */
function offsetMs(t: number, tz: string): number {
  const p = partsIn(new Date(t), tz);
  const asUtc = Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second);
  return asUtc - Math.floor(t / 1000) * 1000;
}

/** "2026-03-01": the local date of an instant in the zone. */
export function localDate(t: Date | number | string, tz: string): string {
  const p = partsIn(new Date(t), tz);
  return `${pad(p.year, 4)}-${pad(p.month)}-${pad(p.day)}`;
}

/** "2026-03-01T14:05": an instant as a datetime-local value in the zone. */
export function toLocalInput(t: Date | number | string, tz: string): string {
  const p = partsIn(new Date(t), tz);
  return `${pad(p.year, 4)}-${pad(p.month)}-${pad(p.day)}T${pad(p.hour)}:${pad(p.minute)}`;
}

/** A calendar date plus n days ("2026-03-01", -1 → "2026-02-28"). */
export function addDays(day: string, n: number): string {
  const [y, m, d] = day.split("-").map(Number);
  const t = new Date(Date.UTC(y, m - 1, d + n));
  return `${pad(t.getUTCFullYear(), 4)}-${pad(t.getUTCMonth() + 1)}-${pad(t.getUTCDate())}`;
}

const LOCAL_RE = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2}))?)?$/;

/**
 * The instant of a local date/time in the zone ("2026-03-01T06:00" in Europe/Berlin → 05:00Z), or null
 * when the text is not a date. In a DST gap the later offset wins; in an overlap, the first occurrence.
 */
export function fromLocalInput(value: string, tz: string): Date | null {
  const m = LOCAL_RE.exec(value.trim());
  if (!m) return null;
  const [y, mo, d, h, mi, s] = [m[1], m[2], m[3], m[4] ?? "0", m[5] ?? "0", m[6] ?? "0"].map(Number);
  const wall = Date.UTC(y, mo - 1, d, h, mi, s);
  if (Number.isNaN(wall)) return null;
  let t = wall - offsetMs(wall, tz);
  const again = wall - offsetMs(t, tz);
  if (again !== t) t = Math.min(t, again);
  return new Date(t);
}

/** "2 h 05 min", "12 min", "45 s": a duration for people. */
export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds)) return "—";
  const s = Math.max(0, Math.round(seconds));
  if (s < 60) return `${s} s`;
  const min = Math.round(s / 60);
  if (min < 60) return `${min} min`;
  const h = Math.floor(min / 60);
  const rest = min % 60;
  if (h < 48) return rest ? `${h} h ${pad(rest)} min` : `${h} h`;
  const d = Math.floor(h / 24);
  return `${d} d ${h % 24} h`;
}

/** ISO weekday (1 = Monday) names, for day pickers. */
export const WEEKDAYS: { value: number; short: string; long: string }[] = [
  { value: 1, short: "Mon", long: "Monday" },
  { value: 2, short: "Tue", long: "Tuesday" },
  { value: 3, short: "Wed", long: "Wednesday" },
  { value: 4, short: "Thu", long: "Thursday" },
  { value: 5, short: "Fri", long: "Friday" },
  { value: 6, short: "Sat", long: "Saturday" },
  { value: 7, short: "Sun", long: "Sunday" },
];

/** "Mon–Fri", "every day", "Mon, Wed, Sat": ISO weekdays in words. */
export function daysSummary(days: number[] | null | undefined): string {
  const set = [...new Set(days ?? [])].sort((a, b) => a - b);
  if (set.length === 0) return "no days";
  if (set.length === 7) return "every day";
  const name = (d: number) => WEEKDAYS[d - 1]?.short ?? String(d);
  const contiguous = set.every((d, i) => i === 0 || d === set[i - 1] + 1);
  if (contiguous && set.length >= 3) return `${name(set[0])}–${name(set[set.length - 1])}`;
  return set.map(name).join(", ");
}

/** "22:00" from "22:00:00" (times as the API returns them). */
export function hhmm(time: string | null | undefined): string {
  return time ? time.slice(0, 5) : "—";
}
