// Reading history for a chart: GET /sensors/{id}/readings (raw or bucketed) -> typed columns.
import { api, unwrap, type Schemas } from "../../api/client";
import type { ChartData } from "../../components/chart/types";
import { alignStart, chooseBucket } from "./bucket";

export type ReadingsOut = Schemas["ReadingsOut"];

const TS_RE = /^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)(?:\.(\d+))?(Z|[+-]\d\d:?\d\d)$/;

/** Epoch seconds (with fraction) from an RFC 3339 timestamp, including nanosecond fractions. */
export function parseTs(ts: string): number {
  const m = TS_RE.exec(ts);
  if (!m) return Date.parse(ts) / 1000;
  const whole = Date.parse(m[1] + m[3]) / 1000;
  return m[2] ? whole + Number(`0.${m[2]}`) : whole;
}

/** Columns for the chart: value for raw points; avg with a min/max band (at the bucket centre) for buckets. */
export function toChartData(r: ReadingsOut): ChartData {
  const bucket = r.bucket_s ?? null;
  const pts = r.points;
  const x = new Float64Array(pts.length);
  const y = new Float64Array(pts.length);
  const lo = bucket ? new Float64Array(pts.length) : null;
  const hi = bucket ? new Float64Array(pts.length) : null;
  let n = 0;
  let last = -Infinity;
  for (const p of pts) {
    const t = parseTs(p.ts) + (bucket ? bucket / 2 : 0);
    const v = bucket ? p.avg : p.value;
    if (v == null || !Number.isFinite(t) || t <= last) continue;
    x[n] = t;
    y[n] = v;
    if (lo && hi) {
      lo[n] = p.min ?? v;
      hi[n] = p.max ?? v;
    }
    last = t;
    n++;
  }
  const out: ChartData = { x: x.subarray(0, n), y: y.subarray(0, n) };
  if (lo && hi) {
    out.min = lo.subarray(0, n);
    out.max = hi.subarray(0, n);
  }
  return out;
}

export interface History {
  data: ChartData;
  bucketS: number | null;
}

/** History of [startSec, endSec] at a resolution that keeps the chart under ~2,000 points. */
export async function fetchHistory(
  sensorId: string,
  startSec: number,
  endSec: number,
  sampleRateHz = 1,
  signal?: AbortSignal,
): Promise<History> {
  const bucketS = chooseBucket(endSec - startSec, sampleRateHz);
  const start = alignStart(startSec, bucketS);
  const r = await unwrap(
    api.GET("/api/v1/sensors/{sensor_id}/readings", {
      params: {
        path: { sensor_id: sensorId },
        query: {
          start: new Date(start * 1000).toISOString(),
          end: new Date(Math.ceil(endSec) * 1000).toISOString(),
          ...(bucketS ? { bucket_s: bucketS } : { limit: 100_000 }),
        },
      },
      signal,
    }),
  );
  return { data: toChartData(r), bucketS: r.bucket_s ?? bucketS };
}
