// Times are shown in the plant's time zone (the site's, else the tenant's), never the browser's.

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(tz: string, withDate: boolean): Intl.DateTimeFormat {
  const key = `${tz}|${withDate}`;
  let f = formatters.get(key);
  if (!f) {
    f = new Intl.DateTimeFormat("en-GB", {
      timeZone: tz,
      hour: "2-digit",
      minute: "2-digit",
      second: "2-digit",
      hour12: false,
      ...(withDate ? { year: "numeric", month: "2-digit", day: "2-digit" } : {}),
    });
    formatters.set(key, f);
  }
  return f;
}

export function validTimeZone(tz: string | null | undefined, fallback = "UTC"): string {
  if (!tz) return fallback;
  try {
    new Intl.DateTimeFormat("en", { timeZone: tz });
    return tz;
  } catch {
    return fallback;
  }
}

/** "2026-11-27 14:03:07" in the given zone. */
export function formatDateTime(t: string | number | Date, tz: string): string {
  const d = t instanceof Date ? t : new Date(t);
  if (Number.isNaN(d.getTime())) return "—";
  const parts = Object.fromEntries(formatter(validTimeZone(tz), true).formatToParts(d).map((p) => [p.type, p.value]));
  return `${parts.year}-${parts.month}-${parts.day} ${parts.hour}:${parts.minute}:${parts.second}`;
}

/** "14:03:07" in the given zone. */
export function formatTime(t: string | number | Date, tz: string): string {
  const d = t instanceof Date ? t : new Date(t);
  if (Number.isNaN(d.getTime())) return "—";
  return formatter(validTimeZone(tz), false).format(d);
}

/** "12 s ago", "3 min ago", ... for freshness labels. */
export function ago(t: string | number | Date, now = Date.now()): string {
  const ms = now - new Date(t).getTime();
  if (!Number.isFinite(ms)) return "never";
  const s = Math.max(0, Math.round(ms / 1000));
  if (s < 60) return `${s} s ago`;
  if (s < 3600) return `${Math.round(s / 60)} min ago`;
  if (s < 86400) return `${Math.round(s / 3600)} h ago`;
  return `${Math.round(s / 86400)} d ago`;
}
