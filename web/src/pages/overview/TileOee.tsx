// The OEE part of a machine tile: OEE % of the current shift, availability / performance / quality as
// small bars with numbers, and the machine's OEE state with the time it entered it.
import { formatDateTime, formatTime } from "../../lib/time";
import { localDate } from "../../lib/zoned";
import type { CurrentMachine } from "../oee/api";
import { pct, STATE_ICON, STATE_TEXT, whyMissing, type Component } from "../oee/format";

const PARTS: { key: Exclude<Component, "oee">; short: string; long: string }[] = [
  { key: "availability", short: "A", long: "Availability" },
  { key: "performance", short: "P", long: "Performance" },
  { key: "quality", short: "Q", long: "Quality" },
];

function Figure({ c, m, className }: { c: Component; m: CurrentMachine; className?: string }) {
  const v = m[c];
  if (v !== null) return <span className={`num ${className ?? ""}`}>{pct(v)}</span>;
  const why = whyMissing(c, m, m);
  return (
    <span className={`muted ${className ?? ""}`} title={why} data-missing={why}>
      —<span className="sr-only"> ({why})</span>
    </span>
  );
}

/** "10:32" today, else "2026-03-01 22:10" (plant time). */
function sinceText(since: string, tz: string): string {
  return localDate(since, tz) === localDate(Date.now(), tz) ? formatTime(since, tz).slice(0, 5) : formatDateTime(since, tz).slice(0, 16);
}

export function TileOee({ m, tz }: { m: CurrentMachine; tz: string }) {
  return (
    <div className="tile-oee" data-testid="tile-oee">
      <p className="oee-line">
        <span className="oee-label">OEE{m.shift ? ` · ${m.shift.name}` : ""}</span>
        <Figure c="oee" m={m} className="oee-value" />
      </p>
      <dl className="oee-apq">
        {PARTS.map((p) => (
          <div key={p.key} className="apq-item" data-part={p.key}>
            <dt>
              <abbr title={p.long}>{p.short}</abbr>
            </dt>
            <dd>
              <Figure c={p.key} m={m} />
              <span className="apq-bar" aria-hidden="true">
                <span style={{ width: `${Math.round(Math.min(1, Math.max(0, m[p.key] ?? 0)) * 100)}%` }} />
              </span>
            </dd>
          </div>
        ))}
      </dl>
      <p className={`oee-state state-${m.state ?? "unknown"}`} data-testid="oee-state">
        {m.state ? (
          <>
            <span aria-hidden="true">{STATE_ICON[m.state]} </span>
            {STATE_TEXT[m.state]}
            {m.reason_code && <span className="oee-reason"> ({m.reason_code})</span>}
            {m.since && (
              <>
                {" "}since{" "}
                <time dateTime={m.since} title={formatDateTime(m.since, tz)}>
                  {sinceText(m.since, tz)}
                </time>
              </>
            )}
          </>
        ) : (
          <span className="muted">{m.configured ? "State unknown" : "OEE not configured"}</span>
        )}
      </p>
    </div>
  );
}
