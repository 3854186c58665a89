import { Link } from "react-router-dom";
import type { MachineStatus } from "./api";
import { effectiveStatus } from "./model";

export function SummaryBar({ machines, now }: { machines: MachineStatus[]; now: number }) {
  let alarm = 0;
  let stale = 0;
  let running = 0;
  let open = 0;
  let safety = 0;
  for (const m of machines) {
    const s = effectiveStatus(m, now);
    if (s === "alarm") alarm++;
    else if (s === "stale" || s === "no_data") stale++;
    else running++;
    open += m.open_alerts;
    safety += m.safety_alerts;
  }
  return (
    <dl className="summary-bar" aria-label="Plant summary" data-testid="summary-bar">
      <div className="stat">
        <dt>Machines</dt>
        <dd data-testid="stat-total">{machines.length}</dd>
      </div>
      <div className="stat stat-ok">
        <dt>Running</dt>
        <dd data-testid="stat-running">{running}</dd>
      </div>
      <div className={alarm > 0 ? "stat stat-crit" : "stat"}>
        <dt>In alarm</dt>
        <dd data-testid="stat-alarm">{alarm}</dd>
      </div>
      <div className={stale > 0 ? "stat stat-warn" : "stat"}>
        <dt>Stale / no data</dt>
        <dd data-testid="stat-stale">{stale}</dd>
      </div>
      <div className={open > 0 ? "stat stat-crit" : "stat"}>
        <dt>
          <Link to="/alarms">Active alarms</Link>
        </dt>
        <dd data-testid="stat-open">
          {open}
          {safety > 0 && <span className="stat-sub"> ({safety} safety)</span>}
        </dd>
      </div>
    </dl>
  );
}
