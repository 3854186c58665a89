// A machine's state timeline over the window as one bar: each interval a segment whose width is its share
// of the window, told apart by pattern and label as well as colour, with totals per state and the
// intervals as a table (hidden until asked for, always there for screen readers).
import { useState } from "react";
import { formatDateTime } from "../../lib/time";
import { formatDuration } from "../../lib/zoned";
import type { Interval, Timeline } from "./api";
import { STATE_ICON, STATE_TEXT, STATES } from "./format";
import "./charts.css";

function label(iv: Interval): string {
  return iv.reason_name ?? iv.reason_code ?? "";
}

export function StateTimeline({ timeline, tz }: { timeline: Timeline; tz: string }) {
  const [showTable, setShowTable] = useState(false);
  const a = Date.parse(timeline.from);
  const b = Date.parse(timeline.to);
  const span = Math.max(1, b - a);
  const when = (t: string) => formatDateTime(t, tz).slice(5, 16);
  const totals = new Map<string, number>();
  for (const iv of timeline.intervals) totals.set(iv.state, (totals.get(iv.state) ?? 0) + iv.duration_s);
  const summary = STATES.filter((s) => totals.has(s))
    .map((s) => `${STATE_TEXT[s]} ${formatDuration(totals.get(s) ?? 0)}`)
    .join(", ");

  return (
    <section className="panel oee-timeline" aria-labelledby="oee-timeline-title">
      <div className="pg-card-head">
        <h2 id="oee-timeline-title">State timeline</h2>
        <button type="button" className="btn btn-small" aria-pressed={showTable} onClick={() => setShowTable((v) => !v)}>
          Intervals as a table
        </button>
      </div>
      {!timeline.configured && <p className="muted small">No running signal configured: states come from operator input and planned stops only.</p>}
      {timeline.intervals.length === 0 ? (
        <p className="muted">No states recorded in this range.</p>
      ) : (
        <>
          <div className="timeline-bar" role="img" aria-label={`State timeline from ${when(timeline.from)} to ${when(timeline.to)}: ${summary}`} data-testid="state-timeline">
            {timeline.intervals.map((iv) => {
              const left = ((Date.parse(iv.start) - a) / span) * 100;
              const width = ((Date.parse(iv.end) - Date.parse(iv.start)) / span) * 100;
              const reason = label(iv);
              return (
                <span
                  key={`${iv.start}-${iv.state}`}
                  className={`timeline-seg seg-${iv.state}`}
                  style={{ left: `${Math.max(0, left)}%`, width: `${Math.max(0.2, width)}%` }}
                  title={`${STATE_TEXT[iv.state]} ${when(iv.start)}–${when(iv.end)} (${formatDuration(iv.duration_s)})${reason ? ` · ${reason}` : ""}`}
                  data-state={iv.state}
                />
              );
            })}
          </div>
          <div className="timeline-axis muted small" aria-hidden="true">
            <span>{when(timeline.from)}</span>
            <span>{when(timeline.to)}</span>
          </div>
          <ul className="timeline-legend" aria-label="Time per state">
            {STATES.map((s) => (
              <li key={s}>
                <span className={`legend-swatch seg-${s}`} aria-hidden="true" />
                <span aria-hidden="true">{STATE_ICON[s]} </span>
                {STATE_TEXT[s]}: <span className="num">{formatDuration(totals.get(s) ?? 0)}</span>
              </li>
            ))}
          </ul>
        </>
      )}
      <div id="oee-timeline-table" className={showTable ? "table-wrap" : "sr-only"}>
        <table className="table">
          <caption className="sr-only">State intervals (plant time, {tz})</caption>
          <thead>
            <tr>
              {["From", "To", "Duration", "State", "Reason", "Source"].map((c) => (
                <th key={c} scope="col">
                  {c}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {timeline.intervals.map((iv) => (
              <tr key={`${iv.start}-${iv.state}`}>
                <td className="nowrap">{formatDateTime(iv.start, tz)}</td>
                <td className="nowrap">{formatDateTime(iv.end, tz)}</td>
                <td className="num">{formatDuration(iv.duration_s)}</td>
                <td>{STATE_TEXT[iv.state]}</td>
                <td>{label(iv) || "—"}{iv.note && <span className="muted"> · {iv.note}</span>}</td>
                <td>{iv.source}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}
