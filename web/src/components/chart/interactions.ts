// Zoom and pan on the x axis: pure range maths, plus DOM gestures (wheel, shift-drag, touch) bound to a uPlot.
import type uPlot from "uplot";

export type XRange = [number, number];

/** Smallest x span (seconds) a zoom may reach. */
export const MIN_SPAN_S = 2;

/** Scale the range by factor (<1 zooms in) around anchor (0 = left edge, 1 = right edge). */
export function zoomRange([min, max]: XRange, factor: number, anchor = 0.5): XRange {
  const span = max - min;
  const next = Math.max(span * factor, MIN_SPAN_S);
  const a = Math.min(1, Math.max(0, anchor));
  const at = min + span * a;
  return [at - next * a, at + next * (1 - a)];
}

/** Shift the range by a fraction of its span (negative = back in time). */
export function panRange([min, max]: XRange, fraction: number): XRange {
  const d = (max - min) * fraction;
  return [min + d, max + d];
}

export interface GestureCallbacks {
  /** A gesture step: show this range now (not yet a settled zoom). */
  preview(r: XRange): void;
  /** The gesture settled on this range. */
  commit(r: XRange): void;
  /** Whether plain wheel (without Ctrl/⌘) should zoom, e.g. when the chart has focus. */
  wheelZooms(): boolean;
}

function current(u: uPlot): XRange | null {
  const { min, max } = u.scales.x;
  return min == null || max == null ? null : [min, max];
}

/**
 * Bind wheel zoom (Ctrl/⌘+wheel, or plain wheel when wheelZooms()), shift+drag pan and one/two-finger
 * touch pan/pinch to the plot area. `host` must be an ancestor of u.over (capture-phase listeners there
 * run before uPlot's own drag-to-select). Returns an unbind function.
 */
export function bindGestures(u: uPlot, host: HTMLElement, cb: GestureCallbacks): () => void {
  const over = u.over;
  let commitTimer: ReturnType<typeof setTimeout> | undefined;

  const onWheel = (e: WheelEvent) => {
    if (!(e.ctrlKey || e.metaKey || cb.wheelZooms())) return;
    const r = current(u);
    if (!r) return;
    e.preventDefault();
    const rect = over.getBoundingClientRect();
    const next = zoomRange(r, e.deltaY < 0 ? 0.8 : 1.25, (e.clientX - rect.left) / (rect.width || 1));
    cb.preview(next);
    clearTimeout(commitTimer);
    commitTimer = setTimeout(() => cb.commit(next), 200);
  };

  let drag: { x0: number; r: XRange; last: XRange } | null = null;
  const onMove = (e: MouseEvent) => {
    if (!drag) return;
    const w = over.getBoundingClientRect().width || 1;
    const d = ((e.clientX - drag.x0) / w) * (drag.r[1] - drag.r[0]);
    drag.last = [drag.r[0] - d, drag.r[1] - d];
    cb.preview(drag.last);
  };
  const onUp = () => {
    if (drag && drag.last !== drag.r) cb.commit(drag.last);
    drag = null;
    window.removeEventListener("mousemove", onMove);
    window.removeEventListener("mouseup", onUp);
  };
  const onDown = (e: MouseEvent) => {
    if (!e.shiftKey || e.button !== 0 || !over.contains(e.target as Node)) return;
    const r = current(u);
    if (!r) return;
    e.stopPropagation(); // keep uPlot from starting a drag-select
    e.preventDefault();
    drag = { x0: e.clientX, r, last: r };
    window.addEventListener("mousemove", onMove);
    window.addEventListener("mouseup", onUp);
  };

  let touch: { x0: number; d0: number; r: XRange; last: XRange } | null = null;
  const span = (t: TouchList) => (t.length > 1 ? Math.abs(t[0].clientX - t[1].clientX) : 0);
  const mid = (t: TouchList) => (t.length > 1 ? (t[0].clientX + t[1].clientX) / 2 : t[0].clientX);
  const onTouchStart = (e: TouchEvent) => {
    const r = current(u);
    if (!r || !over.contains(e.target as Node)) return;
    touch = { x0: mid(e.touches), d0: span(e.touches), r, last: r };
  };
  const onTouchMove = (e: TouchEvent) => {
    if (!touch) return;
    const rect = over.getBoundingClientRect();
    const w = rect.width || 1;
    const [a, b] = touch.r;
    let next: XRange;
    if (e.touches.length > 1 && touch.d0 > 10) {
      const f = touch.d0 / Math.max(10, span(e.touches));
      next = zoomRange(touch.r, f, (touch.x0 - rect.left) / w);
    } else {
      const d = ((mid(e.touches) - touch.x0) / w) * (b - a);
      if (Math.abs(mid(e.touches) - touch.x0) < 8) return; // a tap or a vertical scroll
      next = [a - d, b - d];
    }
    e.preventDefault();
    touch.last = next;
    cb.preview(next);
  };
  const onTouchEnd = () => {
    if (touch && touch.last !== touch.r) cb.commit(touch.last);
    touch = null;
  };

  over.addEventListener("wheel", onWheel, { passive: false });
  host.addEventListener("mousedown", onDown, true);
  over.addEventListener("touchstart", onTouchStart, { passive: true });
  over.addEventListener("touchmove", onTouchMove, { passive: false });
  over.addEventListener("touchend", onTouchEnd);
  return () => {
    clearTimeout(commitTimer);
    onUp();
    over.removeEventListener("wheel", onWheel);
    host.removeEventListener("mousedown", onDown, true);
    over.removeEventListener("touchstart", onTouchStart);
    over.removeEventListener("touchmove", onTouchMove);
    over.removeEventListener("touchend", onTouchEnd);
  };
}
