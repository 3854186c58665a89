// Bucket width for the downsampling API: about 1,500 buckets for any range, never more than 2,000,
// on a "nice" step (so bucket edges fall on seconds, minutes, hours); raw readings for short ranges.

export const NICE_STEPS_S = [
  0.1, 0.2, 0.5, 1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 10800, 21600, 43200, 86400,
] as const;
export const RAW_MAX_RANGE_S = 600;
export const RAW_MAX_POINTS = 20_000;
export const TARGET_BUCKETS = 1500;
export const MAX_BUCKETS = 2000;

/** null = raw readings; else the bucket width in seconds. */
export function chooseBucket(rangeS: number, sampleRateHz = 1): number | null {
  const rate = sampleRateHz > 0 ? sampleRateHz : 1;
  if (rangeS <= RAW_MAX_RANGE_S && rangeS * rate <= RAW_MAX_POINTS) return null;
  const target = rangeS / TARGET_BUCKETS;
  const floor = Math.min(1 / rate, 1); // no bucket narrower than the sample period (or 1 s for slow sensors)
  let best: number | null = null;
  for (const s of NICE_STEPS_S) {
    if (s < floor - 1e-9 || rangeS / s > MAX_BUCKETS) continue;
    if (best === null || Math.abs(Math.log(s / target)) < Math.abs(Math.log(best / target))) best = s;
  }
  return best ?? Math.ceil(rangeS / MAX_BUCKETS);
}

/** Start of the bucket holding t, so buckets line up with the server's minute/hour rollups. */
export function alignStart(startSec: number, bucketS: number | null): number {
  return bucketS ? Math.floor(startSec / bucketS) * bucketS : startSec;
}
