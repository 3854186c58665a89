// The schedule as a Gantt chart: one row per machine, one bar per operation coloured by order, late orders
// framed in red (and optionally the only ones in full colour), unavailability windows hatched. Only the rows
// scrolled into view and the bars inside the time window are drawn (binary search per row, sub-pixel bars
// merged), so tens of thousands of operations stay responsive. Zoom: buttons, + / −, Ctrl+wheel; pan: buttons,
// ← / →, Shift+wheel or dragging. Hover (or tap) a bar for its order, operation, machine, start and end.
import { useEffect, useMemo, useRef, useState, type KeyboardEvent, type PointerEvent, type WheelEvent } from "react";
import { formatDateTime } from "../../lib/time";
import { formatDuration } from "../../lib/zoned";
import type { Gantt as GanttData, GanttBar, GanttRow } from "./api";
import { barAt, layoutRow, orderColour, pan, tickStep, ticks, zoom, type View } from "./gantt";

const ROW_H = 30;
const BAR_PAD = 5;
const LABEL_W = 150;
const AXIS_H = 28;
const MAX_BODY_H = 480;

interface Props {
  gantt: GanttData;
  names: ReadonlyMap<string, string>;
  tz: string;
}

interface Hover {
  bar: GanttBar;
  row: GanttRow;
  x: number;
  y: number;
}

export function Gantt({ gantt, names, tz }: Props) {
  const wrap = useRef<HTMLDivElement>(null);
  const [width, setWidth] = useState(900);
  const [scrollTop, setScrollTop] = useState(0);
  const horizonEnd = useMemo(() => {
    let end = Math.max(60, gantt.makespan);
    for (const r of gantt.rows) for (const w of r.unavailable) if (w.start < gantt.makespan) end = Math.max(end, Math.min(w.end, gantt.makespan * 1.2));
    return end;
  }, [gantt]);
  const [view, setView] = useState<View>({ start: 0, end: horizonEnd });
  const [lateOnly, setLateOnly] = useState(false);
  const [hover, setHover] = useState<Hover | null>(null);
  const [picked, setPicked] = useState<Hover | null>(null);
  const drag = useRef<{ x: number; view: View } | null>(null);

  useEffect(() => setView({ start: 0, end: horizonEnd }), [horizonEnd]);
  useEffect(() => {
    const el = wrap.current;
    if (!el || typeof ResizeObserver === "undefined") return;
    const ro = new ResizeObserver(([e]) => setWidth(Math.max(320, Math.floor(e.contentRect.width))));
    ro.observe(el);
    return () => ro.disconnect();
  }, []);

  const plotW = Math.max(100, width - LABEL_W);
  const ppm = plotW / Math.max(1, view.end - view.start);
  const bodyH = Math.min(MAX_BODY_H, gantt.rows.length * ROW_H);
  const first = Math.max(0, Math.floor(scrollTop / ROW_H) - 2);
  const last = Math.min(gantt.rows.length, Math.ceil((scrollTop + bodyH) / ROW_H) + 2);
  const step = tickStep(view, plotW);
  const opCount = useMemo(() => gantt.rows.reduce((n, r) => n + r.bars.length, 0), [gantt]);
  const lateOps = useMemo(() => gantt.rows.reduce((n, r) => n + r.bars.filter((b) => b.late).length, 0), [gantt]);

  const at = (t: number) => (gantt.horizon_start ? formatDateTime(new Date(Date.parse(gantt.horizon_start) + t * 60_000), tz) : null);
  const when = (t: number) => at(t)?.slice(0, 16) ?? `+${formatDuration(t * 60)}`;
  function tickLabel(t: number, i: number): string {
    const s = at(t);
    if (!s) return `+${formatDuration(t * 60)}`;
    const date = s.slice(5, 10);
    const time = s.slice(11, 16);
    if (step >= 1440) return date;
    return i === 0 || time === "00:00" ? `${date} ${time}` : time;
  }
  const orderName = (id: string) => names.get(id) ?? id;
  const opName = (b: GanttBar) => {
    const seq = b.op.startsWith(`${b.order}:`) ? b.op.slice(b.order.length + 1) : null;
    return seq !== null ? `operation ${seq}` : b.op;
  };

  function locate(e: { clientX: number; clientY: number; currentTarget: Element }): Hover | null {
    const box = e.currentTarget.getBoundingClientRect();
    const x = e.clientX - box.left - LABEL_W;
    const y = e.clientY - box.top;
    const row = gantt.rows[Math.floor(y / ROW_H)];
    if (!row || x < 0) return null;
    const bar = barAt(row.bars, view.start + x / ppm);
    return bar ? { bar, row, x: x + LABEL_W, y: Math.floor(y / ROW_H) * ROW_H } : null;
  }

  function onPointerMove(e: PointerEvent<SVGSVGElement>) {
    if (drag.current) {
      const dx = e.clientX - drag.current.x;
      setView(pan(drag.current.view, -dx / ppm, horizonEnd));
      return;
    }
    setHover(locate(e));
  }
  function onPointerDown(e: PointerEvent<SVGSVGElement>) {
    drag.current = { x: e.clientX, view };
  }
  function onPointerUp(e: PointerEvent<SVGSVGElement>) {
    const moved = drag.current ? Math.abs(e.clientX - drag.current.x) > 3 : false;
    drag.current = null;
    if (!moved) setPicked(locate(e));
  }
  function onWheel(e: WheelEvent<HTMLDivElement>) {
    if (e.ctrlKey || e.metaKey) {
      const box = e.currentTarget.getBoundingClientRect();
      const t = view.start + (e.clientX - box.left - LABEL_W) / ppm;
      setView(zoom(view, e.deltaY > 0 ? 1.25 : 0.8, Math.max(view.start, t), horizonEnd));
    } else if (e.shiftKey || Math.abs(e.deltaX) > Math.abs(e.deltaY)) {
      setView(pan(view, (e.deltaX || e.deltaY) / ppm, horizonEnd));
    }
  }
  const mid = (view.start + view.end) / 2;
  const span = view.end - view.start;
  function onKeyDown(e: KeyboardEvent<HTMLDivElement>) {
    const next =
      e.key === "ArrowLeft"
        ? pan(view, -span * 0.2, horizonEnd)
        : e.key === "ArrowRight"
          ? pan(view, span * 0.2, horizonEnd)
          : e.key === "+" || e.key === "="
            ? zoom(view, 0.5, mid, horizonEnd)
            : e.key === "-"
              ? zoom(view, 2, mid, horizonEnd)
              : e.key === "0"
                ? { start: 0, end: horizonEnd }
                : null;
    if (next) {
      e.preventDefault();
      setView(next);
    }
  }

  const shown = hover ?? picked;
  const rows = gantt.rows.slice(first, last);
  const summary = `Gantt chart: ${opCount} operations on ${gantt.rows.length} machines, ${lateOps} of them on late orders; showing ${when(view.start)} to ${when(view.end)}.`;

  return (
    <div className="gantt" data-testid="gantt">
      <div className="pg-actions gantt-tools" role="toolbar" aria-label="Gantt time axis">
        <button type="button" className="btn btn-small" onClick={() => setView(zoom(view, 0.5, mid, horizonEnd))} disabled={span <= 30}>
          Zoom in
        </button>
        <button type="button" className="btn btn-small" onClick={() => setView(zoom(view, 2, mid, horizonEnd))} disabled={span >= horizonEnd}>
          Zoom out
        </button>
        <button type="button" className="btn btn-small" onClick={() => setView({ start: 0, end: horizonEnd })}>
          Fit
        </button>
        <button type="button" className="btn btn-small" onClick={() => setView(pan(view, -span * 0.5, horizonEnd))} disabled={view.start <= 0}>
          ← Earlier
        </button>
        <button type="button" className="btn btn-small" onClick={() => setView(pan(view, span * 0.5, horizonEnd))} disabled={view.end >= horizonEnd}>
          Later →
        </button>
        <label className="field-check gantt-late-toggle">
          <input type="checkbox" checked={lateOnly} onChange={(e) => setLateOnly(e.target.checked)} />
          Highlight late orders only
        </label>
      </div>
      <p className="muted small gantt-range" aria-live="polite">
        {when(view.start)} – {when(view.end)} · {formatDuration(span * 60)} shown
      </p>
      <div
        ref={wrap}
        className="gantt-frame"
        tabIndex={0}
        role="group"
        aria-label="Gantt chart: ← → pan, + − zoom, 0 fits"
        aria-describedby="gantt-summary"
        onKeyDown={onKeyDown}
        onWheel={onWheel}
      >
        <p id="gantt-summary" className="sr-only">
          {summary}
        </p>
        <svg className="gantt-axis" width={width} height={AXIS_H} aria-hidden="true">
          {ticks(view, step).map((t, i) => {
            const x = LABEL_W + (t - view.start) * ppm;
            return (
              <g key={t}>
                <line x1={x} x2={x} y1={AXIS_H - 8} y2={AXIS_H} className="gantt-tick" />
                <text x={x + 3} y={AXIS_H - 10} className="gantt-tick-label">
                  {tickLabel(t, i)}
                </text>
              </g>
            );
          })}
        </svg>
        <div className="gantt-body" tabIndex={0} role="region" aria-label="Machines (scroll for more)" style={{ maxHeight: MAX_BODY_H }} onScroll={(e) => setScrollTop(e.currentTarget.scrollTop)}>
          <svg
            width={width}
            height={gantt.rows.length * ROW_H}
            role="img"
            aria-label={summary}
            data-bars={opCount}
            onPointerMove={onPointerMove}
            onPointerDown={onPointerDown}
            onPointerUp={onPointerUp}
            onPointerLeave={() => {
              drag.current = null;
              setHover(null);
            }}
          >
            <defs>
              <pattern id="gantt-hatch" width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(45)">
                <rect width="6" height="6" className="gantt-down-bg" />
                <line x1="0" y1="0" x2="0" y2="6" className="gantt-down-line" />
              </pattern>
              <clipPath id="gantt-plot">
                <rect x={LABEL_W} y={0} width={plotW} height={gantt.rows.length * ROW_H} />
              </clipPath>
            </defs>
            {ticks(view, step).map((t) => (
              <line key={t} x1={LABEL_W + (t - view.start) * ppm} x2={LABEL_W + (t - view.start) * ppm} y1={0} y2={gantt.rows.length * ROW_H} className="gantt-grid" />
            ))}
            {rows.map((row, k) => {
              const y = (first + k) * ROW_H;
              return (
                <g key={row.machine} data-testid="gantt-row" data-machine={row.machine}>
                  <rect x={0} y={y} width={width} height={ROW_H} className={(first + k) % 2 ? "gantt-row-odd" : "gantt-row-even"} />
                  <text x={8} y={y + ROW_H / 2 + 5} className="gantt-label">
                    {row.name.length > 18 ? `${row.name.slice(0, 17)}…` : row.name}
                  </text>
                  <g clipPath="url(#gantt-plot)">
                    {row.unavailable
                      .filter((w) => w.end > view.start && w.start < view.end)
                      .map((w, i) => (
                        <rect
                          key={`u${i}`}
                          data-testid="gantt-down"
                          x={LABEL_W + Math.max(0, (w.start - view.start) * ppm)}
                          y={y + 2}
                          width={Math.max(1, (Math.min(w.end, view.end) - Math.max(w.start, view.start)) * ppm)}
                          height={ROW_H - 4}
                          fill="url(#gantt-hatch)"
                        />
                      ))}
                    {layoutRow(row.bars, view, plotW).map((d, i) => (
                      <rect
                        key={i}
                        data-testid={d.bar ? "gantt-bar" : "gantt-block"}
                        data-order={d.bar?.order}
                        data-late={d.late ? "true" : undefined}
                        x={LABEL_W + d.x}
                        y={y + BAR_PAD}
                        width={d.w}
                        height={ROW_H - 2 * BAR_PAD}
                        rx={2}
                        fill={d.bar ? orderColour(d.bar.order) : "#90a4ae"}
                        className={`gantt-bar${d.late ? " is-late" : ""}${lateOnly && !d.late ? " is-dimmed" : ""}${shown?.bar === d.bar ? " is-hover" : ""}`}
                      />
                    ))}
                  </g>
                </g>
              );
            })}
          </svg>
        </div>
        {shown && (
          <div
            className="gantt-tooltip"
            role="tooltip"
            data-testid="gantt-tooltip"
            style={{ left: Math.min(shown.x + 12, width - 260), top: AXIS_H + shown.y - scrollTop + ROW_H + 4 }}
          >
            <strong>{orderName(shown.bar.order)}</strong>
            {shown.bar.late && <span className="gantt-late-tag"> late</span>}
            <br />
            {opName(shown.bar)} on {shown.row.name}
            <br />
            {when(shown.bar.start)} → {when(shown.bar.end)} ({formatDuration((shown.bar.end - shown.bar.start) * 60)})
          </div>
        )}
      </div>
      <ul className="gantt-legend small" aria-label="Legend">
        <li>
          <span className="gantt-swatch is-late" aria-hidden="true" /> red frame: operation of a late order
        </li>
        <li>
          <span className="gantt-swatch is-down" aria-hidden="true" /> hatched: machine unavailable (calendar, maintenance, breakdown)
        </li>
        <li>colour: one per order</li>
      </ul>
    </div>
  );
}
