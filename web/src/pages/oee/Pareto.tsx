// Downtime Pareto by reason: horizontal bars, longest first, with duration, share and cumulative share as
// text on every bar; the same as a table for screen readers (and on request for everyone).
import { useState } from "react";
import { formatDuration } from "../../lib/zoned";
import type { Pareto as ParetoData } from "./api";
import { pct } from "./format";
import "./charts.css";

export function Pareto({ data }: { data: ParetoData }) {
  const [showTable, setShowTable] = useState(false);
  const longest = Math.max(1, ...data.items.map((i) => i.duration_s));
  return (
    <section className="panel oee-pareto" aria-labelledby="oee-pareto-title" data-testid="oee-pareto">
      <div className="pg-card-head">
        <h2 id="oee-pareto-title">Downtime by reason</h2>
        {data.items.length > 0 && (
          <button type="button" className="btn btn-small" aria-pressed={showTable} onClick={() => setShowTable((v) => !v)}>
            Pareto as a table
          </button>
        )}
      </div>
      {data.items.length === 0 ? (
        <p className="muted">No downtime in this range.</p>
      ) : (
        <>
          <p className="muted small">Total downtime {formatDuration(data.total_s)} (idle and down inside shift time).</p>
          <ol className="pareto-bars" aria-hidden="true">
            {data.items.map((i) => (
              <li key={i.reason_code ?? "-"} className="pareto-row">
                <span className="pareto-name">
                  {i.reason_name}
                  {i.category === "planned" && <span className="muted"> (planned)</span>}
                </span>
                <span className="pareto-track">
                  <span className={i.reason_code ? "pareto-fill" : "pareto-fill unclassified"} style={{ width: `${(i.duration_s / longest) * 100}%` }} />
                </span>
                <span className="pareto-value num">
                  {formatDuration(i.duration_s)} · {pct(i.share)}
                </span>
              </li>
            ))}
          </ol>
          <div className={showTable ? "table-wrap" : "sr-only"}>
            <table className="table" data-testid="pareto-table">
              <caption className="sr-only">Downtime by reason, longest first</caption>
              <thead>
                <tr>
                  {["Reason", "Category", "Duration", "Occurrences", "Share", "Cumulative"].map((c) => (
                    <th key={c} scope="col">
                      {c}
                    </th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {data.items.map((i) => (
                  <tr key={i.reason_code ?? "-"}>
                    <th scope="row">{i.reason_name}</th>
                    <td>{i.category ?? "—"}</td>
                    <td className="num">{formatDuration(i.duration_s)}</td>
                    <td className="num">{i.occurrences}</td>
                    <td className="num">{pct(i.share)}</td>
                    <td className="num">{pct(i.cumulative_share)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </>
      )}
    </section>
  );
}
