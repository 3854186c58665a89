// uPlot options for one sensor series: avg/value line, optional min/max band, limit lines, plant-time x axis.
import uPlot from "uplot";
import { formatValue, numFmt, withAlpha, yRange, type Limits } from "./format";

export interface ChartColors {
  line: string;
  band: string;
  axis: string;
  grid: string;
  limit: string;
  font: string;
}

export interface BuildOptions {
  label: string;
  unit: string;
  timeZone: string;
  band: boolean;
  width: number;
  height: number;
  colors: ChartColors;
  limits(): Limits;
  onSelect(min: number, max: number): void;
  onDoubleClick(): void;
  onDrawStart(): void;
  onDrawEnd(u: uPlot): void;
}

function cssVar(el: Element, name: string, fallback: string): string {
  const v = getComputedStyle(el).getPropertyValue(name).trim();
  return v || fallback;
}

export function readColors(el: Element): ChartColors {
  const line = cssVar(el, "--accent", "#2f81f7");
  return {
    line,
    band: cssVar(el, "--chart-band", withAlpha(line, 0.22)),
    axis: cssVar(el, "--muted", "#8b949e"),
    grid: cssVar(el, "--border", "rgba(139, 148, 158, 0.25)"),
    limit: cssVar(el, "--crit", "#f85149"),
    font: `12px ${cssVar(el, "--font", "system-ui, sans-serif")}`,
  };
}

function drawLimits(u: uPlot, limits: Limits, colors: ChartColors): void {
  const ctx = u.ctx;
  const { left, top, width, height } = u.bbox;
  const dpr = globalThis.devicePixelRatio || 1;
  for (const [tag, v] of [["high", limits.high], ["low", limits.low]] as const) {
    if (v == null) continue;
    const y = Math.round(u.valToPos(v, "y", true)) + 0.5;
    if (y < top || y > top + height) continue;
    ctx.save();
    ctx.strokeStyle = colors.limit;
    ctx.fillStyle = colors.limit;
    ctx.lineWidth = dpr;
    ctx.setLineDash([6 * dpr, 4 * dpr]);
    ctx.beginPath();
    ctx.moveTo(left, y);
    ctx.lineTo(left + width, y);
    ctx.stroke();
    ctx.font = `${11 * dpr}px system-ui, sans-serif`;
    ctx.textAlign = "right";
    ctx.textBaseline = tag === "high" ? "bottom" : "top";
    ctx.fillText(`${tag} ${numFmt.format(v)}`, left + width - 4 * dpr, tag === "high" ? y - 2 * dpr : y + 2 * dpr);
    ctx.restore();
  }
}

const DAY = 86400;
const NL_DATE = "\n{YYYY}-{MM}-{DD}";
const NL_MD = "\n{MM}-{DD}";
/** 24-hour plant-time tick labels, with the date under the first tick of each day (uPlot's rollover table). */
const TIME_AXIS: uPlot.Axis.TimeValuesConfig = [
  [365 * DAY, "{YYYY}", null, null, null, null, null, null, 1],
  [28 * DAY, "{MMM}", "\n{YYYY}", null, null, null, null, null, 1],
  [DAY, "{MM}-{DD}", "\n{YYYY}", null, null, null, null, null, 1],
  [3600, "{HH}:{mm}", NL_DATE, null, NL_MD, null, null, null, 1],
  [60, "{HH}:{mm}", NL_DATE, null, NL_MD, null, null, null, 1],
  [1, "{HH}:{mm}:{ss}", NL_DATE, null, NL_MD, null, null, null, 1],
  [0.001, "{HH}:{mm}:{ss}.{fff}", NL_DATE, null, NL_MD, null, null, null, 1],
];

export function buildOptions(o: BuildOptions): uPlot.Options {
  const { colors, unit } = o;
  const value = (_u: uPlot, v: number | null) => formatValue(v, unit);
  const series: uPlot.Series[] = [{ label: "Time", value: "{YYYY}-{MM}-{DD} {HH}:{mm}:{ss}" }];
  if (o.band) {
    series.push(
      { label: "max", stroke: colors.band, width: 1, value, points: { show: false } },
      { label: "min", stroke: colors.band, width: 1, value, points: { show: false } },
    );
  }
  series.push({ label: o.label, stroke: colors.line, width: 1.5, value });
  const axis: Partial<uPlot.Axis> = {
    stroke: colors.axis,
    font: colors.font,
    grid: { stroke: colors.grid, width: 1 },
    ticks: { stroke: colors.grid, width: 1 },
  };
  return {
    width: o.width,
    height: o.height,
    tzDate: (ts) => uPlot.tzDate(new Date(ts * 1e3), o.timeZone),
    series,
    bands: o.band ? [{ series: [1, 2], fill: colors.band }] : [],
    scales: {
      x: { time: true },
      y: { range: (_u, dmin, dmax) => yRange(dmin, dmax, o.limits()) },
    },
    axes: [
      { ...axis, values: TIME_AXIS },
      {
        ...axis,
        label: unit || undefined,
        labelFont: colors.font,
        labelSize: unit ? 18 : 0,
        size: (_u, values) => 22 + Math.max(2, ...(values ?? []).map((s) => String(s).length)) * 7.5,
      },
    ],
    legend: { live: true },
    cursor: {
      drag: { x: true, y: false, setScale: false, dist: 4 },
      bind: {
        dblclick: () => () => {
          o.onDoubleClick();
          return null;
        },
      },
    },
    hooks: {
      setSelect: [
        (u) => {
          const { left, width } = u.select;
          if (width < 4) return;
          const min = u.posToVal(left, "x");
          const max = u.posToVal(left + width, "x");
          u.setSelect({ left: 0, top: 0, width: 0, height: 0 }, false);
          o.onSelect(min, max);
        },
      ],
      drawClear: [() => o.onDrawStart()],
      draw: [(u) => drawLimits(u, o.limits(), colors), (u) => o.onDrawEnd(u)],
    },
  };
}
