// Small health pieces: the health index as a bar with its number and band, and a sparkline of a history.
import { formatIndex, healthBand } from "./format";

/** The index as a bar (decoration), the number and the band in words (the meaning). */
export function HealthBar({ index }: { index: number }) {
  const band = healthBand(index);
  const width = Math.max(0, Math.min(100, index));
  return (
    <span className={`mnt-health mnt-band-${band.key}`}>
      <span className="mnt-bar" aria-hidden="true">
        <span className="mnt-bar-fill" style={{ width: `${width}%` }} />
      </span>
      <span className="mnt-health-text">
        <strong className="num">{formatIndex(index)}</strong>
        <span className="sr-only"> of 100,</span>{" "}
        <span className="mnt-band-label">
          <span aria-hidden="true">{band.icon}</span> {band.label}
        </span>
      </span>
    </span>
  );
}

interface SparkProps {
  /** Oldest first. */
  values: number[];
  label: string;
  width?: number;
  height?: number;
}

/** A tiny line of 0–100 values; the label says what it shows in words. */
export function Sparkline({ values, label, width = 240, height = 48 }: SparkProps) {
  if (values.length < 2) return null;
  const pad = 3;
  const x = (i: number) => pad + (i * (width - 2 * pad)) / (values.length - 1);
  const y = (v: number) => pad + ((100 - Math.max(0, Math.min(100, v))) * (height - 2 * pad)) / 100;
  const points = values.map((v, i) => `${x(i).toFixed(1)},${y(v).toFixed(1)}`).join(" ");
  const last = values[values.length - 1];
  return (
    <svg className="mnt-spark" role="img" aria-label={label} viewBox={`0 0 ${width} ${height}`} width={width} height={height} preserveAspectRatio="none">
      <line x1={pad} x2={width - pad} y1={y(40)} y2={y(40)} className="mnt-spark-guide" />
      <polyline points={points} fill="none" className="mnt-spark-line" />
      <circle cx={x(values.length - 1)} cy={y(last)} r={3} className="mnt-spark-dot" />
    </svg>
  );
}

/** "Health index over the last 12 scores: from 82 to 43 (lowest 41)". */
export function sparkLabel(values: number[]): string {
  if (values.length === 0) return "No history";
  const lo = Math.min(...values);
  return `Health index over the last ${values.length} scores: from ${formatIndex(values[0])} to ${formatIndex(values[values.length - 1])} (lowest ${formatIndex(lo)})`;
}
