// The outcome of the last run: a running note with Cancel, the error (the previous result stays below it,
// marked), or the result's facts (rows, truncation, time, data read) with a table/chart switch and CSV.
import { useState } from "react";
import { formatDateTime } from "../../lib/time";
import type { QueryResult } from "./api";
import { csvCell, formatBytes, formatCount, formatElapsed } from "./format";
import { QueryError } from "./QueryError";
import { ResultChart } from "./ResultChart";
import { ResultTable } from "./ResultTable";
import type { RunnerState } from "./useQueryRunner";

interface Props {
  state: RunnerState;
  timeZone: string;
  onCancel(): void;
  onRetry(): void;
}

type View = "table" | "chart";

function downloadCsv(r: QueryResult, name: string) {
  const lines = [r.columns.map((c) => csvCell(c.name)).join(","), ...r.rows.map((row) => row.map(csvCell).join(","))];
  const blob = new Blob([lines.join("\r\n") + "\r\n"], { type: "text/csv;charset=utf-8" });
  const url = URL.createObjectURL(blob);
  const a = document.createElement("a");
  a.href = url;
  a.download = name;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

export function ResultsPanel({ state, timeZone, onCancel, onRetry }: Props) {
  const [view, setView] = useState<View>("table");
  const r = state.result;

  return (
    <section className="an-results" aria-labelledby="an-results-title" aria-busy={state.running ? true : undefined}>
      <h2 id="an-results-title">Result</h2>
      <div aria-live="polite" className="an-live">
        {state.running && (
          <p className="an-running" role="status">
            <span className="an-spinner" aria-hidden="true" /> Running {state.running.label}…{" "}
            <button type="button" className="btn btn-small" onClick={onCancel}>
              Cancel
            </button>
          </p>
        )}
        {state.cancelled && !state.running && (
          <p className="muted" role="status">
            Cancelled. The server stops the query at its time limit.
          </p>
        )}
      </div>
      {state.error !== null && !state.running && <QueryError error={state.error} onRetry={onRetry} />}
      {!r && !state.running && state.error === null && <p className="pg-empty">Run a query to see its result here.</p>}
      {r && (
        <div className={state.error !== null ? "an-stale" : undefined}>
          {state.error !== null && <p className="muted small">The result below is from the previous successful run.</p>}
          <p className="an-facts" data-testid="result-facts">
            <span>
              <strong>{formatCount(r.row_count)}</strong> {r.row_count === 1 ? "row" : "rows"}
            </span>
            <span>{formatElapsed(r.elapsed_ms)}</span>
            <span>{formatBytes(r.scanned_bytes)} of lake data read</span>
            <span>
              {formatDateTime(r.start, timeZone)} → {formatDateTime(r.end, timeZone)}
            </span>
            {r.tables.length > 0 && <span>from {r.tables.join(", ")}</span>}
            {state.resultOf && <span>{state.resultOf.label}</span>}
          </p>
          {r.truncated && (
            <p className="notice notice-warn" role="status" data-testid="truncated">
              <strong>Truncated:</strong> the query returned more than {formatCount(r.max_rows)} rows; only the first {formatCount(r.max_rows)} are shown. Raise “Max rows”
              (up to 100,000) or aggregate, e.g. with time_bucket.
            </p>
          )}
          <div className="an-result-tools">
            <div className="pg-segmented" role="group" aria-label="Show the result as">
              {(["table", "chart"] as const).map((v) => (
                <button key={v} type="button" aria-pressed={view === v} onClick={() => setView(v)}>
                  {v === "table" ? "Table" : "Chart"}
                </button>
              ))}
            </div>
            <button type="button" className="btn btn-small" onClick={() => downloadCsv(r, "query-result.csv")} disabled={r.columns.length === 0}>
              Download CSV
            </button>
          </div>
          {view === "table" ? <ResultTable result={r} timeZone={timeZone} /> : <ResultChart result={r} timeZone={timeZone} />}
        </div>
      )}
    </section>
  );
}
