// A multi-series line chart on uPlot for query results: time x axis in the given zone, one colour per
// series with a live legend, drag to zoom, double-click to reset. Rebuilt whenever its data changes (a
// result is plotted once, not streamed). jsdom has no canvas: page tests replace this module.
import { useEffect, useRef } from "react";
import uPlot from "uplot";
import "uplot/dist/uPlot.min.css";
import type { SeriesData } from "./chartData";

/** Distinct on the dark panel (each ≥ 4.5:1 against --panel). */
export const PALETTE = ["#5cb0ff", "#3fd08f", "#f6c04d", "#ff9a4d", "#d69cff", "#ff7aa8", "#9fe0e8", "#c6e377", "#ffb3b3", "#b8c4ff", "#e6e6e6", "#ffd98a"];

const numFmt = new Intl.NumberFormat("en-US", { maximumFractionDigits: 4 });

const DAY = 86400;
const NL_DATE = "\n{YYYY}-{MM}-{DD}";
const NL_MD = "\n{MM}-{DD}";
/** 24-hour tick labels with the date under the first tick of each day (as the sensor charts). */
const TIME_AXIS: uPlot.Axis.TimeValuesConfig = [
  [365 * DAY, "{YYYY}", null, null, null, null, null, null, 1],
  [28 * DAY, "{MMM}", "\n{YYYY}", null, null, null, null, null, 1],
  [DAY, "{MM}-{DD}", "\n{YYYY}", null, null, null, null, null, 1],
  [3600, "{HH}:{mm}", NL_DATE, null, NL_MD, null, null, null, 1],
  [60, "{HH}:{mm}", NL_DATE, null, NL_MD, null, null, null, 1],
  [1, "{HH}:{mm}:{ss}", NL_DATE, null, NL_MD, null, null, null, 1],
  [0.001, "{HH}:{mm}:{ss}.{fff}", NL_DATE, null, NL_MD, null, null, null, 1],
];

function cssVar(el: Element, name: string, fallback: string): string {
  return getComputedStyle(el).getPropertyValue(name).trim() || fallback;
}

export interface LinePlotProps {
  x: number[];
  series: SeriesData[];
  timeZone: string;
  yLabel: string;
  height?: number;
}

export function LinePlot({ x, series, timeZone, yLabel, height = 300 }: LinePlotProps) {
  const host = useRef<HTMLDivElement>(null);

  useEffect(() => {
    const el = host.current;
    if (!el) return;
    const axisColor = cssVar(el, "--muted", "#a3b1bf");
    const grid = cssVar(el, "--border", "#3a4a5a");
    const font = `12px ${cssVar(el, "--font", "system-ui, sans-serif")}`;
    const axis: Partial<uPlot.Axis> = { stroke: axisColor, font, grid: { stroke: grid, width: 1 }, ticks: { stroke: grid, width: 1 } };
    const few = x.length <= 60;
    const opts: uPlot.Options = {
      width: Math.max(200, el.clientWidth || 600),
      height,
      tzDate: (ts) => uPlot.tzDate(new Date(ts * 1e3), timeZone),
      scales: { x: { time: true } },
      series: [
        { label: "Time", value: "{YYYY}-{MM}-{DD} {HH}:{mm}:{ss}" },
        ...series.map((s, i) => ({
          label: s.label,
          stroke: PALETTE[i % PALETTE.length],
          width: 1.5,
          points: { show: few },
          value: (_u: uPlot, v: number | null) => (v === null || v === undefined ? "—" : numFmt.format(v)),
        })),
      ],
      axes: [
        { ...axis, values: TIME_AXIS },
        {
          ...axis,
          label: yLabel,
          labelFont: font,
          labelSize: 18,
          size: (_u, values) => 22 + Math.max(2, ...(values ?? []).map((s) => String(s).length)) * 7.5,
        },
      ],
      legend: { live: true },
      cursor: { drag: { x: true, y: false } },
    };
    const data: uPlot.AlignedData = [x, ...series.map((s) => s.values)];
    const plot = new uPlot(opts, data, el);
    let ro: ResizeObserver | null = null;
    if (typeof ResizeObserver !== "undefined") {
      ro = new ResizeObserver(() => {
        const w = el.clientWidth;
        if (w > 0 && Math.abs(w - plot.width) > 2) plot.setSize({ width: w, height });
      });
      ro.observe(el);
    }
    return () => {
      ro?.disconnect();
      plot.destroy();
    };
  }, [x, series, timeZone, yLabel, height]);

  return <div ref={host} className="an-plot" data-testid="line-plot" />;
}
