import type { GanttBar } from "./api";
import { barAt, firstEndingAfter, layoutRow, orderColour, pan, tickStep, zoom } from "./gantt";

const bar = (start: number, end: number, order = "o", late = false): GanttBar => ({ op: `${order}:${start}`, order, order_name: "", op_name: "", start, end, start_at: null, end_at: null, late });

test("binary search finds the first bar ending after a time and the bar at a time", () => {
  const bars = [bar(0, 10), bar(10, 20), bar(30, 40)];
  expect(firstEndingAfter(bars, 0)).toBe(0);
  expect(firstEndingAfter(bars, 10)).toBe(1);
  expect(firstEndingAfter(bars, 25)).toBe(2);
  expect(firstEndingAfter(bars, 40)).toBe(3);
  expect(barAt(bars, 15)?.start).toBe(10);
  expect(barAt(bars, 25)).toBeNull();
});

test("only bars in the view are laid out, clipped to it", () => {
  const bars = [bar(0, 10), bar(10, 20), bar(30, 40), bar(50, 60)];
  const d = layoutRow(bars, { start: 15, end: 35 }, 200);
  expect(d.map((x) => x.bar?.start)).toEqual([10, 30]);
  expect(d[0]).toMatchObject({ x: 0, w: 50 });
  expect(d[1]).toMatchObject({ x: 150, w: 50 });
});

test("tens of thousands of bars: sub-pixel bars merge into blocks, lateness survives, and it is fast", () => {
  const bars = Array.from({ length: 50_000 }, (_, i) => bar(i * 10, i * 10 + 8, `o${i % 97}`, i === 30_000));
  const t0 = performance.now();
  const d = layoutRow(bars, { start: 0, end: 500_000 }, 1000);
  const ms = performance.now() - t0;
  expect(d.length).toBeLessThan(1000);
  expect(d.reduce((n, x) => n + x.count, 0)).toBe(50_000);
  expect(d.filter((x) => x.late)).toHaveLength(1);
  expect(ms).toBeLessThan(200);
  expect(layoutRow(bars, { start: 100_000, end: 100_100 }, 1000)).toHaveLength(10);
});

test("zoom keeps the point under the cursor and stays inside the horizon; pan is clamped", () => {
  expect(zoom({ start: 0, end: 1000 }, 0.5, 500, 1000)).toEqual({ start: 250, end: 750 });
  expect(zoom({ start: 0, end: 1000 }, 0.5, 0, 1000)).toEqual({ start: 0, end: 500 });
  expect(zoom({ start: 0, end: 100 }, 0.01, 50, 1000)).toEqual({ start: 35, end: 65 }); // 30 min at least
  expect(zoom({ start: 0, end: 800 }, 4, 400, 1000)).toEqual({ start: 0, end: 1000 });
  expect(pan({ start: 0, end: 100 }, -50, 1000)).toEqual({ start: 0, end: 100 });
  expect(pan({ start: 800, end: 1000 }, 500, 1000)).toEqual({ start: 800, end: 1000 });
});

test("ticks are at least ~90 px apart; colours are stable per order", () => {
  expect(tickStep({ start: 0, end: 600 }, 750)).toBe(120);
  expect(tickStep({ start: 0, end: 60 * 24 * 28 }, 750)).toBe(10080);
  expect(orderColour("WO-1")).toBe(orderColour("WO-1"));
});
