// Current value of every sensor of the machine, with its time and limit state (live-updated by the page).
import { formatValue } from "../../components/chart/format";
import { ago, formatDateTime } from "../../lib/time";
import type { Sensor } from "./useMachine";

export interface LatestValue {
  ts: string | null;
  value: number | null;
}

function limitState(s: Sensor, v: number | null): { cls: string; text: string } | null {
  if (v == null) return null;
  if (s.high_limit != null && v > s.high_limit) return { cls: "crit", text: `above high limit ${s.high_limit}` };
  if (s.low_limit != null && v < s.low_limit) return { cls: "crit", text: `below low limit ${s.low_limit}` };
  return null;
}

export function LatestValues({
  sensors,
  latest,
  timeZone,
}: {
  sensors: Sensor[];
  latest: Map<string, LatestValue>;
  timeZone: string;
}) {
  if (!sensors.length) return <p className="pg-empty">This machine has no sensors yet.</p>;
  return (
    <ul className="pg-tiles" aria-label="Current values">
      {sensors.map((s) => {
        const l = latest.get(s.id);
        const v = l?.value ?? null;
        const st = limitState(s, v);
        return (
          <li key={s.id} className={`pg-tile${st ? ` pg-tile-${st.cls}` : ""}`} data-testid="latest-value" data-sensor-id={s.id}>
            <span className="pg-tile-name">
              {s.name}
              {s.safety && <span className="badge">safety</span>}
            </span>
            <span className="pg-tile-value">{formatValue(v, s.unit)}</span>
            {st && <span className="pg-tile-alert">⚠ {st.text}</span>}
            <span className="pg-tile-time" title={l?.ts ? formatDateTime(l.ts, timeZone) : undefined}>
              {l?.ts ? `${formatDateTime(l.ts, timeZone)} · ${ago(l.ts)}` : "no readings"}
            </span>
          </li>
        );
      })}
    </ul>
  );
}
