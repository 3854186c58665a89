// The result as a line chart when it has a time column and a numeric column: pick x, y and an optional
// "split by" column (one line per value, e.g. per sensor). The table above stays the accessible data view.
import { lazy, Suspense, useId, useMemo, useState } from "react";
import { formatDateTime } from "../../lib/time";
import type { QueryResult } from "./api";
import { buildSeries, chartColumns, defaultChoice, MAX_SERIES, type ChartChoice } from "./chartData";

// uPlot loads with the first chart, not with the page
const LinePlot = lazy(() => import("./LinePlot").then((m) => ({ default: m.LinePlot })));

interface Props {
  result: QueryResult;
  timeZone: string;
}

export function ResultChart({ result, timeZone }: Props) {
  const id = useId();
  const cols = useMemo(() => chartColumns(result.columns), [result]);
  const initial = useMemo(() => defaultChoice(result.columns, result.rows), [result]);
  const [choice, setChoice] = useState<ChartChoice | null>(initial);
  const [shownFor, setShownFor] = useState(result);
  let current = choice;
  if (shownFor !== result) {
    // a new result: start again from its defaults (state reset during render, no extra effect pass)
    setShownFor(result);
    setChoice(initial);
    current = initial;
  }
  const data = useMemo(() => (current ? buildSeries(result.columns, result.rows, current) : null), [result, current]);

  if (!initial || !current) {
    return (
      <p className="muted small" data-testid="no-chart">
        No chart: a line chart needs a time column (timestamp or date) and a numeric column in the result.
      </p>
    );
  }
  const set = (k: keyof ChartChoice) => (e: React.ChangeEvent<HTMLSelectElement>) => setChoice({ ...current, [k]: e.target.value });
  const tz = data?.instant ? timeZone : "UTC";
  const points = data?.x.length ?? 0;
  const summary =
    data && points > 0
      ? `Line chart of ${current.y} over ${current.x}${current.split ? ` by ${current.split}` : ""}: ${data.series.length} series, ${points} time points from ${formatDateTime(data.x[0] * 1000, tz)} to ${formatDateTime(data.x[points - 1] * 1000, tz)}`
      : "Line chart: no rows with a time to plot";

  return (
    <div className="an-chart">
      <div className="an-chart-controls" role="group" aria-label="Chart columns">
        <div className="field">
          <label htmlFor={`${id}-x`}>X axis (time)</label>
          <select id={`${id}-x`} value={current.x} onChange={set("x")}>
            {cols.time.map((c) => (
              <option key={c}>{c}</option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor={`${id}-y`}>Y axis (value)</label>
          <select id={`${id}-y`} value={current.y} onChange={set("y")}>
            {cols.numeric.map((c) => (
              <option key={c}>{c}</option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor={`${id}-s`}>One line per</label>
          <select id={`${id}-s`} value={current.split} onChange={set("split")}>
            <option value="">— (a single line)</option>
            {cols.categorical.map((c) => (
              <option key={c}>{c}</option>
            ))}
          </select>
        </div>
      </div>
      {data && data.dropped > 0 && (
        <p className="notice notice-warn small" role="status">
          Showing the {MAX_SERIES} lines with the most points; {data.dropped} more {data.dropped === 1 ? "is" : "are"} left out. Filter the
          query to see them.
        </p>
      )}
      {data && data.skipped > 0 && (
        <p className="muted small">
          {data.skipped} {data.skipped === 1 ? "row has" : "rows have"} no {current.x} and {data.skipped === 1 ? "is" : "are"} not plotted.
        </p>
      )}
      <figure className="an-figure" role="img" aria-label={summary}>
        {data && points > 0 ? (
          <Suspense fallback={<p className="loading">Loading the chart…</p>}>
            <LinePlot x={data.x} series={data.series} timeZone={tz} yLabel={current.y} />
          </Suspense>
        ) : (
          <p className="muted">Nothing to plot.</p>
        )}
      </figure>
      {data?.instant && <p className="muted small">Times in plant time ({timeZone}).</p>}
    </div>
  );
}
