import { memo } from "react";
import { Link } from "react-router-dom";
import { ago, formatDateTime } from "../../lib/time";
import type { CurrentMachine } from "../oee/api";
import type { MachineStatus, SensorStatus } from "./api";
import { effectiveStatus, formatValue, limitState, STATUS_ICON, STATUS_TEXT } from "./model";
import { TileOee } from "./TileOee";

const MAX_SENSORS = 6;

function SensorValue({ s }: { s: SensorStatus }) {
  const lim = limitState(s);
  const out = lim === "high" || lim === "low";
  const limitText =
    lim === "high" ? `above high limit ${formatValue(s.high_limit ?? 0)}` : lim === "low" ? `below low limit ${formatValue(s.low_limit ?? 0)}` : "";
  return (
    <div className="sensor-row">
      <dt className="sensor-name" title={s.safety ? `${s.name} (safety sensor)` : s.name}>
        {s.safety && (
          <span className="safety-icon" aria-label="Safety sensor:" role="img">
            ⚠{" "}
          </span>
        )}
        {s.name}
      </dt>
      <dd
        className={out ? "sensor-value out-of-limit" : "sensor-value"}
        data-testid="sensor-value"
        data-sensor-id={s.id}
        data-out-of-limit={out ? lim : undefined}
      >
        {s.value === null ? (
          <span className="muted" title="No reading yet">
            —
          </span>
        ) : (
          <>
            <span className="num">{formatValue(s.value)}</span>
            {s.unit && <span className="unit"> {s.unit}</span>}
            {out && (
              <span className="limit-flag" title={limitText}>
                <span aria-hidden="true">{lim === "high" ? " ▲" : " ▼"}</span>
                <span className="sr-only"> ({limitText})</span>
              </span>
            )}
          </>
        )}
      </dd>
    </div>
  );
}

interface Props {
  machine: MachineStatus;
  now: number; // server-aligned
  tz: string;
  /** The current shift's OEE and state, when /oee/current answered for this machine. */
  oee?: CurrentMachine;
}

export const MachineTile = memo(function MachineTile({ machine: m, now, tz, oee }: Props) {
  const status = effectiveStatus(m, now);
  const shown = m.sensors.slice(0, MAX_SENSORS);
  const hidden = m.sensors.length - shown.length;
  return (
    <Link
      to={`/machines/${m.id}`}
      className={`tile status-${status}`}
      data-testid="machine-tile"
      data-machine-id={m.id}
      data-status={status}
    >
      <div className="tile-head">
        <h4 className="tile-name">{m.name}</h4>
        <span className={`status-pill status-${status}`}>
          <span aria-hidden="true">{STATUS_ICON[status]} </span>
          {STATUS_TEXT[status]}
        </span>
      </div>
      <p className={m.open_alerts > 0 ? "tile-alarms has-alarms" : "tile-alarms"} data-testid="alarm-counts">
        {m.open_alerts === 0 ? (
          "No active alarms"
        ) : (
          <>
            {m.open_alerts} active alarm{m.open_alerts === 1 ? "" : "s"}
            {m.unacknowledged_alerts > 0 && m.unacknowledged_alerts < m.open_alerts && (
              <span> ({m.unacknowledged_alerts} unacknowledged)</span>
            )}
            {m.safety_alerts > 0 && (
              <span className="safety-count">
                {" · "}
                <span aria-hidden="true">⚠ </span>
                {m.safety_alerts} safety
              </span>
            )}
          </>
        )}
      </p>
      {oee && <TileOee m={oee} tz={tz} />}
      {shown.length > 0 ? (
        <dl className="sensor-list">
          {shown.map((s) => (
            <SensorValue key={s.id} s={s} />
          ))}
        </dl>
      ) : (
        <p className="muted">No sensors configured</p>
      )}
      {hidden > 0 && <p className="muted small">+{hidden} more sensors</p>}
      <p className="tile-foot muted small">
        {m.last_seen ? (
          <>
            Last seen{" "}
            <time dateTime={m.last_seen} title={formatDateTime(m.last_seen, tz)}>
              {ago(m.last_seen, now)}
            </time>
          </>
        ) : (
          "Never reported"
        )}
      </p>
    </Link>
  );
});
