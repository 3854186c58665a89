import { render, screen, waitFor } from "@testing-library/react";
import { useEffect, useImperativeHandle } from "react";
import type { TimeSeriesChartProps } from "../components/chart/TimeSeriesChart";
import { ChartBench, generateSignal } from "./ChartBench";

const seen = vi.hoisted(() => ({ points: 0, ranges: [] as [number, number][] }));
// A stand-in for the uPlot chart (no canvas in jsdom): draws "complete" on the next microtask.
vi.mock("../components/chart/TimeSeriesChart", () => ({
  TimeSeriesChart: ({ ref, data, onDraw }: TimeSeriesChartProps) => {
    const waiters: ((t: number) => void)[] = [];
    const draw = () =>
      queueMicrotask(() => {
        const at = performance.now();
        onDraw?.({ drawMs: 1, at, points: data.x.length });
        waiters.splice(0).forEach((w) => w(at));
      });
    useImperativeHandle(ref, () => ({
      setXRange: (a: number, b: number) => {
        seen.ranges.push([a, b]);
        draw();
      },
      getXRange: () => null,
      nextDraw: () => new Promise<number>((r) => waiters.push(r)),
    }));
    useEffect(() => {
      seen.points = data.x.length;
      draw();
    }, []); // eslint-disable-line react-hooks/exhaustive-deps
    return <div data-testid="chart" />;
  },
}));

describe("ChartBench", () => {
  it("generates a 1 s signal with spikes", () => {
    const d = generateSignal(1000, 5000);
    expect(d.x.length).toBe(1000);
    expect(d.x[999]).toBe(5000);
    expect(d.x[1] - d.x[0]).toBe(1);
    expect(Math.max(...d.y)).toBeGreaterThan(80); // a spike above the ~60 ± 15 signal
  });

  it("renders N points, zooms to 10 % and pans, and publishes the timings", async () => {
    window.history.pushState({}, "", "/bench/chart?n=5000");
    render(<ChartBench />);
    const pre = screen.getByTestId("bench-result");
    await waitFor(() => expect(pre.textContent).toMatch(/renderMs/));
    const r = window.__chartBench!;
    expect(r.points).toBe(5000);
    expect(seen.points).toBe(5000);
    for (const k of ["renderMs", "zoomMs", "panMs"] as const) {
      expect(typeof r[k]).toBe("number");
      expect(r[k]).toBeGreaterThanOrEqual(0);
    }
    expect(JSON.parse(pre.textContent!)).toEqual(r);
    const [zoom, pan] = seen.ranges;
    expect((zoom[1] - zoom[0]) / 4999).toBeCloseTo(0.1, 5);
    expect(pan[0]).toBeGreaterThan(zoom[0]);
  });
});
