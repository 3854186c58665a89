// A time-series chart on uPlot. One uPlot instance per mount: data changes go through setData, x-range changes
// through setScale, limit changes through redraw; only the series layout (band on/off), label, unit, zone or
// height rebuild it. Drag to zoom, double-click or Esc to reset, Ctrl+wheel (or wheel when focused) to zoom,
// shift+drag or touch to pan; keyboard: ←/→ pan, +/− zoom.
import { useCallback, useEffect, useImperativeHandle, useLayoutEffect, useRef, type KeyboardEvent, type Ref } from "react";
import uPlot from "uplot";
import "uplot/dist/uPlot.min.css";
import "./chart.css";
import { bindGestures, panRange, zoomRange, type XRange } from "./interactions";
import { toAligned } from "./format";
import { buildOptions, readColors } from "./options";
import type { ChartData, ChartHandle, DrawInfo } from "./types";

export interface TimeSeriesChartProps {
  data: ChartData;
  /** Series name, shown in the legend. */
  label: string;
  /** Unit for the y axis and legend values. */
  unit?: string;
  /** IANA zone for x-axis labels (the plant's). */
  timeZone?: string;
  lowLimit?: number | null;
  highLimit?: number | null;
  /** Controlled x range [minSec, maxSec]; without it the chart fits the data until the user zooms. */
  xRange?: readonly [number, number] | null;
  height?: number;
  /** The user settled on a zoom/pan (drag, wheel, keys, buttons): fetch finer data for it. */
  onZoom?: (minSec: number, maxSec: number) => void;
  /** Double-click, Esc or the reset button; without it the chart fits the data again. */
  onResetZoom?: () => void;
  /** Every completed draw (benchmarks, tests). */
  onDraw?: (info: DrawInfo) => void;
  ref?: Ref<ChartHandle>;
  /** Hide the zoom/pan buttons. */
  compact?: boolean;
}

export function TimeSeriesChart(props: TimeSeriesChartProps) {
  const { data, label, unit = "", timeZone = "UTC", height = 240, xRange, ref, compact = false } = props;
  const outerRef = useRef<HTMLDivElement>(null);
  const hostRef = useRef<HTMLDivElement>(null);
  const plotRef = useRef<uPlot | null>(null);
  const plotted = useRef<ChartData | null>(null);
  const latest = useRef(props);
  const userZoomed = useRef(false);
  const gesture = useRef(false); // a wheel/drag/touch gesture is previewing a range: hold off prop updates
  const drawStart = useRef(0);
  const waiters = useRef<((t: number) => void)[]>([]);
  const band = !!(data.min && data.max);

  useLayoutEffect(() => {
    latest.current = props;
  });

  const showRange = useCallback((r: XRange) => {
    plotRef.current?.setScale("x", { min: r[0], max: r[1] });
  }, []);

  const preview = useCallback(
    (r: XRange) => {
      gesture.current = true;
      showRange(r);
    },
    [showRange],
  );

  const userZoom = useCallback(
    (r: XRange) => {
      gesture.current = false;
      userZoomed.current = true;
      showRange(r);
      latest.current.onZoom?.(r[0], r[1]);
    },
    [showRange],
  );

  const reset = useCallback(() => {
    userZoomed.current = false;
    const p = latest.current;
    if (p.onResetZoom) p.onResetZoom();
    else if (plotRef.current) plotRef.current.setData(plotRef.current.data, true);
  }, []);

  // Build (and rebuild only on structural change).
  useLayoutEffect(() => {
    const host = hostRef.current!;
    const p = latest.current;
    const opts = buildOptions({
      label,
      unit,
      timeZone,
      band,
      width: Math.max(200, host.clientWidth || 600),
      height,
      colors: readColors(host),
      limits: () => ({ low: latest.current.lowLimit, high: latest.current.highLimit }),
      onSelect: (min, max) => userZoom([min, max]),
      onDoubleClick: reset,
      onDrawStart: () => {
        drawStart.current = performance.now();
      },
      onDrawEnd: (u) => {
        const at = performance.now();
        latest.current.onDraw?.({ drawMs: at - drawStart.current, at, points: u.data[0].length });
        const w = waiters.current;
        waiters.current = [];
        w.forEach((f) => f(at));
      },
    });
    const u = new uPlot(opts, toAligned(p.data, band), host);
    plotRef.current = u;
    plotted.current = p.data;
    if (p.xRange) u.setScale("x", { min: p.xRange[0], max: p.xRange[1] });
    const unbind = bindGestures(u, host, {
      preview,
      commit: userZoom,
      wheelZooms: () => !!outerRef.current?.contains(document.activeElement),
    });
    return () => {
      unbind();
      gesture.current = false;
      u.destroy();
      plotRef.current = null;
    };
  }, [label, unit, timeZone, band, height, reset, preview, userZoom]);

  // New data: setData on the existing instance.
  useLayoutEffect(() => {
    const u = plotRef.current;
    if (!u || plotted.current === data) return;
    plotted.current = data;
    const r = gesture.current ? null : latest.current.xRange;
    const keep = r ?? (userZoomed.current || gesture.current ? [u.scales.x.min, u.scales.x.max] : null);
    if (keep && keep[0] != null && keep[1] != null) {
      u.setData(toAligned(data, band), false);
      u.setScale("x", { min: keep[0], max: keep[1] });
    } else {
      u.setData(toAligned(data, band), true);
    }
  }, [data, band]);

  // Controlled x range.
  const x0 = xRange?.[0];
  const x1 = xRange?.[1];
  useLayoutEffect(() => {
    const u = plotRef.current;
    if (!u || x0 == null || x1 == null || gesture.current) return;
    if (u.scales.x.min !== x0 || u.scales.x.max !== x1) u.setScale("x", { min: x0, max: x1 });
  }, [x0, x1]);

  // Limit lines (and a y range that shows them).
  useLayoutEffect(() => {
    plotRef.current?.redraw(true);
  }, [props.lowLimit, props.highLimit]);

  // Follow the container's width.
  useEffect(() => {
    const host = hostRef.current;
    if (!host || typeof ResizeObserver === "undefined") return;
    const ro = new ResizeObserver(() => {
      const u = plotRef.current;
      const w = Math.floor(host.clientWidth);
      if (u && w > 0 && w !== u.width) u.setSize({ width: w, height });
    });
    ro.observe(host);
    return () => ro.disconnect();
  }, [height]);

  useImperativeHandle(
    ref,
    (): ChartHandle => ({
      setXRange: (min, max) => showRange([min, max]),
      getXRange: () => {
        const s = plotRef.current?.scales.x;
        return s && s.min != null && s.max != null ? [s.min, s.max] : null;
      },
      nextDraw: () => new Promise<number>((resolve) => waiters.current.push(resolve)),
    }),
    [showRange],
  );

  const current = (): XRange | null => {
    const s = plotRef.current?.scales.x;
    return s && s.min != null && s.max != null ? [s.min, s.max] : null;
  };
  const act = (f: (r: XRange) => XRange) => {
    const r = current();
    if (r) userZoom(f(r));
  };
  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>) => {
    const k = e.key;
    if (k === "ArrowLeft") act((r) => panRange(r, -0.1));
    else if (k === "ArrowRight") act((r) => panRange(r, 0.1));
    else if (k === "+" || k === "=") act((r) => zoomRange(r, 0.5));
    else if (k === "-" || k === "_") act((r) => zoomRange(r, 2));
    else if (k === "Escape" || k === "0") reset();
    else return;
    e.preventDefault();
  };

  return (
    <div className="tsc" ref={outerRef}>
      {!compact && (
        <div className="tsc-tools" role="toolbar" aria-label={`${label} chart controls`}>
          <button type="button" onClick={() => act((r) => panRange(r, -0.25))} aria-label="Pan back in time">
            ◀
          </button>
          <button type="button" onClick={() => act((r) => panRange(r, 0.25))} aria-label="Pan forward in time">
            ▶
          </button>
          <button type="button" onClick={() => act((r) => zoomRange(r, 0.5))} aria-label="Zoom in">
            +
          </button>
          <button type="button" onClick={() => act((r) => zoomRange(r, 2))} aria-label="Zoom out">
            −
          </button>
          <button type="button" onClick={reset} aria-label="Reset zoom">
            Reset
          </button>
        </div>
      )}
      <div
        className="tsc-plot"
        ref={hostRef}
        tabIndex={0}
        role="group"
        aria-roledescription="chart"
        aria-label={`${label}${unit ? ` (${unit})` : ""}. Drag to zoom; arrow keys pan, plus and minus zoom, Escape resets.`}
        onKeyDown={onKeyDown}
      />
    </div>
  );
}
