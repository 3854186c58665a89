// Shapes shared by the time-series chart and its callers. x is epoch seconds (uPlot's time scale).

/** Columns of one plotted series: x ascending; optional min/max give a band (bucketed data). */
export interface ChartData {
  x: Float64Array;
  y: Float64Array;
  min?: Float64Array;
  max?: Float64Array;
}

/** One completed draw: how long the canvas work took and when it finished (performance.now()). */
export interface DrawInfo {
  drawMs: number;
  at: number;
  points: number;
}

/** Imperative access for pages and the benchmark. Changes made here do not call onZoom. */
export interface ChartHandle {
  /** Show [minSec, maxSec] on the x axis. */
  setXRange(minSec: number, maxSec: number): void;
  /** The x range currently shown, or null before the first draw. */
  getXRange(): [number, number] | null;
  /** Resolves with performance.now() when the next draw completes. */
  nextDraw(): Promise<number>;
}

export const EMPTY_DATA: ChartData = { x: new Float64Array(0), y: new Float64Array(0) };
