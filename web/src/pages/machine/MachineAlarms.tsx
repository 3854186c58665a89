// Open alarms of one machine, refreshed when a live alert event for it arrives.
import { useCallback, useEffect, useState } from "react";
import { Link } from "react-router-dom";
import { api, unwrap, type Schemas } from "../../api/client";
import { useLive } from "../../live";
import { formatDateTime } from "../../lib/time";

type Alert = Schemas["AlertOut"];

export function MachineAlarms({ machineId, timeZone }: { machineId: string; timeZone: string }) {
  const [alerts, setAlerts] = useState<Alert[] | null>(null);
  const [error, setError] = useState<string | null>(null);

  const load = useCallback(
    (signal?: AbortSignal) =>
      unwrap(
        api.GET("/api/v1/alerts", { params: { query: { machine_id: machineId, state: "open", limit: 50 } }, signal }),
      )
        .then((p) => {
          setAlerts(p.items);
          setError(null);
        })
        .catch((e: Error) => {
          if (!signal?.aborted) setError(e.message);
        }),
    [machineId],
  );

  useEffect(() => {
    const ac = new AbortController();
    void load(ac.signal);
    return () => ac.abort();
  }, [load]);

  useLive(
    (e) => {
      if (e.type !== "readings" && e.type !== "hello" && e.alert.machine_id === machineId) void load();
    },
    [machineId, load],
  );

  return (
    <section className="panel pg-card" aria-labelledby="machine-alarms">
      <div className="pg-card-head">
        <h2 id="machine-alarms">Open alarms</h2>
        <Link to={`/alarms?machine=${encodeURIComponent(machineId)}`}>All alarms for this machine →</Link>
      </div>
      {error && <p role="alert" className="form-error">Could not load alarms: {error}</p>}
      {!error && alerts === null && <p className="muted">Loading alarms…</p>}
      {alerts?.length === 0 && <p className="pg-empty">No open alarms.</p>}
      {!!alerts?.length && (
        <ul className="pg-alarms">
          {alerts.map((a) => (
            <li key={a.id} className="pg-alarm">
              {a.safety && <span className="badge safety">SAFETY</span>}
              <span className={`badge sev-${a.severity}`}>{a.severity}</span>
              <Link to={`/alarms?machine=${encodeURIComponent(machineId)}&state=open`}>{a.message}</Link>
              <span className="muted">
                since {formatDateTime(a.first_ts, timeZone)} · {a.count}×
              </span>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
