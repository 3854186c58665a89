// A sliding window of chart columns in typed arrays, for live appends without re-allocating per point.
// Appends are amortised O(1): the window is compacted (copyWithin) or grown (doubling) only when full.
// With bucketS set, a point in the same bucket as the last one updates that bucket (min/max/avg)
// instead of adding a column, so a live feed into a downsampled view keeps its resolution.
import type { ChartData } from "./types";

export interface SeriesBufferOptions {
  /** Width of a bucket in seconds (x is the bucket's centre); null or undefined for raw points. */
  bucketS?: number | null;
  /** Hard cap on columns kept; the oldest are dropped beyond it. */
  maxPoints?: number;
}

export class SeriesBuffer {
  private x: Float64Array;
  private y: Float64Array;
  private lo: Float64Array | null;
  private hi: Float64Array | null;
  private n: Float64Array | null; // samples per bucket, for running averages
  private start = 0;
  private end = 0;
  readonly bucketS: number | null;
  readonly maxPoints: number;

  constructor(data: ChartData | null, opts: SeriesBufferOptions = {}) {
    this.bucketS = opts.bucketS ?? null;
    this.maxPoints = Math.max(16, opts.maxPoints ?? 200_000);
    const len = data?.x.length ?? 0;
    const cap = Math.max(64, len + Math.ceil(len / 4));
    this.x = new Float64Array(cap);
    this.y = new Float64Array(cap);
    const band = this.bucketS !== null || !!(data?.min && data?.max);
    this.lo = band ? new Float64Array(cap) : null;
    this.hi = band ? new Float64Array(cap) : null;
    this.n = this.bucketS !== null ? new Float64Array(cap).fill(1) : null;
    if (data && len) {
      this.x.set(data.x);
      this.y.set(data.y);
      this.lo?.set(data.min ?? data.y);
      this.hi?.set(data.max ?? data.y);
      this.end = len;
    }
  }

  get length(): number {
    return this.end - this.start;
  }

  lastX(): number {
    return this.length ? this.x[this.end - 1] : -Infinity;
  }

  /** Add a point; returns false when it is not after the last one (the chart needs ascending x). */
  append(xSec: number, value: number): boolean {
    if (!Number.isFinite(xSec) || !Number.isFinite(value)) return false;
    const last = this.end - 1;
    if (this.bucketS !== null) {
      const centre = (Math.floor(xSec / this.bucketS) + 0.5) * this.bucketS;
      if (this.length && centre === this.x[last]) {
        const n = this.n![last] + 1;
        this.y[last] += (value - this.y[last]) / n;
        this.n![last] = n;
        this.lo![last] = Math.min(this.lo![last], value);
        this.hi![last] = Math.max(this.hi![last], value);
        return true;
      }
      if (this.length && centre < this.x[last]) return false;
      xSec = centre;
    } else if (this.length && xSec <= this.x[last]) {
      return false;
    }
    if (this.end === this.x.length) this.makeRoom();
    const i = this.end++;
    this.x[i] = xSec;
    this.y[i] = value;
    if (this.lo) this.lo[i] = value;
    if (this.hi) this.hi[i] = value;
    if (this.n) this.n[i] = 1;
    return true;
  }

  /** Forget points before xSec (the left edge of a sliding window). */
  dropBefore(xSec: number): void {
    let a = this.start;
    let b = this.end;
    while (a < b) {
      const m = (a + b) >>> 1;
      if (this.x[m] < xSec) a = m + 1;
      else b = m;
    }
    this.start = a;
  }

  /** Zero-copy views of the live window (new object each call, so React sees a change). */
  view(): ChartData {
    const s = this.start;
    const e = this.end;
    const out: ChartData = { x: this.x.subarray(s, e), y: this.y.subarray(s, e) };
    if (this.lo && this.hi) {
      out.min = this.lo.subarray(s, e);
      out.max = this.hi.subarray(s, e);
    }
    return out;
  }

  private makeRoom(): void {
    const len = this.length;
    if (len >= this.maxPoints) {
      this.start += Math.max(1, len - Math.floor(this.maxPoints * 0.75));
    }
    const live = this.length;
    const cols = [this.x, this.y, this.lo, this.hi, this.n];
    if (this.start > 0 && (this.start >= this.x.length / 2 || this.x.length > this.maxPoints)) {
      for (const c of cols) c?.copyWithin(0, this.start, this.end);
    } else {
      const cap = Math.max(Math.min(this.x.length * 2, this.maxPoints + 1), live + 1);
      const grown = cols.map((c) => {
        if (!c) return null;
        const g = new Float64Array(cap);
        g.set(c.subarray(this.start, this.end));
        return g;
      });
      [this.x, this.y] = [grown[0]!, grown[1]!];
      [this.lo, this.hi, this.n] = [grown[2], grown[3], grown[4]];
    }
    this.start = 0;
    this.end = live;
  }
}
