// The metrics strip: first-pass yield, scrap and rework rates, DPMO and PPM over the last 30 days (daily) or
// 26 weeks (weekly), each with a small trend, and the suppliers with the most defective parts per million.
import { useMemo, useState } from "react";
import { ppmBy, qualityMetrics, type MetricValues, type Metrics } from "./api";
import { fmtPct, fmtPpm } from "./format";
import { LoadError, Loading } from "./States";
import { useResource } from "./useResource";

type Range = "30d" | "26w";
const RANGES: Record<Range, { label: string; days: number; bucket: "day" | "week" }> = {
  "30d": { label: "Last 30 days, daily", days: 30, bucket: "day" },
  "26w": { label: "Last 26 weeks, weekly", days: 182, bucket: "week" },
};

interface Tile {
  key: keyof MetricValues;
  label: string;
  fmt(v: number | null): string;
  /** true when a higher value is better (FPY). */
  higherBetter: boolean;
}

const TILES: Tile[] = [
  { key: "first_pass_yield", label: "First-pass yield", fmt: (v) => fmtPct(v), higherBetter: true },
  { key: "scrap_rate", label: "Scrap rate", fmt: (v) => fmtPct(v, 2), higherBetter: false },
  { key: "rework_rate", label: "Rework rate", fmt: (v) => fmtPct(v, 2), higherBetter: false },
  { key: "dpmo", label: "DPMO", fmt: fmtPpm, higherBetter: false },
  { key: "ppm", label: "PPM", fmt: fmtPpm, higherBetter: false },
];

/** A tiny line of the bucket values (gaps where nothing was inspected); described in words for screen readers. */
export function Sparkline({ values, label }: { values: (number | null)[]; label: string }) {
  const w = 120;
  const h = 28;
  const nums = values.filter((v): v is number => v !== null && Number.isFinite(v));
  if (nums.length < 2) return <span className="muted small">Not enough data for a trend</span>;
  const min = Math.min(...nums);
  const max = Math.max(...nums);
  const span = max - min || 1;
  const step = values.length > 1 ? w / (values.length - 1) : w;
  let d = "";
  let pen = false;
  values.forEach((v, i) => {
    if (v === null || !Number.isFinite(v)) {
      pen = false;
      return;
    }
    const x = (i * step).toFixed(1);
    const y = (h - 2 - ((v - min) / span) * (h - 4)).toFixed(1);
    d += `${pen ? "L" : "M"}${x} ${y} `;
    pen = true;
  });
  return (
    <svg className="qa-spark" viewBox={`0 0 ${w} ${h}`} width={w} height={h} role="img" aria-label={label}>
      <path d={d.trim()} fill="none" stroke="currentColor" strokeWidth="2" strokeLinejoin="round" />
    </svg>
  );
}

function trendWords(tile: Tile, trend: Metrics["trend"]): string {
  const vals = trend.map((b) => b[tile.key] as number | null).filter((v): v is number => v !== null);
  if (vals.length < 2) return `${tile.label}: not enough data for a trend`;
  const first = vals[0];
  const last = vals[vals.length - 1];
  const dir = last === first ? "unchanged" : (last > first) === tile.higherBetter ? "improving" : "worsening";
  return `${tile.label} trend over ${trend.length} periods: from ${tile.fmt(first)} to ${tile.fmt(last)}, ${dir}`;
}

export function MetricsStrip() {
  const [range, setRange] = useState<Range>("30d");
  const { start, end } = useMemo(() => {
    const e = new Date();
    return { end: e.toISOString(), start: new Date(e.getTime() - RANGES[range].days * 86_400_000).toISOString() };
  }, [range]);
  const metrics = useResource(() => qualityMetrics(start, end, RANGES[range].bucket), `m:${range}`);
  const ppm = useResource(() => ppmBy("supplier", start, end), `p:${range}`);

  return (
    <section className="panel qa-metrics" aria-labelledby="qa-metrics-title">
      <div className="pg-card-head">
        <h2 id="qa-metrics-title">Quality metrics</h2>
        <label className="qa-inline-label">
          Period
          <select value={range} onChange={(e) => setRange(e.target.value as Range)}>
            {Object.entries(RANGES).map(([k, r]) => (
              <option key={k} value={k}>
                {r.label}
              </option>
            ))}
          </select>
        </label>
      </div>
      {metrics.error ? (
        <LoadError what="the quality metrics" error={metrics.error} onRetry={metrics.reload} />
      ) : !metrics.data ? (
        <Loading what="quality metrics" />
      ) : (
        <>
          <ul className="qa-tiles" aria-label="Quality metrics">
            {TILES.map((t) => (
              <li key={t.key} className="qa-tile" data-testid={`metric-${t.key}`}>
                <span className="qa-tile-label">{t.label}</span>
                <span className="qa-tile-value">{t.fmt(metrics.data!.totals[t.key] as number | null)}</span>
                <Sparkline values={metrics.data!.trend.map((b) => b[t.key] as number | null)} label={trendWords(t, metrics.data!.trend)} />
              </li>
            ))}
          </ul>
          <p className="muted small">
            {metrics.data.totals.units_inspected.toLocaleString("en-GB")} units inspected, {metrics.data.totals.defective_units.toLocaleString("en-GB")}{" "}
            defective; scrap and rework from dispositioned NCRs.
            {metrics.data.totals.units_inspected === 0 && " Nothing was inspected in this period: the rates are shown as “—”."}
          </p>
        </>
      )}
      <h3 id="qa-ppm-title">PPM by supplier</h3>
      {ppm.error ? (
        <LoadError what="PPM by supplier" error={ppm.error} onRetry={ppm.reload} />
      ) : !ppm.data ? (
        <Loading what="PPM by supplier" />
      ) : ppm.data.items.length === 0 ? (
        <p className="pg-empty">No supplier inspections in this period.</p>
      ) : (
        <div className="table-wrap">
          <table className="table" aria-labelledby="qa-ppm-title">
            <thead>
              <tr>
                <th scope="col">Supplier</th>
                <th scope="col" className="num">
                  Units inspected
                </th>
                <th scope="col" className="num">
                  Defective
                </th>
                <th scope="col" className="num">
                  PPM
                </th>
              </tr>
            </thead>
            <tbody>
              {ppm.data.items.slice(0, 10).map((r) => (
                <tr key={r.key ?? "none"}>
                  <th scope="row">{r.label}</th>
                  <td className="num">{r.units_inspected.toLocaleString("en-GB")}</td>
                  <td className="num">{r.defective_units.toLocaleString("en-GB")}</td>
                  <td className="num">{fmtPpm(r.ppm)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
