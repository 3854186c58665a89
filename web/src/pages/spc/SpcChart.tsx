// A control chart in SVG: the plotted statistic, centre line and control limits as step lines through each
// point's own limits (so limits that vary with the subgroup size show as steps), Phase I shaded and separated
// from Phase II, excluded Phase I points hollow, and points with rule violations marked with a red diamond and
// their rule. Hover shows a point's label, value and limits.
import { useEffect, useMemo, useRef, useState, type PointerEvent } from "react";
import type { ChartPoint, Violation } from "./api";

const H = 300;
const PAD = { l: 64, r: 16, t: 26, b: 30 };

interface Props {
  title: string;
  points: ChartPoint[];
  violations: Violation[];
  /** short rule tag ("we1" → "1") shown on the chart */
  testId?: string;
}

function niceTicks(lo: number, hi: number, n = 5): number[] {
  const span = hi - lo || Math.abs(hi) || 1;
  const raw = span / n;
  const mag = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 2.5, 5, 10].map((m) => m * mag).find((s) => s >= raw) ?? raw;
  const out: number[] = [];
  for (let v = Math.ceil(lo / step) * step; v <= hi + step * 1e-9; v += step) out.push(Number(v.toPrecision(12)));
  return out;
}

export const fmt = (v: number | null | undefined, digits = 4) => (v === null || v === undefined || !Number.isFinite(v) ? "—" : String(Number(v.toPrecision(digits + 1))));

export function ruleTag(rule: string): string {
  const m = /(\d+)$/.exec(rule);
  return m ? m[1] : rule;
}

export function SpcChart({ title, points, violations, testId = "spc-chart" }: Props) {
  const wrap = useRef<HTMLDivElement>(null);
  const [width, setWidth] = useState(800);
  const [hover, setHover] = useState<number | null>(null);
  useEffect(() => {
    const el = wrap.current;
    if (!el || typeof ResizeObserver === "undefined") return;
    const ro = new ResizeObserver(([e]) => setWidth(Math.max(300, Math.floor(e.contentRect.width))));
    ro.observe(el);
    return () => ro.disconnect();
  }, []);

  const byIndex = useMemo(() => {
    const m = new Map<number, Violation[]>();
    for (const v of violations) m.set(v.index, [...(m.get(v.index) ?? []), v]);
    return m;
  }, [violations]);

  const n = points.length;
  const ys: number[] = [];
  for (const p of points) for (const v of [p.value, p.lcl, p.ucl, p.center, p.lower]) if (v !== null && v !== undefined && Number.isFinite(v)) ys.push(v);
  let lo = Math.min(...ys);
  let hi = Math.max(...ys);
  if (!Number.isFinite(lo)) [lo, hi] = [0, 1];
  if (hi === lo) [lo, hi] = [lo - 1, hi + 1];
  const padY = (hi - lo) * 0.06;
  lo -= padY;
  hi += padY;
  const plotW = width - PAD.l - PAD.r;
  const plotH = H - PAD.t - PAD.b;
  const x = (i: number) => PAD.l + ((i + 0.5) / Math.max(1, n)) * plotW;
  const y = (v: number) => PAD.t + (1 - (v - lo) / (hi - lo)) * plotH;
  const half = plotW / Math.max(1, n) / 2;

  /** A step path through each point's value of `key`, broken where it is missing. */
  function steps(key: "lcl" | "ucl" | "center"): string {
    let d = "";
    let open = false;
    points.forEach((p, i) => {
      const v = p[key];
      if (v === null || v === undefined) {
        open = false;
        return;
      }
      d += `${open ? "L" : "M"}${(x(i) - half).toFixed(1)},${y(v).toFixed(1)}L${(x(i) + half).toFixed(1)},${y(v).toFixed(1)}`;
      open = true;
    });
    return d;
  }
  function line(get: (p: ChartPoint) => number | null | undefined): string {
    let d = "";
    let open = false;
    points.forEach((p, i) => {
      const v = get(p);
      if (v === null || v === undefined) {
        open = false;
        return;
      }
      d += `${open ? "L" : "M"}${x(i).toFixed(1)},${y(v).toFixed(1)}`;
      open = true;
    });
    return d;
  }

  const lastPhase1 = points.reduce((k, p, i) => (p.phase === 1 ? i : k), -1);
  const hasPhase2 = points.some((p) => p.phase === 2);
  const splitX = lastPhase1 >= 0 ? x(lastPhase1) + half : PAD.l;
  const hasLower = points.some((p) => p.lower !== null && p.lower !== undefined);
  const markers = n <= 1500;
  const yTicks = niceTicks(lo, hi);
  const labelEvery = Math.max(1, Math.ceil(n / Math.max(1, Math.floor(plotW / 60))));
  const last = points[n - 1];
  const summary =
    `${title}: ${n} points` +
    (last ? `, latest ${fmt(last.value)} (limits ${fmt(last.lcl)} to ${fmt(last.ucl)}, centre ${fmt(last.center)})` : "") +
    `; ${violations.length} rule violation${violations.length === 1 ? "" : "s"}` +
    (lastPhase1 >= 0 && hasPhase2 ? `; Phase I is the first ${lastPhase1 + 1} points` : "") +
    ".";

  function onMove(e: PointerEvent<SVGSVGElement>) {
    const box = e.currentTarget.getBoundingClientRect();
    const i = Math.floor(((e.clientX - box.left - PAD.l) / plotW) * n);
    setHover(i >= 0 && i < n ? i : null);
  }
  const hp = hover !== null ? points[hover] : null;

  return (
    <div className="spc-chart" ref={wrap}>
      <svg width={width} height={H} role="img" aria-label={summary} data-testid={testId} data-points={n} onPointerMove={onMove} onPointerLeave={() => setHover(null)}>
        {lastPhase1 >= 0 && hasPhase2 && <rect x={PAD.l} y={PAD.t} width={splitX - PAD.l} height={plotH} className="spc-phase1-bg" />}
        {yTicks.map((t) => (
          <g key={t}>
            <line x1={PAD.l} x2={width - PAD.r} y1={y(t)} y2={y(t)} className="spc-grid" />
            <text x={PAD.l - 6} y={y(t) + 4} textAnchor="end" className="spc-axis-label">
              {fmt(t)}
            </text>
          </g>
        ))}
        {points.map((p, i) =>
          i % labelEvery === 0 ? (
            <text key={i} x={x(i)} y={H - 10} textAnchor="middle" className="spc-axis-label">
              {p.label.length > 10 ? p.label.slice(0, 9) + "…" : p.label}
            </text>
          ) : null,
        )}
        <path d={steps("ucl")} className="spc-limit" />
        <path d={steps("lcl")} className="spc-limit" />
        <path d={steps("center")} className="spc-center" />
        {lastPhase1 >= 0 && hasPhase2 && (
          <g>
            <line x1={splitX} x2={splitX} y1={PAD.t - 16} y2={H - PAD.b} className="spc-split" />
            <text x={splitX - 6} y={PAD.t - 6} textAnchor="end" className="spc-phase-label">
              Phase I
            </text>
            <text x={splitX + 6} y={PAD.t - 6} className="spc-phase-label">
              Phase II
            </text>
          </g>
        )}
        <path d={line((p) => p.value)} className="spc-line" />
        {hasLower && <path d={line((p) => p.lower)} className="spc-line spc-line-lower" />}
        {markers &&
          points.map((p, i) =>
            p.value === null ? null : (
              <circle key={i} cx={x(i)} cy={y(p.value)} r={3} className={p.excluded ? "spc-pt is-excluded" : "spc-pt"} data-testid={p.excluded ? "spc-excluded" : undefined} />
            ),
          )}
        {[...byIndex.entries()].map(([i, vs]) => {
          const p = points[i];
          if (!p) return null;
          const v = p.value ?? p.lower ?? 0;
          const cx = x(i);
          const cy = y(v);
          return (
            <g key={`v${i}`} data-testid="spc-violation" data-rules={vs.map((q) => q.rule).join(",")}>
              <path d={`M${cx},${cy - 7}L${cx + 7},${cy}L${cx},${cy + 7}L${cx - 7},${cy}Z`} className="spc-viol" />
              <text x={cx} y={cy - 10} textAnchor="middle" className="spc-viol-label">
                {[...new Set(vs.map((q) => ruleTag(q.rule)))].join(",")}
              </text>
            </g>
          );
        })}
        {hp && hover !== null && <line x1={x(hover)} x2={x(hover)} y1={PAD.t} y2={H - PAD.b} className="spc-hover" />}
      </svg>
      {hp && hover !== null && (
        <div className="spc-tip" role="tooltip" style={{ left: Math.min(x(hover) + 10, width - 220) }}>
          <strong>{hp.label}</strong> (Phase {hp.phase === 1 ? "I" : "II"}
          {hp.excluded ? ", excluded" : ""})<br />
          value {fmt(hp.value)}
          {hp.observed !== null && hp.observed !== undefined ? ` (mean ${fmt(hp.observed)})` : ""}
          <br />
          LCL {fmt(hp.lcl)} · CL {fmt(hp.center)} · UCL {fmt(hp.ucl)}
          {byIndex.get(hover)?.map((v) => (
            <span key={v.rule} className="spc-tip-viol">
              <br />
              {v.rule}: {v.description}
            </span>
          ))}
        </div>
      )}
    </div>
  );
}
