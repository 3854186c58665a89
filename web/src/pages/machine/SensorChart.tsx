// One sensor's chart card: history + live points, limit lines, loading / empty / error states.
// data-points is the number of points plotted (E2E tests watch it grow with live data).
import { TimeSeriesChart } from "../../components/chart/TimeSeriesChart";
import type { LiveBus } from "./liveBus";
import type { Sensor } from "./useMachine";
import { useSensorSeries } from "./useSensorSeries";

export interface SensorChartProps {
  sensor: Sensor;
  bus: LiveBus;
  timeZone: string;
  /** Fetch window (epoch s). */
  start: number;
  end: number;
  /** Shown x range (epoch s); slides with now in live mode. */
  xRange: readonly [number, number];
  live: boolean;
  onZoom(minSec: number, maxSec: number): void;
  onReset(): void;
}

function resolution(bucketS: number | null): string {
  if (bucketS == null) return "raw readings";
  const w = bucketS >= 3600 ? `${bucketS / 3600} h` : bucketS >= 60 ? `${bucketS / 60} min` : `${bucketS} s`;
  return `${w} buckets: average, min–max band`;
}

export function SensorChart(p: SensorChartProps) {
  const { sensor } = p;
  const span = p.xRange[1] - p.xRange[0];
  const s = useSensorSeries(sensor, p.bus, {
    start: p.start,
    end: p.end,
    live: p.live,
    keepFrom: p.xRange[0] - span * 0.05,
  });
  const titleId = `chart-${sensor.id}`;
  return (
    <section
      className="panel pg-card pg-chart"
      data-testid="sensor-chart"
      data-sensor-id={sensor.id}
      data-points={s.points}
      aria-labelledby={titleId}
      aria-busy={s.status === "loading"}
    >
      <div className="pg-card-head">
        <h3 id={titleId}>
          {sensor.name}
          {sensor.unit && <span className="pg-unit"> ({sensor.unit})</span>}
        </h3>
        <span className="muted small">
          {s.status === "loading"
            ? "Loading…"
            : `${s.points.toLocaleString("en-US")} points · ${resolution(s.bucketS)}`}
        </span>
      </div>
      {s.status === "error" && (
        <p role="alert" className="form-error">
          Could not load readings: {s.error}{" "}
          <button type="button" className="btn" onClick={s.retry}>
            Retry
          </button>
        </p>
      )}
      <div className="pg-chart-body">
        <TimeSeriesChart
          data={s.data}
          label={sensor.name}
          unit={sensor.unit}
          timeZone={p.timeZone}
          lowLimit={sensor.low_limit}
          highLimit={sensor.high_limit}
          xRange={p.xRange}
          onZoom={p.onZoom}
          onResetZoom={p.onReset}
        />
        {s.status === "loading" && s.points === 0 && <p className="pg-chart-overlay">Loading readings…</p>}
        {s.status === "ready" && s.points === 0 && <p className="pg-chart-overlay">No readings in this range</p>}
      </div>
    </section>
  );
}
