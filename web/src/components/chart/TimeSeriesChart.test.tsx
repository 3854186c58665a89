// The chart's contract with uPlot, against a fake uPlot (jsdom has no canvas): one instance per mount,
// data through setData, x range through setScale, user zooms reported once via onZoom.
import { fireEvent, render, screen } from "@testing-library/react";
import type { ChartData } from "./types";

const fake = vi.hoisted(() => {
  class FakeUPlot {
    static instances: FakeUPlot[] = [];
    static tzDate = (d: Date) => d;
    scales = { x: { min: 0 as number | undefined, max: 0 as number | undefined } };
    over = document.createElement("div");
    root = document.createElement("div");
    width = 600;
    bbox = { left: 0, top: 0, width: 600, height: 200 };
    setData = vi.fn((d: ArrayLike<number>[]) => {
      this.data = d;
    });
    setScale = vi.fn((_k: string, r: { min: number; max: number }) => {
      this.scales.x = { min: r.min, max: r.max };
    });
    setSize = vi.fn();
    redraw = vi.fn();
    destroy = vi.fn(() => this.root.remove());
    constructor(
      public opts: { series: unknown[]; hooks: { draw: ((u: FakeUPlot) => void)[] } },
      public data: ArrayLike<number>[],
      target: HTMLElement,
    ) {
      this.root.appendChild(this.over);
      target.appendChild(this.root);
      const x = data[0];
      this.scales.x = { min: x[0], max: x[x.length - 1] };
      FakeUPlot.instances.push(this);
    }
  }
  return FakeUPlot;
});
vi.mock("uplot", () => ({ default: fake }));

import { TimeSeriesChart } from "./TimeSeriesChart";

const series = (n: number, band = false): ChartData => {
  const x = Float64Array.from({ length: n }, (_, i) => 1000 + i);
  const y = Float64Array.from({ length: n }, (_, i) => Math.sin(i));
  return band ? { x, y, min: y.map((v) => v - 1), max: y.map((v) => v + 1) } : { x, y };
};

beforeEach(() => {
  fake.instances.length = 0;
});

describe("TimeSeriesChart", () => {
  it("creates uPlot once and feeds new data through setData", () => {
    const { rerender } = render(<TimeSeriesChart data={series(100)} label="temp" unit="degC" timeZone="Europe/Berlin" />);
    expect(fake.instances).toHaveLength(1);
    const u = fake.instances[0];
    expect(u.data[0]).toBeInstanceOf(Float64Array);
    expect(u.opts.series).toHaveLength(2);
    const next = series(101);
    rerender(<TimeSeriesChart data={next} label="temp" unit="degC" timeZone="Europe/Berlin" />);
    expect(fake.instances).toHaveLength(1);
    expect(u.setData).toHaveBeenCalledWith([next.x, next.y], true);
  });

  it("keeps a controlled x range across data updates", () => {
    const { rerender } = render(<TimeSeriesChart data={series(10)} label="t" xRange={[1000, 1005]} />);
    const u = fake.instances[0];
    expect(u.setScale).toHaveBeenLastCalledWith("x", { min: 1000, max: 1005 });
    rerender(<TimeSeriesChart data={series(11)} label="t" xRange={[1001, 1006]} />);
    expect(u.setData).toHaveBeenLastCalledWith(expect.any(Array), false);
    expect(u.setScale).toHaveBeenLastCalledWith("x", { min: 1001, max: 1006 });
    expect(fake.instances).toHaveLength(1);
  });

  it("draws a min/max band as two extra series, rebuilding only when the layout changes", () => {
    const { rerender } = render(<TimeSeriesChart data={series(10)} label="t" />);
    rerender(<TimeSeriesChart data={series(10, true)} label="t" />);
    expect(fake.instances).toHaveLength(2);
    expect(fake.instances[0].destroy).toHaveBeenCalled();
    expect(fake.instances[1].opts.series).toHaveLength(4);
    rerender(<TimeSeriesChart data={series(12, true)} label="t" />);
    expect(fake.instances).toHaveLength(2);
  });

  it("pans and zooms from the keyboard and buttons, reporting each settled range", () => {
    const onZoom = vi.fn();
    const onResetZoom = vi.fn();
    render(<TimeSeriesChart data={series(101)} label="t" onZoom={onZoom} onResetZoom={onResetZoom} />);
    const plot = screen.getByRole("group", { name: /^t\./ });
    fireEvent.keyDown(plot, { key: "ArrowLeft" });
    expect(onZoom).toHaveBeenLastCalledWith(990, 1090);
    fireEvent.keyDown(plot, { key: "+" });
    expect(onZoom).toHaveBeenLastCalledWith(1015, 1065);
    fireEvent.click(screen.getByRole("button", { name: "Zoom out" }));
    expect(onZoom).toHaveBeenLastCalledWith(990, 1090);
    fireEvent.keyDown(plot, { key: "Escape" });
    expect(onResetZoom).toHaveBeenCalledTimes(1);
  });

  it("reports completed draws and resolves nextDraw()", async () => {
    const onDraw = vi.fn();
    const ref = { current: null as null | import("./types").ChartHandle };
    render(<TimeSeriesChart ref={ref} data={series(5)} label="t" onDraw={onDraw} />);
    const u = fake.instances[0];
    const p = ref.current!.nextDraw();
    u.opts.hooks.draw.forEach((h) => h(u));
    await expect(p).resolves.toBeGreaterThan(0);
    expect(onDraw).toHaveBeenCalledWith(expect.objectContaining({ points: 5 }));
  });
});
