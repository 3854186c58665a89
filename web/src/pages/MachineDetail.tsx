// Machine detail ("/machines/:machineId"): header, current values, open alarms and one chart per selected
// sensor. Range buttons pick a live window that slides with now; zooming a chart pauses live mode and
// refetches the zoomed window at a finer resolution (all charts share one x range).
import { useCallback, useEffect, useMemo, useState } from "react";
import { Link, useParams } from "react-router-dom";
import { api, unwrap } from "../api/client";
import { formatDateTime } from "../lib/time";
import { useLive } from "../live";
import { LatestValues, type LatestValue } from "./machine/LatestValues";
import { LiveBus } from "./machine/liveBus";
import { MachineAlarms } from "./machine/MachineAlarms";
import { parseTs } from "./machine/readings";
import { SensorChart } from "./machine/SensorChart";
import { useMachine } from "./machine/useMachine";
import "../styles-pages.css";

export const RANGES = [
  { label: "15 min", s: 900 },
  { label: "1 h", s: 3600 },
  { label: "8 h", s: 8 * 3600 },
  { label: "24 h", s: 86400 },
  { label: "7 d", s: 7 * 86400 },
] as const;
export const DEFAULT_CHARTS = 6;

interface View {
  rangeS: number;
  start: number;
  end: number;
  live: boolean;
}

const nowS = () => Date.now() / 1000;
const liveView = (rangeS: number): View => ({ rangeS, start: nowS() - rangeS, end: nowS(), live: true });

function useNow(intervalMs: number | null): number {
  const [now, setNow] = useState(nowS);
  useEffect(() => {
    if (!intervalMs) return;
    setNow(nowS());
    const t = setInterval(() => setNow(nowS()), intervalMs);
    return () => clearInterval(t);
  }, [intervalMs]);
  return now;
}

export function MachineDetail() {
  const { machineId = "" } = useParams();
  const m = useMachine(machineId);
  const [view, setView] = useState<View>(() => liveView(3600));
  const now = useNow(view.live ? 1000 : null);
  const [bus] = useState(() => new LiveBus());
  const [latest, setLatest] = useState<Map<string, LatestValue>>(new Map());
  const [liveEdge, setLiveEdge] = useState(0);
  const [picked, setPicked] = useState<string[] | null>(null);
  const [withData, setWithData] = useState<Set<string> | null>(null);

  useEffect(() => {
    document.title = `${m.asset?.name ?? "Machine"} · MIP`;
  }, [m.asset?.name]);

  useEffect(() => {
    let alive = true;
    setLatest(new Map());
    setWithData(null);
    unwrap(api.GET("/api/v1/machines/{machine_id}/latest", { params: { path: { machine_id: machineId } } }))
      .then((r) => {
        if (!alive) return;
        setWithData(new Set(r.sensors.filter((s) => s.ts != null).map((s) => s.sensor_id)));
        setLatest((cur) => {
          const next = new Map(r.sensors.map((s) => [s.sensor_id, { ts: s.ts, value: s.value }]));
          cur.forEach((v, k) => next.set(k, v)); // live values that arrived first are newer
          return next;
        });
      })
      .catch(() => {}); // the tiles then show "no readings"; charts report their own errors
    return () => {
      alive = false;
    };
  }, [machineId]);

  useLive(
    (e) => {
      if (e.type !== "readings") return;
      const pts = e.points.filter((p) => p.machine_id === machineId);
      if (!pts.length) return;
      bus.emit(pts);
      setLiveEdge((edge) => pts.reduce((a, p) => Math.max(a, parseTs(p.ts)), edge));
      setLatest((cur) => {
        const next = new Map(cur);
        for (const p of pts) {
          const old = next.get(p.sensor_id);
          if (!old?.ts || parseTs(p.ts) >= parseTs(old.ts)) next.set(p.sensor_id, { ts: p.ts, value: p.value });
        }
        return next;
      });
    },
    [machineId, bus],
  );

  const onZoom = useCallback((min: number, max: number) => {
    setView((v) => ({ ...v, start: min, end: max, live: false }));
  }, []);
  const onReset = useCallback(() => setView((v) => liveView(v.rangeS)), []);

  const right = Math.max(now, liveEdge);
  const xRange = useMemo<[number, number]>(
    () => (view.live ? [right - view.rangeS, right] : [view.start, view.end]),
    [view, right],
  );

  // Sensors that had readings when the page opened come first (a stable order: live data does not reshuffle).
  const sensors = useMemo(
    () => (withData ? [...m.sensors].sort((a, b) => Number(withData.has(b.id)) - Number(withData.has(a.id))) : m.sensors),
    [m.sensors, withData],
  );
  const shown = useMemo(() => {
    const ids = picked ?? sensors.slice(0, DEFAULT_CHARTS).map((s) => s.id);
    return sensors.filter((s) => ids.includes(s.id));
  }, [picked, sensors]);
  const toggle = (id: string) =>
    setPicked((cur) => {
      const ids = cur ?? sensors.slice(0, DEFAULT_CHARTS).map((s) => s.id);
      return ids.includes(id) ? ids.filter((x) => x !== id) : [...ids, id];
    });

  if (m.error) {
    return (
      <section className="pg-page">
        <p role="alert" className="form-error">
          Could not load this machine: {m.error}
        </p>
        <Link to="/">← Back to the plant overview</Link>
      </section>
    );
  }
  if (m.loading || !m.asset) return <p className="muted">Loading machine…</p>;

  const tz = m.timeZone;
  return (
    <section className="pg-page" aria-labelledby="machine-title">
      <header className="page-head">
        <div>
          <p className="pg-crumbs">
            <Link to="/">Overview</Link> / {m.asset.path.split("/").slice(0, -1).join(" / ")}
          </p>
          <h1 id="machine-title">{m.asset.name}</h1>
          {m.asset.description && <p className="muted">{m.asset.description}</p>}
        </div>
        <p className="muted small">Times in {tz}</p>
      </header>

      <section className="panel pg-card" aria-labelledby="current-values">
        <h2 id="current-values">Current values</h2>
        <LatestValues sensors={sensors} latest={latest} timeZone={tz} />
      </section>

      <MachineAlarms machineId={machineId} timeZone={tz} />

      <section aria-labelledby="history-title" className="pg-history">
        <div className="pg-toolbar">
          <h2 id="history-title">History</h2>
          <div role="group" aria-label="Time range" className="pg-segmented">
            {RANGES.map((r) => (
              <button
                key={r.s}
                type="button"
                aria-pressed={view.live && view.rangeS === r.s}
                onClick={() => setView(liveView(r.s))}
              >
                {r.label}
              </button>
            ))}
          </div>
          {view.live ? (
            <span className="pg-live" role="status">
              ● Live
            </span>
          ) : (
            <button type="button" className="btn" onClick={onReset}>
              Back to live
            </button>
          )}
        </div>
        <p className="muted small" aria-live="polite">
          {formatDateTime(xRange[0] * 1000, tz)} – {formatDateTime(xRange[1] * 1000, tz)}
          {view.live ? " · following now" : " · zoomed (double-click a chart or Esc to reset)"}
        </p>
        {m.sensors.length > 1 && (
          <fieldset className="pg-picker">
            <legend>Charts</legend>
            {sensors.map((s) => (
              <label key={s.id}>
                <input type="checkbox" checked={shown.includes(s)} onChange={() => toggle(s.id)} /> {s.name}
              </label>
            ))}
          </fieldset>
        )}
        {m.sensors.length === 0 && <p className="pg-empty">No sensors on this machine: add them on the Assets page.</p>}
        <div className="pg-charts">
          {shown.map((s) => (
            <SensorChart
              key={s.id}
              sensor={s}
              bus={bus}
              timeZone={tz}
              start={view.start}
              end={view.end}
              xRange={xRange}
              live={view.live}
              onZoom={onZoom}
              onReset={onReset}
            />
          ))}
        </div>
      </section>
    </section>
  );
}
